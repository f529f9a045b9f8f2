"""The REST API over the service layer: listings, errors, the model, background jobs."""

from __future__ import annotations

import html
import io
import re
import time
import zipfile

import openpyxl
import pytest
from fastapi.testclient import TestClient

from magchain.service import Service
from magchain.web.api import create_app


@pytest.fixture(scope="module")
def client(shipped_sqlite):
    with TestClient(create_app(Service(store=shipped_sqlite))) as client:
        yield client


def _finished(client, job: dict, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(f"/api/jobs/{job['id']}").json()
    return job


def test_listings_filter_and_page(client):
    every = client.get("/api/facilities", params={"stage": "magnet", "limit": 1000}).json()
    assert every["total"] == len(every["items"]) > 20 and {f["stage"] for f in every["items"]} == {"magnet"}
    second = client.get("/api/facilities", params={"stage": "magnet", "limit": 5, "offset": 5}).json()
    assert second["total"] == every["total"] and second["items"] == every["items"][5:10]
    us = client.get("/api/facilities", params={"stage": "magnet", "country": "US"}).json()["items"]
    assert us and all(f["country"] == "US" and f["sources"] for f in us)


def test_a_facility_has_its_history_and_citations(client):
    facility = client.get("/api/facilities/evac-sumter").json()
    assert facility["id"] == "evac-sumter" and facility["history"] and facility["sources"]


@pytest.mark.parametrize("path, params, status, kind, words", [
    ("/api/facilities/no-such-plant", {}, 404, "not_found", "no-such-plant"),
    ("/api/facilities", {"stage": "smelting"}, 422, "invalid_input", "stage 'smelting'"),
    ("/api/facilities", {"limit": 0}, 422, "invalid_input", "limit"),
    ("/api/outlook", {"region": "US", "years": "2030:2020"}, 422, "invalid_input", ""),
    ("/api/no-such-endpoint", {}, 404, "not_found", ""),
    ("/api/review/no-such-fact", {}, 404, "not_found", "no-such-fact"),
])
def test_every_failure_has_one_shape(client, path, params, status, kind, words):
    response = client.get(path, params=params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status and error["kind"] == kind and words in error["message"]


def test_a_page_that_fails_says_why_as_a_page(client):
    response = client.get("/facilities/no-such-plant")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in response.text and "No facility &#39;no-such-plant&#39;" in response.text


def test_the_outlook_names_the_weak_link(client):
    outlook = client.get("/api/outlook", params={"region": "US", "years": "2025:2026"}).json()
    assert outlook["region"] == "US" and {r["year"] for r in outlook["rows"]} == {2025, 2026}
    assert "weak link" in outlook["sentences"]["2025"]


def test_a_scenario_runs_as_a_job_and_gives_its_result(client):
    job = client.post("/api/jobs/scenario", json={"scenario": "mountain-pass-outage-6m"})
    assert job.status_code == 202 and job.json()["status"] in ("queued", "running")
    done = _finished(client, job.json())
    assert done["status"] == "done", done["error"]
    assert done["result"]["scenario"] == "mountain-pass-outage-6m" and done["result"]["prices"]
    assert done["id"] in {j["id"] for j in client.get("/api/jobs").json()["items"]}


def test_a_bad_scenario_is_refused_before_any_job_starts(client):
    before = len(client.get("/api/jobs").json()["items"])
    text = "name: x\nbase: {start: 2025-01, end: 2025-03}\nevents:\n  - {kind: meteor}\n"
    response = client.post("/api/jobs/scenario", json={"yaml": text})
    assert response.status_code == 422 and "line 4" in response.json()["error"]["message"]
    assert client.post("/api/jobs/scenario", json={}).status_code == 422
    assert len(client.get("/api/jobs").json()["items"]) == before


def test_a_queued_job_can_be_cancelled(client):
    first = client.post("/api/jobs/compare", json={"scenarios": ["baseline", "mountain-pass-outage-6m"]}).json()
    queued = client.post("/api/jobs/scenario", json={"scenario": "baseline"}).json()
    cancelled = client.delete(f"/api/jobs/{queued['id']}").json()
    assert cancelled["status"] == "cancelled"
    assert _finished(client, first)["status"] == "done"
    assert client.get(f"/api/jobs/{queued['id']}").json()["status"] == "cancelled"  # it never ran
    assert client.delete("/api/jobs/nope").status_code == 404


def test_openapi_and_the_endpoint_list_are_served_without_a_cdn(client):
    spec = client.get("/openapi.json").json()
    assert "/api/facilities" in spec["paths"] and "/api/jobs/scenario" in spec["paths"]
    listed = {e["path"] for e in client.get("/api").json()["endpoints"]}
    assert listed >= {"/api/facilities", "/api/outlook", "/api/scenarios"}
    assert client.get("/docs").status_code == 404  # Swagger's page would load its scripts from a CDN


def test_the_cli_prints_its_version_and_will_not_serve_a_store_it_cannot_reach(cli):
    assert cli("--version").output.strip().startswith("magchain ")
    refused = cli("--db", "postgresql://nobody@127.0.0.1:1/none", "serve", "--port", "8765")
    assert refused.exit_code == 6 and "Traceback" not in refused.output


PAGES = ["/", "/map?stage=magnet", "/facilities/evac-sumter", "/outlook?region=US&years=2025:2027",
         "/flows?region=US&year=2030", "/scenarios", "/scenarios/baseline", "/compare?a=baseline&b=dytb-thrifting-80",
         "/backtests", "/review", "/digest"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin(client, path):
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', page.text)
    assert twin, f"{path} names no JSON twin"
    answer = client.get(html.unescape(twin.group(1)))
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"


def test_the_outlook_twin_carries_the_pages_bands(client):
    outlook = client.get("/api/outlook", params={"region": "US", "years": "2025:2027", "draws": 200}).json()
    bands = outlook["uncertainty"]
    assert bands["draws"] == 200 and [y["year"] for y in bands["years"]] == [2025, 2026, 2027]
    magnet = bands["years"][-1]["stages"]["magnet"]
    assert 0 <= magnet["p_self_sufficient"] <= 1
    assert magnet["stage_capacity_t"]["p5"] <= magnet["stage_capacity_t"]["p50"] <= magnet["stage_capacity_t"]["p95"]


def test_the_flows_balance_and_add_up_to_the_outlook(client):
    flows = client.get("/api/flows", params={"region": "US", "year": 2030}).json()
    rows = {r["stage"]: r for r in client.get("/api/outlook", params={"region": "US", "years": "2030:2030"}).json()["rows"]}
    into = lambda name: sum(l["tonnes"] for l in flows["links"] if l["target"] == name)
    out_of = lambda name: sum(l["tonnes"] for l in flows["links"] if l["source"] == name)
    assert into("US users (demand)") == pytest.approx(rows["magnet"]["demand_magnet_eq_t"], abs=1)
    for stage in ("separation", "metal", "alloy", "magnet"):  # what a stage makes is what it takes in
        assert into(f"US {stage}") == pytest.approx(rows[stage]["production_magnet_eq_t"], abs=1)
        assert out_of(f"US {stage}") == pytest.approx(rows[stage]["production_magnet_eq_t"], abs=1)
    assert "leans most on imports" in flows["sentence"]
    world = client.get("/api/flows", params={"region": "WORLD", "year": 2030}).json()
    assert not [l for l in world["links"] if l["kind"] == "import"]  # the world imports from nobody


def test_export_then_import_into_an_empty_store_reproduces_it(client, tmp_path):
    from magchain import team
    from magchain.store import Store

    exported = client.get("/api/export", params={"format": "csv"})
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        names = set(archive.namelist())
    assert {"facilities.csv", "capacities.csv", "sources.csv"} <= names
    store = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}", initialise=False)
    store.upgrade()
    admin, reader = team.add_user(store, "ada", "admin"), team.add_user(store, "rob", "read")
    with TestClient(create_app(Service(store=store))) as empty:
        url = "/api/import?filename=backup.zip"
        assert empty.post(url, content=exported.content).status_code == 401
        assert empty.post(url, content=exported.content, headers={"Authorization": f"Bearer {reader}"}).status_code == 403
        auth = {"Authorization": f"Bearer {admin}"}
        bad = empty.post("/api/import?filename=facilities.csv", content=b"id,name\nx,\n", headers=auth)
        assert bad.status_code == 422 and "facilities.csv, row 1: has no column company_id" in bad.json()["error"]["message"]
        assert "magchain-import-" not in bad.json()["error"]["message"]  # the upload named, not the scratch folder
        dry = empty.post(url + "&dry_run=true", content=exported.content, headers=auth).json()
        assert dry["dry_run"] and dry["added"] > 1000 and empty.get("/api/facilities").json()["total"] == 0
        done = empty.post(url, content=exported.content, headers=auth).json()
        assert done["added"] == dry["added"] and not done["dry_run"]
        for listing in ("/api/facilities", "/api/sources", "/api/events", "/api/companies"):
            assert empty.get(listing).json()["total"] == client.get(listing).json()["total"]
        assert _same_tables(empty, exported.content)  # every row of every table, as exported
        log = empty.get("/api/audit", headers=auth).json()["items"]
    assert [(e["user"], e["action"], e["target"]) for e in log if e["action"] == "import"] == [("ada", "import", "backup.zip")]
    store.close()


def _same_tables(client, exported: bytes) -> bool:
    """Both exports hold the same rows in every table (the zip's timestamps may differ)."""
    read = lambda content: {n: a.read(n) for a in [zipfile.ZipFile(io.BytesIO(content))] for n in a.namelist()}
    return read(client.get("/api/export").content) == read(exported)


def test_an_assessment_runs_as_a_job_with_its_files_and_twin(client):
    assert client.get("/api/report", params={"region": "JP"}).status_code == 404
    job = client.post("/api/jobs/report", json={"region": "US", "draws": 100})
    assert job.status_code == 202
    done = _finished(client, job.json(), seconds=300)
    assert done["status"] == "done", done["error"]
    assert done["result"]["region"] == "US" and done["result"]["sources"] and done["result"]["answer"]
    twin = client.get("/api/report", params={"region": "us"}).json()
    assert twin["job"] == done["id"] and twin["answer"] == done["result"]["answer"]
    page = client.get(f"/api/jobs/{done['id']}/report.html")
    assert page.status_code == 200 and "<svg" in page.text and "attachment" in page.headers["content-disposition"]
    book = client.get(f"/api/jobs/{done['id']}/report.xlsx")
    assert "Sources" in openpyxl.load_workbook(io.BytesIO(book.content)).sheetnames
    assert client.get(f"/api/jobs/{done['id']}/report.doc").status_code == 422
    scenario = client.post("/api/jobs/scenario", json={"scenario": "baseline"}).json()
    assert client.get(f"/api/jobs/{scenario['id']}/report.html").status_code == 409  # not a report
