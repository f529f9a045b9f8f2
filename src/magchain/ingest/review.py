"""Reviewing candidate facts: list, edit, reject, and accept into the registry with provenance.

Accepting a candidate writes one registry record (a capacity or status record for plant facts,
an event for the rest) whose source is the document and whose evidence is the sentence; the
record is validated like any import, and nothing is written if it fails. A rejected candidate
stays rejected: ingesting its document again does not bring it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from sqlalchemy import select, update

from magchain import team
from magchain.bundle import Bundle, Origin
from magchain.errors import Conflict, InvalidInput, MagchainError, NotFound, Stale
from magchain.ingest.documents import read_document
from magchain.store import Store, timestamp
from magchain.store.review import REVIEW_STATES, candidates, documents
from magchain.vocab import EVENT_TYPES, MATERIALS, STAGE_MATERIAL

CLI = "cli"  # who decides when no user is named: the command line's operator

EDITABLE = ("company", "company_id", "facility", "facility_id", "country", "stage", "quantity", "quantity_high",
            "unit", "material", "year", "status", "agency", "kind")
PLANT_KINDS = ("capacity", "production", "plant_status")
STATUS_WORDS = {  # extractor's status -> registry status
    "operating": "operating", "under_construction": "construction", "construction": "construction",
    "commissioning": "construction", "planned": "planned", "announced": "announced", "delayed": "stalled",
    "stalled": "stalled", "closed": "closed", "cancelled": "cancelled", "idle": "idle",
}
EVENT_TYPE = {"export_control": "export_control", "offtake": "offtake", "price_floor": "price_floor",
              "stockpile": "stockpile", "trade_flow": "market_data", "price": "market_data",
              "demand_forecast": "market_data", "recycling": "recycling"}
FUNDING_TYPE = {"grant": "funding_grant", "loan": "loan", "equity": "equity_investment", "tax credit": "tax_credit",
                "dpa": "funding_grant"}


def listing(store: Store, state: str | None = "pending", source_id: str | None = None) -> list[dict]:
    if state and state not in REVIEW_STATES:
        raise InvalidInput(f"State '{state}' is not one of {', '.join(REVIEW_STATES)} or all.")
    store.ensure_current()
    query = select(candidates)
    if state:
        query = query.where(candidates.c.review == state)
    if source_id:
        query = query.where(candidates.c.source_id == source_id)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query.order_by(candidates.c.source_id, candidates.c.start))]


def get(store: Store, candidate_id: str) -> dict:
    with store.engine.connect() as conn:
        rows = conn.execute(select(candidates).where(candidates.c.id.startswith(candidate_id))).all()
    if not rows:
        raise NotFound(f"No candidate fact '{candidate_id}'. See `magchain review list`.")
    if len(rows) > 1:
        raise InvalidInput(f"'{candidate_id}' matches {len(rows)} candidates; give more of the id.")
    return dict(rows[0]._mapping)


def proposal(store: Store, c: dict) -> dict:
    """The registry records a plant fact needs and the registry lacks, proposed from the fact itself:
    its company (when unknown) and its facility (when none is named), accepted with it or not at
    all. Empty when nothing is missing; ``missing`` says what a reviewer must add when the fact
    cannot name a new plant (no company, or no stage)."""
    if c["kind"] not in PLANT_KINDS or c["facility_id"]:
        return {}
    missing = [field for field in ("company", "stage") if not (c[field] or (field == "company" and c["company_id"]))]
    if missing:
        return {"missing": missing}
    common = _cited(c, _source(store, c))
    country = c["country"] or _country_in_document(store, c)
    out = {}
    companies = store.rows("companies")
    company_id = c["company_id"] or next((r["id"] for r in companies if r["id"] == slug(c["company"])
                                          or r["name"].lower() == c["company"].lower()), None)
    if not company_id:
        company_id = slug(c["company"])
        out["company"] = {**common, "id": company_id, "name": c["company"], "country": country}
    plants = [f for f in store.rows("facilities") if f["company_id"] == company_id and f["stage"] == c["stage"]
              and (not country or not f["country"] or f["country"] == country)]
    if len(plants) == 1 and "company" not in out:  # the plant an earlier fact of this company proposed
        return {"facility_id": plants[0]["id"]}
    if plants and not c["facility"]:
        return {"missing": [f"facility_id (one of {', '.join(p['id'] for p in plants)})"]}
    place = c["facility"] or country or "plant"
    facility_id = _unused(slug(f"{company_id}-{place}-{c['stage']}"), {r["id"] for r in store.rows("facilities")})
    name = f"{c['facility']} {c['stage']} plant" if c["facility"] else f"{c['company']} {c['stage']} plant"
    out["facility"] = {**common, "id": facility_id, "name": name, "company_id": company_id, "country": country,
                       "stage": c["stage"], "notes": f"Proposed on review from candidate {c['id']}"}
    return out


def _country_in_document(store: Store, c: dict) -> str | None:
    """The country another fact of the same document gives for the same company."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(candidates.c.country).where(
            (candidates.c.source_id == c["source_id"]) & (candidates.c.company == c["company"])
            & candidates.c.country.is_not(None))).all()
    found = {r.country for r in rows}
    return found.pop() if len(found) == 1 else None


