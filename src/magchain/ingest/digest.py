"""What changed since a date: documents read, facts accepted or awaiting review, open conflicts.

Grouped the way a reader of the trade press thinks: new plants and capacity, status changes
(groundbreaking, start-up, delays, closures), export controls, funding, offtakes and the rest.
Each line carries its sentence and source, so every number can be traced.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from magchain.coerce import user_date
from magchain.errors import MagchainError
from magchain.numbers import amount, known, percent
from magchain.outlook import Chain, outlook
from magchain.store import Store
from magchain.store.review import candidates, documents

SECTIONS = (
    ("New plants and capacity", ("capacity", "production")),
    ("Plant status: groundbreaking, start-up, delays, closures", ("plant_status",)),
    ("Export controls and trade", ("export_control", "trade_flow")),
    ("Funding", ("funding",)),
    ("Offtakes", ("offtake",)),
    ("Prices, price floors and stockpiles", ("price", "price_floor", "stockpile")),
    ("Demand and recycling", ("demand_forecast", "recycling")),
)


DEFAULT_DAYS = 7  # a weekly digest unless asked otherwise
QUESTION_YEAR = 2028  # the year whose answer the digest shows before and after the accepted facts


def digest(store: Store, since: str | None = None, year: int | None = QUESTION_YEAR) -> dict:
    """Documents published on or after ``since`` (YYYY-MM-DD; a week ago by default; read since
    then when their date is unknown), the facts they brought, and what the accepted ones do to
    each affected region's answer in ``year`` (None: leave the answers out)."""
    since = user_date(since, "--since") or (date.today() - timedelta(days=DEFAULT_DAYS)).isoformat()
    dated = documents.c.published >= since
    undated = documents.c.published.is_(None) & (documents.c.ingested_at >= since)
    with store.engine.connect() as conn:
        docs = [dict(r._mapping) for r in conn.execute(
            select(documents).where(dated | undated).order_by(documents.c.published, documents.c.ingested_at))]
        ids = [d["source_id"] for d in docs]
        facts = [dict(r._mapping) for r in conn.execute(
            select(candidates).where(candidates.c.source_id.in_(ids) | (candidates.c.decided_at >= since))
            .order_by(candidates.c.source_id, candidates.c.start))]
    new = [f for f in facts if f["review"] in ("pending", "accepted")]
    sections = []
    for title, kinds in SECTIONS:
        items = [_item(f) for f in new if f["kind"] in kinds]
        if items:
            sections.append({"title": title, "items": items})
    conflicts = [_item(f) | {"conflict": f["conflict"]} for f in facts if f["conflict"] and f["review"] != "rejected"]
    accepted = [f for f in facts if f["review"] == "accepted" and f["record_id"]]
    return {"since": since, "documents": [{"source_id": d["source_id"], "title": d["title"],
                                            "published": d["published"], "facts": d["facts"]} for d in docs],
            "answers": answers(store, accepted, year) if year and accepted else [],
            "already_known": sum(f["review"] == "known" for f in facts),
            "accepted": sum(f["review"] == "accepted" for f in facts),
            "pending": sum(f["review"] == "pending" for f in facts),
            "sections": sections, "conflicts": conflicts}


def _item(fact: dict) -> dict:
    who = fact["facility_id"] or fact["facility"] or fact["company_id"] or fact["company"] or fact["country"] or ""
    stated = amount(fact["quantity"], fact["unit"]) if fact["quantity"] is not None else ""
    return {"id": fact["id"], "kind": fact["kind"], "who": who, "amount": stated, "year": fact["year"],
            "status": fact["status"], "review": fact["review"], "evidence": fact["evidence"],
            "source_id": fact["source_id"]}


def answers(store: Store, accepted: list[dict], year: int) -> list[dict]:
    """For each region an accepted fact is about: its magnet self-sufficiency in ``year`` and the
    weak link, without the accepted facts' records (before) and with them (after)."""
    records = {(f["record_table"], f["record_id"]) for f in accepted}
    after, before = Chain.from_store(store), Chain.from_store(store, without=records)
    out = []
    for region in affected_regions(store, accepted):
        then, now = _answer(before, region, year), _answer(after, region, year)
        answer = {"region": region, "year": year, "before": then, "after": now, "changed": then != now}
        out.append({**answer, "sentence": answer_sentence(answer)})
    return out


def answer_sentence(answer: dict) -> str:
    """'US 2028: magnet self-sufficiency 175 % → 186 %; weak link alloy (unchanged)'."""
    before, after = answer["before"], answer["after"]
    share = lambda a: percent(a["magnet_self_sufficiency"])
    weak = lambda a: a["weak_link"] or "none"
    where = f"{answer['region']} {answer['year']}"
    if not answer["changed"]:
        return f"{where}: unchanged by the accepted facts (magnet self-sufficiency {share(after)}, weak link {weak(after)})"
    link = f"weak link {weak(before)} → {weak(after)}" if weak(before) != weak(after) else f"weak link {weak(after)} (unchanged)"
    return f"{where}: magnet self-sufficiency {share(before)} → {share(after)} with the accepted facts; {link}"


def affected_regions(store: Store, accepted: list[dict]) -> list[str]:
    """The countries the accepted facts are about: a plant's country, an event's actor and target."""
    facilities = {f["id"]: f["country"] for f in store.rows("facilities")}
    events = {e["id"]: e for e in store.rows("events")}
    regions = set()
    for fact in accepted:
        if fact["record_table"] == "events" and fact["record_id"] in events:
            event = events[fact["record_id"]]
            regions |= {event.get("actor_country"), event.get("target_country")}
        regions |= {fact.get("country"), facilities.get(fact.get("facility_id"))}
    return sorted(r for r in regions if r)


def _answer(chain, region: str, year: int) -> dict:
    try:
        result = outlook(chain, region, f"{year}:{year}")
    except MagchainError:  # a country the outlook does not model
        return {"magnet_self_sufficiency": None, "weak_link": None}
    rows = {r["stage"]: r for r in result.rows()}
    weak = next((stage for stage, r in rows.items() if r["weak_link"]), None)
    share = rows.get("magnet", {}).get("self_sufficiency")
    return {"magnet_self_sufficiency": round(float(share), 4) if known(share) else None,
            "weak_link": weak}
