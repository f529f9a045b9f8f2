"""The dashboard in a real browser: Playwright driving Debian's Chromium against a live server.

Screenshots of each page are kept in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from magchain.service import Service
from magchain.web.api import create_app

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _serving(store):
    """A live server over ``store`` on a free port of 127.0.0.1, stopped afterwards."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Service(store=store)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def server(shipped_sqlite):
    with _serving(shipped_sqlite) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is needed for the browser tests: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.requested = requested
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _offline(page, server: str) -> None:
    """Nothing the page loaded came from anywhere but the server."""
    assert page.requested and all(url.startswith(server) for url in page.requested), page.requested


def test_the_map_opens_a_facility_when_its_marker_is_clicked(server, page):
    page.goto(f"{server}/map?stage=magnet")
    page.wait_for_selector("#map[data-ready='true']")
    assert page.locator("#map .scattergeo .point").count() > 10
    _shot(page, "map")
    page.locator("#map .scattergeo .point").first.click(force=True)
    page.wait_for_url(f"{server}/facilities/**")
    assert page.locator("h1").inner_text() and page.locator("ol.sources li").count() >= 1
    _shot(page, "facility")
    _offline(page, server)


def test_the_outlook_names_the_weak_link(server, page):
    page.goto(f"{server}/outlook?region=US&years=2025:2032")
    page.wait_for_selector("#outlook-chart[data-ready='true']")
    answer = page.locator("#weak-link").inner_text()
    assert "US magnet capacity" in answer and "weak link:" in answer
    assert page.locator("td.weak").count() >= 1  # the weak link marked in the table
    assert "Chance that own magnet capacity meets own demand in 2030:" in page.locator("#chance").inner_text()
    assert page.locator("#outlook-chart .scatterlayer .trace").count() > 12  # lines and their bands
    _shot(page, "outlook")
    _offline(page, server)


def test_the_sankey_shows_where_the_chain_leans_on_imports(server, page):
    page.goto(f"{server}/flows?region=US&year=2030")
    page.wait_for_selector("#flows-chart[data-ready='true']")
    assert "leans most on imports" in page.locator("#flows-answer").inner_text()
    labels = page.locator("#flows-chart .sankey .node-label").all_text_contents()
    assert {"US mine", "US magnet", "US users (demand)"} <= set(labels)
    assert page.locator("table.flows tbody tr").count() == page.locator("#flows-chart .sankey-link").count()
    _shot(page, "flows")
    _offline(page, server)


def test_the_outlook_can_be_driven_by_keyboard_alone(server, page):
    page.goto(f"{server}/outlook?region=US&years=2025:2027")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(30):  # on through the navigation to the region field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "region":
            break
    assert page.evaluate("document.activeElement.name") == "region"
    page.keyboard.press("Control+A")
    page.keyboard.type("JP")
    page.keyboard.press("Enter")
    page.wait_for_url("**region=JP**")
    assert "JP magnet capacity" in page.locator("#weak-link").inner_text()


def test_two_scenarios_run_side_by_side(server, page):
    page.goto(f"{server}/compare?a=baseline&b=mountain-pass-outage-6m")
    page.wait_for_selector("section.run[data-name='mountain-pass-outage-6m'][data-done='true']", timeout=120_000)
    page.wait_for_selector("section.run[data-name='baseline'][data-done='true']", timeout=120_000)
    summaries = page.locator(".summary").all_inner_texts()
    assert len(summaries) == 2 and all("beyond the baseline" in s for s in summaries)
    assert page.locator("table.tts").count() == 2
    _shot(page, "compare")
    _offline(page, server)


def test_a_bad_uploaded_scenario_says_which_line(server, page):
    page.goto(f"{server}/scenarios")
    page.fill("#yaml", "name: x\nbase: {start: 2026-01, end: 2026-03}\nevents:\n  - {kind: meteor}\n")
    page.click("#upload button")
    page.wait_for_selector("#runs .error")
    assert "line 4" in page.locator("#runs .error").inner_text()


def test_pages_read_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(f"{server}/outlook?region=US")
    phone.wait_for_selector("#outlook-chart[data-ready='true']")
    width = phone.evaluate("document.documentElement.scrollWidth")
    _shot(phone, "outlook-phone")
    context.close()
    assert width <= 390 + 1  # nothing wider than the screen


