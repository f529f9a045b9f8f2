"""What changed since a date: documents read, facts accepted or awaiting review, open conflicts.

Grouped the way a reader of the trade press thinks: new plants and capacity, status changes
(groundbreaking, start-up, delays, closures), export controls, funding, offtakes and the rest.
Each line carries its sentence and source, so every number can be traced.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from magchain.coerce import user_date
from magchain.numbers import money
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
CURRENCY_SIGNS = {"USD": "US$", "AUD": "A$", "CAD": "C$", "EUR": "€", "GBP": "£"}


def digest(store: Store, since: str | None = None) -> dict:
    """Documents ingested on or after ``since`` (YYYY-MM-DD; a week ago by default) and the facts they brought."""
    since = user_date(since, "--since") or (date.today() - timedelta(days=DEFAULT_DAYS)).isoformat()
    with store.engine.connect() as conn:
        docs = [dict(r._mapping) for r in conn.execute(
            select(documents).where(documents.c.ingested_at >= since).order_by(documents.c.ingested_at))]
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
    return {"since": since, "documents": [{"source_id": d["source_id"], "title": d["title"],
                                            "published": d["published"], "facts": d["facts"]} for d in docs],
            "already_known": sum(f["review"] == "known" for f in facts),
            "accepted": sum(f["review"] == "accepted" for f in facts),
            "pending": sum(f["review"] == "pending" for f in facts),
            "sections": sections, "conflicts": conflicts}


def _item(fact: dict) -> dict:
    who = fact["facility_id"] or fact["facility"] or fact["company_id"] or fact["company"] or fact["country"] or ""
    amount = ""
    if fact["quantity"] is not None:
        amount = _amount(fact["quantity"], fact["unit"] or "")
    return {"id": fact["id"], "kind": fact["kind"], "who": who, "amount": amount, "year": fact["year"],
            "status": fact["status"], "review": fact["review"], "evidence": fact["evidence"],
            "source_id": fact["source_id"]}


def _amount(quantity: float, unit: str) -> str:
    """Money in words (US$300 million), other quantities with separators (1,500 t/yr)."""
    if unit.upper() in CURRENCY_SIGNS or (len(unit) == 3 and unit.isupper()):
        return money(quantity, CURRENCY_SIGNS.get(unit.upper(), f"{unit} "))
    return f"{quantity:,.6g} {unit}".strip()
