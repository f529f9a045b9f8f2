"""The periodic assessment of a region's NdFeB magnet industrial base, as data.

What the February 2022 fact sheet orders the Department of Commerce to assess every year: the
status and outlook of production through the value chain, self-sufficiency and how likely it is,
the weak links, the plants that matter most (time-to-survive against time-to-recover), exposure
to export controls, prices, and what changed since the last assessment.

Every number is a :class:`Figure` that carries the numbers of its sources in the assessment's
:class:`Bibliography`; a model result cites the sourced inputs it was computed from (the plants
and statistics counted, the demand figures, the factors' sources, the scenario's events). The
writers (HTML, PDF, workbook) only lay these out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from magchain import numbers
from magchain.coerce import as_of_date
from magchain.history.observed import licensing_terms, midpoint, months_of, observed_prices
from magchain.ingest.digest import digest
from magchain.outlook.project import contributions, demand_basis, factor_basis
from magchain.scenario.network import month_index
from magchain.uncertainty import uncertainty
from magchain.vocab import STAGES

EXPOSURE_SCENARIOS = ("china-export-controls-2025", "china-magnet-export-ban-12m", "china-heavy-re-export-ban-12m")
PRICED = ("NdPr", "Dy", "Tb")
PRICE_AGE_MONTHS = 24  # an observed price older than this at the as-of date is history, not the market
PLANTS_SHOWN = 8
SINCE_DAYS = 90  # a quarterly report by default: "since" is the day after the last one
LAST_YEAR = 2035


@dataclass(frozen=True)
class Figure:
    """One number as written, its value and unit, and the numbers of its sources."""

    text: str
    value: float | None
    unit: str
    refs: tuple[int, ...]

    def to_json(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "sources": list(self.refs)}


class Bibliography:
    """Sources numbered in order of first citation, each with the sentences it was cited for."""

    def __init__(self):
        self.entries: list[dict] = []
        self._number: dict[str, int] = {}

    def refs(self, citations: Iterable[dict]) -> tuple[int, ...]:
        numbers_ = []
        for cited in citations:
            if not cited or not cited.get("id"):
                continue
            if cited["id"] not in self._number:
                self.entries.append({k: cited.get(k) for k in ("id", "title", "publisher", "url", "date")}
                                    | {"evidence": []})
                self._number[cited["id"]] = len(self.entries)
            number = self._number[cited["id"]]
            evidence = cited.get("evidence")
            entry = self.entries[number - 1]
            if evidence and evidence not in entry["evidence"] and len(entry["evidence"]) < 3:
                entry["evidence"].append(evidence)
            numbers_.append(number)
        return tuple(sorted(set(numbers_)))


def ranges(refs) -> list[tuple[int, str]]:
    """Source numbers as runs, '1–5', each with the number its link points at."""
    runs: list[list[int]] = []
    for number in sorted(refs):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [(run[0], f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run))) for run in runs]


@dataclass
class Assessment:
    region: str
    as_of: str
    since: str
    years: tuple[int, ...]
    key_year: int
    draws: int
    answer: list[list] = field(default_factory=list)  # sentences: lists of text and Figures
    stages: list[dict] = field(default_factory=list)
    weak_links: list[dict] = field(default_factory=list)
    plants: list[dict] = field(default_factory=list)
    exposure: list[dict] = field(default_factory=list)
    prices: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    series: dict = field(default_factory=dict)  # every outlook year, for the chart: years, demand, capacity by stage
    bibliography: Bibliography = field(default_factory=Bibliography)

    def to_json(self) -> dict:
        def plain(value):
            if isinstance(value, Figure):
                return value.to_json()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        return plain({"region": self.region, "as_of": self.as_of, "since": self.since, "years": list(self.years),
                      "key_year": self.key_year, "draws": self.draws, "answer": self.answer,
                      "stages": self.stages, "weak_links": self.weak_links, "plants": self.plants,
                      "exposure": self.exposure, "prices": self.prices, "changes": self.changes,
                      "caveats": self.caveats, "series": self.series, "sources": self.bibliography.entries})


def assess(service, region: str = "US", as_of: str | None = None, since: str | None = None,
           draws: int = 1000, seed: int = 1, progress=None) -> Assessment:
    """The assessment of ``region`` as known on ``as_of`` (today), with changes since ``since``
    (default: 90 days before); probabilities over ``draws`` Monte Carlo draws."""
    as_of = as_of_date(as_of) or dt.date.today().isoformat()
    since = since or (dt.date.fromisoformat(as_of) - dt.timedelta(days=SINCE_DAYS)).isoformat()
    first = int(as_of[:4])
    years = tuple(sorted({first, first + 2, 2030, LAST_YEAR} & set(range(first, max(LAST_YEAR, first + 5) + 1))))
    key_year = 2030 if 2030 in years else years[-1]
    step = progress or (lambda label: None)
    report = Assessment(region.upper(), as_of, since, years, key_year, draws)
    step("outlook")
    result = service.outlook(region, f"{first}:{years[-1]}", "base", None, as_of)
    report.region = result.region
    step(f"uncertainty ({draws:,} draws)")
    chance = uncertainty(service.chain(as_of), result.region, f"{first}:{years[-1]}", draws=draws, seed=seed)
    _stages(report, result, chance)
    step("plants that matter most")
    _plants(report, service, result)
    step("export-control scenarios")
    _exposure(report, service, result)
    _prices(report, result.chain)
    step("changes since " + since)
    _changes(report, service, result.chain)
    _answer(report, result)
    report.caveats = _caveats(report, result)
    return report


# -- the value chain --------------------------------------------------------------------------------
def _stages(report: Assessment, result, chance) -> None:
    """Capacity, demand, self-sufficiency and its probability per stage and year, the weak links."""
    chain, bib = result.chain, report.bibliography
    demand = demand_basis(chain, result.demand)
    demand_refs = bib.refs(demand["sources"]) if demand else ()
    table = result.table.set_index(["stage", "year"])
    report.series = _series(result)
    for stage in STAGES:
        if stage not in table.index.get_level_values(0):
            continue
        factor_refs = bib.refs(c for f in factor_basis(chain, stage) for c in f["sources"] or [_assumed(f)])
        cells = {}
        for year in report.years:
            row = table.loc[(stage, year)]
            # a stage not yet running in ``year`` cites the plants that will run it
            capacity_refs = bib.refs(c for part in contributions(result, stage, year) for c in part["sources"]) \
                or bib.refs(c for part in contributions(result, stage, report.years[-1]) for c in part["sources"])
            known = bool(row["capacity_known"])
            probability = chance.year(year)["stages"][stage]["p_self_sufficient"]
            cells[year] = {
                "capacity": _tonnes(row["capacity_magnet_eq_t"] if known else None, capacity_refs),
                "demand": _tonnes(row["demand_magnet_eq_t"], demand_refs),
                "share": _percent(row["self_sufficiency"], capacity_refs + demand_refs),
                "probability": _percent(probability, capacity_refs + demand_refs + factor_refs),
                "weak": bool(row["weak_link"]),
            }
            if row["weak_link"]:
                report.weak_links.append({"year": year, "stage": stage,
                                          "gap": _tonnes(row["gap_t"], capacity_refs + demand_refs)})
        report.stages.append({"stage": stage, "cells": cells, "unsized": int(row["unsized_plants"] or 0)})


def _series(result) -> dict:
    """Magnet-equivalent capacity per stage (None where unknown) and demand, for every year."""
    table = result.table.sort_values("year")
    years = sorted(int(y) for y in table["year"].unique())
    magnet = table[table["stage"] == "magnet"].set_index("year")
    capacity = {}
    for stage, rows in table.groupby("stage", sort=False):
        rows = rows.set_index("year")
        capacity[stage] = [float(rows.loc[y, "capacity_magnet_eq_t"]) if rows.loc[y, "capacity_known"] else None
                           for y in years]
    return {"years": years, "demand": [_plain(magnet.loc[y, "demand_magnet_eq_t"]) for y in years],
            "capacity": capacity}


def _plain(value) -> float | None:
    return float(value) if numbers.known(value) else None


def _tonnes(value, refs) -> Figure:
    value = float(value) if numbers.known(value) else None
    return Figure(numbers.tonnes(value), value, "t", tuple(sorted(set(refs))) if value is not None else ())


def _percent(share, refs) -> Figure:
    share = float(share) if numbers.known(share) else None
    return Figure(numbers.percent(share), share, "share", tuple(sorted(set(refs))) if share is not None else ())


# -- plants and exporters -------------------------------------------------------------------------
def _plants(report: Assessment, service, result) -> None:
    """The nodes whose loss the region survives the shortest, against the time to replace them."""
    chain, bib = result.chain, report.bibliography
    table = service.resilience(report.region, "baseline", report.as_of).sort_values("margin_months")
    demand = demand_basis(chain, result.demand)
    demand_refs = bib.refs(demand["sources"]) if demand else ()
    horizon = float(table["tts_months"].max())
    for _, row in table.head(PLANTS_SHOWN).iterrows():
        node_refs = bib.refs(_node_sources(service, row["node"], row["kind"], report))
        ttr_refs = bib.refs(_factor_sources(chain, f"ttr_months_{'facility' if row['kind'] == 'facility' else 'country'}"))
        tts = float(row["tts_months"])
        report.plants.append({
            "node": row["node"], "kind": row["kind"], "name": _node_name(service, row["node"], row["kind"]),
            "tts": Figure(numbers.months(tts, bool(row["tts_censored"]), horizon), tts, "months",
                          tuple(sorted(set(node_refs + demand_refs)))),
            "ttr": Figure(numbers.months(row["ttr_months"]), float(row["ttr_months"]), "months", ttr_refs),
            "needs_mitigation": bool(row["needs_mitigation"]),
        })


def _node_sources(service, node: str, kind: str, report: Assessment) -> list[dict]:
    if kind == "facility":
        return service.facility(node, report.as_of)["sources"]
    country = service.outlook(node, f"{report.key_year}:{report.key_year}", "base", None, report.as_of)
    return [c for part in contributions(country, "magnet", report.key_year) for c in part["sources"]]


def _node_name(service, node: str, kind: str) -> str:
    return service.facility(node)["name"] if kind == "facility" else f"{node} (all its magnet exports)"


def _factor_sources(chain, name: str) -> list[dict]:
    """The sources of a model factor, or the factor itself cited as an assumption where it has none."""
    factor = chain.factor(name)
    cited = [chain.cite(r["source_id"], r.get("evidence")) for source in factor.sources
             for _, r in chain.parameter(source).iterrows()]
    return cited or [_assumed({"factor": name, "basis": factor.basis})]


def _assumed(factor: dict) -> dict:
    """An unsourced factor as an entry of its own, so the reader sees the number rests on an assumption."""
    return {"id": f"assumption:{factor['factor']}", "title": f"magchain assumption '{factor['factor']}'",
            "publisher": "magchain, data/outlook/factors.csv", "url": None, "date": None,
            "evidence": factor.get("basis")}


# -- export controls --------------------------------------------------------------------------------
def _exposure(report: Assessment, service, result) -> None:
    """Per export-control scenario: the region's shortfall beyond the baseline, with the baseline's
    own beside it, its time-to-survive and (where paid) the price floor's cost."""
    bib = report.bibliography
    demand = demand_basis(result.chain, result.demand)
    demand_refs = bib.refs(demand["sources"]) if demand else ()
    for name in EXPOSURE_SCENARIOS:
        run = service.scenario(name)
        event_refs = bib.refs(_scenario_sources(service, run.scenario, report.as_of))
        refs = tuple(sorted(set(event_refs + demand_refs)))
        rows = run.by_region()
        rows = rows[rows["region"] == report.region]
        if rows.empty:
            continue
        demand_t = float(rows["demand_t"].sum())
        extra = float(rows["extra_t"].sum())
        tts = run.tts_months.get(report.region)
        periods = len(run.network.periods)
        entry = {"scenario": name, "title": run.scenario.title or name, "period": f"{run.scenario.base.start} to "
                 f"{run.scenario.base.end}",
                 "extra": _tonnes(extra, refs), "baseline": _tonnes(float(rows["baseline_shortfall_t"].sum()), refs),
                 "share": _percent(extra / demand_t if demand_t > 0 else None, refs),
                 "tts": Figure(numbers.months(tts, report.region in run.tts_censored, periods), tts, "months",
                               refs)}
        fiscal = float(run.fiscal["exposure_usd"].sum()) if len(run.fiscal) else 0.0
        if fiscal > 0:
            entry["fiscal"] = Figure(numbers.money(fiscal), fiscal, "USD", refs)
        report.exposure.append(entry)


