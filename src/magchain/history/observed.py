"""Observed monthly series from the registry's sourced figures.

China's customs magnet exports are stored as figures: ``magnet_exports`` (country = the exporter)
and ``china_magnet_exports_to_country`` (country = the destination), one row per source and month.
Where two sources give the same month, the median is taken and both stay citable.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

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


@cache
def _prices_csv() -> pd.DataFrame:
    return pd.read_csv(resources.files("magchain") / "data" / "history" / "prices.csv", dtype=str)


@cache
def _terms_csv() -> pd.DataFrame:
    return pd.read_csv(resources.files("magchain") / "data" / "history" / "terms.csv", dtype=str)


def licensing_terms() -> pd.DataFrame:
    """``data/history/terms.csv``: the sourced terms of export-licensing regimes, by id."""
    return _terms_csv().copy()


def observed_prices() -> pd.DataFrame:
    """``data/history/prices.csv`` as published (values as text: ranges stay ranges)."""
    return _prices_csv().copy()


def price_series(element: str, basis: str, product: str = "oxide", unit: str | None = None) -> pd.DataFrame:
    """Observed prices of one element on one named basis (never mixed), from
    ``data/history/prices.csv``: columns period, statistic, value (a range's midpoint), unit, id.
    A basis quoted in several units needs ``unit``."""
    prices = observed_prices()
    rows = prices[(prices["element"] == element) & (prices["basis"] == basis)
                  & prices["product"].str.startswith(product) & ((prices["unit"] == unit) if unit else True)]
    units = set(rows["unit"])
    if len(units) > 1:
        raise InvalidInput(f"prices.csv: {element} on basis {basis} comes in several units ({', '.join(sorted(units))}); "
                           "give each unit its own basis.")
    values = rows["value"].map(midpoint)
    return pd.DataFrame({"period": rows["period"], "statistic": rows["statistic"], "value": values,
                         "unit": rows["unit"], "id": rows["id"]}).reset_index(drop=True)


def midpoint(text: str) -> float:
    """A published value as a number: a range "1,400-1,420" read as its midpoint."""
    low, _, high = str(text).partition("-")
    return (float(low) + float(high)) / 2 if high else float(low)


def months_of(period: str) -> list[str]:
    """The months a period label covers: 'YYYY', 'YYYY-Qn', 'YYYY-MM' or 'YYYY-MM-DD'."""
    if len(period) == 4:
        return [f"{period}-{m:02d}" for m in range(1, 13)]
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return [f"{year}-{m:02d}" for m in range(3 * int(quarter) - 2, 3 * int(quarter) + 1)]
    return [period[:7]]


def quota_months(chain, metric: str = "re_export_quota", exporter: str = "CN") -> dict[str, float]:
    """Monthly quota (t a month) from half-year batches ('YYYY H1', 'YYYY H2'): a batch spread evenly
    over its six months; where sources differ, their median."""
    figures = chain.tables["figures"]
    rows = figures[(figures["metric"] == metric) & (figures["country"] == exporter)
                   & figures["year"].astype(str).str.match(r"^\d{4} H[12]$") & figures["value"].notna()]
    months = {}
    for label, value in rows.groupby(rows["year"].astype(str))["value"].median().items():
        year, half = label.split(" H")
        for m in range(6 * (int(half) - 1) + 1, 6 * int(half) + 1):
            months[f"{year}-{m:02d}"] = float(value) / 6
    return months
