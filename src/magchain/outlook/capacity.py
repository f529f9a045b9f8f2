"""Capacity realisation: from capacity and status records to tonnes per facility and year.

Rules (their numbers are factors in factors.csv, not constants here):
- an operating plant runs at its capacity times utilisation; a plant whose record is an actual
  output produces that output;
- a plant under construction, planned or announced starts in its stated first year and ramps
  linearly to nameplate over the stage's ramp years; without a stated first year it is left out
  and listed as such;
- an expansion adds the difference between its target and today's capacity (for a company
  total, today's capacity of the company's other plants at that stage) from its stated year;
- idle, stalled, cancelled and closed plants add nothing;
- where a national statistic (mine or magnet production, separation quota) exceeds the
  facilities listed for that country, the remainder is carried as one 'national statistic'
  unit, so that a country's total is not understated by missing plants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from magchain.outlook.conversions import MATERIAL_KIND, Converter

RUNNING = {"operating"}
PENDING = {"construction", "planned", "announced"}
STOPPED = {"idle", "stalled", "cancelled", "closed"}
# National statistics that stand for a stage's output: metric -> (stage, material, accepted units)
STATISTICS = {
    "mine_production": ("mine", "REO", {"t REO"}),
    "separation_quota": ("separation", "separated_REO", {"t REO"}),
    "magnet_production": ("magnet", "magnet", {"t NdFeB", "t sintered NdFeB", "t sintered NdFeB blanks"}),
}


@dataclass(frozen=True)
class Block:
    """A piece of capacity that starts in a year and ramps to its size."""

    unit_id: str
    facility_id: str | None
    country: str | None
    company_id: str | None
    stage: str
    material: str
    tonnes: float
    start: float  # first year; -inf for plants running before the horizon
    ramps: bool
    is_output: bool
    record_id: str
    ore_share: float | None = None
    dytb_tonnes: float = 0.0
    dytb_material: str | None = None


@dataclass(frozen=True)
class Exclusion:
    facility_id: str
    record_id: str
    reason: str


def plan(chain, delay_years: float = 0.0) -> tuple[list[Block], list[Exclusion]]:
    """Capacity blocks of every facility and national statistic, and the records left out."""
    facilities = chain.tables["facilities"].set_index("id")
    records = chain.tables["capacities"]
    blocks, excluded = [], []
    for facility_id, group in records.groupby("facility_id", sort=True):
        facility = facilities.loc[facility_id]
        made, left = _facility_blocks(chain, facility_id, facility, group, delay_years)
        blocks += made
        excluded += left
    blocks += _statistic_blocks(chain, blocks, Converter.central(chain))
    return blocks, excluded


def _latest(frame: pd.DataFrame) -> pd.Series | None:
    if frame.empty:
        return None
    return frame.sort_values(["known_from", "year", "id"], na_position="first").iloc[-1]


def _facility_blocks(chain, facility_id, facility, group, delay) -> tuple[list[Block], list[Exclusion]]:
    existing = group[group["phase"].fillna("existing") == "existing"]
    status_record = _latest(existing)
    if status_record is None:
        return [], []
    status = status_record["status"]
    first_years = existing.dropna(subset=["first_year"])
    first_year = _latest(first_years)["first_year"] if len(first_years) else None
    sized = existing.dropna(subset=["capacity_t_per_yr"])
    sized = sized[[_convertible(r, facility["stage"]) for _, r in sized.iterrows()]]
    capacity_record = _latest(sized)
    expansions = group[group["phase"] == "expansion"]
    common = {"facility_id": facility_id, "country": _text(facility["country"]), "company_id": facility["company_id"],
              "stage": facility["stage"], "ore_share": _ore_share(chain, facility_id)}
    if status in STOPPED:
        return [], [Exclusion(facility_id, status_record["id"], f"status {status}")]
    if capacity_record is None and expansions.empty:
        return [], [Exclusion(facility_id, status_record["id"], "no capacity figure in a convertible material")]
    start, reason = _start(status, first_year, delay)
    if reason:
        return [], [Exclusion(facility_id, (capacity_record if capacity_record is not None else status_record)["id"], reason)]
    base = _base_block(facility_id, capacity_record, expansions, start, common)
    blocks, excluded = ([base] if base.tonnes > 0 else []), []
    for _, expansion in expansions.iterrows():
        block, exclusion = _expansion_block(chain, expansion, base, common, delay)
        blocks += [block] if block else []
        excluded += [exclusion] if exclusion else []
    return blocks, excluded


def _convertible(record, stage: str) -> bool:
    """Whether a capacity figure can be put on an element basis: throughput of unstated content cannot."""
    material = record["material"]
    if material not in MATERIAL_KIND:
        return False
    if material == "feed":
        return stage == "recycling" and "magnet" in str(record["unit_as_published"] or "")
    return True


def _base_block(facility_id, capacity_record, expansions, start, common) -> Block:
    """Today's capacity; a plant known only by its expansion target starts from zero."""
    if capacity_record is None:
        first = expansions.iloc[0]
        return Block(unit_id=facility_id, material=first["material"], tonnes=0.0, start=start, ramps=True,
                     is_output=False, record_id=first["id"], **common)
    dytb = capacity_record.get("dytb_oxide_t_per_yr")
    return Block(unit_id=facility_id, material=capacity_record["material"], tonnes=float(capacity_record["capacity_t_per_yr"]),
                 start=start, ramps=start > -np.inf, is_output=capacity_record["capacity_type"] == "actual_output",
                 record_id=capacity_record["id"], dytb_tonnes=0.0 if pd.isna(dytb) else float(dytb),
                 dytb_material="DyTb_oxide", **common)


