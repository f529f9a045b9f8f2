"""Rule-based extraction of cited supply-chain facts from news text.

Each sentence is split into clauses ("..., while ..."), every quantity in a clause is
classified by the words around it (capacity, production, funding, ...), and cue phrases add
the facts that need no number (plant status, offtake, export controls, stockpiles,
recycling). Slots (company, facility, country, stage, material, year, agency) are filled from
the clause, falling back on the company or site the previous sentences were about when the
clause refers back to it ("the plant", "the company", "it"). Every fact cites its sentence.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from dataclasses import asdict, dataclass, field

from magchain.errors import MagchainError
from magchain.ingest import cues
from magchain.ingest.dates import DateRef, parse_dates
from magchain.ingest.gazetteer import Gazetteer, Mention, default_gazetteer, find_agencies
from magchain.ingest.learned import NO_ROLE, Models, SentenceLabels, role
from magchain.ingest.learned import shipped as shipped_models
from magchain.ingest.quantities import Quantity, parse_quantities
from magchain.ingest.sentences import Sentence, split_sentences

READING_BUDGET_S = 15.0  # per document; a text that needs longer is refused with a message
KINDS = ("capacity", "production", "plant_status", "funding", "offtake", "export_control",
         "trade_flow", "price", "price_floor", "demand_forecast", "stockpile", "recycling")
SHARE_KINDS = ("production", "capacity", "trade_flow")
VOLUME_KINDS = ("production", "capacity", "trade_flow", "stockpile", "demand_forecast",
                "offtake")


@dataclass
class Fact:
    """One supply-chain fact and the sentence that states it (evidence == text[start:end])."""

    kind: str
    company: str | None = None
    facility: str | None = None
    country: str | None = None
    stage: str | None = None
    quantity: float | None = None
    quantity_high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    material: str | None = None
    year: int | None = None
    status: str | None = None
    agency: str | None = None
    evidence: str = ""
    start: int = 0
    end: int = 0
    usd: float | None = None
    proposed: bool = False  # the company is not in the registry: a name for a human to check
    company_id: str | None = None
    facility_id: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Clause:
    """A stretch of one sentence with everything found in it; offsets are sentence-relative."""

    sentence: Sentence
    start: int
    end: int
    quantities: list[Quantity]
    dates: list[DateRef]
    companies: list[Mention]
    facilities: list[Mention]
    countries: list[Mention]
    agencies: list[Mention]
    sentence_dates: list[DateRef]

    @property
    def text(self) -> str:
        return self.sentence.text[self.start:self.end]

    def before(self, position: int, width: int = 70) -> str:
        return self.sentence.text[max(self.start, position - width):position]

    def after(self, position: int, width: int = 60) -> str:
        return self.sentence.text[position:min(self.end, position + width)]


@dataclass
class Context:
    """What earlier sentences were about, for clauses that refer back ('the plant', 'it')."""

    company: Mention | None = None
    facility: Mention | None = None
    export_country: str | None = None
    seen_kinds: set[str] = field(default_factory=set)
    previous_measure: str | None = None  # the kind of the last number the sentence before gave
    previous_year: int | None = None  # the year the sentence before named, in the same paragraph
    previous_was_a_goal: bool = False  # that year was a deadline ("by 2027")
    stage: str | None = None  # the stage of the last fact that named one
    lister: Mention | None = None  # the company whose price list the paragraph gives


def extract_facts(text: str, published: dt.date | str | None = None,
                  gazetteer: Gazetteer | None = None, budget_s: float = READING_BUDGET_S,
                  learned: bool | Models = True) -> list[Fact]:
    """Facts stated in `text`, each citing its sentence; relative dates need `published`. Reading
    stops with a message after ``budget_s`` seconds (split sentences keep it linear in the text).
    ``learned``: also the kinds the shipped sentence model (or the one given) is sure of where the
    rules found none, and the plant statuses the status model gives where the cues gave none."""
    gazetteer = gazetteer or default_gazetteer()
    models = learned if isinstance(learned, Models) else shipped_models() if learned else Models(None, None)
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    context = Context()
    organisations = gazetteer.find_organisations(text)
    facts: list[Fact] = []
    began = time.monotonic()
    previous_end = 0
    for index, sentence in enumerate(split_sentences(text)):
        if _PARAGRAPH_BREAK.search(text, previous_end, sentence.start):
            context.previous_year = context.lister = None
        previous_end = sentence.end
        if time.monotonic() - began > budget_s:
            raise MagchainError(f"reading took more than {budget_s:g} s and was stopped at character "
                                f"{sentence.start:,} of {len(text):,}; split the document or give more time (ingest --time-budget).")
        if _is_headline(sentence.text) or (index == 0 and _is_title_line(text, sentence)):
            if index == 0:  # an article is about the company its title names, before its body does
                _remember_title(sentence, context, gazetteer, organisations)
            continue
        in_sentence: list[Fact] = []
        clauses = _clauses(sentence, published, gazetteer, organisations)
        for clause in clauses:
            found = _clause_facts(clause, context, gazetteer, models.roles)
            in_sentence.extend(found)
            context.seen_kinds.update(f.kind for f in found)
            _remember(clause, context, found)
        if models.kinds is not None and clauses and _in_scope(sentence.text, clauses):
            in_sentence += _learned_facts(models.kinds, sentence, clauses[0], in_sentence, context, gazetteer)
        context.previous_measure = next((f.kind for f in reversed(in_sentence)
                                         if f.quantity is not None), None)
        _date_the_undated(in_sentence, sentence, clauses, context, published)
        _settle_status(in_sentence, sentence, models.statuses)
        _carry_stage(in_sentence, context)
        _carry_company(in_sentence, context)
        facts.extend(in_sentence)
    return _without_repeats(facts)


def _in_scope(text: str, clauses: list[Clause]) -> bool:
    """A sentence about the rare-earth chain: it names one of its materials, or a company or plant
    of it, and is not about other minerals only (the model knows words, not scope)."""
    material = _first_material(text)
    if cues.OTHER_MINERALS.search(text) and not material:
        return False
    return bool(material) or any(c.companies or c.facilities for c in clauses)


def _learned_facts(model, sentence: Sentence, clause: Clause, found: list[Fact], context: Context,
                   gazetteer: Gazetteer) -> list[Fact]:
    """A fact, without a quantity, of each kind the model is sure the sentence states and the rules
    found none of; its slots filled by the rules' own means."""
    have = {f.kind for f in found}
    return [_event(kind, clause, 0, context, gazetteer) for kind in model.sure(sentence.text) if kind not in have]


