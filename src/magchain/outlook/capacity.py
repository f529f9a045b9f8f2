"""Capacity realisation: from capacity and status records to tonnes per facility and year.

Rules (their numbers are factors in factors.csv, not constants here):
- capacity kinds are kept apart: nameplate and design figures are built capacity, an actual
  output is production in its year, and a target is neither: it counts only from its stated
  year, as a plan, and a target whose year has passed without a source saying it was built
  is left out and listed;
- an operating plant runs at its built capacity times its own stated operating rate (its
  latest output over its capacity) or, without one, the utilisation factor; a plant known
  only by an output produces that output;
- a plant under construction, planned or announced starts in its stated first year and ramps
  linearly to nameplate over the stage's ramp years; without a stated first year it is left out
  and listed as such;
- an expansion adds the difference between its target and today's capacity (for a company
  total, today's capacity of the company's other plants at that stage) from its stated year;
- idle, stalled, cancelled and closed plants add nothing;
- national statistics (full-year figures only: a quota batch or a half year is not a year)
  stand for what the listed plants of a country do not cover, year by year, at every stage:
  the remainder of the statistic over the listed plants' production that year is carried as one
  'national statistic' unit, so a country's total is neither understated nor double counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from magchain.coerce import is_blank
from magchain.model.blocks import pack
from magchain.model.conversions import MATERIAL_KIND, Converter
from magchain.model.core import realise

RUNNING = {"operating"}
PENDING = {"construction", "planned", "announced"}
STOPPED = {"idle", "stalled", "cancelled", "closed"}
BUILT = {"nameplate", "design", "feed_throughput"}  # a figure without a stated kind counts as built
OUTPUT = "actual_output"
TARGET = "target"
UNSIZED = "no capacity figure in a convertible material"
_FULL_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Statistic:
    """A national statistic that stands for a stage: its metric, material and what it measures."""

    metric: str
    stage: str
    material: str
    measures: str  # "output" (production in the year) or "capacity"
    units: str = r"^(t|tonnes|metric tons)\b(?!.*%)"  # units of the figures that count, as a pattern


# In order of preference within a stage: the first metric a country has is used.
STATISTICS = (
    Statistic("mine_production", "mine", "REO", "output"),
    Statistic("ndpr_oxide_production", "separation", "NdPr_oxide", "output"),
    Statistic("separation_quota", "separation", "separated_REO", "output"),
    Statistic("ndpr_metal_production", "metal", "NdPr_metal", "output"),
    Statistic("ndfeb_alloy_production", "alloy", "NdFeB_alloy", "output"),
    # NdFeB only, sintered (or unqualified) NdFeB: bonded powder, SmCo and 'all permanent magnets' are other things
    Statistic("magnet_production", "magnet", "magnet", "output", r"^t (sintered )?NdFeB( blanks)?$"),
    Statistic("magnet_capacity", "magnet", "magnet", "capacity", r"^t(/yr)? (sintered )?NdFeB( blanks)?$"),
    Statistic("recycled_ndpr_oxide_production", "recycling", "NdPr_oxide", "output"),
)


@dataclass(frozen=True)
class Block:
    """A piece of capacity that starts in a year and ramps to its size.

    A national statistic's block has year-by-year ``profile`` (capacity) and ``output_profile``
    (production) instead of one size; between and beyond its years the nearest year holds.
    """

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
    operating_rate: float | None = None  # the plant's own output over its capacity, where both are stated
    profile: tuple[tuple[int, float], ...] | None = None
    output_profile: tuple[tuple[int, float], ...] | None = None
    status: str | None = None  # the facility's status; None for a national statistic
    planned: bool = False  # a plan (a pending plant or an expansion): its start and existence are uncertain


@dataclass(frozen=True)
class Exclusion:
    facility_id: str
    record_id: str
    reason: str
    status: str | None = None


def plan(chain, delay_years: float = 0.0) -> tuple[list[Block], list[Exclusion]]:
    """Capacity blocks of every facility and national statistic, and the records left out."""
    facilities = chain.tables["facilities"].set_index("id")
    records = chain.tables["capacities"]
    now = reference_year(chain)
    blocks, excluded = [], []
    for facility_id, group in records.groupby("facility_id", sort=True):
        facility = facilities.loc[facility_id]
        made, left = _facility_blocks(chain, facility_id, facility, group, delay_years, now)
        blocks += made
        excluded += left
    converter = Converter.central(chain)
    fed = _fed_blocks(chain, blocks, converter)
    sized_by_feed = {b.facility_id for b in fed}
    blocks += fed
    excluded = [e for e in excluded if not (e.reason == UNSIZED and e.facility_id in sized_by_feed)]
    blocks += _statistic_blocks(chain, blocks, converter)
    return blocks, excluded


def reference_year(chain) -> int:
    """The year the chain stands in: its as-of year, or the newest year any record knows of."""
    if chain.as_of:
        return int(str(chain.as_of)[:4])
    known = pd.concat([chain.tables[name]["known_from"] for name in ("capacities", "figures")]).dropna()
    return int(str(known.max())[:4]) if len(known) else 0


def _ordered(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """Rows sorted on ``keys``, a missing value before any other (pandas' na_position='first')."""
    return sorted(rows, key=lambda r: tuple((0, 0) if is_blank(r[k]) else (1, r[k]) for k in keys))


def _latest(rows: list[dict]) -> dict | None:
    return _ordered(rows, ("known_from", "year", "id"))[-1] if rows else None


def _newest_figure(rows: list[dict]) -> dict | None:
    """The figure about the latest year, the newest knowledge of it first."""
    return _ordered(rows, ("year", "known_from", "id"))[-1] if rows else None


def _kind(record) -> str:
    kind = record["capacity_type"]
    return "nameplate" if is_blank(kind) else kind


def _due(record: dict) -> tuple:
    """An expansion's order: by its year (else its first year), undated ones last, then by id."""
    due = record["first_year"] if is_blank(record["year"]) else record["year"]
    return ((1, 0) if is_blank(due) else (0, due)), record["id"]


def _facility_blocks(chain, facility_id, facility, group, delay, now) -> tuple[list[Block], list[Exclusion]]:
    rows = group.to_dict("records")  # a plant has a few records: plain dicts are far cheaper to sift than frames
    existing = [r for r in rows if is_blank(r["phase"]) or r["phase"] == "existing"]
    status_record = _latest(existing)
    if status_record is None:
        return [], []
    status = status_record["status"]
    first_years = [r for r in existing if not is_blank(r["first_year"])]
    first_year = _latest(first_years)["first_year"] if first_years else None
    sized = [r for r in existing if not is_blank(r["capacity_t_per_yr"]) and _convertible(r, facility["stage"])]
    built = _newest_figure([r for r in sized if _kind(r) in BUILT])
    output = _newest_figure([r for r in sized if _kind(r) == OUTPUT])
    expansions = [r for r in rows if r["phase"] == "expansion"] + [r for r in sized if _kind(r) == TARGET]
    common = {"facility_id": facility_id, "country": _text(facility["country"]), "company_id": facility["company_id"],
              "stage": facility["stage"], "ore_share": _ore_share(chain, facility_id), "status": status}
    if status in STOPPED:
        return [], [Exclusion(facility_id, status_record["id"], f"status {status}")]
    capacity_record = built if built is not None else output
    if capacity_record is None and not expansions:
        return [], [Exclusion(facility_id, status_record["id"], UNSIZED, status)]
    start, reason = _start(status, first_year, delay)
    if reason:
        return [], [Exclusion(facility_id, (capacity_record if capacity_record is not None else status_record)["id"], reason)]
    stated_dytb = _latest([r for r in sized if not is_blank(r["dytb_oxide_t_per_yr"])])
    base = _base_block(facility_id, capacity_record, output, expansions, start, common, stated_dytb)
    blocks, excluded = ([base] if base.tonnes > 0 else []), []
    reached = None  # targets are levels, not increments: each adds only what it goes beyond the last
    for expansion in sorted(expansions, key=_due):
        block, exclusion = _expansion_block(chain, expansion, base, common, delay, now, status, reached)
        if block:
            blocks.append(block)
            reached = float(expansion["capacity_t_per_yr"])
        excluded += [exclusion] if exclusion else []
    if not blocks and status in RUNNING:  # running, but known only by targets that lapsed: size unknown
        excluded.append(Exclusion(facility_id, status_record["id"], UNSIZED, status))
    return blocks, excluded


def _convertible(record, stage: str) -> bool:
    """Whether a capacity figure can be put on an element basis: throughput of unstated content cannot."""
    material = record["material"]
    if material not in MATERIAL_KIND:
        return False
    if material == "feed":
        return stage == "recycling" and "magnet" in str(record["unit_as_published"] or "")
    return True


def _base_block(facility_id, capacity_record, output, expansions, start, common, stated_dytb=None) -> Block:
    """Today's built capacity (or, without one, its stated output); a plant known only by a target starts from zero.

    Its Dy+Tb is the latest record that splits it out, since newer records often give the total only."""
    if capacity_record is None:
        first = expansions[0]
        return Block(unit_id=facility_id, material=first["material"], tonnes=0.0, start=start, ramps=True,
                     is_output=False, record_id=first["id"], planned=True, **common)
    tonnes = float(capacity_record["capacity_t_per_yr"])
    is_output = _kind(capacity_record) == OUTPUT
    rate = None
    if not is_output and output is not None and output["material"] == capacity_record["material"] and tonnes > 0:
        rate = min(float(output["capacity_t_per_yr"]) / tonnes, 1.0)
    dytb = stated_dytb["dytb_oxide_t_per_yr"] if stated_dytb is not None else None
    return Block(unit_id=facility_id, material=capacity_record["material"], tonnes=tonnes,
                 start=start, ramps=start > -np.inf, is_output=is_output, record_id=capacity_record["id"],
                 dytb_tonnes=0.0 if dytb is None or pd.isna(dytb) else float(dytb), dytb_material="DyTb_oxide",
                 operating_rate=rate, planned=common["status"] in PENDING, **common)


def _start(status: str, first_year, delay: float) -> tuple[float, str | None]:
    if status in RUNNING:
        return (-np.inf if first_year is None or pd.isna(first_year) else float(first_year)), None
    if first_year is None or pd.isna(first_year):
        return 0.0, f"status {status} without a stated first year"
    return float(first_year) + delay, None


def _expansion_block(chain, expansion, base: Block, common: dict, delay, now, status,
                     reached: float | None) -> tuple[Block | None, Exclusion | None]:
    year = expansion["year"] if not pd.isna(expansion["year"]) else expansion["first_year"]
    if pd.isna(year):
        if not (status in PENDING and base.tonnes == 0):
            return None, Exclusion(base.facility_id, expansion["id"], "target without a stated year")
        due = base.start  # a plan's size, due when the plant starts (its delay already counted)
    else:
        due = max(float(year) + delay, base.start)
    if status in RUNNING and float(year) < now:
        return None, Exclusion(base.facility_id, expansion["id"],
                               f"target for {int(year)} not confirmed as built by a source")
    if expansion["material"] != base.material:
        return None, Exclusion(base.facility_id, expansion["id"], "target in another material than today's capacity")
    today = base.tonnes
    if expansion["scope"] == "company_total":
        today = _company_capacity(chain, base.company_id, base.stage, base.material, exclude=base.facility_id) + (
            0.0 if base.is_output else base.tonnes)
    increment = float(expansion["capacity_t_per_yr"]) - max(today, reached or 0.0)
    if increment <= 0:
        return None, Exclusion(base.facility_id, expansion["id"], "target not above today's capacity or an earlier target")
    dytb = expansion.get("dytb_oxide_t_per_yr")
    dytb = 0.0 if dytb is None or pd.isna(dytb) else float(dytb) * increment / float(expansion["capacity_t_per_yr"])
    block = Block(unit_id=base.facility_id, material=base.material, tonnes=increment,
                  start=due, ramps=True, is_output=False, record_id=expansion["id"],
                  dytb_tonnes=dytb, dytb_material="DyTb_oxide", planned=True, **common)
    return block, None


def _company_capacity(chain, company_id, stage, material, exclude) -> float:
    """Largest stated built capacity of the company's other plants at a stage."""
    facilities = chain.tables["facilities"]
    others = set(facilities[(facilities["company_id"] == company_id) & (facilities["stage"] == stage)]["id"]) - {exclude}
    records = chain.tables["capacities"]
    mine = records[records["facility_id"].isin(others) & (records["material"] == material)
                   & (records["capacity_type"].fillna("nameplate") != TARGET)]
    return float(mine.groupby("facility_id")["capacity_t_per_yr"].max().sum()) if len(mine) else 0.0


def _ore_share(chain, facility_id) -> float | None:
    name = chain.ore_shares.get(facility_id)
    if not name:
        return None
    values = chain.parameter(name)["value"].dropna()
    return float(values.iloc[-1]) / 100 if len(values) else None


def _text(value):
    return None if is_blank(value) else value


# -- plants sized by the plant they feed ---------------------------------------------------------
def _fed_blocks(chain, blocks: list[Block], converter: Converter) -> list[Block]:
    """In-house metal and alloy lines that a source says are sized to feed a named magnet plant
    (integration.csv): each gets the capacity its magnet plant needs, in its own material."""
    table = chain.integration
    if table.empty:
        return []
    facilities = chain.tables["facilities"].set_index("id")
    out = []
    for _, row in table.iterrows():
        feeder, fed = row["facility_id"], row["feeds"]
        if feeder not in facilities.index or any(b.facility_id == feeder for b in blocks):
            continue  # a stated capacity of its own comes first
        stage = facilities.loc[feeder, "stage"]
        material = "NdPr_metal" if stage == "metal" else "NdFeB_alloy"
        per_magnet = converter.ndpr_element(1.0, "magnet") / converter.downstream_yield(stage) / converter.ndpr_element(1.0, material)
        for block in (b for b in blocks if b.facility_id == fed and b.stage == "magnet"):
            out.append(Block(unit_id=feeder, facility_id=feeder, country=block.country, company_id=block.company_id,
                             stage=stage, material=material, tonnes=block.tonnes * per_magnet, start=block.start,
                             ramps=block.ramps, is_output=block.is_output, record_id=block.record_id,
                             operating_rate=block.operating_rate, status=block.status, planned=block.planned))
    return out


# -- national statistics -------------------------------------------------------------------------
def _statistic_series(figures: pd.DataFrame, statistic: Statistic) -> dict[str, dict[int, tuple[float, str]]]:
    """Country -> {year: (value, figure id)} of one statistic, full years only, newest vintage of each year."""
    rows = figures[(figures["metric"] == statistic.metric) & figures["value"].notna()
                   & figures["country"].str.fullmatch(r"[A-Z]{2}")
                   & figures["year"].astype(str).str.fullmatch(_FULL_YEAR.pattern)
                   & figures["unit"].astype(str).str.match(statistic.units)]
    out: dict[str, dict[int, tuple[float, str]]] = {}
    for _, row in rows.sort_values(["known_from", "id"], na_position="first").iterrows():
        out.setdefault(row["country"], {})[int(row["year"])] = (float(row["value"]), row["id"])
    return out


def _statistic_blocks(chain, blocks: list[Block], converter: Converter) -> list[Block]:
    """The part of each country's national statistics that its listed facilities do not cover, year by year."""
    figures = chain.tables["figures"]
    chosen: dict[tuple[str, str, str], tuple[Statistic, dict]] = {}
    for statistic in STATISTICS:
        for country, series in _statistic_series(figures, statistic).items():
            chosen.setdefault((country, statistic.stage, statistic.measures), (statistic, series))
    listed = _ListedNdpr(blocks, sorted({y for _, series in chosen.values() for y in series}), converter)
    out = []
    for (country, stage, measures), (statistic, series) in sorted(chosen.items()):
        if measures == "capacity":
            continue  # paired with the stage's output below
        capacity = chosen.get((country, stage, "capacity"))
        years = sorted(series)
        material = chain.statistic_material(country, statistic.metric, statistic.material)
        per_t = converter.ndpr_element(1.0, material)
        listed_output = listed.of(country, stage, years, "production")
        output_left = [max(series[y][0] - listed_output[i] / per_t, 0.0) for i, y in enumerate(years)]
        profile = tuple(zip(years, output_left))
        if capacity is not None:
            cap_statistic, cap_series = capacity
            cap_per_t = converter.ndpr_element(1.0, chain.statistic_material(country, cap_statistic.metric,
                                                                             cap_statistic.material))
            cap_years = sorted(cap_series)
            listed_capacity = listed.of(country, stage, cap_years, "capacity")
            cap_left = [max(cap_series[y][0] * cap_per_t - listed_capacity[i], 0.0) / per_t
                        for i, y in enumerate(cap_years)]
            cap_profile = tuple(zip(cap_years, cap_left))
        else:
            cap_profile = profile
        if max(output_left + [v for _, v in cap_profile]) <= 0:
            continue
        record = series[years[-1]][1]
        out.append(Block(unit_id=f"statistic:{country}:{stage}", facility_id=None, country=country, company_id=None,
                         stage=stage, material=material, tonnes=0.0, start=-np.inf, ramps=False,
                         is_output=True, record_id=record, profile=cap_profile, output_profile=profile))
    return out


class _ListedNdpr:
    """Contained NdPr of the listed plants' capacity and production, by country, stage and year
    (all blocks realised once, in the years any national statistic states)."""

    def __init__(self, blocks: list[Block], years: list[int], converter: Converter):
        self.country = np.array([b.country for b in blocks], dtype=object)
        self.stage = np.array([b.stage for b in blocks], dtype=object)
        self.years = list(years)
        if not blocks or not years:
            empty = np.zeros((len(blocks), len(years)))
            self.ndpr = {"capacity": empty, "production": empty}
            return
        factors = xr.Dataset({name: xr.DataArray(value) for name, value in converter.f.items()})
        realised = realise(pack(blocks), factors, self.years)
        per_t = (realised["ndpr_t"] / realised["capacity_t"].where(realised["capacity_t"] > 0)).fillna(0.0)
        self.ndpr = {what: (realised[f"{what}_t"] * per_t).transpose("block", "year").values
                     for what in ("capacity", "production")}

    def of(self, country: str, stage: str, years: list[int], what: str) -> np.ndarray:
        rows = (self.country == country) & (self.stage == stage)
        columns = [self.years.index(y) for y in years]
        return self.ndpr[what][rows][:, columns].sum(axis=0)
