"""Magnet demand by region and year: a sourced base-year total grown along a sourced path.

Presets (base, high, low) live in demand.csv; each row names the registry parameters its base
value and growth rest on. A top-down override ('9%/yr' or 'x5@2033') replaces a preset's path.
Element demand is magnet demand times the magnet composition factors.

Two quantities are kept apart (column ``basis``): **direct** demand is what the region's own
makers of motors, generators and devices buy as magnets (what magnet trade serves), and
**embedded** demand is the magnet content of products sold in the region, imported cars,
motors and electronics included. The world's two are the same total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from magchain.errors import InvalidInput, MagchainError
from magchain.model.conversions import Converter
from magchain.outlook.formula import Evaluated, evaluate
from magchain.outlook.inputs import WORLD

PRESETS = ("base", "high", "low")
BASES = ("direct", "embedded")
_RATE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*(?:/\s*yr)?\s*$")
_MULTIPLE = re.compile(r"^\s*x\s*(\d+(?:\.\d+)?)\s*@\s*(\d{4})\s*$")


MAX_DECLINE, MAX_GROWTH = 0.99, 10.0  # bounds of an annual growth rate (fraction per year)


@dataclass(frozen=True)
class Growth:
    """A growth path: an annual rate, or a multiple of the base reached in a year."""

    rate: float  # per year, as a fraction

    @classmethod
    def parse(cls, text: str, base_year: int) -> Growth:
        rate = _RATE.match(text or "")
        if rate:
            value = float(rate.group(1)) / 100
            if not -MAX_DECLINE <= value <= MAX_GROWTH:
                raise InvalidInput(f"Growth '{text}': an annual rate lies between {-MAX_DECLINE:.0%} and "
                                   f"{MAX_GROWTH:.0%}/yr (a fall of 100 % or more would make demand negative).")
            return cls(value)
        multiple = _MULTIPLE.match(text or "")
        if multiple:
            factor, year = float(multiple.group(1)), int(multiple.group(2))
            if year <= base_year or factor <= 0:
                raise InvalidInput(f"Growth '{text}': the year must come after the base year {base_year} "
                                    "and the multiple be positive.")
            return cls(factor ** (1 / (year - base_year)) - 1)
        raise InvalidInput(f"Growth '{text}' is not understood. Write an annual rate like '9%/yr' "
                            "or a multiple by a year like 'x5@2033'.")


@dataclass(frozen=True)
class DemandPath:
    region: str
    preset: str
    basis: str  # direct or embedded
    base_year: int
    base_magnet_t: float
    growth: Growth
    growth_text: str
    sources: tuple[str, ...]  # registry parameter names the path rests on
    base_figures: tuple[dict, ...]  # the parameter records of the base value
    notes: str

    def magnets(self, years: np.ndarray) -> np.ndarray:
        return self.base_magnet_t * (1 + self.growth.rate) ** (np.asarray(years) - self.base_year)


def demand_path(chain, region: str, preset: str = "base", growth: str | None = None,
                basis: str = "direct") -> DemandPath | None:
    """The region's demand path on a basis, or None when no sourced base figure exists for it.

    The world has one total: asked for its embedded demand, it gives its direct one.
    """
    if preset not in PRESETS:
        raise MagchainError(f"Unknown demand preset '{preset}'. Use one of: {', '.join(PRESETS)}.")
    if basis not in BASES:
        raise MagchainError(f"Unknown demand basis '{basis}'. Use one of: {', '.join(BASES)}.")
    presets = chain.demand_presets
    if region.upper() == WORLD:
        basis = "direct"
    rows = presets[(presets["preset"] == preset) & (presets["region"].str.upper() == region.upper())
                   & (basis_of(presets) == basis)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    where = f"demand.csv, {basis} preset '{preset}' for {region.upper()}, column base"
    base = evaluate(row["base"], chain, where)
    growth_sources = tuple(s for s in ("" if growth else row["growth_sources"]).split(";") if s)
    _check_sources(chain, growth_sources, region, preset)
    if base is None or any(chain.parameter(name).empty for name in growth_sources):
        return None  # recorded, but not yet known on the chain's as-of date
    base_year = int(row["base_year"])
    magnets = base.value
    if row["base_unit"].strip() == "t RE":  # rare-earth content -> magnet tonnes
        magnets /= chain.factor("re_wt_magnet").value
    names = tuple(dict.fromkeys([p["name"] for p in base.parameters if "name" in p] + list(growth_sources)))
    return DemandPath(region.upper(), preset, basis, base_year, magnets, Growth.parse(growth or row["growth"], base_year),
                      growth or row["growth"], names, tuple(base.parameters), row.get("notes", ""))


def basis_of(presets: pd.DataFrame) -> pd.Series:
    """Each preset row's basis; rows of tables written before the column existed are direct."""
    if "basis" not in presets:
        return pd.Series("direct", index=presets.index)
    return presets["basis"].fillna("direct").replace("", "direct")


