"""Read a news document (.txt, .md, .html, .pdf) into plain text and metadata.

Problems a user can fix (a binary file under a text name, an empty or huge file, a web page
with no article in it) raise MagchainError naming the file and the fix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from magchain.errors import MagchainError, NotFound
from magchain.ingest.dates import parse_full_date

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
MIN_ARTICLE_CHARS = 200  # less than this after extraction is navigation, not an article
_DATE_LABEL = re.compile(r"\b(?:Published|Posted|Updated|Date)(?:\s+on)?\s*:?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Metadata:
    path: str
    format: str
    title: str | None
    published: dt.date | None
    sha256: str
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Document:
    text: str
    metadata: Metadata


def read_document(path: str | Path) -> Document:
    """The text of a document and its metadata (title, publication date, content hash)."""
    path = Path(path)
    raw = _read_bytes(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    stated = None  # a publication date the page's metadata states
    if suffix == ".pdf":
        text, title = _pdf_text(path), None
    elif suffix in HTML_SUFFIXES:
        text, title, stated = _html_text(path, _decode(path, raw, notes))
    elif suffix in TEXT_SUFFIXES or not suffix:
        text, title = _decode(path, raw, notes), None
    else:
        raise MagchainError(f"{path}: unsupported file type '{suffix}'. Save the article as "
                            ".txt, .md, .html or .pdf.")
    if not text.strip():
        raise MagchainError(f"{path}: no text found. Check that the file holds the article, "
                            "not an image or an empty export.")
    metadata = Metadata(str(path), suffix.lstrip(".") or "txt", title or _first_line(text),
                        stated or published_date(text), hashlib.sha256(text.encode("utf-8")).hexdigest(),
                        tuple(notes))
    return Document(text, metadata)


def published_date(text: str) -> dt.date | None:
    """A labelled date ('Published: ...'), else one in the dateline or the closing byline."""
    for match in _DATE_LABEL.finditer(text):
        day = parse_full_date(text[match.end():match.end() + 40])
        if day:
            return day
    return parse_full_date(text[:400]) or parse_full_date(text[-400:])


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise NotFound(f"{path}: file not found. Check the path.")
    size = path.stat().st_size
    if size == 0:
        raise MagchainError(f"{path}: the file is empty. Save the article text into it first.")
    if size > MAX_BYTES:
        raise MagchainError(f"{path}: {size / 1e6:.1f} MB is over the {MAX_BYTES // 2**20} MB "
                            "limit for one article. Split it or extract the article text.")
    return path.read_bytes()


def _decode(path: Path, raw: bytes, notes: list[str]) -> str:
    if b"\x00" in raw:
        raise MagchainError(f"{path}: this is a binary file (it contains NUL bytes), not text. "
                            "Export the article as plain text, HTML or PDF.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        notes.append(f"not valid UTF-8; read as {encoding}. Re-save as UTF-8 to be sure "
                     "quotes and accents are right.")
        return text
    raise MagchainError(f"{path}: cannot decode the text. Re-save it as UTF-8.")


def _html_text(path: Path, html: str) -> tuple[str, str | None, dt.date | None]:
    """The article's text, the page's title and the publication date its metadata states."""
    text = _trafilatura_text(html)
    parser = _parse_html(html)
    fallback_title, paragraphs = parser.title, [p for p in parser.paragraphs if p]
    if text is None:
        text = "\n\n".join(paragraphs)
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        raise MagchainError(f"{path}: no article text found in this web page (only navigation "
                            "or scripts). Save the article page itself, or paste its text into a "
                            ".txt file.")
    return text, fallback_title, parser.published


def _trafilatura_text(html: str) -> str | None:
    try:
        import trafilatura
    except ImportError:  # optional: the html.parser fallback below still works
        return None
    return trafilatura.extract(html, include_comments=False, include_tables=False) or ""


def _meta_date(attrs: dict) -> dt.date | None:
    """The date of a publication-date <meta> tag ('2026-11-20T08:00:00Z' -> 2026-11-20), else None."""
    name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
    content = (attrs.get("content") or "").strip()
    if name not in PUBLISHED_META or len(content) < 10:
        return None
    try:
        return dt.date.fromisoformat(content[:10])
    except ValueError:
        return None


def _parse_html(html: str) -> _ParagraphParser:
    parser = _ParagraphParser()
    parser.feed(html)
    parser.close()
    return parser


# <meta> names and properties that state when a page was published (Open Graph, schema.org, Dublin Core)
PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                  "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date", "sailthru.date", "date")


class _ParagraphParser(HTMLParser):
    """The <title>, the text of each <p> (scripts and styles are skipped) and the publication
    date stated in the page's <meta> tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.paragraphs: list[str] = []
        self.published: dt.date | None = None
        self._in: list[str] = []
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "meta" and self.published is None:
            self.published = _meta_date(dict(attrs))
        if tag in ("p", "title", "script", "style"):
            self._in.append(tag)
            if tag in ("p", "title"):
                self._buffer = []

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()
            text = " ".join("".join(self._buffer).split())
            if tag == "p":
                self.paragraphs.append(text)
            elif tag == "title":
                self.title = text or None

    def handle_data(self, data):
        if self._in and self._in[-1] in ("p", "title"):
            self._buffer.append(data)


def _pdf_text(path: Path) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:
        raise MagchainError(f"{path}: reading PDF needs the 'pypdf' package. Install it with "
                            "`pip install pypdf`.") from exc
    try:
        reader = PdfReader(str(path))
        return "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, OSError) as exc:
        raise MagchainError(f"{path}: not a readable PDF ({exc}). Re-export the PDF or save the "
                            "article as text.") from exc


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return None
