"""The REST API: every question of :class:`~magchain.service.Service` over HTTP, as JSON.

Listings page with ``limit`` and ``offset`` and say how many rows match (``total``). Long runs
(scenarios, comparisons, backtests) are background jobs: POST starts one, GET polls it, DELETE
cancels it. Every failure has one shape, ``{"error": {"kind", "message", "status"}}``, with the
status of its kind (404 not found, 422 invalid input, 409 conflict, 503 store unavailable).
OpenAPI is at ``/openapi.json``; ``/api`` lists the endpoints.
"""

from __future__ import annotations

import io
import json
import logging
import os
import tempfile
import zipfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from magchain import __version__, team
from magchain.errors import (
    Conflict,
    Infeasible,
    InvalidInput,
    MagchainError,
    NotFound,
    Stale,
    StoreUnavailable,
)
from magchain.scenario.spec import parse
from magchain.service import Service
from magchain.web import pages
from magchain.web.encode import clean
from magchain.web.jobs import Jobs
from magchain.web.kept import kept


class Unauthorised(MagchainError):
    """No token, or one that belongs to nobody."""


class Forbidden(MagchainError):
    """A token whose scope does not reach the request."""


STATUS = {NotFound: 404, InvalidInput: 422, Infeasible: 422, Conflict: 409, StoreUnavailable: 503,
          Unauthorised: 401, Forbidden: 403}
KIND = {401: "unauthorised", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 409: "conflict",
        422: "invalid_input", 503: "store_unavailable"}
MAX_LIMIT = 1000
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
LOG = logging.getLogger("magchain.web")


def status_of(error: Exception) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400 if isinstance(error, MagchainError) else 500


def error_shape(error: Exception) -> dict:
    """The one shape of every failure; an unexpected one says so without its internals. A stale
    change carries the record as it stands now."""
    status = status_of(error)
    message = str(error) if status < 500 else "Internal error: the server could not answer; the log has the details."
    shape = {"kind": KIND.get(status, "bad_request" if status < 500 else "internal"), "message": message,
             "status": status}
    if isinstance(error, Stale):
        shape["current"] = clean(error.current)
    return shape


def _respond(request: Request, status: int, kind: str, message: str, extra: dict | None = None):
    """The error as JSON for the API, as a page for a page."""
    if not request.url.path.startswith(("/api", "/openapi")):
        from magchain.web.pages import error_page

        return error_page(status, message)
    return JSONResponse({"error": {"kind": kind, "message": message, "status": status, **(extra or {})}},
                        status_code=status)


def page(rows: list[dict], limit: int, offset: int) -> dict:
    return {"total": len(rows), "limit": limit, "offset": offset, "items": clean(rows[offset:offset + limit])}


def serialised(payload) -> Response:
    """JSON built once: a kept answer is sent as the bytes it was first written to."""
    return Response(json.dumps(payload, ensure_ascii=False, default=float).encode(), media_type="application/json")


class ScenarioRequest(BaseModel):
    scenario: str | None = Field(None, description="A shipped scenario's name, e.g. china-export-controls-2025")
    yaml: str | None = Field(None, description="A scenario file's text, instead of a name")
    as_of: str | None = None


class CompareRequest(BaseModel):
    scenarios: list[str] = Field(default_factory=list, description="Shipped names; empty for every shipped scenario")
    as_of: str | None = None


class Decision(BaseModel):
    version: int = Field(description="The candidate's version you looked at; a stale one is refused with 409")


class Edit(Decision):
    changes: dict[str, Any] = Field(description="Fields to change, e.g. {\"facility_id\": \"evac-sumter\"}")


class BacktestRequest(BaseModel):
    episode: str | None = Field(None, description="An episode's name; empty for every shipped episode")


class UncertaintyRequest(BaseModel):
    region: str = Field("US", description="A country code, a bloc (EU) or WORLD")
    years: str = "2024:2035"
    demand: str = "base"
    draws: int = Field(10_000, ge=100, le=100_000)
    seed: int = Field(1, ge=0)
    as_of: str | None = None


