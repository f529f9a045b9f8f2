"""Observed monthly series from the registry's sourced figures.

China's customs magnet exports are stored as figures: ``magnet_exports`` (country = the exporter)
and ``china_magnet_exports_to_country`` (country = the destination), one row per source and month.
Where two sources give the same month, the median is taken and both stay citable.
"""

from __future__ import annotations

import pandas as pd

from magchain.errors import InvalidInput

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
EXPORTS_TO = "china_magnet_exports_to_country"


def trade_series(chain, exporter: str, destination: str | None = None) -> pd.DataFrame:
    """Monthly exports (t) of magnets from ``exporter`` (to ``destination``), with their sources:
    columns period, tonnes, sources (';'-joined figure ids)."""
    if exporter.upper() != "CN":
        raise InvalidInput(f"Observed trade series exist for China's exports only, not '{exporter}'.")
    figures = chain.tables["figures"]
    if destination is None:
        rows = figures[(figures["metric"] == "magnet_exports") & (figures["country"] == "CN")]
    else:
        rows = figures[(figures["metric"] == EXPORTS_TO) & (figures["country"] == destination.upper())]
    rows = rows[rows["year"].astype(str).str.match(MONTH) & rows["value"].notna()]
    grouped = rows.groupby(rows["year"].astype(str))
    frame = pd.DataFrame({"tonnes": grouped["value"].median(), "sources": grouped["id"].agg(";".join)})
    return frame.rename_axis("period").reset_index().sort_values("period", ignore_index=True)