# -- sentences and clauses ------------------------------------------------------------------------
def _is_headline(text: str) -> bool:
    """Titles and headings: no closing punctuation and mostly capitalised words."""
    if re.search(r"[.!?:;\"”’)]\s*$", text):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text) if len(w) > 3]
    capitalised = sum(1 for w in words if w[0].isupper())
    return len(words) < 4 or capitalised >= 0.6 * len(words)


_TITLE_GAP = re.compile(r"[ \t]*\n\s*\n")


def _is_title_line(text: str, sentence: Sentence) -> bool:
    """A sentence-case title: the opening line (the first sentence), unpunctuated, set off by a blank line."""
    return (not text[:sentence.start].strip() and not re.search(r"[.!?:;\"”’)]\s*$", sentence.text)
            and bool(_TITLE_GAP.match(text, sentence.end)))


def _clauses(sentence: Sentence, published: dt.date | None, gazetteer: Gazetteer,
             organisations: frozenset[str] = frozenset()) -> list[Clause]:
    text = sentence.text
    quantities = parse_quantities(text)
    dates = parse_dates(text, published)
    agencies = find_agencies(text)
    companies = gazetteer.find_companies(text, agencies, organisations)
    facilities = gazetteer.find_facilities(text)
    countries = [c for c in gazetteer.find_countries(text)
                 if not any(m.start <= c.start < m.end for m in companies)]
    bounds = [0] + [m.start() + 1 for m in cues.CLAUSE_BREAK.finditer(text)] + [len(text)]
    found = (quantities, dates, companies, facilities, countries, agencies)
    return [Clause(sentence, start, end, *(_within(items, start, end) for items in found), dates)
            for start, end in itertools.pairwise(bounds)]


def _within(items: list, start: int, end: int) -> list:
    return [item for item in items if start <= item.start < end]


def _clause_facts(clause: Clause, context: Context, gazetteer: Gazetteer,
                  roles: SentenceLabels | None = None) -> list[Fact]:
    facts = _quantity_facts(clause, context, gazetteer, roles)
    kinds = {f.kind for f in facts}
    facts += _event_facts(clause, context, gazetteer, kinds)
    return facts


# -- facts carried by a number ------------------------------------------------------------------
# The rules' "this number is no fact" (an offtake's share, a hoped-for volume, a share price): a
# decision the role model must not undo, unlike None, which says the rules do not know.
NO_FACT = NO_ROLE


def _quantity_facts(clause: Clause, context: Context, gazetteer: Gazetteer,
                    roles: SentenceLabels | None = None) -> list[Fact]:
    """A fact for each number the rules say is one, or, where the rules have no opinion, the role
    model (where given)."""
    facts: list[Fact] = []
    for quantity in clause.quantities:
        kind = _step_kind(quantity, clause, facts) or _quantity_kind(quantity, clause, context)
        if kind is None and roles is not None:
            kind = role(roles, clause.sentence.text, quantity.start, quantity.end, quantity.measure)
        if kind in (None, NO_FACT):
            continue
        fact = _new_fact(kind, clause, quantity.start, context, gazetteer)
        _set_quantity(fact, quantity, clause, context)
        facts.append(fact)
    return facts


def _step_kind(quantity: Quantity, clause: Clause, facts: list[Fact]) -> str | None:
    """'200 t in 2026, increasing to 360 t': a later step keeps the kind of the first."""
    if facts and quantity.is_mass and cues.STEP_UP_BEFORE.search(
            clause.before(quantity.start, 30)):
        return facts[-1].kind
    return None


def _quantity_kind(quantity: Quantity, clause: Clause, context: Context) -> str | None:
    if _is_export_quota(quantity, clause):
        return "export_control"
    if quantity.is_price:
        return "price_floor" if cues.PRICE_FLOOR.search(clause.text) else "price"
    if quantity.is_money:
        if cues.SUPPLY_ORDER.search(clause.text) and cues.SALE_WORDS.search(clause.text):
            return "offtake"
        if cues.STUDY_ECONOMICS.search(clause.text):
            return NO_FACT
        return "funding" if _is_funding_amount(quantity, clause) else None
    if quantity.unit == "%":
        return _percent_kind(quantity, clause, context)
    if quantity.unit == "x":
        return _multiple_kind(clause)
    if quantity.is_mass or quantity.unit.startswith("EVs"):
        return _volume_kind(quantity, clause, context)
    if quantity.unit in ("days", "months", "years"):
        return _term_kind(quantity, clause, context)
    return None


def _is_export_quota(quantity: Quantity, clause: Clause) -> bool:
    """The size or change of a cap on exports ("export quotas totalling 10,546 tonnes", "cut export
    quotas by 11 per cent", "almost doubled"), not what was in fact exported against it."""
    measured = quantity.is_mass or quantity.unit in ("%", "x")
    return measured and bool(cues.EXPORT_QUOTA.search(clause.text)) and not cues.ACTUAL_EXPORTS.search(clause.text)


def _is_funding_amount(quantity: Quantity, clause: Clause) -> bool:
    text = clause.text
    if cues.NOT_FUNDING_AMOUNT.search(clause.after(quantity.end)) or \
            cues.ACCOUNTS_BEFORE.search(clause.before(quantity.start, 60)):
        return False
    if cues.NOT_FUNDING.search(text):
        return False
    return bool(cues.FUNDING.search(text) or cues.MONEY_VERBS.search(text))


def _percent_kind(quantity: Quantity, clause: Clause, context: Context) -> str | None:
    before = clause.before(quantity.start)
    step = _supply_share_step(quantity, clause)
    if step is not _NO_STEP:
        return "recycling" if step == "recycling" else "production"
    if cues.RECYCLE_BEFORE.search(before) or cues.RECYCLE_AFTER.search(clause.after(quantity.end)):
        return "recycling"  # a recycling rate or target
    if cues.OFFTAKE.search(before):  # the share of output sold forward, once it is sold
        return NO_FACT if cues.OFFTAKE_UNSIGNED.search(clause.text) else "offtake"
    if cues.EQUITY_MOVE.search(clause.text):
        return NO_FACT  # a company's shares moving says nothing of magnets
    share = cues.SHARE_OF_NOUN.search(clause.after(quantity.end))
    produced = bool(cues.SHARE_VERB_BEFORE.search(before))
    if share:
        return _share_kind(share, produced)
    if produced:
        return "production"
    share = cues.SHARE_IN_CLAUSE.search(clause.text)
    if share:
        return _share_kind(share)
    text = clause.text
    if _is_price_change(quantity, clause) or cues.PRICED_MATERIAL_SUBJECT.search(text) or \
            cues.ELEMENT_CHANGE_BEFORE.search(clause.before(quantity.start, 80)):
        return "price"
    if cues.TRADE_NOUN.search(text) and cues.TRADE_CHANGE.search(text):
        return "trade_flow"
    if cues.DEMAND.search(text) and cues.DEMAND_OUTLOOK.search(text):
        return "demand_forecast"
    if cues.TRADE_CHANGE.search(text):  # "output rose 20%", "capacity will grow 50%"
        if cues.CAPACITY.search(text):
            return "capacity"
        if cues.PRODUCTION.search(text) or cues.OUTPUT_QUOTA.search(text):  # a quota caps output
            return "production"
    if cues.BACK_REFERENCE_CHANGE.search(text):  # "That was down 6%": what the sentence before measured
        return context.previous_measure or NO_FACT
    return None


