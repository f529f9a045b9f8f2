"""Capacity blocks as named arrays over a ``block`` dimension (see data/model/schema.csv)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from magchain.model.conversions import MATERIAL_KIND
from magchain.model.schema import check

PROFILE_YEARS = np.arange(1950, 2101)


def pack(blocks: list) -> xr.Dataset:
    """Capacity blocks as arrays over a ``block`` dimension, their labels as coordinates."""
    def column(name, default=np.nan):
        return np.array([default if getattr(b, name) is None else getattr(b, name) for b in blocks], dtype=float)

    labels = {
        "unit_id": [b.unit_id for b in blocks], "facility_id": [b.facility_id or "" for b in blocks],
        "company_id": [b.company_id or "" for b in blocks], "country": [b.country or "" for b in blocks],
        "stage": [b.stage for b in blocks], "entry_stage": [entry_stage(b) for b in blocks],
        "material": [b.material for b in blocks], "record_id": [b.record_id for b in blocks],
    }
    profiles = np.zeros((2, len(blocks), len(PROFILE_YEARS)))
    for i, block in enumerate(blocks):
        if block.profile is not None:
            profiles[0, i] = _held(block.profile)
            profiles[1, i] = _held(block.output_profile)
    n = len(blocks)
    arrays = {
        "tonnes": ("block", column("tonnes")), "start": ("block", column("start")),
        "ramps": ("block", np.array([b.ramps for b in blocks], dtype=bool)),
        "is_output": ("block", np.array([b.is_output for b in blocks], dtype=bool)),
        "is_statistic": ("block", np.array([b.profile is not None for b in blocks], dtype=bool)),
        "operating_rate": ("block", column("operating_rate")), "ore_share": ("block", column("ore_share")),
        "dytb_tonnes": ("block", column("dytb_tonnes", 0.0)),
        "pending": ("block", np.array([b.planned for b in blocks], dtype=bool)),
        "status": ("block", np.array([b.status or "operating" for b in blocks], dtype=object)),
        "profile_capacity": (("block", "profile_year"), profiles[0]),
        "profile_output": (("block", "profile_year"), profiles[1]),
        "delay": ("block", np.zeros(n)), "active": ("block", np.ones(n)),
    }
    data = xr.Dataset({name: value for name, value in arrays.items()},
                      coords={"block": np.arange(n), "profile_year": PROFILE_YEARS,
                              **{name: ("block", np.array(values, dtype=object)) for name, values in labels.items()}})
    for name in data.data_vars:
        if name != "is_statistic":
            data[name] = check(name, data[name])
    return data


def _held(points) -> np.ndarray:
    """A statistic's values on the profile grid: linear between its stated years, held beyond them."""
    xs, ys = zip(*points)
    return np.interp(PROFILE_YEARS, xs, ys)



def entry_stage(block) -> str:
    """The stage whose downstream yields a block's material still has to pass: recycled oxide
    goes through metal, alloy and machining like mined oxide; recycled magnet powder does not."""
    if block.stage == "recycling" and MATERIAL_KIND.get(block.material) in ("ndpr_oxide", "metal"):
        return "separation" if MATERIAL_KIND[block.material] == "ndpr_oxide" else "metal"
    return block.stage
