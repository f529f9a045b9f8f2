"""Turn raw cell values (text from CSV, numbers and dates from Excel or JSON) into typed values.

A bad value yields a problem and a fix instead of an exception, so that every problem in a
file is reported at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from magchain.errors import InvalidInput
from magchain.tables import Column

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+-]*$")
MAX_ID = 200  # characters of an id
MAX_TEXT = 32_767  # characters of a text: the most an XLSX cell holds, so every store and format can keep it
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # ASCII digits only
_STRIPPED = ("id", "country", "countries", "date", "timestamp", "int", "float")


class BadValue(ValueError):
    def __init__(self, problem: str, fix: str = ""):
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and raw.strip() == ""


def coerce(column: Column, raw: object) -> object:
    """The typed value of ``raw`` for ``column``; None for blank; raises BadValue."""
    if is_blank(raw):
        return None
    kind = column.type.split(":", 1)[0]
    if isinstance(raw, str) and (kind in _STRIPPED or kind in ("enum", "ref")):
        raw = raw.strip()
    if kind == "int":
        return _to_int(raw)
    if kind == "float":
        return _to_float(raw)
    if kind == "date":
        return to_date_text(raw)
    if kind == "timestamp":
        return _to_timestamp(raw)
    if kind in ("id", "ref"):
        text = _to_text(raw)
        if len(text) > MAX_ID:
            raise BadValue(f"is {len(text):,} characters long", f"Keep ids within {MAX_ID} characters")
        if not _ID.match(text):
            raise BadValue(
                "is not a valid identifier",
                "Use letters, digits and - _ . : only, starting with a letter or digit",
            )
        return text
    return _to_text(raw)


def _to_text(raw: object) -> str:
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    if "\x00" in text:
        raise BadValue("contains a NUL character", "Remove control characters from the cell")
    if len(text) > MAX_TEXT:
        raise BadValue(f"is {len(text):,} characters long",
                       f"Keep a text within {MAX_TEXT:,} characters, the most a spreadsheet cell holds")
    return text


def _to_int(raw: object) -> int:
    if isinstance(raw, bool):
        raise BadValue("is not a whole number", "Write a year or count such as 2026")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"[+-]?\d+(\.0+)?", raw):
        return int(float(raw))
    raise BadValue("is not a whole number", "Write a year or count such as 2026")


def _to_float(raw: object) -> float:
    if isinstance(raw, bool):
        raise BadValue("is not a number", "Write a plain number such as 2000 or 0.25")
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = str(raw)
        if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
            raise BadValue("has thousands separators", f"Write {text.replace(',', '')}")
        try:
            value = float(text)
        except ValueError:
            raise BadValue(
                "is not a number", "Write a plain number such as 2000 or 0.25, without units"
            ) from None
    if not math.isfinite(value):
        raise BadValue("is not a finite number", "Leave the cell empty when the value is unknown")
    return value


def to_date_text(raw: object) -> str:
    """ISO date text keeping the precision given: 2025, 2025-05 or 2025-05-20."""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        raw = str(int(raw))
    text = str(raw).strip()
    if len(text) >= 19 and text[10] in "T ":  # a timestamp exported by a spreadsheet
        text = text[:10]
    match = _DATE.match(text)
    if not match:
        raise BadValue("is not a date", "Write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2025-04-04")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise BadValue("is not a real calendar date", "Check the month and day") from None
    return text


def _to_timestamp(raw: object) -> str:
    if isinstance(raw, dt.datetime):
        return raw.isoformat(timespec="seconds")
    text = str(raw).strip()
    try:
        return dt.datetime.fromisoformat(text).isoformat(timespec="seconds")
    except ValueError:
        raise BadValue("is not a timestamp", "Write ISO 8601, e.g. 2026-01-31T12:00:00") from None


def period_end(date_text: str) -> str:
    """Last day of the period a partial date names (2025 -> 2025-12-31, 2025-02 -> 2025-02-28).

    Knowledge time uses the end of the period: a source dated only '2025' may have appeared
    in December, and an as-of view must never see a figure before it could have been known.
    """
    parts = date_text.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        first_next = dt.date(year + month // 12, month % 12 + 1, 1)
        return (first_next - dt.timedelta(days=1)).isoformat()
    return date_text


def user_date(value: object, option: str) -> str | None:
    """The one parser of dates typed by users (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date),
    so that ``2025-13-01`` is refused alike by every command; the message names the option."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return to_date_text(value)
    except BadValue as bad:
        raise InvalidInput(f"{option} {str(value)!r} {bad.problem}. {bad.fix}") from None


def as_of_date(value: object, option: str = "--as-of") -> str | None:
    """An as-of date read as the end of the period it names: what was known by then."""
    text = user_date(value, option)
    return period_end(text) if text else None