_NO_STEP = "no step"  # not a share of needs; None is a share produced at no named step


def _supply_share_step(quantity: Quantity, clause: Clause) -> str | None:
    """The step of a goal for the share of needs met at home ('mine 10%, process 40% and recycle 25%
    of its consumption', '10% of needs being mined, 25% recycled'): the step named just before
    the share, else the first named after it, else the one in the same place of a list
    ('extraction, processing and recycling ... 10%, 40% and 25% ... respectively')."""
    text = clause.sentence.text
    if not cues.NEEDS.search(text):
        return _NO_STEP
    steps = sorted((m.start(), m.end(), step) for pattern, step in cues.SUPPLY_STEPS for m in pattern.finditer(text))
    just_before = [step for _, end, step in steps if re.fullmatch(r"\s+(?:about\s+|some\s+|at least\s+)?",
                                                                 text[end:quantity.start])]
    after = [step for start, _, step in steps if quantity.end <= start < _next_share(text, quantity.end)]
    if just_before or after:
        return (just_before or after)[0]
    shares = [q for q in clause.quantities if q.unit == "%"] if "respectively" in text else []
    if steps and len(shares) == len(steps) and quantity in shares:
        return steps[shares.index(quantity)][2]
    return _NO_STEP


def _next_share(text: str, position: int) -> int:
    """Where the next percentage after ``position`` begins (or 50 characters on)."""
    following = re.search(r"\d[\d.]*\s*(?:%|per ?cent)", text[position:position + 50])
    return position + (following.start() if following else 50)


def _is_price_change(quantity: Quantity, clause: Clause) -> bool:
    """'The spot price ... was down 34%': a price is the subject and no trade noun is."""
    before = clause.before(quantity.start, 120)
    changed = cues.TRADE_CHANGE.search(clause.text) or cues.HIGHER_LOWER.search(clause.text)
    return bool(cues.PRICE_NOUN.search(before) and changed and not cues.TRADE_NOUN.search(before))


def _share_kind(share: re.Match, produced: bool = False) -> str:
    """What a share is of; a share of *world* supply, or one a country is said to produce
    ("producing over 90% of supply"), is a share of production, not trade."""
    noun = share["noun"].lower()
    if noun == "supply" and (produced or cues.WORLD.search(share.group())):
        return "production"
    return cues.SHARE_NOUN_KIND[noun]


def _multiple_kind(clause: Clause) -> str | None:
    text = clause.text
    priced = any(q.is_price for q in clause.quantities)
    if priced and (cues.HIGHER_LOWER.search(text) or cues.PRICE_NOUN.search(text)):
        return "price"  # "$840/kg, three times higher than before", "prices surged to $910/kg, triple the level"
    if cues.DEMAND.search(text):
        return "demand_forecast"
    if cues.CAPACITY.search(text):
        return "capacity"
    if cues.PRODUCTION.search(text):
        return "production"  # "could boost production of rare earth metals sevenfold"
    if cues.TRADE_NOUN.search(text):
        return "trade_flow"
    return None


def _volume_kind(quantity: Quantity, clause: Clause, context: Context) -> str | None:
    """Tonnes (or EVs) are offtake, capacity, output, trade, stockpile or demand by the words
    around."""
    local = cues.OUTPUT_AFTER.search(clause.after(quantity.end))
    if local:
        return "capacity" if local["noun"].lower() == "capacity" else "production"
    before = clause.before(quantity.start)
    sale = _sale_kind(quantity, clause, before)
    if sale:
        return NO_FACT if sale == "unsold" else sale
    if cues.TRADE_SUBJECT.search(clause.text) or _between_countries(clause, context):
        return "trade_flow"
    if cues.OUTPUT_QUOTA.search(clause.sentence.text, clause.start, quantity.start):
        return "production"  # "the quota for smelting and separation – or ... – was set at 162,000 t"
    if cues.TRADE_NOUN.search(before):
        return "trade_flow"
    if _strategic_stockpile(before):
        return "stockpile"
    text = clause.text
    if cues.DEMAND.search(before) or (cues.DEMAND.search(clause.before(quantity.start, 160))
                                      and cues.DEMAND_OUTLOOK.search(text)):
        # the base a forecast starts from is no fact of its own (guide, section 8)
        return NO_FACT if _is_old_value(before) else "demand_forecast"
    if cues.PAST_PRODUCTION.search(text) or (cues.PRODUCER_TABLE.search(text) and cues.WITH_BEFORE.search(before)):
        return "production"
    if cues.CAPACITY.search(text) or _is_annual(quantity, clause):
        return "capacity"
    if cues.PRODUCTION.search(text):
        return "production"
    back_reference = cues.BACK_REFERENCE_CHANGE.search(text)
    if back_reference and context.previous_measure in VOLUME_KINDS:
        return context.previous_measure  # "That was down from 5,700 t": the same measure
    if cues.TRADE_MEASURE.search(text, 0, quantity.start - clause.start):
        return "trade_flow"
    return NO_FACT if back_reference else None


def _between_countries(clause: Clause, context: Context) -> bool:
    """A volume a country receives, or sells, in a clause that names no company."""
    if not clause.countries or clause.companies:
        return False
    received = cues.RECEIVED.search(clause.text) and "trade_flow" in context.seen_kinds  # in an article on trade
    return bool(received or cues.TO_A_COUNTRY.search(clause.text))


def _is_annual(quantity: Quantity, clause: Clause) -> bool:
    return quantity.unit.endswith("/yr") or bool(cues.ANNUAL_AFTER.search(
        clause.after(quantity.end, 80)))


