"""An assessment written out: a self-contained HTML page, a PDF printed from it by headless
Chromium, or a workbook with formatted sheets and a chart.

Each writer writes to a temporary file beside the target and renames it, so a failed write never
leaves half a report behind.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from magchain import __version__
from magchain.errors import InvalidInput, MagchainError
from magchain.report.assess import Assessment, Figure, ranges
from magchain.report.workbook import workbook
from magchain.vocab import STAGES

FORMATS = ("html", "pdf", "xlsx")
TEMPLATES = Environment(loader=PackageLoader("magchain", "report/templates"), autoescape=select_autoescape(["html"]))


TEMPLATES.filters["ranges"] = ranges
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_SECONDS = 120


def write(report: Assessment, path: str | Path, fmt: str) -> Path:
    """Write ``report`` to ``path`` as ``fmt`` (html, pdf or xlsx)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Report format '{fmt}' is not one of: {', '.join(FORMATS)}.")
    path = Path(path)
    if not path.parent.exists():
        raise InvalidInput(f"Folder {path.parent} does not exist; create it or choose another --output.")
    writer = {"html": _write_html, "pdf": _write_pdf, "xlsx": _write_xlsx}[fmt]
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".{fmt}")
    os.close(handle)
    try:
        writer(report, Path(scratch))
        os.replace(scratch, path)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
    return path


# -- HTML ----------------------------------------------------------------------------------------
def html(report: Assessment) -> str:
    """The report as one HTML page with its styles and chart inline (it opens offline)."""
    return TEMPLATES.get_template("report.html").render(
        r=report, version=__version__, chart=chart_svg(report), stage_names=STAGES, is_figure=_is_figure)


def _is_figure(value) -> bool:
    return isinstance(value, Figure)


def _write_html(report: Assessment, path: Path) -> None:
    path.write_text(html(report), encoding="utf-8")


def chart_svg(report: Assessment) -> str:
    """Capacity per stage (magnet-equivalent) against demand, as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = report.series
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=96)
    for stage in STAGES:
        values = series["capacity"].get(stage)
        if values and any(v is not None for v in values):
            axes.plot(series["years"], [float("nan") if v is None else v for v in values], marker="o", markersize=3,
                      label=f"{stage} capacity")
    axes.plot(series["years"], [float("nan") if v is None else v for v in series["demand"]], color="black",
              linewidth=2.5, linestyle="--", label="demand")
    axes.set_ylabel("t magnet-equivalent a year")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, ncol=2, frameon=False)
    axes.set_title(f"{report.region}: own capacity by stage against own demand", fontsize=10)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


# -- PDF -------------------------------------------------------------------------------------------
def chromium() -> str:
    """The Chromium to print with: ``MAGCHAIN_CHROMIUM`` or the first on the PATH."""
    named = os.environ.get("MAGCHAIN_CHROMIUM")
    found = named if named and shutil.which(named) else next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if not found:
        raise MagchainError("A PDF report is printed by headless Chromium, and none was found. Install it "
                            "(Debian: apt-get install -y chromium) or set MAGCHAIN_CHROMIUM; "
                            "--format html writes the same report without it.")
    return found


def _write_pdf(report: Assessment, path: Path) -> None:
    browser = chromium()
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        page.write_text(html(report), encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   f"--user-data-dir={folder}/profile", f"--print-to-pdf={path}", page.as_uri()]
        try:
            done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=PRINT_SECONDS)
        except subprocess.TimeoutExpired:
            raise MagchainError(f"Chromium did not print the report within {PRINT_SECONDS} s.") from None
    if done.returncode != 0 or not path.exists() or path.stat().st_size == 0:
        raise MagchainError(f"Chromium could not print the report (exit {done.returncode}): "
                            f"{done.stderr.strip()[-400:]}")


# -- the workbook --------------------------------------------------------------------------------
def _write_xlsx(report: Assessment, path: Path) -> None:
    workbook(report).save(path)
