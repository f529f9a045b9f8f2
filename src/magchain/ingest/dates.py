"""Dates and periods as news text states them, resolved to a year (and month where given).

Relative expressions ('next year', 'last month', 'by the end of the year', 'in April') are
resolved only against a publication date; without one they are reported with year None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from magchain.ingest.guards import guarded

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_YEAR = r"(?:19[5-9]\d|20\d\d)(?!\d|,\d|\s?(?:tonnes|tons|t\b|mt\b))"
ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# Words before a date that say how the fact relates to it.
RELATIONS = {"by": "by", "until": "by", "before": "by", "since": "since", "from": "from"}

_FULL_DATE = guarded(
    r"\b(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))\b"
    r"|\b(?P<mname>" + _MONTH + r")\s+(?P<mday>\d{1,2})(?:st|nd|rd|th)?,?\s+"
    r"(?P<myear>" + _YEAR + ")"
    # scraped bylines glue dates together ("24 June 202524 June 2025")
    r"|(?:\b|(?<=(?:19|20)\d\d))(?P<dday>\d{1,2})\s+(?P<dname>" + _MONTH + r"),?\s+"
    r"(?P<dyear>" + _YEAR + ")"
)
_PATTERNS = [
    ("full", _FULL_DATE),
    # "Q3 2024", "the third quarter of 2024", "the March quarter of 2023" (named by its last month)
    ("quarter", guarded(r"\b(?:Q(?P<q>[1-4])|(?:(?P<qword>first|second|third|fourth)|"
                           r"(?P<qmonth>March|June|September|December)) quarter"
                           r"(?: of)?)\s*(?P<year>" + _YEAR + ")", re.IGNORECASE)),
    ("half", guarded(r"\b(?:H(?P<h>[12])|(?P<hword>first|second) half(?: of)?)\s*(?P<year>"
                        + _YEAR + ")", re.IGNORECASE)),
    ("part", guarded(r"\b(?P<part>early|mid|late|end of|end-|the end of)[\s-]*(?P<year>"
                        + _YEAR + ")", re.IGNORECASE)),
    ("fiscal", guarded(r"\b(?:FY\s?|fiscal (?:year )?)(?P<year>" + _YEAR + ")"
                          r"|\bFY\s?(?P<yy>\d\d)\b(?![-–/]?\d)", re.IGNORECASE)),
    ("month", guarded(r"\b(?P<month>" + _MONTH + r")\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?"
                         r"(?P<year>" + _YEAR + ")")),
    ("year", guarded(r"(?<![\w$€£.-])(?P<year>" + _YEAR + r")\b")),
    ("relative", guarded(
        r"\b(?P<rel>(?:by |until |before )?the end of (?:the|this) year|later this year"
        r"|earlier this year|this year|the current year|next year|last year|the coming year"
        r"|this month|last month|next month|this week|last week|today|yesterday|currently|now)\b",
        re.IGNORECASE)),
    # "in April", "by the end of June", "in the December quarter"
    ("bare_month", guarded(r"\b(?:in|by|since|from|until|on|end of|during)\s+(?:the\s+)?(?P<month>(?:January|"
                              r"February|March|April|June|July|August|September|October|November|"
                              r"December))\b(?!\s+\d)")),
    # "the December data", "December's figure": a month's statistics
    ("bare_month", guarded(r"\b(?:the\s+)?(?P<month>January|February|March|April|June|July|August|September|"
                              r"October|November|December)(?:[’']s)?\s+(?:data|figures?|numbers|statistics|"
                              r"volumes?|exports|imports|shipments|total)\b")),
]
# A month named without its year is the last such month before publication, unless the text
# looks ahead ("will start in December", "by June"): "exports fell in December" in a February article.
_LOOKS_AHEAD = re.compile(r"\b(?:will|expects?|expected|plans?|planned|scheduled|due|targets?|"
                          r"aims?|set to|slated|intends?)\b", re.IGNORECASE)
RELATIVE_YEAR_OFFSETS = {"next year": 1, "last year": -1, "the coming year": 1}
RELATIVE_MONTH_OFFSETS = {"last month": -1, "next month": 1, "this month": 0}


@dataclass(frozen=True)
class DateRef:
    """A date in text: the year (month, quarter) it names and how it relates ('by', 'since')."""

    year: int | None
    month: int | None
    quarter: int | None
    relation: str | None
    relative: bool
    start: int
    end: int


def parse_full_date(text: str) -> dt.date | None:
    """The first complete calendar date in text ('June 12, 2025', '2025-06-12', '12 June 2025')."""
    for match in _FULL_DATE.finditer(text):
        day = _full_date(match)
        if day:
            return day
    return None


def _full_date(match: re.Match) -> dt.date | None:
    try:
        if match["iso"]:
            return dt.date(int(match["iy"]), int(match["im"]), int(match["id"]))
        if match["mname"]:
            return dt.date(int(match["myear"]), _month(match["mname"]), int(match["mday"]))
        return dt.date(int(match["dyear"]), _month(match["dname"]), int(match["dday"]))
    except ValueError:  # "February 30, 2025" is not a date
        return None


def parse_dates(text: str, published: dt.date | None = None) -> list[DateRef]:
    """Every date expression in text, resolved against the publication date where relative."""
    found: list[DateRef] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(d.start < match.end() and match.start() < d.end for d in found):
                continue
            ref = _resolve(kind, match, published, _relation(text, match.start()))
            if ref:
                found.append(ref)
    return _year_on_year(sorted(found, key=lambda d: d.start))


def _year_on_year(dates: list[DateRef]) -> list[DateRef]:
    """'3,326 t in December, down from 4,416 t in November and 3,439 t in December 2023': beside
    the same month of a named year, the months a text leaves without one are of the year after
    (guide, section 10: "December" with "down 20% from December 2022" is 2023)."""
    bare = [d for d in dates if d.year is None and d.month is not None]
    base = next((d for d in dates if d.year is not None and d.month is not None
                 and any(b.month == d.month for b in bare)), None)
    if base is None:
        return dates
    return [replace(d, year=base.year + 1) if d in bare else d for d in dates]


def _resolve(kind: str, match: re.Match, published: dt.date | None,
             relation: str | None) -> DateRef | None:
    start, end = match.start(), match.end()
    if kind == "relative":
        return _relative(match["rel"].lower(), published, relation, start, end)
    if kind == "bare_month":
        return _bare_month(match, published, relation)
    if kind == "fiscal" and match["yy"]:
        return DateRef(2000 + int(match["yy"]), None, None, relation, False, start, end)
    if kind == "full":
        day = _full_date(match)
        return DateRef(day.year, day.month, None, relation, False, start, end) if day else None
    year = int(match["year"])
    month = _month(match["month"]) if kind == "month" else None
    quarter = None
    if kind == "quarter":
        quarter = (int(match["q"]) if match["q"] else _month(match["qmonth"]) // 3 if match["qmonth"]
                   else ORDINAL_QUARTERS[match["qword"].lower()])
    return DateRef(year, month, quarter, relation, False, start, end)


def _bare_month(match: re.Match, published: dt.date | None, relation: str | None) -> DateRef:
    month, year = _month(match["month"]), published.year if published else None
    ahead = relation == "by" or match[0].lower().startswith(("by", "until")) or _LOOKS_AHEAD.search(match.string)
    if year is not None and month > published.month and not ahead:
        year -= 1
    return DateRef(year, month, None, relation, True, match.start(), match.end())


def _relative(phrase: str, published: dt.date | None, relation: str | None,
              start: int, end: int) -> DateRef:
    if phrase.startswith(("by ", "until ", "before ")):
        relation = "by"
    if published is None:
        return DateRef(None, None, None, relation, True, start, end)
    year, month = published.year + RELATIVE_YEAR_OFFSETS.get(phrase, 0), None
    if phrase in RELATIVE_MONTH_OFFSETS:
        month = published.month + RELATIVE_MONTH_OFFSETS[phrase]
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return DateRef(year, month, None, relation, True, start, end)


def _relation(text: str, start: int) -> str | None:
    match = re.search(r"\b(by|until|before|since|from)\s+(?:the\s+)?$",
                      text[max(0, start - 12):start], re.IGNORECASE)
    return RELATIONS[match.group(1).lower()] if match else None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]
