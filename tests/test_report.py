"""The periodic assessment (``magchain report``): every number cited, in HTML, PDF and a workbook."""

from __future__ import annotations

import re
import shutil

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from magchain.cli.main import app
from magchain.report.assess import Figure, assess, ranges
from magchain.report.write import html, write
from magchain.service import Service

AS_OF = "2026-11-30"
# What may stand in the text without a citation: years, dates, the version and the run's own settings.
UNCITED = [r"\b(19|20)\d\d-\d\d(-\d\d)?\b", r"\b(19|20)\d\d\b", r"magchain \d+\.\d+\.\d+", r"over [\d,]+ (Monte Carlo )?draws",
           r"\b12-month\b", r"\b12 months\b", r"\b80 ?%"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    db = tmp_path_factory.mktemp("report") / "store.sqlite"
    service = Service(f"sqlite:///{db}")
    service.store.ensure_current()
    return assess(service, "US", AS_OF, "2025-01-01", draws=200)


def figures(value):
    if isinstance(value, Figure):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from figures(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from figures(v)


def test_every_known_figure_cites_sources_that_exist(report):
    entries = len(report.bibliography.entries)
    found = list(figures([report.answer, report.stages, report.weak_links, report.plants, report.exposure,
                          report.prices, report.changes]))
    assert len(found) > 50
    for figure in found:
        if figure.value is not None:
            assert figure.refs, f"{figure.text} has no source"
        assert all(1 <= n <= entries for n in figure.refs)
    cited = {n for f in found for n in f.refs} | {n for c in report.changes for n in c["refs"]}
    assert cited == set(range(1, entries + 1)), "every listed source is cited somewhere"


def test_an_unsourced_factor_is_cited_as_an_assumption(report):
    """Time-to-recover has no source: the report says it rests on an assumption rather than citing nothing."""
    ttr = report.plants[0]["ttr"]
    entries = [report.bibliography.entries[n - 1] for n in ttr.refs]
    assert entries and all(e["id"].startswith("assumption:") for e in entries)
    assert entries[0]["evidence"], "the assumption's basis is shown"


def test_html_has_no_number_outside_a_cited_figure(report):
    tree = lxml_html.fromstring(html(report))
    for node in tree.xpath("//svg|//style|//*[@id='sources']/.."):
        node.drop_tree()  # keeps the text that follows the node
    for span in tree.xpath("//span[@class='fig']"):
        assert span.text_content().strip(), "a figure span is never empty"
        if re.search(r"\d", span.text_content().split("[")[0]):
            assert span.xpath(".//sup[@class='ref']"), f"figure {span.text_content()!r} has no citation"
        span.drop_tree()
    text = " ".join(tree.itertext())
    for pattern in UNCITED:
        text = re.sub(pattern, "", text)
    stray = re.findall(r"\d[\d,.]*", text)
    assert stray == [], f"numbers without a citation: {stray[:10]}"


def test_html_answers_first_and_names_the_weak_link(report):
    page = html(report)
    assert page.index("The answer") < page.index("Status and outlook") < page.index("Sources")
    assert report.weak_links and f"the {report.weak_links[-1]['stage']} stage" in page or "No stage is short" in page
    assert not re.search(r"<(script|link|img)\b", page), "the report is one self-contained page: nothing to fetch"


def test_pdf_is_printed_with_its_sources(report, tmp_path):
    assert shutil.which("chromium") or shutil.which("chromium-browser"), \
        "Debian's chromium prints the PDF: apt-get install -y chromium (.ci/run installs it)"
    path = write(report, tmp_path / "us.pdf", "pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "The answer" in text and "Sources" in text
    assert report.bibliography.entries[0]["title"][:30] in text.replace("\n", " ")
    assert not list(tmp_path.glob(".us.pdf.*")), "no scratch file is left behind"


def test_workbook_opens_with_numbers_their_sources_and_a_chart(report, tmp_path):
    path = write(report, tmp_path / "us.xlsx", "xlsx")
    book = load_workbook(path)
    assert {"Summary", "Outlook", "Suppliers", "Export controls", "Prices", "Sources"} <= set(book.sheetnames)
    outlook = book["Outlook"]
    header = [c.value for c in outlook[1]]
    sources_column = header.index("sources")
    numeric_rows = [row for row in outlook.iter_rows(min_row=2, max_row=1 + 4 * len(report.stages), values_only=True)
                    if any(isinstance(v, int | float) for v in row[2:sources_column])]
    assert numeric_rows and all(row[sources_column] for row in numeric_rows)
    assert outlook._charts, "the outlook sheet carries a chart"
    assert book["Sources"].max_row == len(report.bibliography.entries) + 1


def test_source_numbers_are_written_as_runs():
    assert ranges([5, 1, 2, 3, 9, 10]) == [(1, "1–3"), (5, "5"), (9, "9, 10")]


def test_cli_refuses_an_unknown_format_and_region(tmp_path):
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    bad_format = runner.invoke(app, ["--db", db, "report", "--format", "docx"])
    assert bad_format.exit_code != 0 and "is not one of: html, pdf, xlsx" in bad_format.output
    assert "Traceback" not in bad_format.output
    bad_region = runner.invoke(app, ["--db", db, "report", "--region", "ZZ", "-o", str(tmp_path / "r.html")])
    assert bad_region.exit_code != 0 and "Unknown region 'ZZ'" in bad_region.output
    assert not (tmp_path / "r.html").exists()
