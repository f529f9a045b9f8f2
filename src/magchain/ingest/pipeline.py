"""Documents in, candidate facts out: each document becomes a source, each fact a proposal.

Ingesting is idempotent: a document is known by the hash of its bytes (the shipped seed
documents carry theirs), a candidate by its source and its fingerprint (kind, company,
facility, quantity, unit, year), so reading the same text twice adds nothing, and a fact
once rejected for a source is never proposed again. A statement repeated in a document is one
candidate with several sentences; a number that differs from the registry's or another
document's for the same thing is flagged as a conflict. Everything for one document is
written in one transaction.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from magchain.bundle import Bundle, Origin
from magchain.errors import MagchainError, NotFound, ValidationFailed
from magchain.ingest import adapter, feeds
from magchain.ingest.extract import READING_BUDGET_S
from magchain.store import Store, timestamp
from magchain.store.models import sql_tables
from magchain.store.review import candidates, documents
from magchain.validate import prepare

READABLE = (".txt", ".md", ".html", ".htm", ".pdf")
FACT_FIELDS = ("kind", "company", "facility", "country", "stage", "quantity", "quantity_high", "unit", "qualifier",
               "material", "year", "status", "agency")


@dataclass
class DocumentResult:
    path: str
    source_id: str
    title: str
    published: str | None
    new_source: bool
    already_ingested: bool
    candidates: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for candidate in self.candidates:
            counts[candidate["review"]] = counts.get(candidate["review"], 0) + 1
        return counts


def expand(paths: list[str | Path]) -> list[Path]:
    """Files to read: the files given and, for folders, every readable file inside (sorted)."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE)
        elif path.is_file():
            found.append(path)
        else:
            raise NotFound(f"{path}: no such file or folder. Check the path.")
    if not found:
        raise MagchainError(f"No readable documents ({', '.join(READABLE)}) in {', '.join(map(str, paths))}.")
    return found


@dataclass
class Refusal:
    """A document that could not be read, and why; the others are read all the same."""

    path: str
    problem: str


@dataclass
class Run:
    results: list[DocumentResult]
    refused: list[Refusal]


def ingest(store: Store, paths: list[str | Path], *, published: str | None = None, title: str | None = None,
           url: str | None = None, dry_run: bool = False, progress=None,
           budget_s: float = READING_BUDGET_S) -> Run:
    """Read every document; one that cannot be read is reported, never stops the others."""
    files = expand(paths)
    store.ensure_current()
    gazetteer = adapter.gazetteer_of(store)
    results, refused = [], []
    for path in (progress(files) if progress else files):
        read = functools.partial(ingest_one, store, path, gazetteer, published=published, title=title, url=url,
                                 dry_run=dry_run, budget_s=budget_s)
        try:
            try:
                results.append(read())
            except IntegrityError:  # another run wrote this document meanwhile: read again, now it is known
                results.append(read())
        except MagchainError as error:
            problem = str(error)
            refused.append(Refusal(str(path), problem if problem.startswith(str(path)) else f"{path}: {problem}"))
    return Run(results, refused)


def ingest_feed(store: Store, url: str, *, dry_run: bool = False, progress=None,
                budget_s: float = READING_BUDGET_S) -> Run:
    """Every entry of an RSS or Atom feed: its linked article (or the entry's text), with the
    entry's title, link and date. An entry read before changes nothing."""
    found = feeds.entries(feeds.fetch(url), url)
    results, refused = [], []
    with tempfile.TemporaryDirectory(prefix="magchain-feed-") as folder:
        for number, entry in enumerate(progress(found) if progress else found):
            suffix, text = feeds.document_of(entry)
            page = Path(folder) / f"entry-{number:04d}{suffix}"
            page.write_text(text, encoding="utf-8")
            run = ingest(store, [page], published=entry.published, title=entry.title or None,
                         url=entry.link or url, dry_run=dry_run, budget_s=budget_s)
            results += run.results
            refused += [Refusal(entry.link or entry.title, r.problem.replace(str(page), entry.link or entry.title))
                        for r in run.refused]
    return Run(results, refused)


