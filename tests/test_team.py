"""Team mode on a real PostgreSQL server: token scopes, optimistic locking, the audit log."""

from __future__ import annotations

import threading
from itertools import count

import pytest
from fastapi.testclient import TestClient

from magchain import team
from magchain.ingest.pipeline import ingest
from magchain.service import Service
from magchain.store import Store
from magchain.web.api import create_app

ARTICLE = """Norvik Magnetics wins grant for Ohio magnet plant

Published: March 3, 2026

The Department of Energy awarded Norvik Magnetics a $45 million grant for its magnet plant in Toledo, Ohio.
"""
_databases = count()


@pytest.fixture
def store(postgres, tmp_path):
    store = Store(postgres.create_database(f"team{next(_databases)}"))
    path = tmp_path / "norvik.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    ingest(store, [path])
    yield store
    store.close()


@pytest.fixture
def tokens(store):
    return {name: team.add_user(store, name, scope)
            for name, scope in (("alice", "review"), ("bob", "review"), ("carol", "read"), ("root", "admin"))}


def _as(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _funding(client) -> dict:
    queue = client.get("/api/review").json()["items"]
    return next(c for c in queue if c["kind"] == "funding")


@pytest.mark.postgres
def test_writes_need_a_token_with_the_review_scope(store, tokens):
    with TestClient(create_app(Service(store=store))) as client:
        fact = _funding(client)  # reads are open by default
        body = {"version": fact["version"]}
        assert client.post(f"/api/review/{fact['id']}/accept", json=body).status_code == 401
        assert client.post(f"/api/review/{fact['id']}/accept", json=body,
                           headers=_as("not-a-token")).status_code == 401
        refused = client.post(f"/api/review/{fact['id']}/accept", json=body, headers=_as(tokens["carol"]))
        assert refused.status_code == 403 and "needs 'review'" in refused.json()["error"]["message"]
        done = client.post(f"/api/review/{fact['id']}/accept", json=body, headers=_as(tokens["alice"]))
        assert done.status_code == 200 and done.json()["review"] == "accepted"
        assert done.json()["decided_by"] == "alice"
        events = client.get("/api/events", params={"limit": 1000}).json()["items"]
        assert any(e["id"] == done.json()["record_id"] for e in events)  # the registry shows it at once


@pytest.mark.postgres
def test_private_reads_need_a_token_too(store, tokens):
    with TestClient(create_app(Service(store=store), private=True)) as client:
        assert client.get("/api/facilities").status_code == 401
        assert client.get("/api/facilities", headers=_as(tokens["carol"])).status_code == 200


@pytest.mark.postgres
@pytest.mark.parametrize("bobs", ["accept", "reject"])
def test_two_reviewers_at_once_never_overwrite_each_other(store, tokens, bobs):
    app = create_app(Service(store=store))
    with TestClient(app) as first, TestClient(app) as second:
        fact = _funding(first)
        answers, start = {}, threading.Barrier(2)

        def decide(name, client, action):
            start.wait()
            answers[name] = client.post(f"/api/review/{fact['id']}/{action}", json={"version": fact["version"]},
                                        headers=_as(tokens[name]))

        threads = [threading.Thread(target=decide, args=("alice", first, "accept")),
                   threading.Thread(target=decide, args=("bob", second, bobs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = sorted(a.status_code for a in answers.values())
        assert codes == [200, 409]
        winner = next(n for n, a in answers.items() if a.status_code == 200)
        loser = next(a for a in answers.values() if a.status_code == 409).json()["error"]
        assert loser["kind"] == "conflict" and loser["current"]["decided_by"] == winner
        assert loser["current"]["version"] == fact["version"] + 1
        log = first.get("/api/audit", headers=_as(tokens["root"])).json()["items"]
        decisions = [e for e in log if e["target"] == fact["id"]]
        assert [(e["user"], e["action"]) for e in decisions] == [(winner, "accept" if winner == "alice" else bobs)]
        won = answers[winner].json()
        events = {e["id"] for e in first.get("/api/events", params={"limit": 1000}).json()["items"]}
        assert (won["record_id"] in events) == (won["review"] == "accepted")


@pytest.mark.postgres
def test_the_audit_log_is_complete_and_for_admins_only(store, tokens):
    with TestClient(create_app(Service(store=store))) as client:
        fact = _funding(client)
        edited = client.patch(f"/api/review/{fact['id']}", headers=_as(tokens["alice"]),
                              json={"version": fact["version"], "changes": {"agency": "US DOE"}})
        assert edited.status_code == 200 and edited.json()["version"] == fact["version"] + 1
        stale = client.post(f"/api/review/{fact['id']}/reject", json={"version": fact["version"]},
                            headers=_as(tokens["bob"]))
        assert stale.status_code == 409 and stale.json()["error"]["current"]["agency"] == "US DOE"
        rejected = client.post(f"/api/review/{fact['id']}/reject", json={"version": edited.json()["version"]},
                               headers=_as(tokens["bob"]))
        assert rejected.status_code == 200
        assert client.get("/api/audit", headers=_as(tokens["alice"])).status_code == 403
        log = client.get("/api/audit", headers=_as(tokens["root"])).json()["items"]
        assert [(e["user"], e["action"]) for e in log if e["target"] == fact["id"]] == [("bob", "reject"),
                                                                                         ("alice", "edit")]
        assert {(e["user"], e["target"]) for e in log if e["action"] == "add-user"} == {
            ("cli", "alice"), ("cli", "bob"), ("cli", "carol"), ("cli", "root")}
        assert all(e["at"] for e in log)


def test_a_token_is_shown_once_and_stored_hashed(cli):
    cli("db", "init")
    added = cli("users", "add", "dana", "--scope", "review")
    assert added.exit_code == 0
    token = added.output.strip().splitlines()[-1]
    listed = cli("users", "list", "--json").output
    assert "dana" in listed and token not in listed
    assert cli("users", "add", "dana").exit_code == 4  # one user per name
    assert cli("users", "add", "erin", "--scope", "owner").exit_code == 2