def _sale_kind(quantity: Quantity, clause: Clause, before: str) -> str | None:
    """'offtake' for a volume under a deal, 'unsold' for one only sought or hoped for."""
    if cues.OFFTAKE_GOAL_BEFORE.search(before):
        return "unsold"  # an offtake target is a hope, and no capacity either
    sale = cues.SALE_VOLUME_BEFORE.search(before)
    if sale and cues.SUPPLY_OF_BEFORE.search(before) and not cues.DEAL_NOUN.search(clause.text):
        return None
    deal = (cues.OFFTAKE_VOLUME_BEFORE.search(before) or cues.OFFTAKE.search(before)
            or cues.DEAL_VOLUME_BEFORE.search(before)
            or cues.OFFTAKE_VOLUME_AFTER.search(clause.after(quantity.end))
            or (sale and cues.DEAL_NOUN.search(clause.text)))
    if not (deal or sale):
        return None
    return "offtake" if deal and not cues.OFFTAKE_UNSIGNED.search(clause.text) else "unsold"


def _term_kind(quantity: Quantity, clause: Clause, context: Context) -> str | None:
    """A period is the term of a price floor, a licence interval, how long a reserve lasts or
    the term of a supply deal."""
    before = clause.before(quantity.start, 30)
    near = before + clause.after(quantity.end, 40)
    if cues.PRICE_FLOOR.search(near):
        return "price_floor"
    if cues.EXPORT_CONTROL.search(clause.text) or (
            "export_control" in context.seen_kinds and cues.CONTROL_TERM.search(clause.text)):
        return "export_control"
    if _is_stock_cover(quantity, clause, context) and not _is_old_value(before):
        return "stockpile"
    if quantity.unit == "years" and _is_offtake_clause(clause):
        return "offtake"  # the term of a supply deal: "a 10-year offtake contract", "over 15 years"
    return None


def _is_offtake_clause(clause: Clause) -> bool:
    text = clause.text
    supply_deal = cues.DEAL_NOUN.search(text) and cues.SALE_WORDS.search(text)  # "a five-year deal ... to supply"
    return bool(cues.OFFTAKE.search(text) or cues.OFFTAKE_TO_BUYER.search(text) or supply_deal) \
        and not cues.OFFTAKE_UNSIGNED.search(text)


def _is_stock_cover(quantity: Quantity, clause: Clause, context: Context) -> bool:
    """A reserve's cover: in a clause about stockpiles, or days or months to last or release
    in an article already about one."""
    text = clause.text
    return bool(_strategic_stockpile(text) or (
        quantity.unit in ("days", "months") and "stockpile" in context.seen_kinds
        and cues.STOCK_COVER.search(text) and not cues.OTHER_MINERALS.search(text)))


def _is_old_value(before: str) -> bool:
    """'from 60 days', 'up from 50', 'instead of 54': the value being replaced."""
    return bool(re.search(r"\b(?:from|instead of)\s+(?:about|approximately|around|roughly|some|nearly)?\s*$",
                          before))


def _set_quantity(fact: Fact, quantity: Quantity, clause: Clause, context: Context) -> None:
    fact.quantity, fact.quantity_high = quantity.value, quantity.high
    fact.unit, fact.qualifier = quantity.unit, quantity.qualifier
    if fact.unit == "t" and (fact.kind == "capacity" or _is_annual(quantity, clause)):
        fact.unit = "t/yr"  # a capacity is a rate even when the article drops "per year"
    if quantity.currency and quantity.currency != "USD" and quantity.usd:
        fact.usd = quantity.usd
    material = _material_after(clause, quantity.end)
    if material:
        fact.material = material
        fact.stage = _stage_of(material, clause.text, fact.kind) or fact.stage
    elif fact.kind in ("production", "capacity") and not cues.RECYCLED.search(clause.text):
        fact.stage = _stage_before(clause, quantity.start) or fact.stage
    fact.year = _year_near(clause, quantity.start, fact.kind)
    if fact.kind == "capacity" and (cues.RUNNING_BEFORE.search(clause.before(quantity.start))
                                    or cues.RUNNING_AFTER.match(clause.after(quantity.end))):
        fact.status = "operating"
    elif fact.kind == "production" and _is_outlook(fact, quantity, clause):
        fact.status = "planned"
    if fact.unit == "%" and fact.kind in SHARE_KINDS and _is_share(quantity, clause):
        _make_share(fact, clause, quantity, context)
    if fact.unit == "%" and fact.kind in ("production", "recycling"):
        step = _supply_share_step(quantity, clause)
        if step is not _NO_STEP:  # a goal for the share of needs met at home, or the share met now
            fact.stage = step or fact.stage
            fact.status = None if cues.CURRENT.search(clause.text) else "planned"


def _is_outlook(fact: Fact, quantity: Quantity, clause: Clause) -> bool:
    """A company's guidance or a forecast share is a plan; a market forecast keeps no status."""
    share = fact.unit == "%" and _is_share(quantity, clause)
    return bool((fact.company or share) and cues.OUTPUT_OUTLOOK.search(clause.text))


def _is_share(quantity: Quantity, clause: Clause) -> bool:
    return bool(cues.SHARE_OF_NOUN.search(clause.after(quantity.end))
                or cues.SHARE_VERB_BEFORE.search(clause.before(quantity.start))
                or cues.SHARE_IN_CLAUSE.search(clause.text))


def _make_share(fact: Fact, clause: Clause, quantity: Quantity, context: Context) -> None:
    """A share of world output belongs to a country, not to a company, unless a company is the
    subject ('Lynas will produce 25 percent of the world supply')."""
    if not _company_is_the_subject(clause, quantity.start):
        fact.company = fact.company_id = None
        fact.proposed = False
    fact.facility = fact.facility_id = None
    fact.country = _country_before(clause, quantity.start) or (
        context.export_country if fact.kind == "trade_flow" else fact.country)
    fact.stage = None if _share_of_the_elements(fact) else _stage_after(clause, quantity.end) or fact.stage


def _company_is_the_subject(clause: Clause, position: int) -> bool:
    named = [(c.start, "company") for c in clause.companies if c.start < position and not c.proposed]
    named += [(c.start, "country") for c in clause.countries if c.start < position]
    return bool(named) and max(named)[1] == "company"


def _stage_before(clause: Clause, position: int) -> str | None:
    """The stage named just before a figure: 'the mining quota at 255,000 t'."""
    before = clause.before(position, 40)
    if _first_material(clause.text) == "rare earth oxide":  # "total rare earth oxide production": no step
        before = _without_oxide(before)
    named = [(m.end(), stage) for pattern, stage in cues.STAGE_WORDS for m in pattern.finditer(before)]
    return max(named)[1] if named else None


def _stage_after(clause: Clause, position: int) -> str | None:
    """The stage a share is of: '90% of refining', '70 percent of global rare earth mining'."""
    match = re.match(r"\s*(?:percent|per cent)?\s*(?:of|in)\s+(?P<what>[^,;]{0,50})", clause.after(position, 70))
    if not match:
        return None
    named = [(m.start(), stage) for pattern, stage in cues.STAGE_WORDS if (m := pattern.search(match["what"]))]
    return min(named)[1] if named else None


