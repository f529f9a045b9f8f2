"""The dashboard's pages: HTML over the same service as the API, each with its JSON twin.

Pages are rendered on the server with Jinja2; charts are drawn in the browser with Plotly, whose
script is served from the installed plotly package, and the map's basemap from the package's
own TopoJSON. Nothing is fetched from elsewhere, so the dashboard works offline.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

import plotly
from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape

from magchain import __version__
from magchain.numbers import percent
from magchain.scenario import library
from magchain.vocab import STAGES, STATUSES
from magchain.web.encode import clean
from magchain.web.geo import placed
from magchain.web.kept import kept

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC = resources.files("magchain") / "web" / "static"
OUTLOOK_YEAR = 2030  # the year whose weak link the outlook page answers with, when in range
BAND_DRAWS = 500  # Monte Carlo draws behind the outlook page's bands (about 3 s, then kept)
TEMPLATES = Environment(loader=PackageLoader("magchain", "web/templates"), autoescape=select_autoescape(["html"]))


def render(name: str, **context) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(version=__version__, **context))


def error_page(status: int, message: str) -> HTMLResponse:
    page = render("error.html", title=f"Error {status}", page=None, twin=None, plotly=False, message=message)
    return HTMLResponse(page.body, status_code=status)


def _json(value) -> str:
    """JSON for a <script type="application/json"> block: '</' cannot close the block early."""
    return json.dumps(value, ensure_ascii=False, default=float).replace("</", "<\\/")


def _capacity(facility: dict) -> str:
    if facility.get("capacity_t_per_yr") is None:
        return "unknown"
    kind = f", {facility['capacity_type']}" if facility.get("capacity_type") else ""
    return f"{facility['capacity_t_per_yr']:,.0f} t/yr {facility.get('material') or ''}{kind}".replace("  ", " ")


def map_points(rows: list[dict]) -> list[dict]:
    """Facilities with their map position and a marker size that grows with capacity."""
    points = []
    for row in rows:
        capacity = row.get("capacity_t_per_yr")
        size = 6 + min(24.0, (capacity or 0) ** 0.5 / 6)
        points.append({**row, **placed(row), "capacity_label": _capacity(row), "marker_size": round(size, 1)})
    return points


def register(app: FastAPI, service) -> None:
    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)  # ahead of the mount, so it wins
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> HTMLResponse:
        counts = {"facilities": len(service.facilities()), "scenarios": len(library.scenarios())}
        return render("home.html", title="The NdFeB magnet supply chain, sourced", page="home", twin="/api",
                      counts=counts, plotly=False)

    @app.get("/map", include_in_schema=False)
    def world_map(stage: str | None = None, status: str | None = None, as_of: str | None = None) -> HTMLResponse:
        stage, status = stage or None, status or None
        points = map_points(service.facilities(stage=stage, status=status, as_of=as_of))
        query = urlencode({k: v for k, v in {"stage": stage, "status": status, "as_of": as_of, "limit": 1000}.items() if v})
        return render("map.html", title="Facilities by stage and status", page="map", twin=f"/api/facilities?{query}",
                      plotly=True, points=points, points_json=_json(points), stages=STAGES, statuses=STATUSES,
                      stage=stage, status=status, at_site=sum(p["placed"] == "site" for p in points),
                      at_country=sum(p["placed"] == "country" for p in points),
                      unplaced=sum(p["placed"] is None for p in points))

    @app.get("/facilities/{facility_id}", include_in_schema=False)
    def facility(facility_id: str, as_of: str | None = None) -> HTMLResponse:
        record = service.facility(facility_id, as_of)
        return render("facility.html", title=record["name"], page="map", twin=f"/api/facilities/{facility_id}",
                      plotly=False, f=record, capacity=_capacity(record))

    @app.get("/outlook", include_in_schema=False)
    async def outlook(region: str = "US", years: str = "2024:2035", demand: str = "base",
                      as_of: str | None = None) -> HTMLResponse:
        return await kept(service, "outlook-page", (region.upper(), years, demand, as_of),
                          lambda: outlook_page(service, region, years, demand, as_of))

    @app.get("/scenarios", include_in_schema=False)
    def scenarios() -> HTMLResponse:
        return render("scenarios.html", title="Scenarios", page="scenarios", twin="/api/scenarios", plotly=True,
                      scenarios=library.scenarios())

    @app.get("/scenarios/{name}", include_in_schema=False)
    def scenario(name: str) -> HTMLResponse:
        spec = library.find(name)
        return render("scenario.html", title=spec.title or spec.name, page="scenarios", twin="/api/scenarios",
                      plotly=True, description=spec.description or "", names=[spec.name])

    @app.get("/compare", include_in_schema=False)
    def compare(a: str, b: str) -> HTMLResponse:
        specs = [library.find(a), library.find(b)]
        return render("scenario.html", title=f"{specs[0].name} against {specs[1].name}", page="scenarios",
                      twin="/api/scenarios", plotly=True, description="Two scenarios side by side.",
                      names=[s.name for s in specs])

    @app.get("/review", include_in_schema=False)
    def review(state: str = "pending") -> HTMLResponse:
        items = [{**c, "in_document": service.in_document(c), "proposal": service.proposal(c) if c["review"] == "pending" else {}}
                 for c in service.review_queue(None if state == "all" else state)]
        return render("review.html", title="Review queue", page="review", twin=f"/api/review?state={state}",
                      plotly=False, items=items, state=state)

    @app.get("/backtests", include_in_schema=False)
    async def backtests() -> HTMLResponse:
        def build() -> HTMLResponse:
            results = [b.to_json() for b in service.backtests()]
            return render("backtests.html", title="Backtests: the model against what happened", page="backtests",
                          twin="/api/backtests", plotly=True, backtests=results, data_json=_json(clean(results)))

        return await kept(service, "backtests-page", None, build)

    @app.get("/flows", include_in_schema=False)
    def flows(region: str = "US", year: int = OUTLOOK_YEAR, demand: str = "base",
              as_of: str | None = None) -> HTMLResponse:
        found = service.flows(region, year, demand, as_of)
        query = urlencode({k: v for k, v in {"region": region, "year": year, "demand": demand, "as_of": as_of}.items() if v})
        return render("flows.html", title=f"Flows through {found.region}'s chain in {found.year}", page="flows",
                      twin=f"/api/flows?{query}", plotly=True, region=found.region, year=found.year, demand=demand,
                      answer=found.sentence(), flows=found, flows_json=_json(found.to_json()))

    @app.get("/digest", include_in_schema=False)
    def digest(since: str | None = None) -> HTMLResponse:
        found = service.digest(since or None)
        return render("digest.html", title=f"What changed since {found['since']}", page="digest",
                      twin=f"/api/digest?since={found['since']}", plotly=False, d=found)

    @app.get("/report", include_in_schema=False)
    def report(region: str = "US") -> HTMLResponse:
        return render("report.html", title="The periodic assessment", page="report",
                      twin=f"/api/report?region={region.upper()}", plotly=False, region=region.upper())


def outlook_page(service, region: str, years: str, demand: str, as_of: str | None) -> HTMLResponse:
    """The outlook of a region: the answer first, the chart with its caveats, then the table."""
    result = service.outlook(region, years, demand, None, as_of)
    rows = result.rows()
    year = OUTLOOK_YEAR if OUTLOOK_YEAR in result.years else int(result.years[-1])
    bands = service.uncertainty(result.region, years, demand, BAND_DRAWS, as_of=as_of)
    query = urlencode({k: v for k, v in {"region": region, "years": years, "demand": demand, "as_of": as_of,
                                         "draws": BAND_DRAWS}.items() if v})
    return render("outlook.html", title=f"Outlook for {result.region}", page="outlook", twin=f"/api/outlook?{query}",
                  plotly=True, region=result.region, years=years, demand=demand, answer=result.sentence(year),
                  chance=_chance(bands, year), draws=BAND_DRAWS, rows_json=_json(rows),
                  bands_json=_json(clean(bands.to_dict())), caveats=_caveats(rows, demand, year),
                  **_table(rows, bands))


def _chance(bands, year: int) -> str:
    """The probability sentence beside the answer: P(own magnet capacity meets own demand)."""
    share = bands.year(year)["stages"]["magnet"]["p_self_sufficient"]
    if share is None:
        return f"The chance that magnet capacity meets demand in {year} is unknown (capacity or demand not sourced)."
    return (f"Chance that own magnet capacity meets own demand in {year}: {100 * share:.0f} % "
            f"over {bands.draws:,} draws of delays, ramp-ups, demand and parameters.")


def _caveats(rows: list[dict], demand: str, year: int) -> list[str]:
    """What the chart leaves out, from the outlook's own rows for the answer's year."""
    at_year = [r for r in rows if r["year"] == year]
    notes = [f"Demand: the sourced '{demand}' preset, direct demand for magnets (not magnets inside imported goods)."]
    for row in at_year:
        if row.get("unsized_plants"):
            notes.append(f"{row['stage']}: {row['unsized_plants']} plant(s) without a capacity figure are left out.")
        if row.get("uncovered_countries"):
            notes.append(f"{row['stage']}: no statistic fills the gap for {row['uncovered_countries']}.")
        if row.get("capacity_known") is False:
            notes.append(f"{row['stage']}: capacity unknown (no sized plant and no statistic).")
    notes.append("Each plant's capacity cites its source on its facility page (the map links every plant).")
    return notes


def _table(rows: list[dict], bands) -> dict:
    """Self-sufficiency by stage (rows) and year (columns), the weak link marked, and beside each
    stage's share the chance that it is at least 100 %."""
    years = sorted({r["year"] for r in rows})
    stages = [s for s in STAGES if any(r["stage"] == s for r in rows)]
    at = {(r["stage"], r["year"]): r for r in rows}
    chances = {year: bands.year(year)["stages"] for year in years if year in bands.years}
    table = []
    for stage in stages:
        cells = []
        for year in years:
            row = at.get((stage, year), {})
            share = row.get("self_sufficiency")
            chance = chances.get(year, {}).get(stage, {}).get("p_self_sufficient")
            cells.append({"text": percent(share), "weak": bool(row.get("weak_link")),
                          "chance": None if chance is None else percent(chance)})
        table.append((stage, cells))
    return {"table": table, "table_years": years}
