"""The dataset shipped inside the package, as one Bundle.

Three parts, each keeping its sources:
- ``data/reference/``: the compiled reference tables (facilities, events, parameters,
  country figures, sources) in their published layout, mapped here to the registry's tables;
- ``data/curated/``: companies and their links, curated by hand;
- ``data/seeds/``: five documents and the facts read from them, with the sentence as evidence;
- ``data/sourced/``: plants, capacity records and national statistics sourced one topic per
  folder (China's magnet makers, its upstream, Asia, the West, trade and demand), each folder
  in the registry's own layout with the sentence of every figure.
"""

from __future__ import annotations

import csv
import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from magchain.bundle import Bundle, Origin
from magchain.coerce import coerce, period_end
from magchain.errors import MagchainError
from magchain.io.files import read_path
from magchain.tables import table
from magchain.vocab import EVENT_TYPES

DATA = resources.files("magchain") / "data"

# Reference rows whose capacity covers more than one plant (see data/reference/README.md).
COMPANY_TOTAL = {"jl-mag", "creg-ganzhou", "cnre-bayan-obo", "cnre-huamei", "cnre-nremm-alloy",
                 "cnre-zhaobao-magnet"}
NATIONAL = {"myanmar-kachin"}

# Capacity units of the reference, mapped to a material basis and what the unit adds in words.
UNIT_MATERIALS = [
    (r"iron nitride", "FeN_magnet"),
    (r"^t/yr magnet REO", "magnet_REO"),
    (r"^t/yr magnet feed", "feed"),
    (r"^t/yr magnet", "magnet"),
    (r"^t/yr NdFeB alloy", "NdFeB_alloy"),
    (r"^t/yr NdPr oxide equivalent", "NdPr_oxide_eq"),
    (r"^t/yr NdPr oxide", "NdPr_oxide"),
    (r"^t/yr NdPr metal", "NdPr_metal"),
    (r"^t/yr RE metal", "RE_metal"),
    (r"^t/yr DyTb oxide", "DyTb_oxide"),
    (r"^t/yr DyTb", "DyTb"),
    (r"^t/yr separated REO", "separated_REO"),
    (r"^t/yr REO", "REO"),
    (r"^t/yr (feed|HRE feedstock|monazite feed)", "feed"),
    (r"^t/yr feed", "feed"),
]


def material_of(unit: str) -> str | None:
    """Material basis of a reference capacity unit such as 't/yr NdPr oxide equivalent (in MREC)'."""
    for pattern, material in UNIT_MATERIALS:
        if re.search(pattern, unit):
            return material
    return None


def split_qualifier(text: str) -> tuple[str | None, str | None]:
    """'nameplate (phase 1)' -> ('nameplate', 'phase 1')."""
    if not text:
        return None, None
    match = re.match(r"^([a-z_]+)\s*(?:\((.*)\))?$", text.strip())
    if not match:
        return None, text
    return match.group(1), match.group(2)


