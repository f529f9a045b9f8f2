"""A region's chain as flows for one year: what its own plants pass down the chain, what it must
import at each step and what it has left to export, in magnet-equivalent tonnes.

The outlook does not route trade between countries, so the flows are its own accounting: a
stage's own output feeds the next stage up to that stage's output (the users' demand after the
magnet makers); the rest of what the next stage makes needs imported input, and what is left of
the stage's own output is surplus, free to export. The world imports nothing: there, input no
stage upstream accounts for is a gap in the data (or production integrated in the next stage's
plants, as alloy in many magnet works). Every number is a row of the outlook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from magchain.errors import InvalidInput
from magchain.numbers import known
from magchain.vocab import STAGES

CHAIN = tuple(s for s in STAGES if s != "recycling")  # the order material moves in
USERS = "users"
WORLD = "WORLD"


@dataclass
class Flows:
    region: str
    year: int
    links: list[dict]  # source, target, tonnes, kind (own, import, surplus; unaccounted for the world)
    unknown: list[str] = field(default_factory=list)  # stages left out: no capacity known
    recycled_t: float | None = None  # recycled feed's output, not drawn (its stage of entry is not modelled)

    def to_json(self) -> dict:
        return {"region": self.region, "year": self.year, "unit": "t a year, magnet-equivalent",
                "links": self.links, "unknown_stages": self.unknown, "recycled_t": self.recycled_t}

    def largest_import(self) -> dict | None:
        imports = [link for link in self.links if link["kind"] in ("import", "unaccounted")]
        return max(imports, key=lambda link: link["tonnes"]) if imports else None

    def sentence(self) -> str:
        """The flows' answer: where the region's chain leans on imports most."""
        biggest = self.largest_import()
        if biggest is None:
            return f"In {self.year} {self.region}'s own plants supply every step of its chain."
        if biggest["kind"] == "unaccounted":
            return (f"In {self.year} the largest input no sourced capacity accounts for is at {biggest['target']}: "
                    f"{biggest['tonnes']:,.0f} t (magnet-equivalent), a gap in the data or production "
                    "integrated in the next stage's plants.")
        return (f"In {self.year} {self.region}'s chain leans most on imports at {biggest['target']}: "
                f"{biggest['tonnes']:,.0f} t of its input (magnet-equivalent) comes from abroad.")


def node(region: str, stage: str) -> str:
    return f"{region} {stage}" if stage != USERS else f"{region} users (demand)"


def flows(result, year: int) -> Flows:
    """The flows of an outlook's region in ``year`` (one of its years)."""
    rows = {r["stage"]: r for r in result.rows() if r["year"] == year}
    if not rows:
        raise InvalidInput(f"{year} is outside the outlook's years {result.years[0]}-{result.years[-1]}.")
    region = result.region
    made = {stage: _number(rows[stage].get("production_magnet_eq_t")) for stage in CHAIN if stage in rows}
    made[USERS] = _number(rows[CHAIN[-1]].get("demand_magnet_eq_t"))
    links, unknown = [], [s for s in CHAIN if made.get(s) is None]
    inflow, leftover = ("unaccounted", "unused") if region == WORLD else ("import", "surplus")
    inflow_word = "unaccounted" if region == WORLD else "imported"
    for stage, following in zip(CHAIN, (*CHAIN[1:], USERS)):
        own, need = made.get(stage), made.get(following)
        if own is None or need is None:
            continue
        used = min(own, need)
        material = rows[stage].get("material") or stage
        _link(links, node(region, stage), node(region, following), used, "own")
        _link(links, f"{inflow_word} {material}", node(region, following), need - used, inflow)
        _link(links, node(region, stage), f"{leftover} {material}", own - used, leftover)
    recycled = _number(rows.get("recycling", {}).get("production_magnet_eq_t"))
    return Flows(region, int(year), links, unknown, recycled)


def _link(links: list[dict], source: str, target: str, tonnes: float, kind: str) -> None:
    if tonnes > 0.5:  # under a tonne is rounding, not a flow
        links.append({"source": source, "target": target, "tonnes": round(tonnes, 1), "kind": kind})


def _number(value) -> float | None:
    return float(value) if known(value) else None
