"""The questions magchain answers, over one store: what the CLI, the REST API and the pages call.

A :class:`Service` owns a store. It builds a :class:`~magchain.outlook.Chain` (the registry read
into the model's inputs) once per as-of date and keeps the most recent few; writes through it
(imports, review decisions) drop them, so the next question reads the store again. Every method
returns library objects or plain rows and raises the library's errors
(:mod:`magchain.errors`); each edge (the CLI, the API) turns those into its own messages.
"""

from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path

from magchain import team
from magchain.coerce import as_of_date
from magchain.errors import InvalidInput
from magchain.history import backtest as history
from magchain.ingest import decisions, review
from magchain.ingest.digest import digest as read_digest
from magchain.io.export import export_bundle
from magchain.io.files import read_path
from magchain.outlook import Chain
from magchain.outlook import outlook as run_outlook
from magchain.outlook.flows import Flows
from magchain.outlook.flows import flows as chain_flows
from magchain.registry import Registry
from magchain.scenario import library
from magchain.scenario.resilience import resilience as rank_nodes
from magchain.scenario.run import ScenarioResult
from magchain.scenario.run import run as run_scenario
from magchain.scenario.spec import Scenario
from magchain.store import ChangeReport, Store
from magchain.store.engine import default_url
from magchain.vocab import STAGES, STATUSES


