"""Controlled vocabularies: the words the registry accepts, in one place.

Each vocabulary is a tuple so that validation, the CLI's choices and the docs read the
same list. Material bases are deliberately many: a tonne of REO, of NdPr oxide, of NdPr
metal and of magnet are different things and are never added without a conversion.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

STAGES = ("mine", "separation", "metal", "alloy", "magnet", "recycling")

STATUSES = (
    "operating",
    "construction",
    "planned",
    "announced",
    "idle",
    "stalled",
    "cancelled",
    "closed",
)

CONFIDENCE = ("high", "medium", "low")

SOURCE_KINDS = ("reference", "document")

# Material bases of capacity figures, with what one tonne of each means.
MATERIALS = {
    "REO": "rare-earth oxide contained in ore concentrate",
    "separated_REO": "separated rare-earth oxides (all elements)",
    "magnet_REO": "separated magnet rare-earth oxides (NdPr, Dy, Tb)",
    "NdPr_oxide": "separated NdPr oxide",
    "NdPr_oxide_eq": "NdPr content of an intermediate (concentrate, carbonate), as oxide",
    "DyTb_oxide": "separated Dy and Tb oxides",
    "DyTb": "contained Dy and Tb",
    "RE_metal": "rare-earth metal (mostly NdPr)",
    "NdPr_metal": "NdPr metal",
    "NdFeB_alloy": "strip-cast NdFeB alloy",
    "magnet": "finished NdFeB magnet",
    "magnet_blank": "sintered NdFeB blank (the block before machining); x machining_yield = finished magnet",
    "FeN_magnet": "iron-nitride magnet (not NdFeB)",
    "feed": "input throughput of a plant (recycling feed, concentrate, monazite), not product",
}

# The material each stage's capacity is usually stated in (its reference basis).
STAGE_MATERIAL = {"mine": "REO", "separation": "NdPr_oxide", "metal": "NdPr_metal", "alloy": "NdFeB_alloy",
                  "magnet": "magnet", "recycling": "feed"}

CAPACITY_TYPES = ("nameplate", "design", "target", "actual_output", "feed_throughput")

SCOPES = ("facility", "company_total", "national")

PHASES = ("existing", "expansion")

# Coarse event kinds; each fine type maps to one. The CLI filters on the coarse kind.
EVENT_TYPES = {
    "export_quota": "export_control",
    "export_quota_removal": "export_control",
    "export_control": "export_control",
    "export_control_suspension": "export_control",
    "technology_export_ban": "export_control",
    "funding_grant": "funding",
    "funding_program": "funding",
    "tax_credit": "funding",
    "loan": "funding",
    "equity_investment": "funding",
    "offtake": "offtake",
    "price_floor": "price_floor",
    "stockpile": "stockpile",
    "tariff": "tariff",
    "trade_investigation": "trade",
    "trade_investigation_finding": "trade",
    "trade_dispute": "trade",
    "trade_dispute_ruling": "trade",
    "trade_agreement": "trade",
    "production_quota": "policy",
    "policy": "policy",
    "policy_scheme": "policy",
    "industry_consolidation": "corporate",
    "corporate_transaction": "corporate",
    "plant_milestone": "plant",
    "project_status": "plant",
    "supply_disruption": "market",
    "market_data": "market",
    "recycling": "plant",
}
EVENT_KINDS = tuple(dict.fromkeys(EVENT_TYPES.values()))

EFFECT_METRICS = (
    "magnet_exports",
    "magnet_exports_change_yoy",
    "magnet_exports_change_mom",
    "re_exports",
    "re_exports_change_yoy",
)

PARAMETER_CATEGORIES = (
    "composition",
    "ore",
    "yield",
    "intensity",
    "lifetime",
    "recycling",
    "demand",
    "forecast",
    "price",
    "policy",
    "market_structure",
)

COMPARATORS = (">", "<", "~", ">=", "<=")

CITED_TABLES = ("companies", "facilities", "capacities", "events", "effects", "parameters", "figures")

# Aggregates the reference statistics use besides ISO codes.
PSEUDO_COUNTRIES = {"WORLD": "world total", "OTHER": "other countries (USGS)", "EU": "European Union"}


@lru_cache(maxsize=1)
def iso_countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English short name, from the shipped list."""
    path = resources.files("magchain") / "data" / "iso3166.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def is_country(code: str, allow_pseudo: bool = False) -> bool:
    return code in iso_countries() or (allow_pseudo and code in PSEUDO_COUNTRIES)


VOCABULARIES: dict[str, tuple[str, ...]] = {
    "stage": STAGES,
    "status": STATUSES,
    "confidence": CONFIDENCE,
    "source_kind": SOURCE_KINDS,
    "material": tuple(MATERIALS),
    "capacity_type": CAPACITY_TYPES,
    "scope": SCOPES,
    "phase": PHASES,
    "event_kind": EVENT_KINDS,
    "event_type": tuple(EVENT_TYPES),
    "parameter_category": PARAMETER_CATEGORIES,
    "comparator": COMPARATORS,
    "cited_table": CITED_TABLES,
    "effect_metric": EFFECT_METRICS,
}
