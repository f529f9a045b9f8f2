"""Quantities as the trade press writes them, normalised to a value and a unit.

Units: 't' (tonnes), 't/yr', 'kg', '<CUR>' (an amount of money, ISO currency code),
'<CUR>/kg' or '<CUR>/t' (a price, per tonne when quoted per tonne), '%', 'x' (a multiple),
'days', 'months', 'years', 'sq ft', 'EVs', 'EVs/yr'.
"mt" (and "MTPA") is read as metric tonnes, the trade-press usage, not million tonnes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a dozen": 12, "a hundred": 100,
}
MULTIPLE_WORDS = {"double": 2, "doubl": 2, "tripl": 3, "quadrupl": 4, "halv": 0.5}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "crore": 1e7, "lakh": 1e5,
}
# Scales that are only scales next to a currency ("50 m" alone may be metres).
CURRENCY_ONLY_SCALES = {"k", "m", "mn", "mln", "b", "bn"}
CURRENCY_PREFIXES = {
    "us$": "USD", "usd": "USD", "$": "USD", "a$": "AUD", "aud": "AUD", "c$": "CAD", "cad": "CAD",
    "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "CNY", "rmb": "CNY", "cny": "CNY",
    "rs": "INR", "rs.": "INR", "inr": "INR", "₹": "INR", "krw": "KRW", "₩": "KRW", "jpy": "JPY",
    "yn": "CNY",  # Argus writes yuan as "Yn1,890/kg"
    "$us": "USD", "$a": "AUD",  # the Australian press writes "$US110", "$A1.2 billion"
}
CURRENCY_WORDS = {
    "dollar": "USD", "rupee": "INR", "won": "KRW", "yuan": "CNY", "renminbi": "CNY",
    "yen": "JPY", "euro": "EUR", "pound": "GBP", "real": "BRL", "reais": "BRL",
}
QUALIFIERS = [
    (r"more than|over|above|exceeding|in excess of|upwards of|north of", "more_than"),
    (r"less than|under|below|fewer than|short of", "less_than"),
    (r"up to|as much as|as many as|as high as|a maximum of", "up_to"),
    (r"at least|no less than|a minimum of", "at_least"),
    (r"about|approximately|approx\.|around|roughly|nearly|almost|some|circa|close to|c\.|~",
     "about"),
]

# thousands are grouped by commas, or by spaces in South African and European copy ("4 000")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0]\d{3})+(?![\d.,])|\d+(?:\.\d+)?"
_WORD_NUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_SCALE = r"thousand|million|billion|trillion|crore|lakh|mln|mn|bn|[kmb](?![a-z])"
_CUR = r"\$US|\$A|US\$|A\$|C\$|USD|AUD|CAD|EUR|GBP|RMB|CNY|INR|KRW|JPY|Rs\.?|Yn|[$€£¥₹₩]"
_RATE = (r"(?:\s*/\s*|[\s-]+per[\s-]+|\s+a\s+|\s+an\s+|-)(?:year|yr|annum|y)\b|\s+annually"
         r"|\s*p\.?a\.?(?!\w)")
_UNIT = (
    r"(?P<kt>kilo-?(?:tonnes?|tons?)|kt)(?P<ktrate>" + _RATE + r")?|(?P<ktpa>ktpa|ktpy)"
    r"|(?P<tpa>mtpa|tpa|tpy|t/y|t/a)"
    r"|(?P<tonnes>(?:metric\s+)?(?:tonnes?|tons?|mt|t)(?![a-z]))(?P<rate>" + _RATE + r")?"
    r"|(?P<kg>kilograms?|kg)"
    r"|(?P<pct>%|percent(?:age points?)?|per\s?cent|pct|pc(?![a-z]))"
    r"|(?P<times>times|x(?![a-z])|-?fold)"
    r"|(?P<days>days?)|(?P<months>months?)|(?P<years>years?)"
    r"|(?P<sqft>square[- ](?:foot|feet)|sq\.?\s?ft)"
    r"|(?P<evs>electric vehicles|EVs|vehicles)(?P<evrate>" + _RATE + r")?"
    r"|(?P<curword>(?:" + "|".join(CURRENCY_WORDS) + r")s?)(?![a-z])"
)
_PER_KG = (r"\s*(?:/|per|a)\s*(?:metric\s+)?(?P<perunit>kilogram|kilo|kg|tonne|ton|mt|t|lb|"
           r"pound)\b")

_PER_UNIT_AFTER = re.compile(_PER_KG, re.IGNORECASE)
QUANTITY = re.compile(
    r"(?<![\w.$€£¥₹₩])(?:(?P<cur>" + _CUR + r")\s?)?"
    r"(?P<num>" + _NUM + r"|(?i:(?:" + _WORD_NUM + r")\b))(?![\d,])"
    r"(?:[\s-]?(?P<scale>(?i:" + _SCALE + r")))?"  # "$36.3-million" in Canadian and Australian copy
    r"(?:\s*(?:-|–|to)\s*(?:(?P<cur2>" + _CUR + r")\s?)?(?P<num2>" + _NUM + r")"
    r"(?:[\s-]?(?P<scale2>(?i:" + _SCALE + r")))?)?"
    r"(?:(?:\s|-)?(?P<unit>(?i:" + _UNIT + r")))?"
    r"(?:(?i:" + _PER_KG + r"))?",
)
MULTIPLE = re.compile(
    r"\b(?:(?P<word>" + "|".join(n for n in NUMBER_WORDS if " " not in n) + r")-?fold"
    r"|(?P<verb>doubl|tripl|quadrupl|halv)(?:e|ed|es|ing)(?!-))\b",
    re.IGNORECASE,
)
# "(approximately $815 million)", "(about €106.5m)": an amount restated in brackets
_RESTATED = r"\s*\((?:approximately|about|around|roughly|some|nearly|or|~)?\s*"
_USD_EQUIVALENT = re.compile(
    _RESTATED + r"(?:US\$|\$|USD\s?)"
    r"(?P<num>" + _NUM + r")\s?(?P<scale>(?i:" + _SCALE + r"))?\)"
)


@dataclass(frozen=True)
class Quantity:
    """A number as written: value (and high end of a range), unit, qualifier, where it is."""

    value: float
    high: float | None
    unit: str
    qualifier: str | None
    currency: str | None
    usd: float | None
    start: int
    end: int

    @property
    def is_money(self) -> bool:
        return self.currency is not None and "/" not in self.unit

    @property
    def is_price(self) -> bool:
        return self.currency is not None and "/" in self.unit

    @property
    def is_mass(self) -> bool:
        return self.unit in ("t", "t/yr")

    @property
    def measure(self) -> str:
        """What the number measures: a price, money, a share, a mass, else its unit."""
        if self.currency is not None:
            return "price" if self.is_price else "money"
        return "mass" if self.is_mass else "share" if self.unit == "%" else self.unit


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity with a recognised unit or currency, in order of appearance."""
    found = [q for m in QUANTITY.finditer(text) for q in _from_match(text, m)]
    found += [_multiple_word(text, m) for m in MULTIPLE.finditer(text)]
    found += _bare_targets(text, found)
    kept: list[Quantity] = []
    for quantity in sorted(found, key=lambda q: (q.start, -q.end)):
        # A stated USD equivalent or a spelled-out multiple is part of the quantity before it.
        if not kept or quantity.start >= kept[-1].end:
            kept.append(quantity)
    return _join_unit_ranges(text, _join_between_ranges(text, kept))


