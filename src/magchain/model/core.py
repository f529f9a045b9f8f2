"""Capacity, production and demand by stage and year, vectorised over blocks and draws.

:func:`realise` turns capacity blocks into tonnes per block and year; :func:`evaluate` sums a
region's blocks by stage and sets them against its demand. Any input may carry a ``draw``
dimension and the result then carries it too; a central run has none. The rules are those of
:mod:`magchain.outlook.capacity` (ramps, operating rates, national statistics) and the
conversions those of :class:`magchain.model.conversions.Converter`, applied to arrays.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from magchain.model.conversions import Converter
from magchain.model.schema import check
from magchain.vocab import STAGES

PRIMARY_STAGES = ("mine", "separation", "metal", "alloy", "magnet")


def converter(factors: xr.Dataset) -> Converter:
    """The conversions on named factor arrays: each conversion then broadcasts over draws."""
    return Converter({name: factors[name] for name in factors.data_vars})


def stage_array(values: dict[str, xr.DataArray]) -> xr.DataArray:
    """One array over the stage dimension from one array per stage."""
    arrays = xr.broadcast(*[xr.DataArray(values[s]) for s in STAGES])
    return xr.concat(arrays, dim=xr.IndexVariable("stage", list(STAGES)))


def _per_block(stage_array: xr.DataArray, labels: xr.DataArray) -> xr.DataArray:
    """A per-stage array looked up for each block's stage label."""
    picked = stage_array.sel(stage=labels.values).rename(stage="block")
    return picked.assign_coords(block=labels["block"]).drop_vars("stage", errors="ignore")


def ndpr_per_tonne(blocks: xr.Dataset, factors: xr.Dataset) -> xr.DataArray:
    """Contained NdPr per tonne of each block's own material (a mine's own ore share where stated)."""
    conv = converter(factors)
    ore = blocks["ore_share"].where(blocks["ore_share"].notnull(), factors["ndpr_share_of_treo"])
    out = xr.zeros_like(blocks["tonnes"]) * (ore * 0)  # carries a draw dimension if the factors do
    for material in np.unique(blocks["material"].values):
        out = xr.where(blocks["material"] == material, conv.ndpr_element(1.0, material, ore), out)
    return out


def magnet_eq_per_tonne(blocks: xr.Dataset, factors: xr.Dataset, ndpr: xr.DataArray) -> xr.DataArray:
    """Finished-magnet tonnes per tonne of each block's material, after the yields below its entry stage."""
    conv = converter(factors)
    yields = stage_array({s: xr.DataArray(conv.downstream_yield(s)) for s in STAGES})
    return ndpr * _per_block(yields, blocks["entry_stage"]) / factors["ndpr_wt_magnet"]


def ramp_share(blocks: xr.Dataset, factors: xr.Dataset, years: xr.DataArray) -> xr.DataArray:
    """Share of a block's size reached in each year: a linear ramp reaching 1 in the ramp-years-th
    year of operation, or a step at its start when it does not ramp (or its stage ramps in 0 years)."""
    ramp_years = _per_block(stage_array({s: factors[f"ramp_years_{s}"] for s in STAGES}), blocks["stage"])
    start = blocks["start"] + blocks["delay"]  # (draw,) block first and year last: the arrays stay contiguous
    step = (start <= years).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = (((1 - start) + years) / ramp_years).clip(0.0, 1.0)
    return linear.where(blocks["ramps"] & (ramp_years > 0), step)  # keeps linear's (draw, block, year) order


def tonnes(blocks: xr.Dataset, factors: xr.Dataset, years: xr.DataArray) -> tuple[xr.DataArray, ...]:
    """Capacity, expected production and the reached share of size of every block, in its own material.

    A national statistic has size 0 and a profile, every other block a size and a zero profile,
    so the two add without a branch."""
    held_capacity, held_output = _held(blocks, years)
    share = ramp_share(blocks, factors, years) * blocks["active"]
    built = share * blocks["tonnes"]
    return built + held_capacity, built * _rate(blocks, factors) + held_output, share