def choice(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
    """``value`` if it is one of ``allowed`` (or None), else a refusal naming ``name`` and the choices."""
    if value is None or value in allowed:
        return value
    raise InvalidInput(f"{name} {value!r} is not one of: {', '.join(allowed)}")


class Service:
    def __init__(self, url: str | None = None, kept: int = 8, store: Store | None = None):
        """Over ``store``, or the store at ``url`` (default: ``MAGCHAIN_DATABASE_URL`` or the
        user's SQLite file); the last ``kept`` registries, chains and outlooks asked for are kept."""
        self.store = store or Store(url or default_url())
        self._chains: OrderedDict[str | None, Chain] = OrderedDict()
        self._outlooks: OrderedDict[tuple, object] = OrderedDict()
        self._registries: OrderedDict[str | None, Registry] = OrderedDict()
        self._answers: dict[str, OrderedDict] = {}  # what the edges built from the above, by kind
        self._size = kept
        self._lock = threading.Lock()

    # -- caches -----------------------------------------------------------------------------------
    def chain(self, as_of: str | None = None) -> Chain:
        """The chain as known on ``as_of`` (today when None), built once and kept."""
        return self._kept(self._chains, as_of_date(as_of), lambda key: Chain.from_store(self.store, key))

    def changed(self) -> None:
        """The store was written: forget every chain built from it."""
        with self._lock:
            self._chains.clear()
            self._outlooks.clear()
            self._registries.clear()
            self._answers.clear()

    def registry(self, as_of: str | None = None) -> Registry:
        """The registry as known on ``as_of``, read once and kept."""
        return self._kept(self._registries, as_of_date(as_of), lambda key: Registry(self.store, key))

    def remember(self, kind: str, key, build):
        """An answer an edge builds from the store (a page, a serialised listing), kept until the
        store changes: ``build()`` runs only when ``(kind, key)`` is not kept."""
        with self._lock:
            cache = self._answers.setdefault(kind, OrderedDict())
        return self._kept(cache, key, lambda _: build())

    def recall(self, kind: str, key):
        """The answer kept for ``(kind, key)``, or None: a lookup that never builds."""
        with self._lock:
            cache = self._answers.get(kind)
            if cache is None or key not in cache:
                return None
            cache.move_to_end(key)
            return cache[key]

    def _kept(self, cache: OrderedDict, key, build):
        """``cache[key]``, built by ``build(key)`` when missing; the oldest dropped beyond the limit."""
        with self._lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        value = build(key)
        with self._lock:
            cache[key] = value
            while len(cache) > self._size:
                cache.popitem(last=False)
        return value

    # -- the registry -----------------------------------------------------------------------------
    def facilities(self, *, stage=None, country=None, status=None, company=None, as_of=None) -> list[dict]:
        return self.registry(as_of).facilities(stage=choice(stage, STAGES, "stage"), country=country,
                                               status=choice(status, STATUSES, "status"), company=company)

    def facility(self, facility_id: str, as_of: str | None = None) -> dict:
        return self.registry(as_of).facility(facility_id)

    def companies(self, as_of: str | None = None) -> list[dict]:
        return self.registry(as_of).companies()

    def company(self, name: str, as_of: str | None = None) -> dict:
        return self.registry(as_of).company(name)

    def events(self, *, kind=None, actor=None, since=None, as_of=None) -> list[dict]:
        return self.registry(as_of).events(kind=kind, actor=actor, since=since)

    def sources(self) -> list[dict]:
        return self.registry().sources()

    def source(self, source_id: str) -> dict:
        return self.registry().source(source_id)

    def conflicts(self, as_of: str | None = None) -> list[dict]:
        return self.registry(as_of).conflicts()

    def import_file(self, path: str | Path, by: str, dry_run: bool = False) -> ChangeReport:
        """Records from a file (or folder) in the documented schema, all or nothing, logged as ``by``'s."""
        bundle = read_path(path)
        kept = decisions.read(path) if Path(path).is_dir() else []
        counts = {name: len(rows) for name, rows in bundle.records.items() if rows} | {"review_decisions": len(kept)}

        def also(conn) -> None:
            decisions.restore(conn, kept)
            team.record(conn, by, "import", Path(path).name, counts)

        report = self.store.apply(bundle, dry_run=dry_run, also=also)
        if not dry_run:
            self.changed()
        return report

    def export(self, fmt: str = "csv") -> bytes:
        """Every table in ``fmt`` and the review decisions, zipped: importing the files into an empty
        store reproduces this one."""
        with tempfile.TemporaryDirectory(prefix="magchain-export-") as folder:
            written = export_bundle(self.store.bundle(), folder, fmt)
            written.append(decisions.write(decisions.decided(self.store), Path(folder)))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in written:
                    archive.write(file, file.name)
        return buffer.getvalue()

    # -- the model --------------------------------------------------------------------------------
    def outlook(self, region: str = "WORLD", years: str = "2024:2035", demand: str = "base",
                growth: str | None = None, as_of: str | None = None):
        """The outlook of a region, kept for the most recent questions (pages ask it often)."""
        key = (region.upper(), years, demand, growth, as_of_date(as_of))
        return self._kept(self._outlooks, key, lambda _: run_outlook(self.chain(as_of), region, years, demand, growth))

    def uncertainty(self, region: str = "US", years: str = "2024:2035", demand: str = "base", draws: int = 500,
                    seed: int = 1, as_of: str | None = None):
        """The outlook's probabilities and bands over ``draws`` draws (on this machine), kept."""
        # imported here: SALib and scipy.stats would add most of a second to every command's start
        from magchain.uncertainty import uncertainty

        key = (region.upper(), years, demand, draws, seed, as_of_date(as_of))
        return self.remember("uncertainty", key, lambda: uncertainty(self.chain(as_of), region, years, draws=draws,
                                                                       seed=seed, demand=demand))

    def flows(self, region: str = "US", year: int = 2030, demand: str = "base", as_of: str | None = None) -> Flows:
        """A region's chain as flows in one year: own output passed on, imports needed, surplus."""
        return chain_flows(self.outlook(region, f"{year}:{year}", demand, None, as_of), year)

    def scenarios(self) -> list[Scenario]:
        return library.scenarios()

    def scenario(self, scenario: str | Scenario, as_of: str | None = None) -> ScenarioResult:
        """Run a shipped scenario (by name), a scenario file (by path) or a parsed scenario."""
        spec = library.find(scenario) if isinstance(scenario, str) else scenario
        return run_scenario(self.chain(as_of or spec.base.as_of), spec)

    def compare(self, scenarios: list[str | Scenario] | None = None, as_of: str | None = None,
                progress=None) -> list[dict]:
        """One summary per scenario, worst first (largest shortfall share, then tonnes short)."""
        specs = [library.find(s) if isinstance(s, str) else s for s in scenarios] if scenarios else library.scenarios()
        chain = self.chain(as_of)
        rows = [run_scenario(chain, spec).summary() for spec in (progress(specs) if progress else specs)]
        return sorted(rows, key=lambda r: (-r["largest_shortfall_pct"], -r["tonnes_short"]))

    def resilience(self, region: str = "US", scenario: str = "baseline", as_of: str | None = None, progress=None):
        spec = library.find(scenario)
        return rank_nodes(self.chain(as_of or spec.base.as_of), region, spec, progress=progress)

    # -- the review queue (team mode) -------------------------------------------------------------
    def review_queue(self, state: str | None = "pending", source_id: str | None = None) -> list[dict]:
        return review.listing(self.store, state, source_id)

    def candidate(self, candidate_id: str) -> dict:
        """A candidate with what accepting it would also add (a new plant or company)."""
        found = review.get(self.store, candidate_id)
        return {**found, "proposal": review.proposal(self.store, found)}

    def proposal(self, candidate: dict) -> dict:
        return review.proposal(self.store, candidate)

    def in_document(self, candidate: dict) -> dict | None:
        """A candidate's sentence with the text around it in its document, when the file is at hand."""
        return review.in_document(self.store, candidate)

    def decide(self, action: str, candidate_id: str, by: str, version: int | None = None,
               changes: dict | None = None) -> dict:
        """Accept, reject or edit a candidate as user ``by``, refused as stale if it changed since
        ``version``; the registry's views are rebuilt on the next question."""
        if action == "edit":
            done = review.edit(self.store, candidate_id, changes or {}, by, version)
        elif action in ("accept", "reject"):
            done = getattr(review, action)(self.store, candidate_id, by, version)
        else:
            raise InvalidInput(f"Action '{action}' is not one of accept, reject, edit.")
        self.changed()
        return done

    def digest(self, since: str | None = None, year: int | None = 2028) -> dict:
        """What documents published since ``since`` brought: facts by kind with their sentences, and
        each affected region's answer in ``year`` before and after the accepted ones."""
        return read_digest(self.store, since, year)

    def audit_log(self, limit: int = 1000) -> list[dict]:
        return team.log(self.store, limit)

    def user(self, token: str | None) -> dict | None:
        return team.authenticate(self.store, token)

    def backtests(self, name: str | None = None) -> list[history.Backtest]:
        episodes = [history.find(name)] if name else history.episodes()
        chain = self.chain()
        return [history.backtest(chain, episode) for episode in episodes]