_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+")


def _join_between_ranges(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """'between $1 billion and $1.2 billion' is one range, not two amounts."""
    joined: list[Quantity] = []
    for quantity in quantities:
        low = joined[-1] if joined else None
        if (low and low.high is None and quantity.high is None and low.unit == quantity.unit
                and _AND.fullmatch(text, low.end, quantity.start)
                and _BETWEEN.search(text, max(0, low.start - 12), low.start)):
            joined[-1] = replace(low, high=quantity.value, end=quantity.end)
        else:
            joined.append(quantity)
    return joined


_UNIT_RANGE_LINK = re.compile(r"\s*(?:to|-|–)\s*")
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_CHANGE_BEFORE = re.compile(r"\b(?:from|by)\s+$", re.IGNORECASE)


def _join_unit_ranges(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """'850 t/y to 1 000 t/y' repeats the unit on both ends of one range.

    'from 60 t to 90 t' and 'by 500 t to 2,000 t' are changes, and so are most percentage
    pairs: none of them is joined."""
    joined: list[Quantity] = []
    for quantity in quantities:
        low = joined[-1] if joined else None
        if (low and low.high is None and quantity.high is None and low.unit == quantity.unit
                and low.unit != "%" and _UNIT_RANGE_LINK.fullmatch(text, low.end, quantity.start)
                and not _CHANGE_BEFORE.search(text, max(0, low.start - 8), low.start)):
            joined[-1] = replace(low, high=quantity.value, end=quantity.end)
        else:
            joined.append(quantity)
    return joined


# a bare year ("from 50 t in 2024 to 2030") is a date, not a target
_BARE_TARGET = re.compile(r"\s+to\s+(?!(?:19|20)\d\d\b)(?P<num>\d+(?:\.\d+)?)(?![\d,.]?\w)")


def _bare_targets(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """'from 60 days to 30': the new value borrows the unit of the old one.

    A target that has its own unit is parsed in full and wins the overlap."""
    found: list[Quantity] = []
    for quantity in quantities:
        target = _BARE_TARGET.match(text, quantity.end)
        if (target and quantity.high is None and quantity.currency is None
                and _FROM_BEFORE.search(text, max(0, quantity.start - 8), quantity.start)):
            found.append(replace(quantity, value=float(target["num"]), start=target.start("num"),
                                 end=target.end(), qualifier=None))
    return found


def _from_match(text: str, match: re.Match) -> list[Quantity]:
    """The quantity a match spells, two for 'from X to Y', none for a bare number."""
    if _year_before_a_grouped_number(match):  # "against 2022 to 34,147t": a year, then the figure
        figure = QUANTITY.search(text, match.end("num"), match.end())  # "of 2022 to $237.1 million"
        return _from_match(text, figure) if figure else []
    quantity = _quantity(text, match)
    if quantity is None or quantity.high is None or not _range_is_from_to(text, match.start()):
        return [quantity] if quantity else []
    # 'from 600 to 5,000 tonnes' is a change between two values, not a range.
    first = replace(quantity, high=None, end=match.end("num"))
    return [first, replace(quantity, value=quantity.high, high=None, start=match.start("num2"))]


def _year_before_a_grouped_number(match: re.Match) -> bool:
    """'in 2022 to 176 kt', 'against 2022 to 34,147t': a year, then the figure (a range's low end
    is written like its high end and is the smaller)."""
    low, high = match["num"], match["num2"]
    if not high or not re.fullmatch(r"(?:19|20)\d\d", low) or match["cur"] or match["scale"]:
        return False
    return bool(re.search(r"[,\s]", high)) or _number(high) < _number(low)


def _quantity(text: str, match: re.Match) -> Quantity | None:
    groups = match.groupdict()
    currency = _currency_of(groups)
    value = _number(groups["num"])
    scale_word = (groups["scale"] or "").lower()
    if scale_word in CURRENCY_ONLY_SCALES and not currency:
        return None
    unit = _unit(groups, currency)
    if unit == "" and not scale_word:  # a bare number: a year, an order number, a count
        return None
    multiplier = _scale(scale_word) * _unit_factor(groups)
    high = None
    if groups["num2"]:
        scale2 = (groups["scale2"] or scale_word).lower()
        high = _number(groups["num2"]) * _scale(scale2) * _unit_factor(groups)
        if not scale_word and value <= _number(groups["num2"]):
            multiplier *= _scale(scale2)  # "1.55-1.57 million": the scale is written once, after the range
    value *= multiplier
    if groups["perunit"] and currency:
        value, high = _per_kg(value, groups, currency), _per_kg(high, groups, currency)
    end = match.end()
    usd = value if currency == "USD" else None
    if currency == "USD":
        end = _after_restatement(text, end)
    equivalent = _USD_EQUIVALENT.match(text, end)
    if currency and currency != "USD" and equivalent:
        usd = _number(equivalent["num"]) * _scale((equivalent["scale"] or "").lower())
        end = equivalent.end()
        per = None if groups["perunit"] else _PER_UNIT_AFTER.match(text, end)
        if per:  # "CNY39,189 (USD5,837) per ton": the basis after the dollar figure makes it a price
            basis = {"perunit": per["perunit"]}
            unit = f"{currency}/{_price_basis(basis, currency)}"
            value, high = _per_kg(value, basis, currency), _per_kg(high, basis, currency)
            usd, end = _per_kg(usd, basis, currency), per.end()  # the dollar figure on the same basis
    return Quantity(value, high, unit, qualifier_before(text, match.start()), currency, usd,
                    match.start(), end)


_OPENING = re.compile(_RESTATED)
_CLOSING = re.compile(r"\s*\)")


def _after_restatement(text: str, end: int) -> int:
    """Where a dollar amount ends when the text restates it in another currency: "$115m
    (€106.5m) in loan guarantees" is one amount, not two."""
    opening = _OPENING.match(text, end)
    other = QUANTITY.match(text, opening.end()) if opening else None
    if other is None:
        return end
    currency = _currency_of(other.groupdict())
    closing = _CLOSING.match(text, other.end())
    return closing.end() if currency not in (None, "USD") and closing else end


def _currency_of(groups: dict) -> str | None:
    """The currency a matched quantity is in: its prefix ("A$"), or its unit word ("yuan")."""
    return _currency(groups["cur"] or groups["cur2"], groups, groups["unit"] or "")


def _currency(prefix: str | None, groups: dict, unit_text: str) -> str | None:
    if prefix:
        return CURRENCY_PREFIXES.get(prefix.lower())
    if groups["curword"]:
        word = unit_text.lower()
        return CURRENCY_WORDS.get(word) or CURRENCY_WORDS.get(word.removesuffix("s"))
    return None


def _unit(groups: dict, currency: str | None) -> str | None:
    """The normalised unit, '' when the text gives none."""
    if currency:
        return f"{currency}/{_price_basis(groups, currency)}" if groups["perunit"] else currency
    if groups["ktpa"] or groups["tpa"] or groups["ktrate"] or groups["rate"]:
        return "t/yr"
    if groups["kt"] or groups["tonnes"] or groups["kg"]:
        return "t"  # kilograms in tonnes, as the annotation guide's unit list has it
    simple = {"pct": "%", "times": "x", "days": "days", "months": "months",
              "years": "years", "sqft": "sq ft"}
    for group, unit in simple.items():
        if groups[group]:
            return unit
    if groups["evs"]:
        return "EVs/yr" if groups["evrate"] else "EVs"
    return ""


def _unit_factor(groups: dict) -> float:
    if groups["kg"]:
        return 0.001
    return 1000.0 if groups["kt"] or groups["ktpa"] else 1.0


def _price_basis(groups: dict, currency: str) -> str:
    """Bulk oxide prices are quoted per tonne and kept so, and yuan prices are all given per tonne
    (the annotation guide's CNY/t); everything else is per kilogram."""
    return "t" if currency == "CNY" or groups["perunit"].lower() in ("tonne", "ton", "mt", "t") else "kg"


def _per_kg(value: float | None, groups: dict, currency: str) -> float | None:
    """Prices per pound are restated per kilogram, yuan per kilogram per tonne."""
    if value is None:
        return None
    per = groups["perunit"].lower()
    if per in ("lb", "pound"):
        value = value / 0.45359237
    if currency == "CNY" and per not in ("tonne", "ton", "mt", "t"):
        value = value * 1000
    return value


def _scale(word: str) -> float:
    return SCALES.get(word, 1.0)


def _number(text: str) -> float:
    word = text.lower()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    return float(re.sub(r"[,\s]", "", text))


def _range_is_from_to(text: str, start: int) -> bool:
    return bool(re.search(r"\bfrom\s+\S*$", text[max(0, start - 12):start]))


def qualifier_before(text: str, start: int) -> str | None:
    """The hedge written just before a number ('more than', 'about', ...)."""
    before = text[max(0, start - 30):start].lower()
    for pattern, name in QUALIFIERS:
        match = re.search(r"(?:^|[^\w])(?:" + pattern + r")\s*$", before)
        if match:
            if name == "up_to" and re.search(r"(scale|ramp|ramping|scaling|go|goes)\s+up to\s*$",
                                             before):
                return None
            return name
    return None


def _multiple_word(text: str, match: re.Match) -> Quantity:
    if match["word"]:
        value = float(NUMBER_WORDS[match["word"].lower()])
    else:
        value = float(MULTIPLE_WORDS[match["verb"].lower()])
    return Quantity(value, None, "x", qualifier_before(text, match.start()), None, None,
                    match.start(), match.end())
