"""The declared dimensions, inputs and results of the numeric core (``data/model/schema.csv``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import xarray as xr

from magchain.errors import MagchainError

SCHEMA = resources.files("magchain") / "data" / "model" / "schema.csv"


@dataclass(frozen=True)
class Declared:
    kind: str  # dimension, input or result
    name: str
    dims: tuple[str, ...]  # required dimensions, in order; an optional draw is not listed
    unit: str
    meaning: str
    low: float | None
    high: float | None


def _dims(text: str) -> tuple[str, ...]:
    """'block, profile_year' -> ('block', 'profile_year'); optional '[draw]' parts are left out."""
    kept = [part.strip() for part in text.replace("[", "|").replace("]", "|").split("|")[::2]]
    return tuple(d.strip() for part in kept for d in part.split(",") if d.strip())


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # empty, or a pointer to another table's bounds


@cache
def declared() -> dict[str, Declared]:
    with SCHEMA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["name"]: Declared(row["kind"], row["name"], _dims(row["dims"]), row["unit"], row["meaning"],
                                  _number(row["low"]), _number(row["high"])) for row in rows}


def dimensions() -> tuple[str, ...]:
    return tuple(d.name for d in declared().values() if d.kind == "dimension")


def check(name: str, array: xr.DataArray) -> xr.DataArray:
    """An input or result as declared: its dimensions (plus an optional draw) and its bounds."""
    spec = declared().get(name)
    if spec is None:
        raise MagchainError(f"'{name}' is not declared in data/model/schema.csv.")
    extra = set(array.dims) - set(spec.dims) - {"draw"}
    missing = set(spec.dims) - set(array.dims)
    if extra or missing:
        raise MagchainError(f"Model array '{name}' has dimensions {array.dims}; schema.csv declares "
                            f"{spec.dims} (plus an optional draw).")
    if np.issubdtype(array.dtype, np.number) and array.size:
        values = array.values.ravel()  # one pass per declared bound, no copies: this runs on every draw
        lowest = np.fmin.reduce(values) if spec.low is not None else np.nan  # fmin/fmax skip NaN
        highest = np.fmax.reduce(values) if spec.high is not None else np.nan
        if lowest < spec.low if spec.low is not None else False:
            raise MagchainError(f"Model array '{name}' goes down to {lowest:g}, below its declared low {spec.low:g}.")
        if highest > spec.high if spec.high is not None else False:
            raise MagchainError(f"Model array '{name}' goes up to {highest:g}, above its declared high {spec.high:g}.")
    return array.assign_attrs(unit=spec.unit, meaning=spec.meaning)
