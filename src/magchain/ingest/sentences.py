"""Split text into sentences, keeping character offsets into the original text.

News text arrives in three shapes the splitter has to survive: ordinary paragraphs, PDF
extracts hard-wrapped at a fixed width (where a line break is *not* a sentence end), and
scraped pages where sentences are glued together without a space ("influence.Neodymium").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

# Tokens that end with a period without ending the sentence.
ABBREVIATIONS = {
    "no", "nos", "approx", "dr", "mr", "mrs", "ms",
    "prof", "st", "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "est", "fig", "dept", "gov", "sen", "rep", "gen",
    "mt", "bn", "mln", "jr", "sr", "u.s", "u.k", "e.u", "u.n", "a.m", "p.m", "ca",
}
# Company suffixes: "Lynas Ltd. The" ends a sentence, "Apple Inc. Chief Executive" does not.
CORPORATE_SUFFIXES = {"inc", "corp", "co", "ltd", "llc", "plc", "gmbh", "ag", "sa"}
# Words that, after "U.S." and the like, show a new sentence has begun.
SENTENCE_OPENERS = {
    "The", "This", "These", "That", "Those", "It", "Its", "In", "A", "An", "But", "However",
    "Meanwhile", "They", "He", "She", "We", "There", "Last", "On", "At", "According", "After",
    "Despite", "Since", "While", "As", "If", "For", "Still", "Yet", "And",
}

_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*")
_OPENING = re.compile(r"[\"'“‘(\[•·\-–*]*\s*[A-Z0-9]")
_GLUED = re.compile(r"[a-z)\]%]{2}[.!?][\"”’]?[A-Z][a-z]")
_BULLET = re.compile(r"(?:[•·▪◦*o\-–]\s+)+")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


MAX_SENTENCE = 1200  # characters; longer runs (tables, lists without stops) are cut so reading stays linear


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` as (start, end, text) with text[start:end] == sentence text."""
    sentences = []
    for block_start, block_end in _blocks(text):
        for span in _split_block(text, block_start, block_end):
            for start, end in _bounded(text, *span):
                start, end = _trim(text, start, end)
                if end > start:
                    sentences.append(Sentence(start, end, text[start:end]))
    return sentences


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut into pieces of at most MAX_SENTENCE characters, at the last ';', ',' or space."""
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max(text.rfind(mark, start + MAX_SENTENCE // 2, limit) for mark in ("; ", ", ", " "))
        cut = cut + 1 if cut > start else limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans between hard breaks: every line break, unless the text is hard-wrapped."""
    width = _wrap_width(text)
    blocks, start = [], None
    for match in re.finditer(r"[^\n]+", text):
        line_start, line_end = match.span()
        line = match.group().strip()
        if not line:
            continue
        if start is None:
            start = line_start
        if width is None or len(line) < 0.6 * width or _ends_sentence(line):
            blocks.append((start, line_end))
            start = None
    if start is not None:
        blocks.append((start, len(text)))
    return blocks


def _wrap_width(text: str) -> int | None:
    """The fixed line width of a hard-wrapped text (a PDF extract), or None."""
    lengths = [len(line.rstrip()) for line in text.splitlines() if line.strip()]
    if len(lengths) < 10:
        return None
    longest = sorted(lengths)[int(0.9 * (len(lengths) - 1))]
    near_width = sum(1 for n in lengths if 0.7 * longest <= n <= longest * 1.1)
    if longest > 140 or near_width < 0.5 * len(lengths):
        return None
    return longest


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?:][\"'”’)]*$", line))


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start]
    for match in _BOUNDARY.finditer(text, start, end):
        if _is_sentence_end(text, match, end):
            cuts.append(match.end())
    for match in _GLUED.finditer(text, start, end):
        cut = match.start() + 3  # just after the glued full stop
        while text[cut] in "\"”’":
            cut += 1
        cuts.append(cut)
    cuts = sorted(set(cuts)) + [end]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _is_sentence_end(text: str, match: re.Match, block_end: int) -> bool:
    after = text[match.end():block_end]
    if not after.strip():
        return True
    if not after[:1].isspace():
        return False
    if not _OPENING.match(after.lstrip()):
        return False
    if match.group().startswith("."):
        word = _word_before(text, match.start())
        if text[match.start() - len(word) - 1:match.start() - len(word)] == "/":
            return True  # a rate unit ("t/y.", "t/a.") is not an initial
        if word.lower() in ABBREVIATIONS or re.fullmatch(r"[A-Za-z]|(?:[A-Z]\.)+[A-Z]", word):
            # "U.S. The ..." ends a sentence; "U.S. Senate" and "Inc. said" do not.
            return _opens_sentence(after)
        if word.lower() in CORPORATE_SUFFIXES:
            return _opens_sentence(after) or bool(re.match(r"\s*[A-Z][a-z]+\s+[a-z]", after))
    return True


def _opens_sentence(after: str) -> bool:
    first = re.match(r"\s*([A-Za-z]+)", after)
    return bool(first) and first.group(1) in SENTENCE_OPENERS


def _word_before(text: str, position: int) -> str:
    match = re.search(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)$", text[max(0, position - 20):position])
    return match.group(1) if match else ""


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding whitespace and bullet marks so the span starts at the first word."""
    while start < end and text[start].isspace():
        start += 1
    bullet = _BULLET.match(text, start, end)
    if bullet:
        start = bullet.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
