"""Check a Bundle before anything is written, and fill the defaults provenance allows.

Every check adds to one list of issues, so a user sees all the problems of a file in one run.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from magchain.bundle import Bundle, Origin
from magchain.coerce import period_end
from magchain.errors import Issue
from magchain.tables import TABLE_ORDER, table
from magchain.vocab import PSEUDO_COUNTRIES, VOCABULARIES, iso_countries

YEAR_RANGE = (1900, 2100)
YEAR_COLUMNS = ("year", "first_year")
NON_NEGATIVE = {("capacities", "capacity_t_per_yr")}

# Codes people often write instead of the ISO alpha-2 code.
COUNTRY_HINTS = {"USA": "US", "UK": "GB", "PRC": "CN", "KOR": "KR", "JPN": "JP", "CHN": "CN",
                 "DEU": "DE", "AUS": "AU", "CAN": "CA", "IND": "IN", "BRA": "BR", "RUS": "RU"}


@dataclass
class Known:
    """What the store already holds that a bundle may refer to."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {t: set() for t in TABLE_ORDER})
    source_dates: dict[str, str | None] = field(default_factory=dict)
    source_confidence: dict[str, str] = field(default_factory=dict)


def prepare(bundle: Bundle, known: Known | None = None) -> list[Issue]:
    """Fill provenance defaults in place, then return every problem found."""
    known = known or Known()
    source_dates = dict(known.source_dates)
    source_confidence = dict(known.source_confidence)
    for record in bundle.records["sources"]:
        source_dates[record["id"]] = record.get("published")
        source_confidence[record["id"]] = record.get("confidence")
    _fill_provenance(bundle, source_dates, source_confidence)
    issues: list[Issue] = []
    for name in TABLE_ORDER:
        for record, origin in bundle.items(name):
            issues.extend(_check_record(name, record, origin))
    issues.extend(_check_unique(bundle))
    issues.extend(_check_references(bundle, known))
    return issues


def _fill_provenance(bundle: Bundle, source_dates: dict, source_confidence: dict) -> None:
    for name in TABLE_ORDER:
        spec = table(name)
        if "known_from" not in spec.column_names:
            continue
        for record in bundle.records[name]:
            source = record.get("source_id")
            if record.get("known_from") is None and source_dates.get(source):
                record["known_from"] = period_end(source_dates[source])
            elif record.get("known_from") is not None:
                record["known_from"] = period_end(record["known_from"])
            if record.get("confidence") is None and source_confidence.get(source):
                record["confidence"] = source_confidence[source]


def _issue(origin: Origin, column: str | None, value, problem: str, fix: str = "") -> Issue:
    return Issue(origin.file, origin.row, column, value, problem, fix)


def _check_record(name: str, record: dict, origin: Origin) -> list[Issue]:
    issues = []
    spec = table(name)
    for col in spec.columns:
        value = record.get(col.name)
        if value is None:
            if col.required and col.name != "recorded_at":
                fix = _missing_fix(col.name)
                issues.append(_issue(origin, col.name, None, "is required but empty", fix))
            continue
        if col.vocabulary:
            issues.extend(_check_vocabulary(origin, col.name, col.vocabulary, value))
        elif col.type in ("country", "countries"):
            issues.extend(_check_countries(origin, col.name, value, many=col.type == "countries"))
        if col.name in YEAR_COLUMNS and isinstance(value, int) and not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
            issues.append(_issue(origin, col.name, value, "is not a plausible year",
                                 f"Use a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}"))
        if (name, col.name) in NON_NEGATIVE and isinstance(value, float) and value < 0:
            issues.append(_issue(origin, col.name, value, "is negative", "Capacities are zero or more"))
    issues.extend(_check_consistency(name, record, origin))
    return issues


def _missing_fix(column: str) -> str:
    if column in ("known_from", "confidence"):
        return "Give it, or give the source a publication date and confidence to inherit"
    return "Fill it in"


