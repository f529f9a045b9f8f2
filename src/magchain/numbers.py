"""Numbers as people read them: tonnes with separators, shares as percentages, money in words.

The terminal, the pages and the report format through these, so a figure reads the same
everywhere. An unknown (None or NaN) is written "unknown", never 0.
"""

from __future__ import annotations

import math

UNKNOWN = "unknown"


def known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def tonnes(value, unit: str = "t") -> str:
    """12,345 t; below 10 t with one decimal."""
    if not known(value):
        return UNKNOWN
    return f"{value:,.1f} {unit}" if abs(value) < 10 and value != int(value) else f"{value:,.0f} {unit}"


def percent(share, digits: int = 0) -> str:
    """A share (0.94) as a percentage ('94 %')."""
    if not known(share):
        return UNKNOWN
    return f"{100 * share:,.{digits}f} %"


def money(amount, currency: str = "US$") -> str:
    """US$190 million, US$1.2 billion, US$45,000."""
    if not known(amount):
        return UNKNOWN
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(amount) >= size:
            scaled = amount / size
            return f"{currency}{scaled:,.0f} {word}" if abs(scaled) >= 100 else f"{currency}{scaled:,.3g} {word}"
    return f"{currency}{amount:,.0f}"


def months(value, censored: bool = False, horizon: float | None = None) -> str:
    """Months survived; a run that never ran short says so rather than printing its horizon."""
    if not known(value):
        return UNKNOWN
    if censored:
        return f"never short (in {horizon:.0f} months)" if horizon else "never short"
    return f"{value:.2f} months" if abs(value) < 1 else f"{value:.1f} months"


def price(value, unit: str) -> str:
    """A price in its own unit: 750,000 CNY/t, 110 USD/kg."""
    if not known(value):
        return UNKNOWN
    return f"{value:,.0f} {unit}" if abs(value) >= 100 else f"{value:,.3g} {unit}"


CURRENCY_SIGNS = {"USD": "US$", "AUD": "A$", "CAD": "C$", "EUR": "€", "GBP": "£"}


def amount(value, unit: str | None) -> str:
    """A stated quantity as people write it: money in words (US$45 million, JPY 5 billion),
    anything else with separators (1,500 t/yr)."""
    if not known(value):
        return UNKNOWN
    unit = unit or ""
    if unit.upper() in CURRENCY_SIGNS or (len(unit) == 3 and unit.isupper()):
        return money(value, CURRENCY_SIGNS.get(unit.upper(), f"{unit} "))
    return f"{value:,.6g} {unit}".strip()