def slug(text: str) -> str:
    """'Norvik Magnetics' -> 'norvik-magnetics'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def _unused(wanted: str, taken: set[str]) -> str:
    """``wanted``, or with -2, -3 ... when another record has it."""
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    return candidate


def in_document(store: Store, candidate: dict, around: int = 600) -> dict | None:
    """The candidate's sentence in its document: the text before and after it, read again from the
    document's path when the file is still there and unchanged (its text hash as ingested); None when not."""
    with store.engine.connect() as conn:
        row = conn.execute(select(documents.c.path, documents.c.content_hash, documents.c.title)
                           .where(documents.c.source_id == candidate["source_id"])).first()
    if row is None or not row.path or not Path(row.path).is_file():
        return None
    try:
        document = read_document(row.path)
    except MagchainError:
        return None
    if document.metadata.sha256 != row.content_hash:
        return None  # the file changed since it was read: its offsets no longer hold
    start, end = candidate["start"], candidate["end"]
    text = document.text
    return {"title": row.title, "before": ("…" if start > around else "") + text[max(0, start - around):start],
            "sentence": text[start:end], "after": text[end:end + around] + ("…" if end + around < len(text) else "")}


def edit(store: Store, candidate_id: str, changes: dict, by: str = CLI, version: int | None = None) -> dict:
    """Change a candidate's fields before it is decided (``version``: the one the editor saw)."""
    candidate = _current(store, candidate_id, version)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Cannot edit {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE)}.")
    changes = {k: (None if v == "" else v) for k, v in changes.items()}  # an empty id: propose a new record
    for field, table, noun in (("facility_id", "facilities", "facility"), ("company_id", "companies", "company")):
        if changes.get(field) and changes[field] not in {r["id"] for r in store.rows(table)}:
            raise InvalidInput(f"No {noun} '{changes[field]}' in the "
                               f"registry (`magchain {table}` lists them). Leave {field} empty to propose a new one "
                               "from the fact's name, company, country and stage.")
    _set(store, candidate, changes, by, "edit")
    return get(store, candidate["id"])