def ingest_one(store: Store, path: Path, gazetteer, *, published=None, title=None, url=None,
               dry_run=False, budget_s: float = READING_BUDGET_S) -> DocumentResult:
    document = adapter.read(path)
    content_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    existing = _source_with_hash(store, content_hash)
    source = existing or _new_source(path, document, content_hash, published, title, url)
    published = published or source.get("published") or document.published
    facts = adapter.extract(document.text, published, gazetteer, budget_s)
    already = _already_ingested(store, source["id"])
    result = DocumentResult(str(path), source["id"], source["title"], published, existing is None, already)
    result.candidates = _candidates(store, source["id"], facts)
    if not dry_run and not already:
        _write(store, source if existing is None else None, result, content_hash)
    return result


# -- sources -------------------------------------------------------------------------------------
def _source_with_hash(store: Store, content_hash: str) -> dict | None:
    sources = sql_tables["sources"]
    with store.engine.connect() as conn:
        row = conn.execute(select(sources).where(sources.c.content_hash == content_hash)).first()
    return dict(row._mapping) if row else None


def _new_source(path: Path, document, content_hash: str, published, title, url) -> dict:
    return {"id": f"doc-{content_hash[:16]}", "title": title or document.title or path.stem,
            "publisher": document.publisher, "url": url or document.url,
            "published": published or document.published, "confidence": "low", "content_hash": content_hash,
            "kind": "document", "notes": f"Ingested from {path.name}; facts await review"}


def _already_ingested(store: Store, source_id: str) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(select(documents.c.source_id).where(documents.c.source_id == source_id)).first() is not None


# -- candidates ----------------------------------------------------------------------------------
def fingerprint(fact: dict) -> str:
    quantity = fact.get("quantity")
    rounded = f"{quantity:.6g}" if isinstance(quantity, (int, float)) else ""
    parts = [fact.get("kind"), fact.get("company"), fact.get("facility"), rounded, fact.get("unit"), fact.get("year")]
    return "|".join("" if p is None else str(p).lower() for p in parts)


def _candidates(store: Store, source_id: str, facts: list) -> list[dict]:
    """One candidate per distinct statement, with its state against the store."""
    merged: dict[str, dict] = {}
    for fact in facts:
        record = _as_dict(fact)
        key = fingerprint(record)
        if key in merged:
            merged[key]["more_evidence"].append(record["evidence"])
            continue
        merged[key] = {**{f: record.get(f) for f in FACT_FIELDS}, "evidence": record["evidence"],
                       "found_company_id": record.get("company_id"), "found_facility_id": record.get("facility_id"),
                       "proposed": int(bool(record.get("proposed"))),
                       "start": int(record["start"]), "end": int(record["end"]), "more_evidence": [],
                       "fingerprint": key, "source_id": source_id,
                       "id": hashlib.sha1(f"{source_id}|{key}".encode()).hexdigest()[:16]}
    context = _Context.load(store, source_id)
    out = []
    for candidate in merged.values():
        candidate["company_id"] = candidate.pop("found_company_id") or context.company_id(candidate["company"])
        candidate["facility_id"] = candidate.pop("found_facility_id") or context.facility_id(
            candidate["facility"], candidate["company_id"], candidate["stage"])
        candidate["review"] = context.state(candidate)
        candidate["conflict"] = context.conflict(candidate)
        out.append(candidate)
    return out


def _as_dict(fact) -> dict:
    if is_dataclass(fact):
        return asdict(fact)
    return dict(fact)