def _scenario_sources(service, scenario, as_of: str) -> list[dict]:
    """The citations behind a scenario's events: each ``source`` names registry events, sources
    or licensing terms (``data/history/terms.csv``), separated by ';'."""
    events = {e["id"]: e for e in service.events(as_of=as_of)}
    terms = licensing_terms().set_index("id")
    chain = service.chain(as_of)
    known_sources = set(chain.tables["sources"]["id"])
    cited = []
    for event in scenario.events:
        for token in str(getattr(event, "source", None) or "").split(";"):
            token = token.split("(")[0].strip()
            if token in events:
                cited += events[token]["sources"]
            elif token in terms.index:
                cited.append(chain.cite(terms.loc[token, "source_id"], terms.loc[token, "evidence"]))
            elif token in known_sources:
                cited.append(chain.cite(token))
    return cited


# -- prices ---------------------------------------------------------------------------------------
def _prices(report: Assessment, chain) -> None:
    """The latest observed price of NdPr, Dy and Tb oxide on each basis quoted in the last two years."""
    prices = observed_prices()
    horizon = month_index(report.as_of[:7]) - PRICE_AGE_MONTHS
    for (element, basis), rows in prices[prices["element"].isin(PRICED)].groupby(["element", "basis"]):
        rows = rows[rows["product"].str.startswith("oxide") & (rows["period"].str[:10] <= report.as_of)]
        rows = rows[[month_index(months_of(p)[-1]) >= horizon for p in rows["period"]]]
        if rows.empty:
            continue
        latest = rows.sort_values("period").iloc[-1]
        value = midpoint(latest["value"])
        refs = report.bibliography.refs([chain.cite(latest["source_id"], _text(latest["evidence"]))])
        report.prices.append({"element": element, "basis": basis.replace("_", " "), "period": latest["period"],
                              "statistic": latest["statistic"],
                              "price": Figure(numbers.price(value, latest["unit"]), value, latest["unit"], refs)})


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


