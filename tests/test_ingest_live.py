"""What changed this week: documents by publication date, the answers they move, and documents
that arrive by themselves (a watched folder, an RSS or Atom feed served from 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from functools import partial

import pytest

from magchain.ingest import review
from magchain.ingest.digest import digest
from magchain.ingest.documents import read_document
from magchain.ingest.pipeline import ingest, ingest_feed
from magchain.ingest.watch import watch
from magchain.store import Store

TODAY = dt.date.today()


def _article(day: dt.date, capacity: str = "10,000") -> str:
    return f"""Noveon expands San Marcos magnet plant

Published: {day:%B} {day.day}, {day.year}

Noveon Magnetics said its San Marcos, Texas plant will reach a capacity of {capacity} tonnes per year of NdFeB magnets in 2028.

The company makes sintered magnets from recycled feedstock and supplies carmakers and industrial customers.
"""


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'live.sqlite'}")
    yield store
    store.close()


def test_a_pages_publication_date_is_read_from_its_metadata(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<html><head><title>Plant</title><meta property="article:published_time" '
                    'content="2026-11-20T08:00:00Z"></head><body><p>' + "Noveon Magnetics said its plant will grow. " * 8
                    + "</p></body></html>", encoding="utf-8")
    assert read_document(page).metadata.published == dt.date(2026, 11, 20)


def test_the_digest_shows_what_accepted_facts_do_to_the_us_2028_answer(store, tmp_path):
    fresh, old = tmp_path / "fresh.txt", tmp_path / "old.txt"
    fresh.write_text(_article(TODAY), encoding="utf-8")
    old.write_text(_article(TODAY - dt.timedelta(days=30), "3,000"), encoding="utf-8")
    ingest(store, [fresh, old])
    capacity = next(c for c in review.listing(store) if c["kind"] == "capacity" and c["quantity"] == 10_000)
    before = digest(store)
    assert [d["published"] for d in before["documents"]] == [TODAY.isoformat()]  # last week, by publication date
    assert before["answers"] == []  # nothing accepted yet: no answer moved
    review.accept(store, capacity["id"])
    after = digest(store)
    us = next(a for a in after["answers"] if a["region"] == "US")
    assert us["year"] == 2028 and us["changed"]
    assert us["after"]["magnet_self_sufficiency"] > us["before"]["magnet_self_sufficiency"]
    assert "US 2028: magnet self-sufficiency" in us["sentence"] and "→" in us["sentence"]
    assert len(digest(store, since=(TODAY - dt.timedelta(days=40)).isoformat())["documents"]) == 2


def test_the_digest_prints_the_before_and_after(cli, tmp_path):
    fresh = tmp_path / "fresh.txt"
    fresh.write_text(_article(TODAY), encoding="utf-8")
    assert cli("ingest", str(fresh)).exit_code == 0
    listed = cli("review", "list", "--json").output
    capacity = next(c for c in __import__("json").loads(listed) if c["kind"] == "capacity")
    assert cli("review", "accept", capacity["id"]).exit_code == 0
    out = cli("digest").output
    assert "US 2028: magnet self-sufficiency" in out and "with the accepted facts" in out


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Rare earths</title>
<item><title>Noveon expands San Marcos magnet plant</title><link>{base}/noveon.html</link>
<pubDate>{day}</pubDate><description>Noveon plans a bigger plant.</description></item>
<item><title>A story whose page is gone</title><link>{base}/missing.html</link><pubDate>{day}</pubDate>
<description>&lt;p&gt;Vulcan Elements said its plant will have a capacity of 10,000 tonnes per year of NdFeB magnets when it opens in 2029. The company builds magnets for defence and industrial customers.&lt;/p&gt;</description></item>
</channel></rss>"""


@pytest.fixture
def site(tmp_path):
    """A web server on 127.0.0.1 serving a feed and one of its two articles."""
    root = tmp_path / "site"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    day = TODAY.strftime("%a, %d %b %Y 09:00:00 +0000")
    (root / "feed.xml").write_text(FEED.format(base=base, day=day), encoding="utf-8")
    body = "".join(f"<p>{p}</p>" for p in _article(TODAY).split("\n\n")[2:])
    (root / "noveon.html").write_text(f"<html><head><title>Noveon</title></head><body>{body}</body></html>",
                                      encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


def test_a_feed_is_read_entry_by_entry_and_reading_it_again_adds_nothing(store, site):
    run = ingest_feed(store, f"{site}/feed.xml")
    assert not run.refused and len(run.results) == 2
    by_title = {r.title: r for r in run.results}
    assert by_title["Noveon expands San Marcos magnet plant"].published == TODAY.isoformat()
    facts = {(c["company"], c["quantity"]) for r in run.results for c in r.candidates if c["kind"] == "capacity"}
    assert ("Noveon Magnetics", 10_000) in facts  # from the linked page
    assert any(q == 10_000 and "Vulcan" in (company or "") for company, q in facts)  # from the entry's own text
    sources = {s["url"] for s in store.rows("sources")}
    assert f"{site}/noveon.html" in sources
    again = ingest_feed(store, f"{site}/feed.xml")
    assert all(r.already_ingested for r in again.results)


def test_a_bad_feed_is_refused_with_its_address(store, site):
    from magchain.errors import InvalidInput, MagchainError

    with pytest.raises(InvalidInput, match="not an RSS or Atom feed"):
        ingest_feed(store, f"{site}/noveon.html")
    with pytest.raises(MagchainError, match="could not be read"):
        ingest_feed(store, f"{site}/nothing.xml")


def test_a_watched_folder_reads_each_new_file_once_it_is_whole(store, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    stop, read = threading.Event(), []

    def take(files):
        read.extend(files)
        ingest(store, files)
        stop.set()

    worker = threading.Thread(target=watch, args=(inbox, take), kwargs={"poll_s": 0.1, "stop": stop}, daemon=True)
    worker.start()
    (inbox / "noveon.txt").write_text(_article(TODAY), encoding="utf-8")
    (inbox / ".partial.txt").write_text("half", encoding="utf-8")  # hidden: a download in progress
    worker.join(30)
    assert [p.name for p in read] == ["noveon.txt"]
    assert any(c["quantity"] == 10_000 for c in review.listing(store))