def reject(store: Store, candidate_id: str, by: str = CLI, version: int | None = None) -> dict:
    """Reject a candidate. One accepted before is retracted: a new record says the accepted one no
    longer counts, so the history stays visible; record and queue state change together."""
    candidate = _current(store, candidate_id, version)
    state = {"review": "rejected", "decided_at": timestamp(), "decided_by": by}
    if candidate["review"] != "accepted":
        _set(store, candidate, state, by, "reject")
        return get(store, candidate["id"])
    table = candidate["record_table"]
    if table not in ("capacities", "events"):
        raise Conflict(f"Candidate {candidate['id']} was accepted as one more citation of {candidate['record_id']}, "
                       "which other sources also support; it cannot be retracted alone.")
    accepted = next(r for r in store.rows(table) if r["id"] == candidate["record_id"])
    retraction = {**{k: v for k, v in accepted.items() if k != "recorded_at"},
                  "id": f"{accepted['id']}-retracted", "retracts": accepted["id"],
                  "known_from": dt.date.today().isoformat(),
                  "notes": f"Retracts {accepted['id']}: candidate {candidate['id']} was rejected on review"}
    bundle = Bundle()
    bundle.add(table, retraction, Origin(f"review:{candidate['id']}"))
    store.apply(bundle, first=lambda conn: _set_on(conn, candidate, state, by, "reject"))
    return get(store, candidate["id"])


def accept(store: Store, candidate_id: str, by: str = CLI, version: int | None = None) -> dict:
    """Write the candidate to the registry and mark it accepted (both or neither)."""
    candidate = _current(store, candidate_id, version)
    if candidate["review"] == "accepted":
        raise MagchainError(f"Candidate {candidate['id']} is already accepted as {candidate['record_id']}.")
    twin = _accepted_twin(store, candidate)
    bundle, ids = Bundle(), {}  # ids: the new facility and company the candidate now points to
    if twin:  # the same statement from another document: one fact, one more citation
        table, record_id = twin["record_table"], twin["record_id"]
        bundle.add("citations", {"record_table": table, "record_id": record_id, "source_id": candidate["source_id"],
                                 "evidence": candidate["evidence"]}, Origin(f"review:{candidate['id']}"))
    else:
        proposed = proposal(store, candidate)
        for name, table_name in (("company", "companies"), ("facility", "facilities")):
            if name in proposed:  # validated with the fact, written in the same transaction
                bundle.add(table_name, proposed[name], Origin(f"review:{candidate['id']}"))
        ids = {f"{name}_id": proposed[name]["id"] for name in ("facility", "company") if name in proposed}
        if "facility_id" in proposed:  # a plant an earlier fact proposed and its acceptance created
            ids["facility_id"] = proposed["facility_id"]
        table, record = to_record(store, {**candidate, **ids})
        record_id = record["id"]
        bundle.add(table, record, Origin(f"review:{candidate['id']}"))
    state = {"review": "accepted", "decided_at": timestamp(), "decided_by": by, "record_table": table,
             "record_id": record_id, **ids}
    store.apply(bundle, first=lambda conn: _set_on(conn, candidate, state, by, "accept"))
    return get(store, candidate["id"])


def _current(store: Store, candidate_id: str, version: int | None) -> dict:
    """The candidate, refused as stale when it has changed since ``version`` was read."""
    candidate = get(store, candidate_id)
    if version is not None and candidate["version"] != version:
        raise Stale(_stale(candidate, version), candidate)
    return candidate


def _stale(candidate: dict, version: int) -> str:
    who = f" by {candidate['decided_by']}" if candidate.get("decided_by") else ""
    return (f"Candidate {candidate['id']} changed since version {version} (now version {candidate['version']}, "
            f"{candidate['review']}{who}); look at it again before deciding.")


