"""Chart of a scenario: each region's share of demand not met, period by period."""

from __future__ import annotations

from pathlib import Path

from magchain.outlook.plot import figure, save


def draw_shortfall(result, path: str | Path) -> Path:
    path, fig, ax = figure(path)
    table = result.shortfall.groupby(["region", "period"], as_index=False)[["demand_t", "shortfall_t"]].sum()
    order = [p.label for p in result.network.periods]
    for region, rows in table.groupby("region"):
        rows = rows.set_index("period").reindex(order)
        ax.plot(range(len(order)), 100 * rows["shortfall_t"] / rows["demand_t"], lw=2, label=region)
    step = max(1, len(order) // 12)
    ax.set_xticks(range(0, len(order), step), order[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("% of demand not met")
    ax.set_title(f"{result.scenario.name}: shortfall by region")
    ax.legend(fontsize=8, ncol=3)
    ax.grid(alpha=0.3)
    return save(fig, path, f"magchain scenario: {result.scenario.name}")