# -- facts carried by cue phrases ---------------------------------------------------------------
def _event_facts(clause: Clause, context: Context, gazetteer: Gazetteer,
                 kinds: set[str]) -> list[Fact]:
    text = clause.text
    facts: list[Fact] = []
    recycling = cues.RECYCLING.search(text)
    # recycling named among technologies under control, or as the source of a priced material
    # ("Pr-Nd recycled from scrap reached 485 yuan/kg"), is not a recycling fact
    if recycling and (cues.EXPORT_CONTROL.search(text) or any(q.is_price for q in clause.quantities)):
        recycling = None
    if recycling and "recycling" not in kinds:
        facts.append(_event("recycling", clause, recycling.start(), context, gazetteer))
    stockpile = _strategic_stockpile(text)
    if stockpile and "stockpile" not in kinds:
        facts.append(_event("stockpile", clause, stockpile.start(), context, gazetteer))
    if "funding" not in kinds and not stockpile:
        facts += _funding_without_amount(clause, context, gazetteer)
    if not recycling:
        facts += _plant_status(clause, context, gazetteer)
    if "export_control" not in kinds:
        facts += _export_control(clause, context, gazetteer)
    floor = cues.PRICE_FLOOR.search(text)
    if floor and "price_floor" not in kinds:
        facts.append(_event("price_floor", clause, floor.start(), context, gazetteer))
    if "offtake" not in kinds:
        facts += _offtake(clause, context, gazetteer, has_other_facts=bool(kinds or facts))
    return facts


def _strategic_stockpile(text: str) -> re.Match | None:
    stockpile = cues.STOCKPILE.search(text)
    if stockpile and (cues.FEED_STOCKPILE.search(text)
                      or (cues.OTHER_MINERALS.search(text) and not _first_material(text))):
        return None  # feed for a plant, or a reserve of metals outside the rare-earth chain
    return stockpile


def _event(kind: str, clause: Clause, position: int, context: Context,
           gazetteer: Gazetteer) -> Fact:
    fact = _new_fact(kind, clause, position, context, gazetteer)
    fact.year = _year_near(clause, position, kind)
    if kind == "recycling":
        fact.stage = "recycling"
        text = clause.text  # a works that "currently processes 30 t/yr" runs, whatever it plans
        fact.status = "operating" if cues.CURRENT.search(text) else "planned" if cues.FUTURE.search(text) else None
    return fact


def _funding_without_amount(clause: Clause, context: Context, gazetteer: Gazetteer) -> list[Fact]:
    """Support with no amount counts when a named agency or recipient is beside the cue."""
    text = clause.text
    cue = cues.FUNDING.search(text)
    if not cue or cues.NOT_FUNDING.search(text) or cues.RESEARCH.search(text):
        return []
    cue_at = clause.start + cue.start()
    named = [m for m in clause.agencies + [c for c in clause.companies if not c.proposed]
             if abs(m.start - cue_at) <= cues.FUNDING_WINDOW]
    if not named:
        return []
    return [_dated(_new_fact("funding", clause, cue_at, context, gazetteer), clause, cue_at)]


def _plant_status(clause: Clause, context: Context, gazetteer: Gazetteer) -> list[Fact]:
    """The first status cue gives the clause's status; a later one of another status, or with a
    date of its own, is a further milestone ("construction will start in 2026, with first output
    in 2028", "operates a pilot plant and is building a complex")."""
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for match, status in _status_cues(clause.text):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        if status == "closed" and cues.SHORTAGE_CAUSE.search(clause.text):
            continue  # a magnet user's plant, stopped for want of supply
        year = _year_after_cue(clause, match)
        if any(f.status == status and (year is None or f.year == year) for f in facts):
            continue
        taken.append(match.span())
        facts += _status_facts(clause, match, status, year, context, gazetteer)
    return facts


def _status_cues(text: str) -> list[tuple[re.Match, str]]:
    """Status cues in priority order; a cue that needs a site word or a future frame has it."""
    present = {"site": cues.FACILITY_NOUN.search(text), "future": cues.FUTURE.search(text)}
    return [(m, status) for pattern, status, needs in cues.PLANT_STATUS
            if (m := pattern.search(text)) and (needs is None or present[needs])]


def _status_facts(clause: Clause, match: re.Match, status: str, year: int | None,
                  context: Context, gazetteer: Gazetteer) -> list[Fact]:
    position = clause.start + match.start()
    subjects = _listed_subjects(clause, position)
    facts = [_new_fact("plant_status", clause, position, context, gazetteer, company=c)
             for c in subjects] or [_new_fact("plant_status", clause, position, context,
                                              gazetteer)]
    area = next((q for q in clause.quantities if q.unit == "sq ft"), None)
    for fact in facts:
        fact.status = status
        fact.year = year if year is not None else _year_near(clause, position, "plant_status")
        if area:  # the floor area is the only size a plant announcement often gives
            fact.quantity, fact.unit = area.value, area.unit
    return facts


def _year_after_cue(clause: Clause, match: re.Match) -> int | None:
    """The year of a date inside the cue or just after it ('expected in 2025')."""
    start, end = clause.start + match.start(), clause.start + match.end() + 30
    return next((d.year for d in clause.dates if start <= d.start <= end
                 and d.year is not None and d.relation != "since"), None)


def _listed_subjects(clause: Clause, position: int) -> list[Mention]:
    """'companies like A, B and C are building ...': one fact per listed company."""
    before = [c for c in clause.companies if c.start < position and not c.proposed]
    if len(before) >= 2 and cues.HEDGED_LIST_SUBJECT.search(clause.text):
        return before
    return []


def _export_control(clause: Clause, context: Context, gazetteer: Gazetteer) -> list[Fact]:
    text = clause.text
    cue = cues.EXPORT_CONTROL.search(text) or cues.EXPORT_LICENSING.search(text)
    if not cue and "export_control" in context.seen_kinds:
        cue = cues.EXPORT_CONTROL_ANAPHOR.search(text)
    if cue and cues.EXPORT_CONTROL_AS_CAUSE.search(text, 0, cue.start()):
        return []
    if not cue or (cues.OTHER_MINERALS.search(text) and not _first_material(text)):
        return []
    position = clause.start + cue.start()
    fact = _new_fact("export_control", clause, position, context, gazetteer)
    fact.company = fact.company_id = None
    fact.proposed = False
    fact.country = _country_before(clause, position) or context.export_country or fact.country
    fact.year = _year_near(clause, position, "export_control")
    return [fact]