@dataclass
class _Context:
    """What the store already holds that a candidate is checked against."""

    companies: dict[str, str]  # lower-case name or alias -> id
    facilities: list[dict]
    capacities: list[dict]
    evidence_known: set[str]  # sentences already cited from this source
    previous: dict[str, str]  # candidate id -> review state
    others: list[dict]  # capacity candidates of other sources, not rejected

    @classmethod
    def load(cls, store: Store, source_id: str) -> _Context:
        names = {}
        for company in store.rows("companies"):
            for name in [company["name"], *(company.get("aliases") or "").split(";")]:
                if name and name.strip():
                    names[name.strip().lower()] = company["id"]
        evidence = set()
        for name in ("capacities", "events", "figures", "parameters", "facilities", "companies", "effects"):
            evidence |= {_norm(r.get("evidence")) for r in store.rows(name) if r.get("source_id") == source_id}
        evidence |= {_norm(r.get("evidence")) for r in store.rows("citations") if r["source_id"] == source_id}
        with store.engine.connect() as conn:
            previous = {r.id: r.review for r in conn.execute(select(candidates.c.id, candidates.c.review))}
            others = [dict(r._mapping) for r in conn.execute(select(candidates).where(
                (candidates.c.kind == "capacity") & (candidates.c.source_id != source_id)
                & (candidates.c.review != "rejected")))]
        return cls(names, store.rows("facilities"), store.rows("capacities"), evidence - {""}, previous, others)

    def company_id(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.companies.get(name.strip().lower())

    def facility_id(self, name: str | None, company_id: str | None, stage: str | None) -> str | None:
        """The facility a fact names: by id or name, else the company's only plant at that stage."""
        wanted = (name or "").strip().lower()
        for facility in self.facilities if wanted else ():
            named = wanted == facility["id"] or wanted in facility["name"].lower()
            if named and company_id in (None, facility["company_id"]):
                return facility["id"]
        if company_id and stage:
            own = [f["id"] for f in self.facilities if f["company_id"] == company_id and f["stage"] == stage]
            if len(own) == 1:
                return own[0]
        return None

    def state(self, candidate: dict) -> str:
        if candidate["id"] in self.previous:
            return self.previous[candidate["id"]]  # accepted or rejected once: never proposed again
        sentences = {_norm(candidate["evidence"]), *(_norm(e) for e in candidate["more_evidence"])}
        return "known" if sentences & self.evidence_known else "pending"

    def conflict(self, candidate: dict) -> str | None:
        """A capacity stated differently for the same facility and year, by the registry or another document."""
        tonnes = (candidate["unit"] or "").lower() in ("t/yr", "t")
        if candidate["kind"] != "capacity" or not candidate["facility_id"] or not tonnes or not candidate["year"]:
            return None  # only like with like: tonnes of a named plant in a stated year
        for record in self.capacities:
            value = record.get("capacity_t_per_yr")
            same_year = candidate["year"] in (record.get("year"), record.get("first_year"))
            if record["facility_id"] == candidate["facility_id"] and same_year and _differs(value, candidate):
                return (f"registry record {record['id']} says {value:,.0f} t/yr for {candidate['year']} "
                        f"(source {record['source_id']})")
        for other in self.others:
            same = other["facility_id"] == candidate["facility_id"] and other["year"] == candidate["year"]
            if same and _differs(other["quantity"], candidate):
                return (f"document {other['source_id']} says {other['quantity']:,.0f} {other['unit'] or ''} "
                        f"for {candidate['year']} (candidate {other['id']})")
        return None


def _differs(value: float | None, candidate: dict) -> bool:
    return bool(value) and abs(value - candidate["quantity"]) > 0.01 * max(value, candidate["quantity"])


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


# -- writing -------------------------------------------------------------------------------------
def _write(store: Store, new_source: dict | None, result: DocumentResult, content_hash: str) -> None:
    """The source (if new), the document and its candidates, in one transaction."""
    if new_source is not None:
        bundle = Bundle()
        bundle.add("sources", dict(new_source), Origin(result.path))
        issues = prepare(bundle, store.known())
        if issues:
            raise ValidationFailed(issues)
        new_source = bundle.records["sources"][0]  # checked and typed
    now = timestamp()
    with store.engine.begin() as conn:
        if new_source is not None:
            conn.execute(sql_tables["sources"].insert(), [new_source])
        conn.execute(documents.insert(), [{"source_id": result.source_id, "content_hash": content_hash,
                                           "path": result.path, "title": result.title,
                                           "published": result.published, "ingested_at": now,
                                           "facts": len(result.candidates)}])
        known_ids = set(conn.execute(select(candidates.c.id)).scalars())
        rows = [_row(c, now) for c in result.candidates if c["id"] not in known_ids]
        if rows:
            conn.execute(candidates.insert(), rows)


def _row(candidate: dict, now: str) -> dict:
    row = {k: candidate.get(k) for k in candidates.c.keys()}  # noqa: SIM118 - column names, not a dict
    row["more_evidence"] = json.dumps(candidate["more_evidence"]) if candidate["more_evidence"] else None
    row["created_at"], row["version"] = now, 1
    return row
