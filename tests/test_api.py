"""The REST API over the service layer: listings, errors, the model, background jobs."""

from __future__ import annotations

import time

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