def _check_vocabulary(origin: Origin, column: str, vocabulary: str, value: str) -> list[Issue]:
    allowed = VOCABULARIES[vocabulary]
    if value in allowed:
        return []
    hint = difflib.get_close_matches(str(value).lower(), allowed, n=1, cutoff=0.6)
    fix = f"Did you mean '{hint[0]}'?" if hint else f"Use one of: {', '.join(allowed)}"
    return [_issue(origin, column, value, f"is not a known {vocabulary}", fix)]


def _check_countries(origin: Origin, column: str, value: str, many: bool) -> list[Issue]:
    codes = value.split(";") if many else [value]
    issues = []
    for code in (c.strip() for c in codes):
        if code in iso_countries() or code in PSEUDO_COUNTRIES:
            continue
        issues.append(_issue(origin, column, code, "is not an ISO 3166-1 alpha-2 country code",
                             _country_fix(code)))
    return issues


def _country_fix(code: str) -> str:
    if code.upper() in COUNTRY_HINTS:
        return f"Use the ISO code '{COUNTRY_HINTS[code.upper()]}'"
    by_name = {name.lower(): iso for iso, name in iso_countries().items()}
    if code.lower() in by_name:
        return f"Use the ISO code '{by_name[code.lower()]}'"
    if code.upper() in iso_countries():
        return f"Write it in capitals: '{code.upper()}'"
    return "Use a two-letter code such as US, CN, JP, DE (or WORLD, OTHER, EU for aggregates)"


def _check_consistency(name: str, record: dict, origin: Origin) -> list[Issue]:
    issues = []
    if name == "capacities" and record.get("capacity_t_per_yr") is not None and not record.get("material"):
        issues.append(_issue(origin, "material", None, "is required when a capacity is given",
                             "Name the material basis, e.g. magnet, NdPr_oxide, REO"))
    low, value, high = record.get("low"), record.get("value"), record.get("high")
    if low is not None and high is not None and low > high:
        issues.append(_issue(origin, "low", low, f"is above high ({high})", "Swap low and high"))
    for bound, ok in (("low", low is None or value is None or low <= value),
                      ("high", high is None or value is None or value <= high)):
        if not ok:
            issues.append(_issue(origin, bound, record.get(bound), f"does not bracket value ({value})",
                                 "The value must lie between low and high"))
    if name == "events" and record.get("kind") and record.get("type"):
        from magchain.vocab import EVENT_TYPES

        expected = EVENT_TYPES.get(record["type"])
        if expected and expected != record["kind"]:
            issues.append(_issue(origin, "kind", record["kind"],
                                 f"does not match type '{record['type']}'", f"Use kind '{expected}'"))
    return issues


def _check_unique(bundle: Bundle) -> list[Issue]:
    issues = []
    for name in TABLE_ORDER:
        key = table(name).key
        counts = Counter(tuple(r.get(k) for k in key) for r in bundle.records[name])
        for record, origin in bundle.items(name):
            value = tuple(record.get(k) for k in key)
            if counts[value] > 1 and None not in value:
                issues.append(_issue(origin, key[0] if len(key) == 1 else None, "/".join(map(str, value)),
                                     f"is not unique in table '{name}'", "Give each record its own id"))
    return issues


def _check_references(bundle: Bundle, known: Known) -> list[Issue]:
    present = {name: set(known.ids[name]) | {r.get("id") for r in bundle.records[name]} for name in TABLE_ORDER}
    issues = []
    for name in TABLE_ORDER:
        for col in table(name).columns:
            target = col.reference
            if not target:
                continue
            for record, origin in bundle.items(name):
                value = record.get(col.name)
                if value is not None and value not in present[target]:
                    hint = difflib.get_close_matches(value, present[target], n=1, cutoff=0.7)
                    fix = f"Did you mean '{hint[0]}'?" if hint else f"Add it to table '{target}' first"
                    issues.append(_issue(origin, col.name, value, f"refers to no record of table '{target}'", fix))
        if name == "citations":
            for record, origin in bundle.items(name):
                target = record.get("record_table")
                if target in present and record.get("record_id") not in present[target]:
                    issues.append(_issue(origin, "record_id", record.get("record_id"),
                                         f"refers to an unknown record of '{target}'"))
    return issues
