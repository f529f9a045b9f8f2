"""The Chain: an in-memory, read-only picture of the value chain as known on one date.

Built from the store (``Chain.from_store``) or from a folder of CSV files in the registry's
layout (``Chain.from_folder``), so that a what-if never touches the store. Analyses read it
and never change it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from magchain.bundle import Bundle
from magchain.coerce import as_of_date
from magchain.errors import MagchainError, ValidationFailed
from magchain.io.files import read_path
from magchain.outlook.inputs import Factor, Regions, load_factors, read_table
from magchain.tables import in_force, table
from magchain.tables import tables as registry_tables
from magchain.validate import prepare

TABLE_NAMES = ("sources", "companies", "facilities", "capacities", "parameters", "figures", "citations")
# Identities are not filtered by --as-of: a figure known on a date may name a plant whose
# registry entry was written later. Figures (capacities, parameters, statistics) are filtered.
TIMELESS = ("sources", "companies", "facilities", "citations")
OUTLOOK_TABLES = ("demand", "ore_shares", "sectors", "published_totals", "integration", "calibration", "sourcing",
                  "finished_goods", "bases")


@dataclass(frozen=True)
class Chain:
    """Registry tables (as pandas frames), regions, conversion factors and demand presets."""

    as_of: str | None
    tables: dict[str, pd.DataFrame]
    regions: Regions
    factors: dict[str, Factor]
    demand_presets: pd.DataFrame
    ore_shares: dict[str, str]
    origin: str = "store"
    parameters_ever: frozenset = frozenset()
    record_ids_ever: frozenset = frozenset()  # ids of every parameter and figure ever recorded
    sectors: pd.DataFrame = field(default_factory=pd.DataFrame)
    published_totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    integration: pd.DataFrame = field(default_factory=pd.DataFrame)  # in-house lines sized by the plant they feed
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)  # observed figures the model is held to
    sourcing: pd.DataFrame = field(default_factory=pd.DataFrame)  # observed supplier shares of a region's magnets
    finished_goods: pd.DataFrame = field(default_factory=pd.DataFrame)  # origins of imported embedded magnets
    bases: pd.DataFrame = field(default_factory=pd.DataFrame)  # a country's statistic stated in another material
    # what analyses derive from this chain alone (its capacity plan): the chain never changes, so each is
    # built once; a chain made with dataclasses.replace starts with none
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_store(cls, store, as_of: str | None = None, inputs: Path | None = None,
                   without: set[tuple[str, str]] = frozenset()) -> Chain:
        """The chain from the store as known on ``as_of``; ``without`` leaves out records by
        (table, id), to ask what the answer was before them."""
        as_of = as_of_date(as_of)
        tables = {name: [r for r in store.rows(name, as_of=None if name in TIMELESS else as_of)
                         if (name, r.get("id")) not in without] for name in TABLE_NAMES}
        return cls._build(tables, as_of, inputs, store.safe_url, store.rows("parameters"),
                          {r["id"] for r in store.rows("figures")})

    @classmethod
    def from_folder(cls, folder: str | Path, as_of: str | None = None) -> Chain:
        """A chain from CSV/XLSX/JSON files in the registry layout, plus optional outlook tables."""
        folder = Path(folder)
        if not folder.is_dir():
            raise MagchainError(f"{folder}: not a folder. Pass a folder of registry tables (see `magchain export`).")
        registry_files = sorted(p for p in folder.iterdir() if p.stem in registry_tables() and p.is_file())
        bundle = Bundle()
        for path in registry_files:
            bundle.extend(read_path(path))
        issues = prepare(bundle)
        if issues:
            raise ValidationFailed(issues)
        as_of = as_of_date(as_of)
        tables = {
            name: [r for r in bundle.records.get(name, [])
                   if name in TIMELESS or not as_of or not r.get("known_from") or r["known_from"] <= as_of]
            for name in TABLE_NAMES
        }
        return cls._build(tables, as_of, folder, str(folder), bundle.records.get("parameters", []),
                          {r["id"] for r in bundle.records.get("figures", [])})

    @classmethod
    def _build(cls, tables: dict[str, list[dict]], as_of, inputs: Path | None, origin: str,
               all_parameters: list[dict], all_figure_ids: set[str]) -> Chain:
        """``all_parameters`` are every parameter ever recorded: factors are today's best values,
        also in an as-of view, and must rest on a parameter the registry holds."""
        frames = {name: _frame(name, in_force(rows)) for name, rows in tables.items()}
        parameter_names = {r["name"] for r in all_parameters}
        factors = load_factors(inputs, parameter_names)
        outlook_tables = {name: pd.DataFrame(read_table(f"{name}.csv", inputs)[1])
                          for name in OUTLOOK_TABLES}
        shares = outlook_tables["ore_shares"]
        return cls(as_of, frames, Regions.load(inputs), factors, outlook_tables["demand"],
                   dict(zip(shares["facility_id"], shares["parameter"])), origin, frozenset(parameter_names),
                   frozenset(r["id"] for r in all_parameters) | frozenset(all_figure_ids),
                   **{name: outlook_tables[name] for name in OUTLOOK_TABLES[2:]})

    def derived(self, key, build):
        """``build()``, computed once per chain and ``key``."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    # -- lookups ------------------------------------------------------------------------------
    def factor(self, name: str) -> Factor:
        try:
            return self.factors[name]
        except KeyError:
            raise MagchainError(f"Factor '{name}' is missing from factors.csv; add it with its source.") from None

    def parameter(self, name: str) -> pd.DataFrame:
        """All values of a registry parameter known as of the chain's date."""
        frame = self.tables["parameters"]
        return frame[frame["name"] == name]

    def statistic_material(self, country: str, metric: str, default: str) -> str:
        """The material a country's national statistic is counted in (bases.csv), else the metric's own."""
        rows = self.bases[(self.bases["country"] == country) & (self.bases["metric"] == metric)] if len(self.bases) else []
        return rows["material"].iloc[0] if len(rows) else default

    def source(self, source_id: str) -> dict:
        sources = self.tables["sources"]
        match = sources[sources["id"] == source_id]
        return match.iloc[0].to_dict() if len(match) else {"id": source_id, "title": None}

    def cite(self, source_id: str, evidence: str | None = None) -> dict:
        """A source as a citation; fields the registry does not know are None (never NaN)."""
        source = self.source(source_id)
        cited = {"id": source_id, "title": source.get("title"), "publisher": source.get("publisher"),
                 "url": source.get("url"), "date": source.get("published"), "evidence": evidence}
        return {key: None if isinstance(value, float) and math.isnan(value) else value for key, value in cited.items()}


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    columns = table(name).column_names
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