def _check_sources(chain, names, region, preset) -> None:
    missing = [n for n in names if n not in chain.parameters_ever]
    if missing:
        raise MagchainError(f"demand.csv, preset '{preset}' for {region}: parameter(s) {', '.join(missing)} "
                            "are not in the registry. Add them with their source or fix the names.")


def demand_table(path: DemandPath, years: np.ndarray, chain, embedded: DemandPath | None = None) -> pd.DataFrame:
    """Magnet and element demand per year; Dy+Tb by sector where the sector split is known.

    ``embedded`` adds the region's embedded demand beside its direct demand (NaN when unsourced)."""
    magnets = path.magnets(years)
    sectors = sector_table(chain, path, years)
    dytb = sectors.groupby("year")["demand_dytb_t"].sum().reindex(years).to_numpy()
    return pd.DataFrame({
        "region": path.region, "year": years, "demand_magnet_eq_t": magnets,
        "demand_embedded_magnet_eq_t": embedded.magnets(years) if embedded else np.nan,
        "demand_ndpr_t": magnets * chain.factor("ndpr_wt_magnet").value,
        "demand_dytb_t": dytb,
    })


def regional_consistency(chain, years: np.ndarray, preset: str = "base", basis: str = "direct") -> pd.DataFrame:
    """Named regions' demand set against the world's, year by year: no region above the world,
    and the named regions together leave a rest of the world that is not negative."""
    world = demand_path(chain, WORLD, preset)
    if world is None:
        return pd.DataFrame()
    regions = sorted({r.upper() for r in chain.demand_presets["region"]} - {WORLD})
    paths = [p for p in (demand_path(chain, r, preset, basis=basis) for r in regions) if p is not None]
    world_t = world.magnets(years)
    named = np.sum([p.magnets(years) for p in paths], axis=0) if paths else np.zeros(len(years))
    largest = np.max([p.magnets(years) for p in paths], axis=0) if paths else np.zeros(len(years))
    return pd.DataFrame({"year": years, "basis": basis, "world_t": world_t, "named_regions_t": named,
                         "rest_of_world_t": world_t - named, "largest_region_t": largest,
                         "consistent": (named <= world_t) & (largest <= world_t)})


# -- sectors ------------------------------------------------------------------------------------
OTHER = "other"


@dataclass(frozen=True)
class SectorBase:
    """A sector's demand in its base year, from sectors.csv, with the figures it rests on."""

    region: str
    sector: str
    base_year: int
    basis: str  # "tonnes" of magnet, or "share" of the region's total
    amount: float
    dytb_factor: str
    growth: Growth | None  # None: the region's path
    figures: tuple[dict, ...]
    notes: str
    formula: Evaluated | None = None  # the amount's formula, to re-evaluate with other factor values


def sector_bases(chain, region: str) -> list[SectorBase]:
    """The sectors listed for a region whose figures are known as of the chain's date."""
    table = chain.sectors
    if table.empty:
        return []
    rows = table[table["region"].str.upper() == region.upper()]
    bases = []
    for index, row in rows.iterrows():
        where = f"sectors.csv, row {index + 2} ({row['region']} {row['sector']}), column amount"
        if row["basis"] not in ("tonnes", "share"):
            raise MagchainError(f"sectors.csv, row {index + 2}: basis '{row['basis']}' must be 'tonnes' or 'share'.")
        value = evaluate(row["amount"], chain, where)
        if value is not None:
            chain.factor(row["dytb"])  # a clear error now rather than a KeyError later
            growth = Growth.parse(row["growth"], int(row["base_year"])) if row.get("growth") else None
            bases.append(SectorBase(row["region"].upper(), row["sector"], int(row["base_year"]), row["basis"],
                                    value.value, row["dytb"], growth, tuple(value.parameters), row.get("notes", ""),
                                    value))
    return bases