def _read_csv(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _short_hash(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:10]


def _typed(table_name: str, raw: dict) -> dict:
    """A record with every column of the table, typed; unknown keys are a programming error."""
    spec = table(table_name)
    unknown = set(raw) - set(spec.column_names)
    if unknown:
        raise KeyError(f"{table_name}: unknown columns {sorted(unknown)}")
    return {c.name: coerce(c, raw.get(c.name)) for c in spec.columns}


def _publisher(title: str) -> str | None:
    """The reference writes titles as 'Publisher: Title'."""
    head, sep, _ = title.partition(": ")
    return head if sep and len(head) <= 80 else None


class _ReferenceReader:
    """Maps the reference CSVs (their own published layout) onto registry records."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        folder = DATA / "reference"
        self.folder = folder
        links = _read_csv(DATA / "curated" / "facility_companies.csv")
        self.operator = {row["facility_id"]: row["company_id"] for row in links}
        self.source_dates = {row["source_key"]: row["source_date"] for row in _read_csv(folder / "sources.csv")}

    def stated_on(self, raw: dict) -> str | None:
        """A reference row's figure became public with its primary source, the one that states it.

        The row's further sources state other facts of the row (owners, history); counting the
        figure as known only once the last of them was out would hide it from as-of views.
        """
        date = self.source_dates.get(raw["source_key"])
        return period_end(date) if date else None

    def add(self, name: str, raw: dict, file: str, row: int) -> None:
        self.bundle.add(name, _typed(name, raw), Origin(f"reference/{file}", row))

    def cite_others(self, record_table: str, record_id: str, keys: str, file: str, row: int) -> None:
        for key in filter(None, (k.strip() for k in keys.split(";"))):
            self.add("citations", {"record_table": record_table, "record_id": record_id, "source_id": key},
                     file, row)

    def sources(self) -> None:
        for row, raw in enumerate(_read_csv(self.folder / "sources.csv"), start=2):
            self.add("sources", {
                "id": raw["source_key"], "title": raw["source_title"], "publisher": _publisher(raw["source_title"]),
                "url": raw["source_url"], "published": raw["source_date"], "confidence": raw["confidence"],
                "kind": "reference",
            }, "sources.csv", row)

    def facilities(self) -> None:
        for row, raw in enumerate(_read_csv(self.folder / "facilities.csv"), start=2):
            fid = raw["id"]
            self.add("facilities", {
                "id": fid, "site_id": raw["site_id"], "name": raw["facility_name"],
                "company_id": self.operator[fid], "country": raw["country_iso2"], "region": raw["region_state"],
                "stage": raw["stage"], "products": raw["products"], "owner_country": raw["owner_country"],
                "notes": _facility_notes(raw), "source_id": raw["source_key"], "confidence": raw["confidence"],
            }, "facilities.csv", row)
            for record in _capacity_records(raw):
                self.add("capacities", {**record, "known_from": self.stated_on(raw)}, "facilities.csv", row)
            self.cite_others("facilities", fid, raw["other_source_keys"], "facilities.csv", row)

    def events(self) -> None:
        for row, raw in enumerate(_read_csv(self.folder / "events.csv"), start=2):
            self.add("events", {
                "id": raw["event_id"], "date": raw["date"], "kind": EVENT_TYPES.get(raw["type"]),
                "type": raw["type"], "actor": raw["actor"], "actor_country": raw["actor_iso2"],
                "target": raw["target"], "target_country": raw["target_iso2"], "elements": raw["elements"],
                "description": raw["description"], "magnitude": raw["magnitude"], "unit": raw["magnitude_unit"],
                "effective_date": raw["effective_date"], "end_date": raw["end_date"], "status": raw["status"],
                "notes": raw["notes"], "source_id": raw["source_key"], "confidence": raw["confidence"],
            }, "events.csv", row)
            self.cite_others("events", raw["event_id"], raw["other_source_keys"], "events.csv", row)

    def parameters(self) -> None:
        for row, raw in enumerate(_read_csv(self.folder / "parameters.csv"), start=2):
            pid = f"{raw['parameter']}-{_short_hash(raw['subject'], raw['year'], raw['source_key'], raw['unit'])}"
            self.add("parameters", {
                "id": pid, "name": raw["parameter"], "category": raw["category"], "subject": raw["subject"],
                "value": raw["value"], "low": raw["low"], "high": raw["high"], "unit": raw["unit"],
                "year": raw["year"], "notes": raw["notes"], "source_id": raw["source_key"],
                "confidence": raw["confidence"],
            }, "parameters.csv", row)

    def figures(self) -> None:
        for row, raw in enumerate(_read_csv(self.folder / "countries.csv"), start=2):
            key = (raw["country_iso2"], raw["metric"], raw["stage"], raw["material"], raw["unit"], raw["year"],
                   raw["vintage"], raw["source_key"])
            self.add("figures", {
                "id": f"{raw['country_iso2'].replace(';', '-')}-{raw['metric']}-{_short_hash(*key)}",
                "country": raw["country_iso2"], "metric": raw["metric"], "stage": raw["stage"],
                "material": raw["material"], "value": raw["value"], "low": raw["value_low"],
                "high": raw["value_high"], "comparator": raw["comparator"], "unit": raw["unit"],
                "year": raw["year"], "vintage": raw["vintage"], "notes": raw["notes"],
                "source_id": raw["source_key"], "confidence": raw["confidence"],
            }, "countries.csv", row)


def _facility_notes(raw: dict) -> str | None:
    parts = [raw["notes"]]
    if raw["gov_support_instrument"]:
        amount = f" ({raw['gov_support_amount']} {raw['gov_support_currency']})" if raw["gov_support_amount"] else ""
        parts.append(f"Government support: {raw['gov_support_agency']}{amount}: {raw['gov_support_instrument']}")
    if raw["offtake_partners"]:
        parts.append(f"Offtake and feed partners: {raw['offtake_partners']}")
    return " | ".join(p for p in parts if p) or None


def _scope(fid: str) -> str:
    if fid in NATIONAL:
        return "national"
    return "company_total" if fid in COMPANY_TOTAL else "facility"


def _capacity_records(raw: dict) -> list[dict]:
    """The reference row's capacity (or bare status) with its element split, and its planned expansion."""
    fid, status = raw["id"], raw["status"]
    capacity_type, qualifier = split_qualifier(raw["capacity_type"])
    unit = raw["capacity_unit"]
    common = {"facility_id": fid, "source_id": raw["source_key"], "confidence": raw["confidence"]}
    main = {
        **common, "id": f"{fid}-capacity", "status": status, "capacity_t_per_yr": raw["capacity_value"],
        "material": material_of(unit) if raw["capacity_value"] else None,
        "ndpr_oxide_t_per_yr": raw["ndpr_t_per_yr"], "dytb_oxide_t_per_yr": raw["dytb_t_per_yr"], "capacity_type": capacity_type,
        "qualifier": qualifier, "scope": _scope(fid), "phase": "existing", "year": raw["capacity_year"],
        "first_year": raw["start_year"], "unit_as_published": unit,
    }
    records = [main]
    if raw["planned_expansion_value"]:
        exp_unit = raw["planned_expansion_unit"]
        records.append({
            **common, "id": f"{fid}-expansion", "status": "planned" if status == "operating" else status,
            "capacity_t_per_yr": raw["planned_expansion_value"], "material": material_of(exp_unit),
            "capacity_type": "target", "scope": "company_total" if "total" in exp_unit else _scope(fid),
            "phase": "expansion", "year": raw["planned_expansion_year"], "unit_as_published": exp_unit,
        })
    return records


def _hash_seed_documents(bundle: Bundle) -> None:
    """Give each seed document source the hash of its text, so that re-ingesting it is recognised."""
    paths = seed_documents()
    for record in bundle.records["sources"]:
        if record["id"] in paths:
            record["content_hash"] = hashlib.sha256(paths[record["id"]].read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _shipped() -> Bundle:
    bundle = Bundle()
    reader = _ReferenceReader(bundle)
    reader.sources()
    bundle.extend(read_path(Path(str(DATA / "curated" / "companies.csv"))))
    reader.facilities()
    reader.events()
    reader.parameters()
    reader.figures()
    bundle.extend(read_path(Path(str(DATA / "curated" / "sources.csv"))))
    bundle.extend(read_path(Path(str(DATA / "curated" / "effects.csv"))))
    bundle.extend(read_path(Path(str(DATA / "curated" / "figures.csv"))))
    for name in ("sources.csv", "parameters.csv"):  # sourced demand figures for the outlook
        bundle.extend(read_path(Path(str(DATA / "outlook" / name))))
    facts = Path(str(DATA / "seeds" / "facts"))
    if facts.is_dir():
        bundle.extend(read_path(facts))
    for folder in sourced_folders():
        bundle.extend(read_path(folder))
    _apply_locations(bundle)
    _hash_seed_documents(bundle)
    return bundle


def _apply_locations(bundle: Bundle) -> None:
    """Coordinates from ``curated/locations.csv`` onto their facilities, each cited twice: the
    source that places the plant in a town or site, and the one that gives that place's coordinates."""
    path = DATA / "curated" / "locations.csv"
    facilities = {r["id"]: r for r in bundle.records["facilities"]}
    for row, raw in enumerate(_read_csv(path), start=2):
        facility = facilities.get(raw["facility_id"])
        if facility is None:
            raise MagchainError(f"curated/locations.csv, row {row}: facility '{raw['facility_id']}' is not in the "
                                "registry; fix the id or drop the row.")
        try:
            facility["latitude"], facility["longitude"] = float(raw["latitude"]), float(raw["longitude"])
        except ValueError:
            raise MagchainError(f"curated/locations.csv, row {row}: latitude and longitude must be decimal degrees "
                                f"(got {raw['latitude']!r}, {raw['longitude']!r}).") from None
        cited = {(c["record_table"], c["record_id"], c["source_id"]) for c in bundle.records["citations"]}
        evidence = {raw["place_source_id"]: raw["place_evidence"]}
        coordinates = raw["coord_evidence"] if raw["coord_evidence"].startswith("Coordinates") else \
            f"Coordinates: {raw['coord_evidence']}"
        evidence[raw["coord_source_id"]] = " | ".join(filter(None, (evidence.get(raw["coord_source_id"]), coordinates)))
        for key, sentence in evidence.items():
            if ("facilities", facility["id"], key) not in cited:
                bundle.add("citations", {"record_table": "facilities", "record_id": facility["id"], "source_id": key,
                                         "evidence": sentence}, Origin("curated/locations.csv", row))


def shipped_bundle() -> Bundle:
    """A fresh copy of the shipped dataset (callers may fill defaults in place)."""
    cached = _shipped()
    copy = Bundle()
    for name, records in cached.records.items():
        for record, origin in zip(records, cached.origins[name]):
            copy.add(name, dict(record), origin)
    return copy


def sourced_folders() -> list[Path]:
    """The topic folders of ``data/sourced/``, in a stable order."""
    root = Path(str(DATA / "sourced"))
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def seed_documents() -> dict[str, Path]:
    """Seed document id -> path of its text."""
    return {
        f"doc-{p.name.split('_', 1)[1].removesuffix('.txt')}": Path(str(p))
        for p in (DATA / "seeds").iterdir()
        if p.name.endswith(".txt")
    }


