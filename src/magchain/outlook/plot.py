"""Chart of an outlook: capacity of each stage (magnet-equivalent) against demand, weak link marked.

PNG via matplotlib; HTML is the same chart as inline SVG in a self-contained page (no JavaScript,
nothing fetched at view time).
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from magchain.errors import MagchainError

COLOURS = {"mine": "#8c564b", "separation": "#1f77b4", "metal": "#7f7f7f", "alloy": "#9467bd",
           "magnet": "#2ca02c", "recycling": "#17becf"}


def figure(path: str | Path):
    """A checked output path and a fresh matplotlib figure and axes (headless backend)."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".html", ".svg"):
        raise MagchainError(f"--plot {path}: use a file ending in .png, .svg or .html")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5))
    return path, fig, ax


def save(fig, path: Path, title: str) -> Path:
    """Write PNG or SVG, or HTML holding the chart as inline SVG; closes the figure."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".html":
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        title = html.escape(title)
        path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
                        f"<body><h1>{title}</h1>{buffer.getvalue()}</body></html>", encoding="utf-8")
    else:
        fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def draw(result, path: str | Path) -> Path:
    path, fig, ax = figure(path)
    table = result.table
    for stage, rows in table.groupby("stage", sort=False):
        ax.plot(rows["year"], rows["capacity_magnet_eq_t"], label=f"{stage} capacity", color=COLOURS.get(stage), lw=2)
    demand = table[table["stage"] == "magnet"]
    if demand["demand_magnet_eq_t"].notna().any():
        ax.plot(demand["year"], demand["demand_magnet_eq_t"], "k--", lw=2, label="demand")
    weak = table[table["weak_link"]]
    ax.scatter(weak["year"], weak["capacity_magnet_eq_t"], marker="v", s=60, color="red", zorder=5, label="weak link")
    ax.set_title(f"{result.region}: capacity by stage against demand (t magnet-equivalent)")
    ax.set_xlabel("year")
    ax.set_ylabel("t magnet-equivalent per year")
    ax.legend(fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    return save(fig, path, f"magchain outlook: {result.region}")