def _offtake(clause: Clause, context: Context, gazetteer: Gazetteer,
             has_other_facts: bool) -> list[Fact]:
    text = clause.text
    if cues.OFFTAKE_UNSIGNED.search(text):
        return []
    deal = cues.OFFTAKE.search(text)
    cue = (deal or cues.OFFTAKE_PURCHASE.search(text) or cues.OFFTAKE_TO_BUYER.search(text)
           or cues.OFFTAKE_SUPPLY_VERB.search(text))
    if cue:
        position = clause.start + cue.start()
        seller = _seller(clause, position, clause.start + cue.end(), context)
        # "the company signed a supply deal": a seller the text names only by reference
        if seller is None and not (deal and cues.COMPANY_ANAPHOR.search(text)):
            return []
        return [_dated(_new_fact("offtake", clause, position, context, gazetteer, company=seller), clause, position)]
    partner = cues.OFFTAKE_PARTNER.search(text)
    if partner and not has_other_facts:
        # A bare "collaborate with" is a supply relationship only with known producers.
        after = clause.start + partner.end()
        return [_dated(_new_fact("offtake", clause, after, context, gazetteer, company=c), clause, after)
                for c in clause.companies if c.start >= after and not c.proposed]
    return []


def _dated(fact: Fact, clause: Clause, position: int) -> Fact:
    """A fact made from a cue takes the year of the date nearest the cue in its clause."""
    fact.year = _year_near(clause, position, fact.kind)
    return fact


def _seller(clause: Clause, cue_start: int, cue_end: int, context: Context) -> Mention | None:
    """The supplier: named after 'from'/'produced by', before 'to supply', else the subject."""
    tail = clause.sentence.text[clause.start:cue_end + 40]
    after = [c for c in clause.companies if c.start >= cue_end - 1]
    if after and cues.OFFTAKE_SELLER_AFTER.search(
            clause.sentence.text[clause.start:after[0].start]):
        return after[0]
    supplier = cues.SUPPLIER_AFTER_WITH.search(tail)
    if supplier:
        named = [c for c in clause.companies
                 if clause.start + supplier.start("partner") <= c.start
                 < clause.start + supplier.end("partner")]
        if named:
            return named[-1]
    before = [c for c in clause.companies if c.start < cue_start]
    if before:
        return before[0]
    return context.company if cues.ANAPHOR.search(clause.text) else None


# -- slot filling ---------------------------------------------------------------------------
def _new_fact(kind: str, clause: Clause, position: int, context: Context, gazetteer: Gazetteer,
              company: Mention | None = None) -> Fact:
    sentence = clause.sentence
    fact = Fact(kind, evidence=sentence.text, start=sentence.start, end=sentence.end)
    company = company or _company_near(clause, position, context)
    if company:
        fact.company, fact.company_id = company.canonical, company.id
        fact.proposed = company.proposed
    facility = _facility_for(clause, fact, context, gazetteer)
    if facility:
        record = gazetteer.facilities[facility.id]
        fact.facility, fact.facility_id = facility.canonical, facility.id
        fact.stage = record.get("stage")
        if not fact.company and record.get("company_id") in gazetteer.companies:
            owner = gazetteer.companies[record["company_id"]]
            fact.company, fact.company_id = owner["name"], owner["id"]
    fact.country = _country_for(clause, fact, facility, gazetteer)
    fact.material = _first_material(clause.text)
    # a named product places the fact (a magnet plant's alloy line), else the site, else the words
    product = _stage_of(fact.material, clause.text, kind, by_words=False)
    if fact.stage == "mine" and fact.material == "rare earth oxide":
        product = None  # a mine's output in oxide terms is still the mine's
    fact.stage = product or fact.stage or _stage_of(fact.material, clause.text, kind)
    fact.agency = _agency_near(clause, position)
    if kind == "capacity" and cues.FUTURE.search(clause.text):
        fact.status = "planned"
    return fact


def _company_near(clause: Clause, position: int, context: Context) -> Mention | None:
    """The subject before the cue; else the owner of a named site; else the one named after."""
    known = [c for c in clause.companies if not c.proposed] or clause.companies
    before = [c for c in known if c.start <= position]
    if before:
        return _subject(clause, before, position)
    if clause.facilities:
        return None  # the site's owner is filled in from the registry
    if known:
        return known[0]
    if cues.ANAPHOR.search(clause.text):
        return context.company
    return None


def _subject(clause: Clause, before: list[Mention], position: int) -> Mention:
    """The last company named before the cue, unless it stands in an aside about an earlier one."""
    text = clause.sentence.text
    for company in before[:-1]:
        aside = cues.APPOSITIVE.match(text, company.end)
        if aside and aside.end() <= position and any(c.start < aside.end() for c in before if c is not company):
            return company
    return before[-1]


def _facility_for(clause: Clause, fact: Fact, context: Context,
                  gazetteer: Gazetteer) -> Mention | None:
    options = clause.facilities
    if not options and cues.ANAPHOR.search(clause.text) and context.facility:
        options = [context.facility]
    if fact.company_id:
        owned = [f for f in options
                 if gazetteer.facilities[f.id].get("company_id") in _family(fact.company_id,
                                                                              gazetteer)]
        options = owned
    if not options:
        return None
    stage = _stage_of(_first_material(clause.text), clause.text, fact.kind)
    staged = [f for f in options if gazetteer.facilities[f.id].get("stage") == stage]
    return (staged or options)[0]


def _family(company_id: str, gazetteer: Gazetteer) -> set[str]:
    """A company and its parent: a parent's site may be reported under the subsidiary's name."""
    parent = gazetteer.parent(company_id)
    return {company_id, parent["id"]} if parent else {company_id}


def _country_for(clause: Clause, fact: Fact, facility: Mention | None,
                 gazetteer: Gazetteer) -> str | None:
    if facility and facility.country:
        return facility.country
    located = [c for c in clause.countries
               if re.search(r"\b(?:in|at|near)\s+(?:the\s+)?$", clause.before(c.start, 12))]
    if located:
        return located[0].canonical
    if fact.company_id:
        return gazetteer.companies[fact.company_id].get("country")
    subjects = [c for c in clause.countries
                if not re.search(r"\b(?:to|from)\s+(?:the\s+)?$", clause.before(c.start, 12))]
    return subjects[0].canonical if subjects else None


def _country_before(clause: Clause, position: int) -> str | None:
    """The actor: the last country named before the cue, not a destination ('to the US')."""
    before = [c for c in clause.countries if c.start < position
              and not re.search(r"\b(?:to|from)\s+(?:the\s+)?$", clause.before(c.start, 12))]
    return before[-1].canonical if before else None


def _agency_near(clause: Clause, position: int) -> str | None:
    if not clause.agencies:
        return None
    return min(clause.agencies, key=lambda a: abs(a.start - position)).canonical


