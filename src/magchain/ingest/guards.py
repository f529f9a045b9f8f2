"""Faster scans for patterns of many alternatives, with the same matches.

Python's regex engine tries a pattern at every position of a text. A pattern that opens with a
word boundary and an alternation of words ("\\b(?:began|started|...)") cannot use the engine's
first-character skip, so it tries every alternative at every word boundary. Prefixing it with a
lookahead for the characters a match can begin with lets most positions fail at one step; the
matches are the same because no match can begin anywhere else.

The first characters are read from the parsed pattern (the standard library's parser, a private
module): anything this reader does not understand leaves the pattern as it was.
"""

from __future__ import annotations

import re

try:
    from re import _constants as _ops
    from re import _parser as _parse
except ImportError:  # another Python: scans stay correct, only slower
    _ops = _parse = None

_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
# Classes kept as classes in the guard (their members depend on Unicode, not worth listing).
_CATEGORY_CODES = {"CATEGORY_DIGIT": -1, "CATEGORY_WORD": -2, "CATEGORY_SPACE": -3}
_CATEGORIES = {-1: r"\d", -2: r"\w", -3: r"\s"}


def guarded(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, opened by a lookahead for its possible first characters."""
    first = first_characters(pattern, flags)
    if not first:
        return re.compile(pattern, flags)
    members = "".join(_CATEGORIES.get(c) or re.escape(chr(c)) for c in sorted(first))
    return re.compile(f"(?=[{members}])(?:{pattern})", flags)


def first_characters(pattern: str, flags: int = 0) -> set[int] | None:
    """The code points a match of the pattern can begin with (a class such as \\d stands as
    one negative number); None when that is not known or when the pattern can match the empty
    string (then it can begin anywhere)."""
    if _parse is None:
        return None
    try:
        chars, empty = _first(_parse.parse(pattern, flags), bool(flags & re.IGNORECASE))
    except _Unknown:
        return None
    return None if empty else chars


class _Unknown(Exception):
    """An element the reader does not handle."""


def _first(items, ignore_case: bool) -> tuple[set[int], bool]:
    """(first characters, whether the sequence can match empty)."""
    chars: set[int] = set()
    for op, argument in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        if name == "LITERAL":
            return chars | _cases(argument, ignore_case), False
        if name == "IN":
            return chars | _class_members(argument, ignore_case), False
        if name == "SUBPATTERN":
            _group, added, removed, body = argument
            if (added | removed) & re.IGNORECASE:  # a guard compiled with other flags would differ
                raise _Unknown("inline case flag")
            sub, empty = _first(body, ignore_case)
        elif name == "BRANCH":
            sub, empty = set(), False
            for branch in argument[1]:
                branch_chars, branch_empty = _first(branch, ignore_case)
                sub |= branch_chars
                empty = empty or branch_empty
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            least, _most, body = argument
            sub, empty = _first(body, ignore_case)
            empty = empty or least == 0
        else:
            raise _Unknown(name)
        chars |= sub
        if not empty:
            return chars, False
    return chars, True


def _cases(code: int, ignore_case: bool) -> set[int]:
    char = chr(code)
    return {ord(c) for c in {char, char.lower(), char.upper()} if len(c) == 1} if ignore_case else {code}


def _class_members(members, ignore_case: bool) -> set[int]:
    chars: set[int] = set()
    for op, argument in members:
        name = str(op)
        if name == "LITERAL":
            chars |= _cases(argument, ignore_case)
        elif name == "RANGE" and argument[1] - argument[0] < 256:
            for code in range(argument[0], argument[1] + 1):
                chars |= _cases(code, ignore_case)
        elif name == "CATEGORY" and str(argument) in _CATEGORY_CODES:
            chars.add(_CATEGORY_CODES[str(argument)])
        else:  # a negated class, a category such as \w, a wide range
            raise _Unknown(name)
    return chars
