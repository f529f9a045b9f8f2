"""The first-character guards that speed up cue scans find exactly what the bare patterns find."""

import re
from pathlib import Path

import pytest

from magchain.ingest import cues, dates
from magchain.ingest.gazetteer import _AGENCY_PATTERN, default_gazetteer
from magchain.ingest.guards import first_characters, guarded

SEEDS = Path(__file__).resolve().parent.parent / "src" / "magchain" / "data" / "seeds"


def _chars(pattern: str, flags: int = 0) -> str | None:
    found = first_characters(pattern, flags)
    return None if found is None else "".join(chr(c) for c in sorted(found) if c >= 0)


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"\bfirst\s+x", re.IGNORECASE, "Ff"),
    (r"(?:the\s+)?first", 0, "ft"),  # an optional opening adds its own first characters
    (r"\b(?:began|begun)|(?:U\.?S\.? )?Senate", 0, "SUb"),
    (r"(?<!which )[Oo]perates", 0, "Oo"),  # lookbehinds take no characters
    (r"a?", 0, None),  # can match the empty string, so it can begin anywhere
    (r"[^a]x", 0, None),  # a negated class is not listed
    (r"(?i:x)y", 0, None),  # an inline case flag would need the guard to carry it
])
def test_first_characters(pattern, flags, expected):
    assert _chars(pattern, flags) == expected


def test_a_digit_class_stays_a_class():
    guard = guarded(r"\d{4}-\d\d")
    assert guard.pattern.startswith(r"(?=[\d])")
    assert guard.search("in ٢٠٢٥-٠١") is not None  # Arabic-Indic digits are \d too


def _bare(pattern: re.Pattern) -> re.Pattern:
    """The pattern a guarded one was made from (its guard and wrapping group taken off)."""
    assert pattern.pattern.startswith("(?=[")
    return re.compile(pattern.pattern.split("])(?:", 1)[1][:-1], pattern.flags)


def _guarded_cues() -> list[re.Pattern]:
    found = [p for p in vars(cues).values() if isinstance(p, re.Pattern) and p.pattern.startswith("(?=[")]
    found += [pattern for pattern, _status, _needs in cues.PLANT_STATUS]
    found += [pattern for _kind, pattern in dates._PATTERNS] + [_AGENCY_PATTERN]
    return found


def test_guarded_patterns_match_as_the_bare_ones_do():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    patterns = _guarded_cues()
    assert len(patterns) > 60  # cues, plant statuses, dates and agencies are all guarded
    for pattern in patterns:
        bare = _bare(pattern)
        for text in texts:
            assert ([m.span() for m in pattern.finditer(text)]
                    == [m.span() for m in bare.finditer(text)]), pattern.pattern[:80]


def test_grouped_name_alternation_prefers_the_longest_name():
    gazetteer = default_gazetteer()
    text = "Shares of MP Materials Corp. rose; mp materials said; Lynas Rare Earths and Lynas agreed."
    found = [m.group() for m in gazetteer._company_pattern.finditer(text)]
    assert found == ["MP Materials Corp.", "mp materials", "Lynas Rare Earths", "Lynas"]