# -- what changed ---------------------------------------------------------------------------------
def _changes(report: Assessment, service, chain) -> None:
    """Registry events dated since the last report, and facts read from documents since then."""
    bib = report.bibliography
    for event in service.events(since=report.since, as_of=report.as_of):
        amount = None
        if numbers.known(event["magnitude"]):
            amount = Figure(f"{event['magnitude']:,.6g} {event['unit'] or ''}".strip(), float(event["magnitude"]),
                            event["unit"] or "", bib.refs(event["sources"]))
        report.changes.append({"date": event["date"], "what": event["description"], "kind": event["kind"],
                               "amount": amount, "refs": bib.refs(event["sources"]), "review": "in the registry"})
    news = digest(service.store, report.since)
    for section in news["sections"]:
        for item in section["items"]:
            refs = bib.refs([chain.cite(item["source_id"], item["evidence"])])
            amount = None
            if item["amount"]:
                amount = Figure(item["amount"], None, "", refs)
            report.changes.append({"date": item["year"] or "", "what": f"{section['title']}: {item['who']}",
                                   "kind": item["kind"], "amount": amount, "refs": refs,
                                   "review": "accepted" if item["review"] == "accepted" else "awaiting review"})


# -- the answer first -------------------------------------------------------------------------------
def _answer(report: Assessment, result) -> None:
    year, region = report.key_year, report.region
    magnet = next((s for s in report.stages if s["stage"] == "magnet"), None)
    if magnet:
        cell = magnet["cells"][year]
        report.answer.append([f"{region} in {year}: its own magnet capacity is ", cell["capacity"], " against demand of ",
                              cell["demand"], " (", cell["share"], " self-sufficient); the chance that capacity meets demand is ",
                              cell["probability"], f" over {report.draws:,} draws."])
    weak = [w for w in report.weak_links if w["year"] == year]
    if weak:
        report.answer.append([f"The weak link in {year} is the {weak[0]['stage']} stage, short by ", weak[0]["gap"],
                              " magnet-equivalent."])
    else:
        report.answer.append([f"No stage is short of {region}'s own demand in {year}."])
    controls = next((e for e in report.exposure if e["scenario"] == EXPOSURE_SCENARIOS[0]), None)
    if controls:
        report.answer.append(["Under China's 2025 export licensing (as modelled), ", region, " is short ",
                              controls["extra"], " beyond the baseline (", controls["share"],
                              " of its demand) and runs short after ", controls["tts"], "."])
    exposed = [p for p in report.plants if p["needs_mitigation"]]
    if exposed:
        names = "; ".join(p["name"] for p in exposed[:3])
        report.answer.append([f"Replacing any of these suppliers takes longer than {region} can last without it: {names}."])


def _caveats(report: Assessment, result) -> list[str]:
    notes = [
        ("Demand is direct demand for magnets (the sourced 'base' preset); magnets inside imported goods "
         "are not counted."),
        ("Capacity is nameplate where a source gives it; plants without a capacity figure are left out and "
         "named on their facility pages."),
        "Scenario shortfalls are beyond the baseline's own shortfall, which is shown beside them.",
        ("Probabilities are the share of Monte Carlo draws over delays, ramp-ups, demand and factor ranges in "
         "which the stage's capacity meets demand."),
    ]
    unknown = [s["stage"] for s in report.stages if s["cells"][report.key_year]["capacity"].value is None]
    if unknown:
        notes.append(f"Capacity unknown in {report.key_year} (no sized plant and no statistic): {', '.join(unknown)}.")
    return notes
