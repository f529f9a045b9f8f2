"""Questions answered from the registry: who makes what, where, how much, from when, who says so.

A ``Registry`` reads the store once for one knowledge date (``as_of``) and answers from
memory; the tables are small, and every answer carries its sources.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from magchain.errors import InvalidInput, NotFound
from magchain.store import Store
from magchain.tables import TABLE_ORDER, in_force
from magchain.vocab import iso_countries

# Two figures for the same thing differ when they are further apart than this, relatively.
CONFLICT_TOLERANCE = 0.01


@dataclass(frozen=True)
class Conflict:
    table: str
    subject: str
    what: str
    records: tuple[dict, ...]

    def as_dict(self) -> dict:
        return {"table": self.table, "subject": self.subject, "what": self.what, "records": list(self.records)}


def _bounds(record: dict, column: str) -> tuple[float, float]:
    """The range a record allows: '>' and '<' make its value a bound, a stated low-high range counts as given."""
    value = record[column]
    low, high = record.get("low"), record.get("high")
    if low is not None and high is not None:
        return low, high
    comparator = record.get("comparator")
    if comparator == ">":
        return value, float("inf")
    if comparator == "<":
        return float("-inf"), value
    return value, value


def _consistent(ranges: list[tuple[float, float]]) -> bool:
    """Whether all ranges share a point, allowing a relative tolerance for rounding."""
    lowest_high = min(high for _, high in ranges)
    highest_low = max(low for low, _ in ranges)
    return highest_low - lowest_high <= CONFLICT_TOLERANCE * max(abs(highest_low), abs(lowest_high), 1e-9)


def _latest(records: list[dict]) -> dict | None:
    """The record known last (then the one about the latest year)."""
    if not records:
        return None
    return max(records, key=lambda r: (r.get("known_from") or "", r.get("year") or 0, r["id"]))


def _flags(capacity: dict, conflict: bool) -> list[str]:
    """Short warnings a reader needs next to a capacity figure."""
    flags = []
    if capacity.get("scope") in ("company_total", "national"):
        flags.append(capacity["scope"].replace("_", " "))
    if capacity.get("phase") == "expansion":
        flags.append("planned expansion")
    if capacity.get("capacity_type") in ("actual_output", "feed_throughput"):
        flags.append(capacity["capacity_type"].replace("_", " "))
    if conflict:
        flags.append("sources disagree")
    return flags


def _matches(text: str | None, needle: str) -> bool:
    return bool(text) and needle.lower() in text.lower()


class Registry:
    """The registry as known on ``as_of`` (YYYY-MM-DD; None for everything)."""

    def __init__(self, store: Store, as_of: str | None = None):
        self.as_of = as_of
        self.data = {name: store.rows(name, as_of=as_of) for name in TABLE_ORDER}
        self.sources_by_id = {s["id"]: s for s in self.data["sources"]}
        self.companies_by_id = {c["id"]: c for c in self.data["companies"]}
        self.facilities_by_id = {f["id"]: f for f in self.data["facilities"]}
        self.capacities_of = defaultdict(list)  # records that count; the history shows retracted ones too
        self.history_of = defaultdict(list)
        for record in self.data["capacities"]:
            self.history_of[record["facility_id"]].append(record)
        for record in in_force(self.data["capacities"]):
            self.capacities_of[record["facility_id"]].append(record)
        self.citations_of = defaultdict(list)
        for link in self.data["citations"]:
            self.citations_of[(link["record_table"], link["record_id"])].append(link)
        self.effects_of = defaultdict(list)
        for effect in self.data["effects"]:
            self.effects_of[effect["event_id"]].append(effect)
        self._conflicts = self._find_conflicts()

    # -- provenance -------------------------------------------------------------------------
    def cite(self, table_name: str, record: dict) -> list[dict]:
        """The sources of a record: its own, then further citations; each with its evidence."""
        links = [{"source_id": record["source_id"], "evidence": record.get("evidence")}]
        links += self.citations_of.get((table_name, record["id"]), [])
        cited = []
        for link in links:
            source = self.sources_by_id.get(link["source_id"])
            if source is None:  # a citation whose source is newer than as_of
                continue
            cited.append({
                "id": source["id"], "title": source["title"], "publisher": source["publisher"],
                "url": source["url"], "date": source["published"], "evidence": link.get("evidence"),
            })
        return cited

    def _merge_sources(self, parts: list[tuple[str, dict | None]]) -> list[dict]:
        merged: dict[str, dict] = {}
        for table_name, record in parts:
            if record is None:
                continue
            for source in self.cite(table_name, record):
                kept = merged.setdefault(source["id"], source)
                if not kept["evidence"] and source["evidence"]:
                    kept["evidence"] = source["evidence"]
        return list(merged.values())

    # -- companies --------------------------------------------------------------------------
    def resolve_company(self, name: str) -> dict:
        """A company by id, name or alias (case-insensitive), with a hint when there is no match."""
        needle = name.strip().lower()
        for company in self.data["companies"]:
            names = [company["id"], company["name"], *(company.get("aliases") or "").split(";")]
            if needle in (n.strip().lower() for n in names if n):
                return company
        candidates = [c for c in self.data["companies"] if _matches(c["name"], needle)]
        if len(candidates) == 1:
            return candidates[0]
        labels = {c["name"]: c for c in self.data["companies"]}
        hint = difflib.get_close_matches(name, list(labels), n=3, cutoff=0.5)
        if candidates:
            hint = [c["name"] for c in candidates[:5]]
        fix = f" Did you mean: {', '.join(hint)}?" if hint else " See `magchain companies`."
        raise NotFound(f"No company '{name}'.{fix}")

    def family(self, company_id: str) -> set[str]:
        """A company and every company it controls, directly or through others."""
        members, frontier = {company_id}, [company_id]
        while frontier:
            parent = frontier.pop()
            for company in self.data["companies"]:
                if company.get("parent_id") == parent and company["id"] not in members:
                    members.add(company["id"])
                    frontier.append(company["id"])
        return members

    def companies(self) -> list[dict]:
        counts = defaultdict(int)
        for facility in self.data["facilities"]:
            counts[facility["company_id"]] += 1
        return [
            {
                "id": c["id"], "name": c["name"], "country": c["country"],
                "parent": self.companies_by_id[c["parent_id"]]["name"] if c.get("parent_id") in self.companies_by_id else None,
                "aliases": [a for a in (c.get("aliases") or "").split(";") if a],
                "facilities": counts[c["id"]], "sources": self.cite("companies", c),
            }
            for c in sorted(self.data["companies"], key=lambda c: c["name"].lower())
        ]

    def company(self, name: str) -> dict:
        company = self.resolve_company(name)
        members = self.family(company["id"])
        parent = self.companies_by_id.get(company.get("parent_id"))
        return {
            "id": company["id"], "name": company["name"], "country": company["country"],
            "aliases": [a for a in (company.get("aliases") or "").split(";") if a],
            "parent": parent["name"] if parent else None,
            "subsidiaries": sorted(self.companies_by_id[m]["name"] for m in members - {company["id"]}),
            "ownership_notes": company.get("ownership_notes"),
            "facilities": [f for f in self.facilities() if f["company_id"] in members],
            "events": [e for e in self.events() if e["company_id"] in members],
            "sources": self.cite("companies", company),
        }

    # -- facilities -------------------------------------------------------------------------
    def facility_summary(self, facility: dict) -> dict:
        records = self.capacities_of.get(facility["id"], [])
        existing = [r for r in records if r.get("phase") != "expansion"]
        status_record = _latest(existing) or _latest(records)
        capacity_record = _latest([r for r in existing if r["capacity_t_per_yr"] is not None]) or _latest(
            [r for r in records if r["capacity_t_per_yr"] is not None]
        )
        first_years = [r["first_year"] for r in sorted(records, key=lambda r: r.get("known_from") or "") if r["first_year"]]
        company = self.companies_by_id.get(facility["company_id"], {})
        cap = capacity_record or {}
        return {
            "id": facility["id"], "name": facility["name"], "company": company.get("name"),
            "company_id": facility["company_id"], "country": facility["country"], "region": facility["region"],
            "latitude": facility.get("latitude"), "longitude": facility.get("longitude"), "stage": facility["stage"], "status": status_record["status"] if status_record else None,
            "capacity_t_per_yr": cap.get("capacity_t_per_yr"), "material": cap.get("material"),
            "capacity_type": cap.get("capacity_type"), "capacity_year": cap.get("year"),
            "capacity_phase": cap.get("phase"), "capacity_scope": cap.get("scope"), "start_year": first_years[-1] if first_years else None,
            "conflict": any(facility["id"] == c.subject for c in self._conflicts),
            "flags": _flags(cap, any(facility["id"] == c.subject for c in self._conflicts)),
            "sources": self._merge_sources(
                [("capacities", capacity_record), ("capacities", status_record), ("facilities", facility)]
            ),
        }

    def facilities(self, *, stage=None, country=None, status=None, company=None) -> list[dict]:
        if country and country.upper() not in iso_countries():
            raise InvalidInput(f"--country '{country}' is not an ISO 3166-1 alpha-2 code. Use e.g. US, CN, JP, DE.")
        members = self.family(self.resolve_company(company)["id"]) if company else None
        rows = []
        for facility in sorted(self.data["facilities"], key=lambda f: (f["stage"], f["country"] or "", f["id"])):
            if stage and facility["stage"] != stage:
                continue
            if country and (facility["country"] or "").upper() != country.upper():
                continue
            if members is not None and facility["company_id"] not in members:
                continue
            summary = self.facility_summary(facility)
            if status and summary["status"] != status:
                continue
            rows.append(summary)
        return rows

    def facility(self, facility_id: str) -> dict:
        facility = self.facilities_by_id.get(facility_id)
        if facility is None:
            hint = difflib.get_close_matches(facility_id, list(self.facilities_by_id), n=3, cutoff=0.5)
            fix = f" Did you mean: {', '.join(hint)}?" if hint else " See `magchain facilities`."
            known = " known by then" if self.as_of else ""
            raise NotFound(f"No facility '{facility_id}'{known}.{fix}")
        history = sorted(self.history_of.get(facility_id, []), key=lambda r: (r.get("known_from") or "", r["id"]))
        return {
            **self.facility_summary(facility),
            "products": facility["products"], "owner_country": facility["owner_country"],
            "notes": facility["notes"],
            "history": [{**r, "sources": self.cite("capacities", r)} for r in history],
            "events": [e for e in self.events() if e["facility_id"] == facility_id],
            "conflicts": [c.as_dict() for c in self._conflicts if c.subject == facility_id],
        }

    # -- events -----------------------------------------------------------------------------
    def events(self, *, kind=None, actor=None, since=None) -> list[dict]:
        rows = []
        for event in sorted(in_force(self.data["events"]), key=lambda e: (e["date"], e["id"])):
            if kind and event["kind"] != kind:
                continue
            if actor and not (_matches(event.get("actor_country"), actor) or _matches(event["actor"], actor)):
                continue
            if since and event["date"] < since[: len(event["date"])]:
                continue
            rows.append({
                "id": event["id"], "date": event["date"], "kind": event["kind"], "type": event["type"],
                "actor": event["actor"], "actor_country": event["actor_country"], "target": event["target"],
                "target_country": event["target_country"], "company_id": event["company_id"],
                "facility_id": event["facility_id"], "elements": event["elements"],
                "description": event["description"], "magnitude": event["magnitude"], "unit": event["unit"],
                "effective_date": event["effective_date"], "end_date": event["end_date"],
                "status": event["status"],
                "effects": [
                    {k: e[k] for k in ("metric", "period", "destination", "value", "unit")}
                    | {"sources": self.cite("effects", e)}
                    for e in sorted(self.effects_of.get(event["id"], []), key=lambda e: (e["period"], e["id"]))
                ],
                "sources": self.cite("events", event),
            })
        return rows

    # -- sources ----------------------------------------------------------------------------
    def sources(self) -> list[dict]:
        uses = defaultdict(int)
        for name in TABLE_ORDER[1:]:
            for record in self.data[name]:
                uses[record["source_id"]] += 1
        return [
            {**{k: s[k] for k in ("id", "title", "publisher", "url", "published", "confidence", "kind")},
             "records": uses[s["id"]]}
            for s in sorted(self.data["sources"], key=lambda s: s["id"])
        ]

    def source(self, source_id: str) -> dict:
        source = self.sources_by_id.get(source_id)
        if source is None:
            hint = difflib.get_close_matches(source_id, list(self.sources_by_id), n=3, cutoff=0.5)
            fix = f" Did you mean: {', '.join(hint)}?" if hint else " See `magchain sources`."
            raise NotFound(f"No source '{source_id}'.{fix}")
        cited = []
        for name in TABLE_ORDER[1:]:
            for record in self.data[name]:
                if record["source_id"] == source_id:
                    cited.append({"table": name, "id": record.get("id") or record.get("record_id"),
                                  "evidence": record.get("evidence")})
        for link in self.data["citations"]:
            if link["source_id"] == source_id:
                cited.append({"table": link["record_table"], "id": link["record_id"], "evidence": link["evidence"]})
        return {**source, "records": cited}

    # -- conflicts --------------------------------------------------------------------------
    def conflicts(self) -> list[dict]:
        return [c.as_dict() for c in self._conflicts]

    def _find_conflicts(self) -> list[Conflict]:
        found = []
        groups = defaultdict(list)
        for r in self.data["capacities"]:
            if r["capacity_t_per_yr"] is not None:
                key = (r["facility_id"], r["material"], r.get("phase") or "existing",
                       r["capacity_type"] == "actual_output", r["year"])
                groups[key].append(r)
        for (facility_id, material, phase, output, year), records in groups.items():
            what = f"{'output' if output else 'capacity'} of {material} ({phase}) for {year or 'an unstated year'}"
            found += self._conflict("capacities", facility_id, what, records, "capacity_t_per_yr")
        groups = defaultdict(list)
        for r in self.data["figures"]:
            if r["value"] is not None:
                groups[(r["country"], r["metric"], r["stage"], r["year"], r["unit"])].append(r)
        for (country, metric, _, year, _), records in groups.items():
            vintages = {r["vintage"] for r in records}
            revised = " (revised between vintages)" if None not in vintages and len(vintages) == len(records) else ""
            found += self._conflict("figures", country, f"{metric} in {year}{revised}", records, "value")
        return found

    def _conflict(self, table_name, subject, what, records, column) -> list[Conflict]:
        if len({r["source_id"] for r in records}) < 2:
            return []
        if _consistent([_bounds(r, column) for r in records]):
            return []
        shown = tuple(
            {"id": r["id"], "value": r[column], "sources": self.cite(table_name, r)} for r in records
        )
        return [Conflict(table_name, subject, what, shown)]