class ReportRequest(BaseModel):
    region: str = Field("US", description="A country code or a bloc (EU)")
    as_of: str | None = Field(None, description="Assess as known on this date (YYYY-MM-DD); today by default")
    since: str | None = Field(None, description="What changed since this date; 90 days before as_of by default")
    draws: int = Field(1000, ge=100, le=100_000, description="Monte Carlo draws behind the probabilities")


IMPORT_BYTES = 50 * 2**20  # an upload larger than this is refused before it is read


def create_app(service: Service | None = None, private: bool | None = None) -> FastAPI:
    """The API (and pages) over ``service``. Writes always need a token; reads need one too when
    ``private`` (default: the environment variable MAGCHAIN_PRIVATE_READS set to 1)."""
    service = service or Service()
    jobs = Jobs(error_shape)
    private = os.environ.get("MAGCHAIN_PRIVATE_READS") == "1" if private is None else private

    def needs(scope: str):
        async def check(authorization: str | None = Header(None, description="Bearer TOKEN")) -> dict | None:
            token = authorization.removeprefix("Bearer ").strip() if authorization else None
            user = await run_in_threadpool(service.user, token) if token else None  # no token: no lookup
            if scope == "read" and not private:
                return user
            if user is None:
                raise Unauthorised("This needs an API token: send 'Authorization: Bearer TOKEN' "
                                   "(an admin adds one with `magchain users add NAME --scope review`).")
            if not team.allows(user["scope"], scope):
                raise Forbidden(f"User {user['name']} has scope '{user['scope']}'; this needs '{scope}'.")
            return user

        return Depends(check)

    reader, reviewer, admin = needs("read"), needs("review"), needs("admin")

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        jobs.shutdown()

    # Swagger's and ReDoc's pages load their scripts from a CDN: not served (offline use).
    app = FastAPI(title="magchain", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="An open, sourced model of the NdFeB magnet value chain.", dependencies=[reader])
    app.state.service, app.state.jobs = service, jobs
    _errors(app)
    pages.register(app, service)
    limit = Query(100, ge=1, le=MAX_LIMIT, description="rows per page")
    offset = Query(0, ge=0, description="rows to skip")

    @app.get("/api", summary="The endpoints")
    def endpoints() -> dict:
        paths = app.openapi()["paths"]
        return {"version": __version__, "endpoints": [
            {"method": method.upper(), "path": path, "summary": spec.get("summary", "")}
            for path, methods in paths.items() for method, spec in methods.items()]}

    # -- registry -----------------------------------------------------------------------------------
    @app.get("/api/facilities", summary="Facilities, with capacity, status and sources")
    async def facilities(stage: str | None = None, country: str | None = None, status: str | None = None,
                   company: str | None = None, as_of: str | None = None, limit: int = limit,
                   offset: int = offset) -> dict:
        key = (stage, country, status, company, as_of, limit, offset)

        def build() -> Response:
            rows = service.facilities(stage=stage, country=country, status=status, company=company, as_of=as_of)
            return serialised(page(rows, limit, offset))

        return await kept(service, "facilities", key, build)

    @app.get("/api/facilities/{facility_id}", summary="One facility: its capacity history and citations")
    async def facility(facility_id: str, as_of: str | None = None) -> Response:
        return await kept(service, "facility", (facility_id, as_of),
                          lambda: serialised(clean(service.facility(facility_id, as_of))))

    @app.get("/api/companies", summary="Companies")
    async def companies(as_of: str | None = None, limit: int = limit, offset: int = offset) -> Response:
        return await kept(service, "companies", (as_of, limit, offset),
                          lambda: serialised(page(service.companies(as_of), limit, offset)))

    @app.get("/api/companies/{name}", summary="One company by name, id or alias, with its facilities")
    def company(name: str, as_of: str | None = None) -> dict:
        return clean(service.company(name, as_of))

    @app.get("/api/events", summary="Dated events: export controls, funding, offtakes, price floors")
    def events(kind: str | None = None, actor: str | None = None, since: str | None = None,
               as_of: str | None = None, limit: int = limit, offset: int = offset) -> dict:
        return page(service.events(kind=kind, actor=actor, since=since, as_of=as_of), limit, offset)

    @app.get("/api/sources", summary="Sources")
    async def sources(limit: int = limit, offset: int = offset) -> Response:
        return await kept(service, "sources", (limit, offset), lambda: serialised(page(service.sources(), limit, offset)))

    @app.get("/api/sources/{source_id}", summary="One source and what cites it")
    def source(source_id: str) -> dict:
        return clean(service.source(source_id))

    @app.get("/api/conflicts", summary="Sources that disagree")
    def conflicts(as_of: str | None = None, limit: int = limit, offset: int = offset) -> dict:
        return page(service.conflicts(as_of), limit, offset)

    # -- model --------------------------------------------------------------------------------------
    @app.get("/api/outlook", summary="Capacity against demand by stage and year, and the weak link")
    async def outlook(region: str = "WORLD", years: str = "2024:2035", demand: str = "base", growth: str | None = None,
                as_of: str | None = None,
                draws: int = Query(0, ge=0, le=500, description="Monte Carlo draws for bands (0: none; "
                                   "more through POST /api/jobs/uncertainty)")) -> Response:
        def build() -> Response:
            result = service.outlook(region, years, demand, growth, as_of)
            payload = {"region": result.region, "demand": demand, "rows": result.rows(),
                       "sentences": {str(y): result.sentence(y) for y in result.years}}
            if draws:
                payload["uncertainty"] = service.uncertainty(region, years, demand, draws, as_of=as_of).to_dict()
            return serialised(clean(payload))

        return await kept(service, "outlook", (region.upper(), years, demand, growth, as_of, draws), build)

    @app.get("/api/flows", summary="A region's chain as flows in one year: own output, imports needed, surplus")
    def flows(region: str = "US", year: int = Query(2030, ge=2000, le=2100), demand: str = "base",
              as_of: str | None = None) -> dict:
        found = service.flows(region, year, demand, as_of)
        return {**found.to_json(), "sentence": found.sentence()}

    @app.post("/api/jobs/uncertainty", status_code=202, summary="Monte Carlo over the outlook in the background")
    def run_uncertainty(request: UncertaintyRequest) -> dict:
        work = lambda: clean(service.uncertainty(request.region, request.years, request.demand, request.draws,
                                                 request.seed, request.as_of).to_dict())
        return jobs.submit("uncertainty", request.model_dump(), work).as_dict()

    @app.get("/api/backtests", summary="The model against what happened, for every shipped episode")
    async def backtests() -> Response:
        return await kept(service, "backtests", None, lambda: serialised(clean([b.to_json() for b in service.backtests()])))

    @app.get("/api/scenarios", summary="The shipped scenarios")
    async def scenarios() -> Response:
        return await kept(service, "scenarios", None, lambda: serialised(scenario_listing(service)))

    @app.post("/api/jobs/scenario", status_code=202, summary="Run a scenario in the background")
    def run_scenario(request: ScenarioRequest) -> dict:
        spec = _scenario(request)
        work = lambda: clean(json.loads(json.dumps(service.scenario(spec, request.as_of).to_json(), default=float)))
        return jobs.submit("scenario", request.model_dump(), work).as_dict()

    @app.post("/api/jobs/compare", status_code=202, summary="Compare scenarios in the background, worst first")
    def compare(request: CompareRequest) -> dict:
        names = request.scenarios or None
        return jobs.submit("compare", request.model_dump(), lambda: clean(service.compare(names, request.as_of))).as_dict()

    @app.post("/api/jobs/backtest", status_code=202, summary="Run backtests in the background")
    def backtest(request: BacktestRequest) -> dict:
        work = lambda: clean([b.to_json() for b in service.backtests(request.episode)])
        return jobs.submit("backtest", request.model_dump(), work).as_dict()

    # -- the periodic assessment -------------------------------------------------------------------
    @app.post("/api/jobs/report", status_code=202, summary="Assess a region's magnet industrial base in the background")
    def run_report(request: ReportRequest) -> dict:
        from magchain.report.assess import assess

        work = lambda: assess(service, request.region, request.as_of, request.since, draws=request.draws)
        return jobs.submit("report", request.model_dump(), work, present=lambda done: clean(done.to_json())).as_dict()

    @app.get("/api/report", summary="The latest assessment of a region made on this server")
    def latest_report(region: str = "US") -> dict:
        job = jobs.latest("report", lambda j: j.result.region == region.upper())
        if job is None:
            raise NotFound(f"No assessment of {region.upper()} yet: POST /api/jobs/report {{\"region\": "
                           f"\"{region.upper()}\"}} starts one.")
        return {"job": job.id, "finished": job.finished, **job.as_dict()["result"]}

    @app.get("/api/jobs/{job_id}/report.{fmt}", summary="A finished assessment as html, pdf or xlsx")
    def report_file(job_id: str, fmt: str) -> Response:
        from magchain.report.write import FORMATS, write

        job = jobs.get(job_id)
        if job.kind != "report" or job.status != "done":
            raise Conflict(f"Job {job_id} is a {job.kind} job, {job.status}: only a finished report has files.")
        if fmt not in FORMATS:
            raise InvalidInput(f"Format '{fmt}' is not one of: {', '.join(FORMATS)}.")
        done = job.result
        name = f"magchain-report-{done.region}-{done.as_of}.{fmt}"
        with tempfile.TemporaryDirectory(prefix="magchain-report-") as folder:
            content = write(done, Path(folder) / name, fmt).read_bytes()
        return Response(content, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # -- import and export --------------------------------------------------------------------------
    @app.post("/api/import", summary="Import a file in the documented schema, or a zip of them, all or nothing "
              "(admin scope)", openapi_extra={"requestBody": {"required": True, "content": {
                  "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def import_records(request: Request, filename: str = Query(..., description="e.g. facilities.csv, or "
                             "magchain-export-csv.zip as /api/export writes it: the name says the table and format"),
                             dry_run: bool = False, user: dict = admin) -> dict:
        content = await request.body()
        if len(content) > IMPORT_BYTES:
            raise InvalidInput(f"{filename} is over {IMPORT_BYTES // 2**20} MB; import it with `magchain import`.")
        name = Path(filename).name
        if not name or name.startswith("."):
            raise InvalidInput("filename must name a file, e.g. facilities.csv.")
        with tempfile.TemporaryDirectory(prefix="magchain-import-") as folder:
            try:
                report = service.import_file(_unpacked(content, Path(folder), name), user["name"], dry_run)
            except MagchainError as error:  # name the uploaded file, not the scratch folder
                kind = next((k for k in STATUS if isinstance(error, k)), MagchainError)
                raise kind(str(error).replace(f"{folder}/", "")) from None
        return {"dry_run": report.dry_run, "added": report.total_added, "changed": report.total_changed,
                "tables": report.rows()}

    @app.get("/api/export", summary="Every table, zipped: importing it into an empty store reproduces this one")
    def export(fmt: str = Query("csv", alias="format", description="csv, json, parquet or xlsx")) -> Response:
        return Response(service.export(fmt), media_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="magchain-export-{fmt}.zip"'})

    @app.get("/api/digest", summary="What changed: facts from documents read since a date, with their sentences")
    def digest(since: str | None = Query(None, description="YYYY-MM-DD; 7 days ago by default")) -> dict:
        return clean(service.digest(since))

    # -- review queue (team mode) ------------------------------------------------------------------
    @app.get("/api/review", summary="Candidate facts read from documents, with their sentence")
    def review_queue(state: str = "pending", source_id: str | None = None, limit: int = limit,
                     offset: int = offset) -> dict:
        return page(service.review_queue(None if state == "all" else state, source_id), limit, offset)

    @app.get("/api/review/{candidate_id}", summary="One candidate fact and its version")
    def candidate(candidate_id: str) -> dict:
        return clean(service.candidate(candidate_id))

    @app.post("/api/review/{candidate_id}/accept", summary="Accept a candidate into the registry (review scope)")
    def accept(candidate_id: str, decision: Decision, user: dict = reviewer) -> dict:
        return clean(service.decide("accept", candidate_id, user["name"], decision.version))

    @app.post("/api/review/{candidate_id}/reject", summary="Reject a candidate (review scope)")
    def reject(candidate_id: str, decision: Decision, user: dict = reviewer) -> dict:
        return clean(service.decide("reject", candidate_id, user["name"], decision.version))

    @app.patch("/api/review/{candidate_id}", summary="Edit a candidate before deciding (review scope)")
    def edit(candidate_id: str, change: Edit, user: dict = reviewer) -> dict:
        return clean(service.decide("edit", candidate_id, user["name"], change.version, change.changes))

    @app.get("/api/audit", summary="Who accepted, edited, rejected or imported what, and when (admin scope)")
    def audit(limit: int = limit, _: dict = admin) -> dict:
        return {"items": clean(service.audit_log(limit))}

    @app.get("/api/jobs", summary="The jobs kept, newest last (without their results)")
    def list_jobs() -> dict:
        return {"items": [j.as_dict(with_result=False) for j in jobs.all()]}

    @app.get("/api/jobs/{job_id}", summary="A job's status, and its result when done")
    def job(job_id: str) -> dict:
        return jobs.get(job_id).as_dict()

    @app.delete("/api/jobs/{job_id}", summary="Cancel a job")
    def cancel(job_id: str) -> dict:
        return jobs.cancel(job_id).as_dict(with_result=False)

    return app


def scenario_listing(service: Service) -> dict:
    return {"items": [{"name": s.name, "title": s.title, "description": s.description, "events": len(s.events),
                       "start": s.base.start, "end": s.base.end, "periods": s.base.periods}
                      for s in service.scenarios()]}


def _scenario(request: ScenarioRequest):
    """The scenario a request names or carries; refused at once, before any job starts."""
    from magchain.scenario import library

    if bool(request.scenario) == bool(request.yaml):
        raise InvalidInput("Give either 'scenario' (a shipped scenario's name) or 'yaml' (a scenario file's text).")
    if request.yaml:
        return parse(request.yaml, "request yaml")
    if "/" in request.scenario or request.scenario.endswith((".yaml", ".yml")):
        raise InvalidInput("'scenario' names a shipped scenario; send a file's text as 'yaml'.")
    return library.find(request.scenario)


def _unpacked(content: bytes, folder: Path, name: str) -> Path:
    """The upload as a file in ``folder``, or, for a zip, its files in a folder named after it."""
    path = folder / name
    if not name.lower().endswith(".zip"):
        path.write_bytes(content)
        return path
    path.mkdir()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.infolist():
                inner = Path(member.filename).name  # flattened: a member cannot write outside the folder
                if not member.is_dir() and inner and not inner.startswith("."):
                    (path / inner).write_bytes(archive.read(member))
    except zipfile.BadZipFile:
        raise InvalidInput(f"{name} is not a zip file; send a .csv, .xlsx, .json or .parquet file, or a zip of them.") from None
    return path


def _errors(app: FastAPI) -> None:
    @app.exception_handler(MagchainError)
    def library_error(request: Request, error: MagchainError):
        shape = error_shape(error)
        extra = {"current": shape["current"]} if "current" in shape else None
        return _respond(request, shape["status"], shape["kind"], shape["message"], extra)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
        return _respond(request, 422, "invalid_input", problems)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, error: HTTPException):
        return _respond(request, error.status_code, KIND.get(error.status_code, "bad_request"), str(error.detail))

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception) -> JSONResponse:
        LOG.exception("unexpected error answering %s %s", request.method, request.url.path)
        shape = error_shape(error)
        return _respond(request, 500, shape["kind"], shape["message"])