def _accepted_twin(store: Store, candidate: dict) -> dict | None:
    """An accepted candidate of another source that states the same fact (same fingerprint)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(candidates).where(
            (candidates.c.fingerprint == candidate["fingerprint"]) & (candidates.c.review == "accepted")
            & (candidates.c.source_id != candidate["source_id"]))).first()
    return dict(row._mapping) if row else None


def _source(store: Store, c: dict) -> dict:
    return next((s for s in store.rows("sources") if s["id"] == c["source_id"]), {})


def _cited(c: dict, source: dict) -> dict:
    """What every record made from a candidate carries: its document, sentence and knowledge date."""
    return {"source_id": c["source_id"], "evidence": c["evidence"], "confidence": "medium",
            "known_from": source.get("published") or dt.date.today().isoformat()}


def to_record(store: Store, c: dict) -> tuple[str, dict]:
    source = _source(store, c)
    common = {**_cited(c, source), "notes": f"Accepted from candidate {c['id']}"}
    record_id = f"{c['source_id']}-{c['kind']}-{hashlib.sha1(c['id'].encode()).hexdigest()[:6]}"
    if c["kind"] in PLANT_KINDS:
        return "capacities", {**common, **_capacity(c), "id": record_id}
    return "events", {**common, **_event(c, source), "id": record_id}


def _capacity(c: dict) -> dict:
    if not c["facility_id"]:
        raise MagchainError(f"Candidate {c['id']} ({c['kind']}) names no registry facility, and no new one can be "
                            f"proposed without its company and stage. Set a facility: magchain review edit {c['id'][:8]} "
                            "--facility-id FACILITY (see `magchain facilities`), or give --company and --stage.")
    status = STATUS_WORDS.get((c["status"] or "").lower())
    if status is None:
        status = "operating" if c["kind"] == "production" else "planned" if c["year"] else "announced"
    record = {"facility_id": c["facility_id"], "status": status, "scope": "facility", "year": c["year"]}
    if c["kind"] == "plant_status":
        return {**record, "first_year": c["year"] if status in ("construction", "planned", "operating") else None}
    if c["quantity"] is None or (c["unit"] or "").lower() not in ("t/yr", "t"):
        raise MagchainError(f"Candidate {c['id']}: a {c['kind']} needs a quantity in t/yr; "
                            f"edit it with --quantity and --unit t/yr.")
    # the extractor's words ("NdFeB magnet") are not the registry's bases: fall back on the stage's
    material = c["material"] if c["material"] in MATERIALS else STAGE_MATERIAL.get(c["stage"] or "")
    if not material:
        raise MagchainError(f"Candidate {c['id']}: say what the {c['quantity']:,.0f} t/yr are tonnes of: "
                            f"magchain review edit {c['id'][:8]} --material magnet (or REO, NdPr_oxide, ...).")
    return {**record, "capacity_t_per_yr": c["quantity"], "material": material,
            "capacity_type": "actual_output" if c["kind"] == "production" else
            ("target" if status in ("planned", "announced", "construction") else "nameplate"),
            "first_year": c["year"] if status in ("planned", "construction") else None,
            "unit_as_published": c["unit"]}


def _event(c: dict, source: dict) -> dict:
    if c["kind"] == "funding":
        text = (c["evidence"] or "").lower()
        fine = next((t for word, t in FUNDING_TYPE.items() if word in text), "funding_program")
    else:
        fine = EVENT_TYPE.get(c["kind"], "market_data")
    date = str(c["year"]) if c["year"] else (source.get("published") or dt.date.today().isoformat())
    actor = c["agency"] or c["company"] or c["country"] or "unnamed in the source"
    return {"date": date, "kind": EVENT_TYPES[fine], "type": fine, "actor": actor,
            "actor_country": c["country"] if c["agency"] or not c["company"] else None,
            "target": c["company"] if c["agency"] else None, "company_id": c["company_id"],
            "facility_id": c["facility_id"], "description": c["evidence"], "magnitude": c["quantity"],
            "unit": c["unit"]}


def _set(store: Store, candidate: dict, values: dict, by: str, action: str) -> None:
    with store.engine.begin() as conn:
        _set_on(conn, candidate, values, by, action)


def _set_on(conn, candidate: dict, values: dict, by: str, action: str) -> None:
    """Change the candidate if it is still the version read (else nothing, and Stale: another
    reviewer got there first), and log who did it, in the same transaction."""
    changed = conn.execute(update(candidates).where(
        (candidates.c.id == candidate["id"]) & (candidates.c.version == candidate["version"]))
        .values(**values, version=candidates.c.version + 1))
    if changed.rowcount != 1:
        current = dict(conn.execute(select(candidates).where(candidates.c.id == candidate["id"])).one()._mapping)
        raise Stale(_stale(current, candidate["version"]), current)
    team.record(conn, by, action, candidate["id"], values)