def test_the_backtests_show_model_against_observed_and_name_their_misses(server, page):
    page.goto(f"{server}/backtests", timeout=180_000)
    page.wait_for_selector(".chart.backtest .main-svg", timeout=60_000)
    sections = page.locator("section.episode")
    assert sections.count() == 2
    verdicts = page.locator("section.episode td").all_inner_texts()
    assert "missed" in verdicts and "within" in verdicts  # the misses are shown as misses
    _shot(page, "backtests")
    _offline(page, server)


ARTICLE = """Norvik Magnetics breaks ground on Ohio magnet plant

Published: March 3, 2026

Norvik Magnetics said on Tuesday it had broken ground on a sintered magnet plant in Toledo, Ohio.
The plant will have a capacity of 1,500 tonnes per year of NdFeB magnets when it opens in 2028.
"""


def test_a_reviewer_accepts_a_fact_with_a_token_and_sees_it_on_the_facility_page(browser, tmp_path):
    from magchain import team
    from magchain.ingest.pipeline import ingest
    from magchain.store import Store

    store = Store(f"sqlite:///{tmp_path / 'review.sqlite'}")
    document = tmp_path / "norvik.txt"
    document.write_text(ARTICLE, encoding="utf-8")
    ingest(store, [document])
    token = team.add_user(store, "alice", "review")
    with _serving(store) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/review")
        card = page.locator("article.candidate").filter(has=page.locator("h2", has_text="capacity")).filter(
            has=page.locator("blockquote", has_text="1,500 tonnes per year"))
        card.locator("details.in-document summary").click()  # the sentence in its document
        assert "Toledo, Ohio" in card.locator("p.document").inner_text()
        assert "1,500 tonnes per year" in card.locator("p.document mark").inner_text()
        card.locator("button[data-action=accept]").click()
        card.locator(".outcome.error").wait_for()
        assert "token" in card.locator(".outcome").inner_text()  # refused without one
        page.fill("#token", token)
        page.locator("#token").dispatch_event("change")
        card.locator("input[name=facility_id]").fill("evac-sumter")
        card.locator("button[data-action=edit]").click()
        page.wait_for_function("document.querySelector('article.candidate[data-version=\"2\"]') !== null")
        card.locator("button[data-action=accept]").click()
        card.locator(".outcome a").wait_for()
        _shot(page, "review")
        card.locator(".outcome a").click()
        page.wait_for_url(f"{url}/facilities/evac-sumter")
        assert "1,500 tonnes per year" in page.locator("table.listing").first.inner_text()
        _shot(page, "facility-after-review")
        context.close()
    audit = [(e["user"], e["action"]) for e in team.log(store) if e["action"] in ("edit", "accept")]
    assert audit == [("alice", "accept"), ("alice", "edit")]
    store.close()


def test_the_digest_lists_what_a_new_document_brought(browser, tmp_path):
    from magchain.ingest.pipeline import ingest
    from magchain.store import Store

    store = Store(f"sqlite:///{tmp_path / 'digest.sqlite'}")
    document = tmp_path / "norvik.txt"
    document.write_text(ARTICLE, encoding="utf-8")
    ingest(store, [document])
    with _serving(store) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/digest")  # a week back by default, by publication date: the March article is older
        assert "0 document(s) read" in page.locator("#digest-answer").inner_text()
        page.fill("input[name=since]", "2026-03-01")
        page.press("input[name=since]", "Enter")
        page.wait_for_url("**since=2026-03-01**")
        assert "1 document(s) read" in page.locator("#digest-answer").inner_text()
        capacity = page.locator("section.digest-section", has_text="New plants and capacity")
        assert "1,500 t/yr (2028)" in capacity.inner_text() and "1,500 tonnes per year" in capacity.inner_text()
        assert "Toledo, Ohio" in page.locator("section.digest-section", has_text="Plant status").inner_text()
        _shot(page, "digest")
        context.close()
    store.close()


def test_an_assessment_is_made_in_the_browser_and_downloads(server, page):
    page.goto(f"{server}/report")
    page.fill("input[name=draws]", "200")
    page.click("#report-form button")
    page.wait_for_selector("#report[data-done='true']", timeout=300_000)
    assert "US" in page.locator("#report h2").inner_text() and page.locator("#report .answer p").count() >= 1
    links = page.locator("#report .files a")
    assert links.all_inner_texts() == ["PDF", "HTML", "XLSX"]
    _shot(page, "report")
    xlsx = page.request.get(server + links.nth(2).get_attribute("href"))
    assert xlsx.ok and xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    twin = page.request.get(f"{server}/api/report?region=US").json()
    assert twin["region"] == "US" and twin["sources"]
    _offline(page, server)