def _held(blocks: xr.Dataset, years: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    """National statistics' capacity and output in the years (zero for every other block)."""
    output = blocks["profile_output"].sel(profile_year=years.values).rename(profile_year="year")
    capacity = blocks["profile_capacity"].sel(profile_year=years.values).rename(profile_year="year")
    return np.maximum(capacity, output), output  # a stale capacity statistic below a later output does not cap it


def _rate(blocks: xr.Dataset, factors: xr.Dataset) -> xr.DataArray:
    """Production over capacity: 1 for an output figure, the plant's own rate, else the utilisation factor."""
    return xr.where(blocks["is_output"], 1.0,
                    blocks["operating_rate"].where(blocks["operating_rate"].notnull(), factors["utilisation"]))


def _years(years) -> xr.DataArray:
    years = np.asarray(years)
    return xr.DataArray(years, dims="year", coords={"year": years})


def realise(blocks: xr.Dataset, factors: xr.Dataset, years) -> xr.Dataset:
    """Capacity and expected production of every block in every year, in its own material, in
    contained NdPr and Dy+Tb, and in magnet-equivalent tonnes."""
    capacity, production, share = tonnes(blocks, factors, _years(years))
    ndpr = ndpr_per_tonne(blocks, factors)
    meq = magnet_eq_per_tonne(blocks, factors, ndpr)
    dytb_per_t = converter(factors).dytb_element(1.0, "DyTb_oxide")
    dytb = xr.where(blocks["tonnes"] > 0, blocks["dytb_tonnes"] * dytb_per_t * share, 0.0)
    result = xr.Dataset({
        "capacity_t": capacity, "production_t": production, "ndpr_t": capacity * ndpr, "dytb_t": dytb,
        "capacity_magnet_eq_t": capacity * meq, "production_magnet_eq_t": production * meq,
    })
    return xr.Dataset({name: check(name, _ordered(result[name], ("draw", "block", "year")))
                       for name in result.data_vars})


def stage_totals(blocks: xr.Dataset, factors: xr.Dataset, years) -> xr.Dataset:
    """Magnet-equivalent capacity and production of each stage, straight from the blocks.

    The same sums as :func:`realise` followed by :func:`stage_sums`, arranged for draws: each
    block's size, existence, rate and conversion fold into one weight per block, so the only
    (draw, block, year) arrays are the ramp and its two weighted copies; national statistics,
    which do not ramp, are contracted on their own."""
    years = _years(years)
    meq = magnet_eq_per_tonne(blocks, factors, ndpr_per_tonne(blocks, factors))
    indicator = _stage_indicator(blocks["stage"])
    share = ramp_share(blocks, factors, years)
    size = blocks["tonnes"] * blocks["active"] * meq
    held_capacity, held_output = _held(blocks, years)
    return xr.Dataset({
        "capacity_magnet_eq_t": _sum_by_stage(share * size, indicator) + _held_by_stage(held_capacity, meq, indicator),
        "production_magnet_eq_t": _sum_by_stage(share * (size * _rate(blocks, factors)), indicator)
        + _held_by_stage(held_output, meq, indicator),
    })


def _sum_by_stage(values: xr.DataArray, indicator: xr.DataArray) -> xr.DataArray:
    """Sum over blocks into stages as a batched matrix product (year x block) @ (block x stage)."""
    leading = [d for d in values.dims if d not in ("block", "year")]
    product = values.transpose(*leading, "year", "block").values @ indicator.values
    summed = xr.DataArray(product, dims=(*leading, "year", "stage"),
                          coords={"year": values["year"], "stage": indicator["stage"],
                                  **{d: values[d] for d in leading if d in values.coords}})
    return summed.transpose(*leading, "stage", "year")


def _held_by_stage(held: xr.DataArray, meq: xr.DataArray, indicator: xr.DataArray) -> xr.DataArray:
    """Statistics' held tonnes (block x year) converted and summed into stages: (stage x block) @ (block x year)."""
    weights = meq * indicator  # (draw,) block, stage
    leading = [d for d in weights.dims if d not in ("block", "stage")]
    product = weights.transpose(*leading, "stage", "block").values @ held.transpose("block", "year").values
    return xr.DataArray(product, dims=(*leading, "stage", "year"),
                        coords={"stage": indicator["stage"], "year": held["year"],
                                **{d: weights[d] for d in leading if d in weights.coords}})


def _stage_indicator(stages: xr.DataArray) -> xr.DataArray:
    return xr.DataArray(np.equal.outer(stages.values, np.array(STAGES, dtype=object)).astype(float),
                        dims=("block", "stage"), coords={"stage": list(STAGES)})


def _ordered(array: xr.DataArray, order: tuple[str, ...]) -> xr.DataArray:
    return array.transpose(*[d for d in order if d in array.dims])


def stage_sums(realised: xr.Dataset, stages: xr.DataArray) -> xr.Dataset:
    """Magnet-equivalent capacity and production of each stage (0 where a stage has no block)."""
    indicator = _stage_indicator(stages)
    return xr.Dataset({name: _sum_by_stage(realised[name], indicator)
                       for name in ("capacity_magnet_eq_t", "production_magnet_eq_t")})


def demand(inputs_demand: xr.Dataset, region: str, years) -> xr.DataArray:
    """Direct magnet demand of a region by year; NaN throughout when the region has no sourced path."""
    years = _years(years)
    if region not in inputs_demand["region"].values:
        return xr.full_like(years, np.nan, dtype=float)
    path = inputs_demand.sel(region=region, drop=True)
    return path["base_t"] * (1 + path["growth"]) ** (years - path["base_year"])


def evaluate(inputs, region: str = "WORLD", years=range(2024, 2036)) -> xr.Dataset:
    """A region's capacity, production, demand, self-sufficiency, gap and weak link by stage and year."""
    region = region.strip().upper()
    blocks = inputs.blocks.isel(block=np.flatnonzero(inputs.member(region)))
    return summarise(inputs, region, blocks, stage_totals(blocks, inputs.factors, years), years)


def summarise(inputs, region: str, blocks: xr.Dataset, sums: xr.Dataset, years) -> xr.Dataset:
    """The stage indicators of a region from its blocks' stage totals (see :func:`evaluate`)."""
    need = demand(inputs.demand, region, years)
    empty, partial = unknown_capacity(sums["capacity_magnet_eq_t"], inputs.unsized_count(region),
                                      uncovered_stages(blocks))
    result = indicators(sums["capacity_magnet_eq_t"].where(~empty), sums["production_magnet_eq_t"].where(~empty),
                        need, ~empty & ~partial)
    return result.assign_coords(region=region)


def unknown_capacity(capacity: xr.DataArray, unsized: dict[str, int],
                     uncovered: dict[str, list[str]]) -> tuple[xr.DataArray, xr.DataArray]:
    """Where a stage's capacity is unknown: ``empty`` where it counts nothing but has operating plants
    without a figure (the capacity itself is then unknown, never 0), ``partial`` where a country's
    national totals are sourced for the stages around it but not for it (the listed plants are a
    lower bound, so no self-sufficiency is stated)."""
    stages = capacity["stage"]
    has_unsized = xr.DataArray([unsized.get(s, 0) > 0 for s in stages.values], coords={"stage": stages})
    partial = xr.DataArray([bool(uncovered.get(s)) for s in stages.values], coords={"stage": stages})
    return (capacity <= 0) & has_unsized, partial.broadcast_like(capacity)


def uncovered_stages(blocks: xr.Dataset) -> dict[str, list[str]]:
    """Stage -> countries with national totals sourced for stages above and below it but not for it."""
    statistic = blocks["is_statistic"].values
    by_country: dict[str, set[str]] = {}
    for country, stage in zip(blocks["country"].values[statistic], blocks["stage"].values[statistic]):
        by_country.setdefault(country, set()).add(stage)
    order = list(PRIMARY_STAGES)
    out: dict[str, list[str]] = {}
    for country, stages in sorted(by_country.items()):
        sourced = [order.index(s) for s in stages if s in order]
        if len(sourced) < 2:
            continue  # a country may simply not have the other stages (Japan makes magnets from imports)
        for stage in order[min(sourced) + 1:max(sourced)]:
            if stage not in stages:
                out.setdefault(stage, []).append(country)
    return out


def indicators(capacity: xr.DataArray, production: xr.DataArray, need: xr.DataArray, known: xr.DataArray) -> xr.Dataset:
    """Self-sufficiency, gap and weak link from stage capacity and demand; none is stated where the
    capacity is not ``known``."""
    self_sufficiency = (capacity / need).where(known)
    gap = (need - capacity).clip(min=0)
    # Separation takes mined ore and recycled scrap alike: the mine is ranked with the recycled feed.
    recycled = capacity.sel(stage="recycling").fillna(0.0)
    ranking = self_sufficiency.where(capacity["stage"] != "mine", (capacity + recycled) / need).where(known)
    ranking = ranking.sel(stage=list(PRIMARY_STAGES))
    weak = _lowest(ranking).reindex(stage=list(STAGES), fill_value=False)
    result = xr.Dataset({"stage_capacity_t": capacity, "stage_production_t": production, "demand_t": need,
                         "self_sufficiency": self_sufficiency, "gap_t": gap, "weak_link": weak,
                         "capacity_known": known.broadcast_like(capacity)})
    return xr.Dataset({name: check(name, _ordered(result[name], ("draw", "stage", "year")))
                       for name in result.data_vars})


def _lowest(ranking: xr.DataArray) -> xr.DataArray:
    """True at the stage with the lowest value (the first of equals); False everywhere when all are NaN."""
    values = ranking.transpose(..., "stage").values
    filled = np.where(np.isnan(values), np.inf, values)
    lowest = np.argmin(filled, axis=-1)
    any_known = ~np.all(np.isnan(values), axis=-1)
    mask = (np.arange(values.shape[-1]) == lowest[..., None]) & any_known[..., None]
    dims = [d for d in ranking.transpose(..., "stage").dims]
    return xr.DataArray(mask, dims=dims, coords={d: ranking[d] for d in dims})
