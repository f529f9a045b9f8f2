"""Ingest into the review queue, review into the registry, and the digest; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from magchain.dataset import seed_documents
from magchain.errors import MagchainError
from magchain.ingest import pipeline
from magchain.ingest.digest import digest
from magchain.ingest.pipeline import ingest
from magchain.ingest.review import accept, edit, listing, reject
from magchain.store import Store
from magchain.store.models import sql_tables
from magchain.store.review import candidates, documents

GOLD = Path(__file__).resolve().parent.parent / "gold" / "seeds"
ARTICLE = """Norvik Magnetics breaks ground on Ohio magnet plant

Published: March 3, 2026

Norvik Magnetics said on Tuesday it had broken ground on a sintered magnet plant in Toledo, Ohio.
The plant will have a capacity of 1,500 tonnes per year of NdFeB magnets when it opens in 2028.
The Department of Energy awarded the company a $45 million grant for the project.
"""


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'queue.sqlite'}")
    yield store
    store.close()


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "norvik.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def counts(store: Store) -> tuple[int, int, int]:
    with store.engine.connect() as conn:
        return (len(store.rows("sources")), conn.execute(select(func.count()).select_from(candidates)).scalar(),
                conn.execute(select(func.count()).select_from(documents)).scalar())


def test_a_dry_run_writes_nothing(store, article):
    before = counts(store)
    results = ingest(store, [article], dry_run=True).results
    assert results[0].candidates and counts(store) == before


def test_a_new_document_becomes_a_source_with_cited_candidates(store, article):
    result = ingest(store, [article]).results[0]
    text = article.read_text(encoding="utf-8")
    assert result.new_source and result.source_id.startswith("doc-") and result.published == "2026-03-03"
    kinds = {c["kind"] for c in result.candidates}
    assert {"capacity", "plant_status", "funding"} <= kinds
    for candidate in result.candidates:
        assert text[candidate["start"]:candidate["end"]] == candidate["evidence"]
    capacity = next(c for c in result.candidates if c["kind"] == "capacity")
    assert capacity["quantity"] == 1500 and capacity["year"] == 2028
    source = next(s for s in store.rows("sources") if s["id"] == result.source_id)
    assert source["kind"] == "document" and source["content_hash"]


def test_ingesting_twice_changes_nothing(store, article, tmp_path):
    ingest(store, [article])
    after_first = counts(store)
    copy = tmp_path / "same-text-other-name.txt"
    copy.write_bytes(article.read_bytes())
    second = ingest(store, [article, copy]).results
    assert all(r.already_ingested for r in second) and counts(store) == after_first


def test_seed_documents_match_their_sources_and_known_facts(store):
    before_sources = len(store.rows("sources"))
    results = ingest(store, sorted(seed_documents().values())).results
    assert len(store.rows("sources")) == before_sources  # each seed is recognised by its hash
    assert {r.source_id for r in results} == set(seed_documents())
    states = [c["review"] for r in results for c in r.candidates]
    assert states.count("known") > 30 and states.count("pending") > 0


def test_rejected_facts_are_not_proposed_again(store, article, tmp_path):
    result = ingest(store, [article]).results[0]
    rejected = reject(store, result.candidates[0]["id"][:8])
    assert rejected["review"] == "rejected"
    with store.engine.begin() as conn:  # forget that the document was read, then read it again
        conn.execute(documents.delete())
    again = ingest(store, [article]).results[0]
    assert next(c for c in again.candidates if c["id"] == rejected["id"])["review"] == "rejected"
    assert rejected["id"] not in {c["id"] for c in listing(store, "pending")}


def test_accepting_writes_a_registry_record_with_its_sentence(store, article):
    result = ingest(store, [article]).results[0]
    funding = next(c for c in result.candidates if c["kind"] == "funding")
    accepted = accept(store, funding["id"])
    event = next(e for e in store.rows("events") if e["id"] == accepted["record_id"])
    assert event["source_id"] == result.source_id and event["evidence"] == funding["evidence"]
    assert event["kind"] == "funding" and event["type"] == "funding_grant" and event["magnitude"] == 45e6
    with pytest.raises(MagchainError, match="already accepted"):
        accept(store, funding["id"])


def test_a_plant_fact_needs_a_facility_and_edit_supplies_it(store, article):
    result = ingest(store, [article]).results[0]
    capacity = next(c for c in result.candidates if c["kind"] == "capacity")
    records_before = len(store.rows("capacities")), len(store.rows("facilities")), len(store.rows("companies"))
    edit(store, capacity["id"], {"stage": None})  # without a stage no new plant can be proposed
    with pytest.raises(MagchainError, match="--facility-id"):
        accept(store, capacity["id"])
    counted = len(store.rows("capacities")), len(store.rows("facilities")), len(store.rows("companies"))
    assert counted == records_before  # nothing half-written
    with pytest.raises(MagchainError, match="No facility 'noveon-nowhere'"):  # an edit checks the id exists
        edit(store, capacity["id"], {"facility_id": "noveon-nowhere"})
    edit(store, capacity["id"], {"facility_id": "noveon-san-marcos", "stage": None, "material": "NdFeB magnet"})
    with pytest.raises(MagchainError, match="--material magnet"):  # the basis must be stated, not assumed
        accept(store, capacity["id"])
    edit(store, capacity["id"], {"material": "magnet"})
    accepted = accept(store, capacity["id"])
    record = next(r for r in store.rows("capacities") if r["id"] == accepted["record_id"])
    assert record["capacity_t_per_yr"] == 1500 and record["facility_id"] == "noveon-san-marcos"
    assert record["source_id"] == result.source_id and record["first_year"] == 2028


def test_digest_lists_what_the_seeds_add(store):
    ingest(store, sorted(seed_documents().values()))
    report = digest(store, "2020-01-01")  # by publication date (the undated ones: read today)
    assert len(report["documents"]) == 5 and report["pending"] > 0 and report["already_known"] > 30
    listed = [item for section in report["sections"] for item in section["items"]]
    assert len(listed) == report["pending"] and all(item["evidence"] for item in listed)
    assert {s["title"] for s in report["sections"]} & {"Funding", "New plants and capacity"}


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "binary"),
    ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article"),
])
def test_bad_documents_write_nothing(store, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts(store)
    run = ingest(store, [path])
    assert run.results == [] and [r.path for r in run.refused] == [str(path)]
    assert message in run.refused[0].problem
    assert counts(store) == before


def test_a_folder_run_reads_every_good_file_and_reports_every_bad_one(store, article, tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a-empty.txt").write_bytes(b"")
    (folder / "b-article.txt").write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "c-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    run = ingest(store, [folder])
    assert [Path(r.path).name for r in run.results] == ["b-article.txt"]
    assert [Path(r.path).name for r in run.refused] == ["a-empty.txt", "c-binary.txt"]
    assert "empty" in run.refused[0].problem and "binary" in run.refused[1].problem


def test_a_crash_midway_leaves_the_store_unchanged(store, article, monkeypatch):
    before = counts(store)

    def broken_row(candidate, now):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_row", broken_row)
    with pytest.raises(RuntimeError):
        ingest(store, [article])
    assert counts(store) == before


def test_the_queue_works_on_postgres(postgres, article):
    store = Store(postgres.create_database("ingest_queue"))
    try:
        result = ingest(store, [article]).results[0]
        accepted = accept(store, next(c for c in result.candidates if c["kind"] == "funding")["id"])
        assert accepted["review"] == "accepted" and listing(store, "accepted")
    finally:
        store.close()


def test_cli_dry_run_json_and_evaluate(cli, article):
    assert cli("db", "init").exit_code == 0
    facts = json.loads(cli("ingest", str(article), "--dry-run", "--json").output)
    assert {"kind", "company", "facility", "country", "stage", "quantity", "unit", "material", "year", "status",
            "agency", "evidence"} <= set(facts[0])
    scores = {row["kind"]: row for row in json.loads(cli("ingest", "--evaluate", str(GOLD), "--json").output)}
    assert scores["overall"]["precision"] >= 0.85 and scores["overall"]["recall"] >= 0.80
    assert cli("ingest", str(article)).exit_code == 0
    review = json.loads(cli("review", "list", "--json").output)
    assert review and cli("review", "reject", review[0]["id"][:8]).exit_code == 0
    assert "Since" in cli("digest", "--since", dt.date.today().isoformat()).output
    bad = cli("digest", "--since", "last week")
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_the_same_fact_in_two_documents_is_one_record_with_two_citations(store, article, tmp_path):
    first = ingest(store, [article]).results[0]
    reprint = tmp_path / "reprint.txt"
    reprint.write_text(ARTICLE.replace("said on Tuesday", "confirmed on Tuesday"), encoding="utf-8")
    second = ingest(store, [reprint]).results[0]
    grant = [next(c for c in r.candidates if c["kind"] == "funding") for r in (first, second)]
    assert grant[0]["fingerprint"] == grant[1]["fingerprint"] and first.source_id != second.source_id
    one, two = accept(store, grant[0]["id"]), accept(store, grant[1]["id"])
    assert one["record_id"] == two["record_id"]
    cited = [c for c in store.rows("citations") if c["record_id"] == one["record_id"]]
    assert [c["source_id"] for c in cited] == [second.source_id]


def test_different_capacities_for_the_same_plant_are_a_conflict(store, tmp_path):
    text = ("Noveon expands in Texas\n\nNoveon Magnetics said its San Marcos, Texas plant will have a capacity "
            "of {} tonnes per year of sintered magnets in 2025.\n")
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(text.format("3,000"), encoding="utf-8")
    second.write_text(text.format("4,000"), encoding="utf-8")
    against_registry = next(c for c in ingest(store, [first]).results[0].candidates if c["kind"] == "capacity")
    assert against_registry["facility_id"] == "noveon-san-marcos"
    assert "noveon-san-marcos-capacity says 2,000 t/yr for 2025" in against_registry["conflict"]
    with store.engine.begin() as conn:  # the registry record aside, the two documents still disagree
        conn.execute(sql_tables["capacities"].delete().where(sql_tables["capacities"].c.facility_id == "noveon-san-marcos"))
    against_document = next(c for c in ingest(store, [second]).results[0].candidates if c["kind"] == "capacity")
    assert "says 3,000" in against_document["conflict"] and against_registry["source_id"] in against_document["conflict"]


def test_held_out_articles_are_scored_from_their_own_folder():
    from magchain.ingest.adapter import evaluate

    scores = {row["kind"]: row for row in evaluate(GOLD.parent / "dev1")}
    assert scores["overall"]["gold"] == 42  # five articles no rule was written from
    assert 0 < scores["overall"]["matched"] <= scores["overall"]["predicted"]


def test_cli_walk_accepts_and_rejects_in_the_terminal(tmp_path, monkeypatch, article):
    from typer.testing import CliRunner

    from magchain.cli.main import app

    monkeypatch.setenv("MAGCHAIN_DATABASE_URL", f"sqlite:///{tmp_path / 'walk.sqlite'}")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(article)]).exit_code == 0
    pending = json.loads(runner.invoke(app, ["review", "list", "--json"]).output)
    # the guide's "scheduled to begin production in 2026, the plant will produce 600 t/yr": a
    # capacity and a planned plant status in one sentence
    assert [c["kind"] for c in pending] == ["plant_status", "capacity", "plant_status", "funding"]
    # reject the groundbreaking, accept the new plant, its opening and the grant
    result = runner.invoke(app, ["review", "walk"], input="r\na\na\na\n")
    assert result.exit_code == 0 and "accepted -> events" in result.output  # the grant
    assert "accepted -> capacities" in result.output
    said = " ".join(result.output.split())  # the terminal wraps long lines
    assert said.count("(new facility norvik-magnetics-us-magnet)") == 1  # the opening goes to it too
    assert said.count("(facility norvik-magnetics-us-magnet)") == 1
    assert "norvik-magnetics-us-magnet" in result.output and "US$45 million" in result.output
    assert result.output.count("  rejected") == 1
    assert json.loads(runner.invoke(app, ["review", "list", "--json"]).output) == []


def test_names_added_to_the_store_are_recognised(store, article):
    from magchain.bundle import Bundle, Origin

    assert all(c["company_id"] is None for c in ingest(store, [article], dry_run=True).results[0].candidates)
    bundle = Bundle()
    bundle.add("companies", {"id": "norvik-magnetics", "name": "Norvik Magnetics", "country": "US",
                             "source_id": "doc-0b3e6fa30818d438", "confidence": "low", "known_from": "2026-03-03"},
               Origin("test"))
    store.apply(bundle)
    found = ingest(store, [article], dry_run=True).results[0].candidates
    assert any(c["company_id"] == "norvik-magnetics" for c in found)



def test_accepting_writes_the_record_and_the_queue_state_together_or_not_at_all(store, article, monkeypatch):
    from magchain.ingest import review

    result = ingest(store, [article]).results[0]
    funding = next(c for c in result.candidates if c["kind"] == "funding")
    before = counts(store)

    def broken_state(conn, candidate, values, by, action):
        raise RuntimeError("power cut")

    monkeypatch.setattr(review, "_set_on", broken_state)
    with pytest.raises(RuntimeError):
        accept(store, funding["id"])
    monkeypatch.undo()
    assert counts(store) == before and review.get(store, funding["id"])["review"] == "pending"
    accepted = accept(store, funding["id"])
    assert accepted["review"] == "accepted"


def test_rejecting_an_accepted_fact_retracts_it_and_keeps_the_history(store, article):
    from magchain.registry import Registry

    result = ingest(store, [article]).results[0]
    funding = next(c for c in result.candidates if c["kind"] == "funding")
    record_id = accept(store, funding["id"])["record_id"]
    assert record_id in {e["id"] for e in Registry(store).events()}
    assert reject(store, funding["id"])["review"] == "rejected"
    stored = {e["id"]: e for e in store.rows("events")}
    assert stored[f"{record_id}-retracted"]["retracts"] == record_id and record_id in stored  # history kept
    assert record_id not in {e["id"] for e in Registry(store).events()}  # no longer counts
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert record_id in {e["id"] for e in Registry(store, as_of=yesterday).events()}  # what counted then


def test_two_ingests_of_one_document_at_once_give_one_source(tmp_path, article):
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    Store(url).close()
    env = {**os.environ, "MAGCHAIN_DATABASE_URL": url}
    command = [sys.executable, "-c", "from magchain.cli.main import app; app()", "ingest", str(article), "--json"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outcomes = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    store = Store(url, initialise=False)
    assert len(store.rows("sources")) == counts(Store(f"sqlite:///{tmp_path / 'fresh.sqlite'}"))[0] + 1


def test_a_new_plant_in_an_article_becomes_a_facility_through_review_alone(cli, tmp_path):
    article = tmp_path / "norvik.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert cli("ingest", str(article)).exit_code == 0
    pending = json.loads(cli("review", "list", "--json").output)
    capacity = next(c for c in pending if c["kind"] == "capacity")
    status = next(c for c in pending if c["kind"] == "plant_status")
    shown = cli("review", "show", capacity["id"]).output
    assert "accepting adds the company norvik-magnetics" in shown
    assert "accepting adds the facility norvik-magnetics-us-magnet" in shown and ", US" in shown  # from the document
    accepted = cli("review", "accept", capacity["id"], status["id"])
    assert accepted.exit_code == 0, accepted.output
    assert accepted.output.count("(facility norvik-magnetics-us-magnet)") == 2  # the second fact finds the plant
    facility = json.loads(cli("facility", "norvik-magnetics-us-magnet", "--json").output)
    assert facility["company_id"] == "norvik-magnetics" and facility["stage"] == "magnet" and facility["country"] == "US"
    assert facility["capacity_t_per_yr"] == 1500 and facility["sources"][0]["id"].startswith("doc-")
    listed = json.loads(cli("facilities", "--company", "Norvik Magnetics", "--json").output)
    assert [f["id"] for f in listed] == ["norvik-magnetics-us-magnet"]


def test_review_decisions_are_exported_and_hold_when_the_document_is_read_again(cli, tmp_path, monkeypatch):
    article = tmp_path / "norvik.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    cli("ingest", str(article))
    pending = {c["kind"]: c for c in json.loads(cli("review", "list", "--json").output)}
    assert cli("review", "accept", pending["funding"]["id"]).exit_code == 0
    assert cli("review", "reject", pending["plant_status"]["id"]).exit_code == 0
    backup = tmp_path / "backup"
    assert "review decisions included" in " ".join(cli("export", str(backup)).output.split())
    assert (backup / "review_decisions.json").is_file()
    monkeypatch.setenv("MAGCHAIN_DATABASE_URL", f"sqlite:///{tmp_path / 'restored.sqlite'}")
    dry = cli("import", str(backup), "--dry-run")
    assert "Would restore 2 review decision(s)" in " ".join(dry.output.split())
    assert json.loads(cli("review", "list", "--state", "all", "--json").output) == []  # a dry run writes nothing
    assert "Restored 2 review decision(s)" in " ".join(cli("import", str(backup)).output.split())
    again = json.loads(cli("ingest", str(article), "--json").output)
    states = {c["kind"]: c["review"] for c in again}
    assert states["funding"] == "accepted" and states["plant_status"] == "rejected"  # not 'known', not pending
    assert states["capacity"] == "pending"
