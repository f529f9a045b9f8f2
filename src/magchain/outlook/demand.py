"""Magnet demand by region and year: a sourced base-year total grown along a sourced path.

Presets (base, high, low) live in demand.csv; each row names the registry parameters its base
value and growth rest on. A top-down override ('9%/yr' or 'x5@2033') replaces a preset's path.
Element demand is magnet demand times the magnet composition factors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from magchain.errors import MagchainError

PRESETS = ("base", "high", "low")
_RATE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*(?:/\s*yr)?\s*$")
_MULTIPLE = re.compile(r"^\s*x\s*(\d+(?:\.\d+)?)\s*@\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Growth:
    """A growth path: an annual rate, or a multiple of the base reached in a year."""

    rate: float  # per year, as a fraction

    @classmethod
    def parse(cls, text: str, base_year: int) -> Growth:
        rate = _RATE.match(text or "")
        if rate:
            return cls(float(rate.group(1)) / 100)
        multiple = _MULTIPLE.match(text or "")
        if multiple:
            factor, year = float(multiple.group(1)), int(multiple.group(2))
            if year <= base_year or factor <= 0:
                raise MagchainError(f"Growth '{text}': the year must come after the base year {base_year} "
                                    "and the multiple be positive.")
            return cls(factor ** (1 / (year - base_year)) - 1)
        raise MagchainError(f"Growth '{text}' is not understood. Write an annual rate like '9%/yr' "
                            "or a multiple by a year like 'x5@2033'.")


@dataclass(frozen=True)
class DemandPath:
    region: str
    preset: str
    base_year: int
    base_magnet_t: float
    growth: Growth
    growth_text: str
    sources: tuple[str, ...]
    notes: str

    def magnets(self, years: np.ndarray) -> np.ndarray:
        return self.base_magnet_t * (1 + self.growth.rate) ** (years - self.base_year)


def demand_path(chain, region: str, preset: str = "base", growth: str | None = None) -> DemandPath | None:
    """The region's demand path, or None when no sourced base figure exists for it."""
    if preset not in PRESETS:
        raise MagchainError(f"Unknown demand preset '{preset}'. Use one of: {', '.join(PRESETS)}.")
    presets = chain.demand_presets
    rows = presets[(presets["preset"] == preset) & (presets["region"].str.upper() == region.upper())]
    if rows.empty:
        return None
    row = rows.iloc[0]
    base_year = int(row["base_year"])
    base = float(row["base_value"])
    if row["base_unit"].strip() == "t RE":  # rare-earth content -> magnet tonnes
        base /= chain.factor("re_wt_magnet").value
    growth_text = growth or row["growth"]
    sources = tuple(s for s in f"{row['base_sources']};{'' if growth else row['growth_sources']}".split(";") if s)
    _check_sources(chain, sources, region, preset)
    if any(chain.parameter(name).empty for name in sources):
        return None  # recorded, but not yet known on the chain's as-of date
    return DemandPath(region.upper(), preset, base_year, base, Growth.parse(growth_text, base_year), growth_text,
                      sources, row.get("notes", ""))


def _check_sources(chain, names, region, preset) -> None:
    missing = [n for n in names if n not in chain.parameters_ever]
    if missing:
        raise MagchainError(f"demand.csv, preset '{preset}' for {region}: parameter(s) {', '.join(missing)} "
                            "are not in the registry. Add them with their source or fix the names.")


def demand_table(path: DemandPath, years: np.ndarray, chain) -> pd.DataFrame:
    magnets = path.magnets(years)
    return pd.DataFrame({
        "region": path.region, "year": years, "demand_magnet_eq_t": magnets,
        "demand_ndpr_t": magnets * chain.factor("ndpr_wt_magnet").value,
        "demand_dytb_t": magnets * chain.factor("dytb_wt_magnet").value,
    })
