"""The outlook's own input tables: regions (blocs), conversion factors and assumptions, demand presets.

They ship in ``data/outlook/`` and a user may override any of them with a file of the same name
in a folder passed to :meth:`magchain.outlook.Chain.from_folder`. Every factor names the registry
parameters it rests on, or says in words that it is an assumption; a factor with neither is refused.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from magchain.errors import Issue, MagchainError, ValidationFailed
from magchain.vocab import iso_countries

OUTLOOK_DATA = resources.files("magchain") / "data" / "outlook"
WORLD = "WORLD"


def read_table(name: str, folder: Path | None = None) -> tuple[str, list[dict]]:
    """Rows of an outlook table, from ``folder`` when it has the file, else the shipped copy."""
    path = folder / name if folder is not None and (folder / name).is_file() else OUTLOOK_DATA / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return str(path), list(csv.DictReader(handle))
    except UnicodeDecodeError as error:
        raise MagchainError(f"{path}: not UTF-8 text ({error.reason}). Save the file as UTF-8.") from error


@dataclass(frozen=True)
class Factor:
    """A conversion factor or assumption, with its range and what it rests on."""

    name: str
    value: float
    low: float
    high: float
    unit: str
    sources: tuple[str, ...]
    basis: str
    notes: str

    @property
    def is_assumption(self) -> bool:
        return self.basis.startswith("assumption")


def load_factors(folder: Path | None, parameter_names: set[str]) -> dict[str, Factor]:
    file, rows = read_table("factors.csv", folder)
    issues, factors = [], {}
    for row_number, row in enumerate(rows, start=2):
        factor = _factor(file, row_number, row, parameter_names, issues)
        if factor is not None:
            factors[factor.name] = factor
    if issues:
        raise ValidationFailed(issues)
    return factors


def _factor(file, row_number, row, parameter_names, issues) -> Factor | None:
    def fail(column, value, problem, fix):
        issues.append(Issue(file, row_number, column, value, problem, fix))

    try:
        value, low, high = (float(row[c]) for c in ("value", "low", "high"))
    except (TypeError, ValueError):
        fail("value", row.get("value"), "value, low and high must be numbers", "Give all three, e.g. 0.95,0.90,0.98")
        return None
    if not low <= value <= high:
        fail("value", value, f"is outside its range {low}-{high}", "Make low <= value <= high")
    sources = tuple(s.strip() for s in (row.get("sources") or "").split(";") if s.strip())
    basis = (row.get("basis") or "").strip()
    if not sources and not basis.startswith("assumption"):
        fail("sources", "", f"factor '{row['name']}' has no source",
             "Name the registry parameters it rests on, or state 'assumption: why' in basis")
    for name in sources:
        if name not in parameter_names:
            fail("sources", name, "is not a parameter in the registry", "Add the parameter with its source, or fix the name")
    return Factor(row["name"], value, low, high, row.get("unit", ""), sources, basis, row.get("notes", ""))


class Regions:
    """ISO countries, blocs from regions.csv, and WORLD."""

    def __init__(self, blocs: dict[str, set[str]], descriptions: dict[str, str]):
        self.blocs = blocs
        self.descriptions = descriptions

    @classmethod
    def load(cls, folder: Path | None = None) -> Regions:
        file, rows = read_table("regions.csv", folder)
        countries, blocs, descriptions, issues = iso_countries(), {}, {}, []
        for row_number, row in enumerate(rows, start=2):
            bloc, member = row["bloc"].strip().upper(), row["member"].strip().upper()
            if member not in countries:
                issues.append(Issue(file, row_number, "member", member, "is not an ISO 3166-1 alpha-2 code",
                                    "Use two-letter codes such as DE or JP"))
            blocs.setdefault(bloc, set()).add(member)
            descriptions[bloc] = row.get("description", "")
        if issues:
            raise ValidationFailed(issues)
        return cls(blocs, descriptions)

    def members(self, region: str) -> set[str] | None:
        """Countries of a region; None means the whole world."""
        code = region.strip().upper()
        if code == WORLD:
            return None
        if code in self.blocs:
            return self.blocs[code]
        if code in iso_countries():
            return {code}
        known = ", ".join(sorted(self.blocs))
        raise MagchainError(f"Unknown region '{region}'. Use an ISO country code (US, CN, JP), WORLD, "
                            f"or a bloc defined in regions.csv ({known}).")

    def contains(self, region: str, country: str | None) -> bool:
        members = self.members(region)
        return members is None or (country is not None and country in members)