def _year_near(clause: Clause, position: int, kind: str) -> int | None:
    """The year of the date closest to the cue; a forecast takes its horizon (the last year).

    'Since 2020' opens a cumulative period, so it gives no year to the fact.
    """
    own = next((d for d in clause.dates if d.relation != "since" and _date_of_the_figure(clause, position, d)),
               None)
    if own is not None and kind != "demand_forecast":
        return own.year  # None for "today" in an undated article
    usable = [d for d in clause.dates if d.year is not None and d.relation != "since"
              and not cues.FOUNDING_DATE.search(clause.before(d.start, 30))]
    if kind in ("funding", "offtake"):  # a deal's year, not the year its plant is to start
        usable = [d for d in usable if not cues.DATE_OF_ANOTHER_EVENT.search(clause.before(d.start, 50))]
    figure_dates = [d for d in usable if not cues.COMPARED_WITH.search(clause.before(d.start, 60))]
    usable = figure_dates or usable
    # an opening "In 2024, ..." (or "According to X, in 2024, ...") dates every clause of its sentence
    dated = usable or [d for d in clause.sentence_dates if d.start < clause.start and d.year is not None
                       and d.relation != "since" and (d.start < 40 or _sets_the_scene(clause, d))]
    if not dated:
        return None
    if kind == "demand_forecast":
        return max(d.year for d in dated)
    return min(dated, key=lambda d: (abs(d.start - position), d.start < position)).year


def _date_of_the_figure(clause: Clause, position: int, date: DateRef) -> bool:
    """'from 270,000 tonnes in 2023 to 310,000 tonnes in 2025': the date just after a figure
    and its unit is that figure's, though the one before is as close."""
    between = clause.text[position - clause.start:date.start - clause.start]
    figure = _FIGURE_THEN_RELATIVE_DATE if date.relative else _FIGURE_THEN_DATE
    return bool(figure.fullmatch(between))


_FIGURE_THEN_DATE = re.compile(r"[\d.,]+\s*(?:[a-z/]+\.?\s+){1,2}(?:in|by)\s+"
                               r"(?:the\s+(?:same\s+(?:period|month|quarter)\s+(?:of|in)\s+)?)?", re.IGNORECASE)
_FIGURE_THEN_RELATIVE_DATE = re.compile(r"[\d.,]+\s*(?:[a-z/]+\.?\s+){1,2}(?:in\s+|by\s+)?", re.IGNORECASE)


def _sets_the_scene(clause: Clause, date: DateRef) -> bool:
    """A date set off by commas before the statement: ', in 2024, the price of ...'."""
    text = clause.sentence.text
    return text.startswith(",", date.end) and text[:date.start].rstrip().endswith((", in", ", In"))


def _material_after(clause: Clause, position: int) -> str | None:
    after = clause.after(position, 60)
    match = re.match(r"\s*(?:of|in)\s+(?P<what>[^,;]+)", after)
    return _first_material(match["what"]) if match else None


def _first_material(text: str) -> str | None:
    """The material named first in the text; of several starting there, the longest ('NdPr
    oxide', not 'NdPr')."""
    first = cues.ANY_MATERIAL.search(text)
    if first is None:
        return None
    named = [(-m.end(), name) for pattern, name in cues.MATERIAL_PATTERNS if (m := pattern.match(text, first.start()))]
    return min(named)[1]


def _stage_of(material: str | None, text: str, kind: str, by_words: bool = True) -> str | None:
    """The step of the chain a fact is about, from its kind, its material and (``by_words``) the
    stage words of its text."""
    if kind in ("price", "price_floor"):  # the price of a material, not of a step (guide, section 11)
        return None
    if _for_the_whole_chain(kind, text):
        return None
    if _of_no_step(kind, material):  # unless it is trade in ore: "imports of rare earth ores"
        return "mine" if cues.ORE.search(text) else None
    if kind == "recycling":
        return "recycling"
    if kind in ("export_control", "stockpile", "demand_forecast"):  # a ban on, a reserve of or
        return "magnet" if material == "NdFeB magnet" else None      # demand for magnets is at a step
    if cues.RECYCLED.search(text):  # "REO produced from NdFeB magnet scrap"
        return "recycling"
    converted = cues.CONVERTED_INTO.search(text)
    if converted:  # the product's own name is its step: metal, alloy, magnet
        return converted["product"].lower().rstrip("s")
    if material == "rare earth oxide":
        return _oxide_stage(text, kind)
    if material in cues.STAGE_OF_MATERIAL or not by_words:
        return cues.STAGE_OF_MATERIAL.get(material)
    # a volume is of the step named first ("85,000 t of concentrate and two minor metals"); a
    # plant or a grant of the step ranked first (magnets over the mine that feeds them)
    named = [(m.start() if kind in VOLUME_KINDS else rank, stage)
             for rank, (pattern, stage) in enumerate(cues.STAGE_WORDS) if (m := pattern.search(text))]
    return min(named)[1] if named else None


def _oxide_stage(text: str, kind: str) -> str | None:
    """Total rare earth oxide: a mine counts its output in it, a refinery separates it, and a
    company's total output of it spans both."""
    separation = cues.SEPARATION_WORDS.search(_without_oxide(text))
    if cues.MINE_WORDS.search(text) and not separation:
        return "mine"
    if kind == "production" and not separation:
        return None
    return "separation"


def _without_oxide(text: str) -> str:
    """The text without the word 'oxide', which names the product and no step when it is TREO."""
    return re.sub(r"(?i)\boxides?\b", "", text)


# -- document level -------------------------------------------------------------------------
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _date_the_undated(facts: list[Fact], sentence: Sentence, clauses: list[Clause],
                      context: Context, published: dt.date | None) -> None:
    """A fact whose sentence names no year takes the year of the sentence before it in the same
    paragraph, when that one is dated (a sentence continuing a dated one; two sentences on, the
    article has mostly moved on), unless the sentence is dated by its publication
    ('currently', 'today'); else, for a present or past statement, the year of publication
    (annotation guide, section 10). A planned capacity the sentence leaves undated takes neither."""
    dates = [d for d in (clauses[0].sentence_dates if clauses else [])
             if d.year is not None and d.relation != "since"]
    carried = None if cues.DATED_BY_PUBLICATION.search(sentence.text) else context.previous_year
    for fact in facts:
        if fact.year is None and not dates and not _undated_plan(fact, sentence):
            done = context.previous_was_a_goal and (fact.status == "operating" or _is_built(sentence.text))
            fact.year = (None if done else carried) or (published.year if published else None)
    context.previous_year = dates[0].year if dates else None
    context.previous_was_a_goal = bool(dates) and dates[0].relation == "by"