def sector_table(chain, path: DemandPath, years: np.ndarray, bases: list[SectorBase] | None = None) -> pd.DataFrame:
    """Magnet and Dy+Tb demand by sector and year; 'other' is what the listed sectors leave.

    Listed sectors grow from their own base year along their own growth, else the region's; a 'share' sector is
    that share of the region's total each year. When listed sectors exceed the total, 'other'
    is zero and the excess is kept visible in ``unattributed_t`` (negative).
    """
    years = np.asarray(years)
    total = path.magnets(years)
    frames, listed = [], np.zeros(len(years))
    for base in bases if bases is not None else sector_bases(chain, path.region):
        if base.basis == "share":
            magnets = total * base.amount
        else:
            rate = (base.growth or path.growth).rate
            magnets = base.amount * (1 + rate) ** (years - base.base_year)
        listed += magnets
        frames.append(_sector_frame(chain, path.region, base.sector, years, magnets, base.dytb_factor))
    remainder = total - listed
    other = _sector_frame(chain, path.region, OTHER, years, np.clip(remainder, 0, None), "dytb_wt_magnet")
    other["unattributed_t"] = np.minimum(remainder, 0)
    return pd.concat(frames + [other], ignore_index=True)


def _sector_frame(chain, region, sector, years, magnets, dytb_factor) -> pd.DataFrame:
    return pd.DataFrame({"region": region, "sector": sector, "year": years, "demand_magnet_eq_t": magnets,
                         "demand_ndpr_t": magnets * chain.factor("ndpr_wt_magnet").value,
                         "demand_dytb_t": magnets * chain.factor(dytb_factor).value})


# -- base-year check ----------------------------------------------------------------------------
def _finished_magnets(converter: Converter, tonnes: float, basis: str) -> float:
    """Finished magnets that a published figure stands for: alloy and blanks lose the machining swarf."""
    material = basis.removeprefix("t ").strip()
    if material not in ("magnet", "magnet_blank", "NdFeB_alloy"):
        raise MagchainError(f"published_totals.csv: basis '{basis}' is not one of 't magnet', 't magnet_blank', "
                            "'t NdFeB_alloy'.")
    stage = "alloy" if material == "NdFeB_alloy" else "magnet"
    return converter.magnet_equivalent(converter.ndpr_element(tonnes, material), stage)


def base_year_check(chain, preset: str = "base", tolerance: float = 0.25) -> pd.DataFrame:
    """World demand of the model set against published world totals (published_totals.csv), each
    converted from its own basis (finished magnets, blanks or alloy) to finished magnets.

    A 'point' figure agrees when the model is within ``tolerance`` of it; a 'lower' figure (a
    part of the world, or 'more than') agrees when the model is at least ``1 - tolerance`` of it.
    """
    path = demand_path(chain, WORLD, preset)
    converter = Converter.central(chain)
    rows = []
    for index, row in chain.published_totals.iterrows():
        figure = evaluate(row["figure"], chain, f"published_totals.csv, row {index + 2}, column figure")
        if figure is None or path is None:
            continue
        year = int(row["year"])
        modelled = float(path.magnets(np.array([year]))[0])
        ratio = modelled / _finished_magnets(converter, figure.value, row["basis"])
        agrees = ratio >= 1 - tolerance if row["bound"] == "lower" else abs(ratio - 1) <= tolerance
        record = figure.parameters[0] if figure.parameters else {}
        rows.append({"figure": row["figure"], "year": year, "bound": row["bound"], "published_t": figure.value,
                     "modelled_t": modelled, "ratio": ratio, "agrees": agrees,
                     "source_id": record.get("source_id"), "notes": row.get("notes", "")})
    return pd.DataFrame(rows)