def _start(status: str, first_year, delay: float) -> tuple[float, str | None]:
    if status in RUNNING:
        return (-np.inf if first_year is None or pd.isna(first_year) else float(first_year)), None
    if first_year is None or pd.isna(first_year):
        return 0.0, f"status {status} without a stated first year"
    return float(first_year) + delay, None


def _expansion_block(chain, expansion, base: Block, common: dict, delay) -> tuple[Block | None, Exclusion | None]:
    year = expansion["year"] if not pd.isna(expansion["year"]) else expansion["first_year"]
    if pd.isna(year):
        return None, Exclusion(base.facility_id, expansion["id"], "expansion without a stated year")
    if expansion["material"] != base.material:
        return None, Exclusion(base.facility_id, expansion["id"], "expansion in another material than today's capacity")
    today = base.tonnes
    if expansion["scope"] == "company_total":
        today = _company_capacity(chain, base.company_id, base.stage, base.material, exclude=base.facility_id) + (
            0.0 if base.is_output else base.tonnes)
    increment = float(expansion["capacity_t_per_yr"]) - today
    if increment <= 0:
        return None, Exclusion(base.facility_id, expansion["id"], "expansion target not above today's capacity")
    block = Block(unit_id=base.facility_id, material=base.material, tonnes=increment, start=float(year) + delay,
                  ramps=True, is_output=False, record_id=expansion["id"], **common)
    return block, None


def _company_capacity(chain, company_id, stage, material, exclude) -> float:
    """Largest stated capacity (today's or a target) of the company's other plants at a stage."""
    facilities = chain.tables["facilities"]
    others = set(facilities[(facilities["company_id"] == company_id) & (facilities["stage"] == stage)]["id"]) - {exclude}
    records = chain.tables["capacities"]
    mine = records[records["facility_id"].isin(others) & (records["material"] == material)]
    return float(mine.groupby("facility_id")["capacity_t_per_yr"].max().sum()) if len(mine) else 0.0


def _ore_share(chain, facility_id) -> float | None:
    name = chain.ore_shares.get(facility_id)
    if not name:
        return None
    values = chain.parameter(name)["value"].dropna()
    return float(values.iloc[-1]) / 100 if len(values) else None


def _text(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _statistic_blocks(chain, blocks: list[Block], converter: Converter) -> list[Block]:
    """The part of each country's national statistic that its listed facilities do not cover."""
    figures = chain.tables["figures"]
    out = []
    for metric, (stage, material, units) in STATISTICS.items():
        rows = figures[(figures["metric"] == metric) & figures["unit"].isin(units) & figures["value"].notna()]
        rows = rows[rows["country"].str.fullmatch(r"[A-Z]{2}")]
        for country, group in rows.groupby("country"):
            latest = group.sort_values(["year", "known_from"]).iloc[-1]
            year = float(str(latest["year"])[:4])
            # Compare on contained NdPr, so that plants stated in another material basis count too.
            running = [b for b in blocks if b.country == country and b.stage == stage and b.start <= year]
            same = sum(b.tonnes for b in running if b.material == material)
            other = sum(converter.ndpr_element(b.tonnes, b.material, b.ore_share) for b in running if b.material != material)
            remainder = float(latest["value"]) - same - other / converter.ndpr_element(1.0, material)
            if remainder > 0:
                out.append(Block(unit_id=f"statistic:{country}:{stage}", facility_id=None, country=country,
                                 company_id=None, stage=stage, material=material, tonnes=remainder, start=-np.inf,
                                 ramps=False, is_output=True, record_id=latest["id"]))
    return out


def realise(chain, blocks: list[Block], years: np.ndarray, converter: Converter) -> pd.DataFrame:
    """Capacity and expected production of every block in every year, in own material, elements and magnet-equivalent."""
    f = converter.f
    rows = []
    for block in blocks:
        ramp_years = f[f"ramp_years_{block.stage}"]
        share = _ramp(years, block.start, ramp_years) if block.ramps else (years >= block.start).astype(float)
        capacity = block.tonnes * share
        production = capacity if block.is_output else capacity * f["utilisation"]
        ndpr_per_t = converter.ndpr_element(1.0, block.material, block.ore_share)
        meq_per_t = converter.magnet_equivalent(ndpr_per_t, block.stage)
        dytb = converter.dytb_element(block.dytb_tonnes, block.dytb_material) * share if block.dytb_tonnes else 0.0 * share
        rows.append(pd.DataFrame({
            "unit_id": block.unit_id, "facility_id": block.facility_id, "country": block.country,
            "company_id": block.company_id, "stage": block.stage, "material": block.material, "year": years,
            "capacity_t": capacity, "production_t": production, "ndpr_t": capacity * ndpr_per_t,
            "dytb_t": dytb, "capacity_magnet_eq_t": capacity * meq_per_t, "production_magnet_eq_t": production * meq_per_t,
            "record_id": block.record_id,
        }))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _ramp(years: np.ndarray, start: float, ramp_years: float) -> np.ndarray:
    """Share of nameplate in each year: a linear ramp reaching 1 in the ramp-years-th year of operation."""
    if ramp_years <= 0:
        return (years >= start).astype(float)
    return np.clip((years - start + 1) / ramp_years, 0.0, 1.0)