def _settle_status(facts: list[Fact], sentence: Sentence, statuses: SentenceLabels | None) -> None:
    """A status the cues left open: for a capacity, planned unless the sentence says it runs now
    (news mostly reports plans); for a plant or a recycling works, the status model's choice; a
    stockpile plan without a number is planned (guide, section 6)."""
    for fact in facts:
        if fact.status is not None:
            continue
        if fact.kind == "stockpile" and fact.quantity is None and cues.FUTURE.search(sentence.text):
            fact.status = "planned"
        elif fact.kind == "capacity":
            running = _is_built(sentence.text) or cues.CURRENT.search(sentence.text)
            fact.status = "operating" if running else "planned"
        elif fact.kind in ("plant_status", "recycling") and statuses is not None:
            fact.status = statuses.likeliest(sentence.text)


def _is_built(text: str) -> bool:
    """'Zhongke Sanhuan increased its sintered NdFeB capacity to 25,000 t/yr', 'commissioned the
    15-tonne-per-annum facility': done, not planned."""
    return bool(cues.BUILT.search(text)) and not cues.FUTURE.search(text)


def _carry_company(facts: list[Fact], context: Context) -> None:
    """A fact its sentence gives no owner takes the one it refers back to (_owner_by_reference)."""
    for fact in facts:
        if fact.company is not None or fact.facility is not None:
            continue
        owner = _owner_by_reference(fact, context)
        if owner is not None:
            fact.company, fact.company_id, fact.proposed = owner.canonical, owner.id, owner.proposed


def _owner_by_reference(fact: Fact, context: Context) -> Mention | None:
    """A plant's status or capacity with no owner named in its sentence or site ('Construction
    will commence in 2022'), output placed in no country ('Record NdPr production of 721 t'),
    money for what the article is about ('This includes a grant') or a price the company sold
    at is the company's the article was last on; a line of a price list ('Neodymium oxide was
    reported at 511700 yuan/ton') is the lister's."""
    if fact.kind == "price" and context.lister and cues.LISTED_LINE.search(fact.evidence):
        return context.lister
    company = context.company
    if company is None:
        return None
    for_the_article = fact.kind == "funding" and cues.FUNDED_BY_REFERENCE.search(fact.evidence)
    own_price = fact.kind == "price" and cues.OWN_PRICE.search(fact.evidence)
    if fact.kind == "plant_status" or for_the_article or own_price or _own_figure(fact, company):
        return company
    return None


def _own_figure(fact: Fact, company: Mention) -> bool:
    """A capacity or output, or a change in one, that may be the company's: not a share, not an
    industry's or a country's, not placed in another country (output in no country at all)."""
    placed = (None,) if fact.kind == "production" else (None, company.country)  # "China's output"
    share = fact.unit == "%" and not cues.TRADE_CHANGE.search(fact.evidence)  # a change ("jumped 19%") may be its own
    return (fact.kind in ("capacity", "production") and not share
            and not cues.AGGREGATE.search(fact.evidence) and fact.country in placed)


def _of_no_step(kind: str, material: str | None) -> bool:
    """A region's trade in or demand for rare earths at large is at no one step (guide, section 11)."""
    return kind in ("trade_flow", "demand_forecast") and material in cues.GENERIC_MATERIALS


def _for_the_whole_chain(kind: str, text: str) -> bool:
    """Money for a supply chain or for critical minerals at large is at no one step."""
    return kind == "funding" and bool(cues.WHOLE_CHAIN.search(text))


def _share_of_the_elements(fact: Fact) -> bool:
    """'China produces 97 percent of the world's rare earth metals': metals as the elements, no step."""
    return fact.kind == "production" and fact.unit == "%" and fact.material == "rare earth metal"


def _carry_stage(facts: list[Fact], context: Context) -> None:
    """A fact whose sentence names no stage is about the stage the article was last on ('the
    project', 'exports fell'): funding and offtakes of a plant, a region's trade and demand."""
    for fact in facts:
        material = fact.material or _first_material(fact.evidence)  # "..., while total imports fell"
        if fact.stage is None and fact.kind in STAGE_KINDS and not _of_no_step(fact.kind, material) \
                and not _for_the_whole_chain(fact.kind, fact.evidence):
            fact.stage = context.stage
    named = [f.stage for f in facts if f.stage]
    if named:
        context.stage = named[-1]


# kinds whose stage carries over; a price, a control or a share names its own or none
STAGE_KINDS = ("funding", "plant_status", "offtake", "capacity", "trade_flow", "demand_forecast")


def _undated_plan(fact: Fact, sentence: Sentence) -> bool:
    """A planned capacity its sentence does not date has no year, neither the publication's nor
    the sentence before's: when the plan is due is unknown."""
    return fact.kind == "capacity" and (fact.status == "planned" or bool(cues.FUTURE.search(sentence.text)))


def _remember_title(title: Sentence, context: Context, gazetteer: Gazetteer,
                    organisations: frozenset[str]) -> None:
    """'MP Materials Reports First Quarter 2025 Results' over a list of highlights ('Record NdPr
    production of 563 metric tons'): the highlights are the titled company's."""
    companies = gazetteer.find_companies(title.text, find_agencies(title.text), organisations)
    known = [c for c in companies if not c.proposed]
    if known:
        context.company = known[0]


def _remember(clause: Clause, context: Context, facts: list[Fact]) -> None:
    if clause.companies:
        known = [c for c in clause.companies if not c.proposed]
        context.company = (known or clause.companies)[0]
        if cues.LISTED_PRICES.search(clause.text):
            context.lister = context.company
    if clause.facilities:
        context.facility = clause.facilities[0]
    for fact in facts:
        if fact.kind in ("export_control", "trade_flow") and fact.country:
            context.export_country = fact.country


def _without_repeats(facts: list[Fact]) -> list[Fact]:
    """A fact restated later in the article (a recap, a repeated news item) is kept once."""
    seen, kept = set(), []
    for fact in facts:
        key = _repeat_key(fact)
        if key is not None and key in seen:
            continue
        seen.add(key)
        kept.append(fact)
    return kept


def _repeat_key(fact: Fact) -> tuple | None:
    if fact.unit == "%":
        return None  # the same rate of change recurs for different periods
    if fact.quantity is not None:
        return (fact.kind, fact.company, round(fact.quantity, 6), fact.unit, fact.material)
    if fact.company is None:
        return None
    key = (fact.kind, fact.company, fact.facility, fact.status, fact.year)
    # a plant's milestones recur with the same status and year (first metal, then first magnets):
    # only the same sentence again is a repeat
    return key + (fact.evidence,) if fact.kind == "plant_status" else key
