"""RSS 2.0 and Atom feeds read into documents: each entry's linked page, or the entry's own text
when the page cannot be fetched, with the entry's title, link and publication date.

Feeds are parsed with lxml with entities and network access switched off, so a hostile feed
cannot expand entities or make the parser fetch anything.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import urllib.error
import urllib.request
from dataclasses import dataclass

from lxml import etree

from magchain.errors import InvalidInput, MagchainError

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
TIMEOUT_S = 20
MAX_BYTES = 10 * 2**20
USER_AGENT = "magchain (feed reader)"


@dataclass(frozen=True)
class Entry:
    title: str
    link: str | None
    published: str | None  # YYYY-MM-DD
    body: str  # the entry's own text (HTML allowed), used when the linked page cannot be fetched


def fetch(url: str) -> bytes:
    """The bytes at ``url`` (http or https), refused with the reason when they cannot be read."""
    if not url.startswith(("http://", "https://")):
        raise InvalidInput(f"{url}: a feed's address starts with http:// or https://.")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # the scheme is checked above
            content = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise MagchainError(f"{url}: could not be read ({getattr(error, 'reason', error)}). "
                            "Check the address and the network.") from None
    if len(content) > MAX_BYTES:
        raise MagchainError(f"{url}: over {MAX_BYTES // 2**20} MB; not read.")
    return content


def entries(content: bytes, url: str) -> list[Entry]:
    """The entries of an RSS 2.0 or Atom feed, in the feed's order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise InvalidInput(f"{url}: not an RSS or Atom feed ({error}).") from None
    if root.tag == f"{ATOM}feed":
        return [_atom(item) for item in root.iter(f"{ATOM}entry")]
    if root.tag == "rss" or root.find("channel") is not None:
        return [_rss(item) for item in root.iter("item")]
    raise InvalidInput(f"{url}: not an RSS or Atom feed (its root element is <{root.tag}>).")


def _rss(item) -> Entry:
    body = item.findtext(CONTENT) or item.findtext("description") or ""
    return Entry(_plain(item.findtext("title")), (item.findtext("link") or "").strip() or None,
                 _rfc822_day(item.findtext("pubDate")), body)


def _atom(item) -> Entry:
    link = next((a.get("href") for a in item.findall(f"{ATOM}link") if a.get("rel", "alternate") == "alternate"), None)
    body = item.findtext(f"{ATOM}content") or item.findtext(f"{ATOM}summary") or ""
    day = (item.findtext(f"{ATOM}published") or item.findtext(f"{ATOM}updated") or "")[:10]
    return Entry(_plain(item.findtext(f"{ATOM}title")), link, _iso_day(day), body)


def _plain(text: str | None) -> str:
    return " ".join(html.unescape(text or "").split())


def _rfc822_day(text: str | None) -> str | None:
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat() if text else None
    except (TypeError, ValueError):
        return None


def _iso_day(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


def document_of(entry: Entry) -> tuple[str, str]:
    """The entry as a document, (suffix, text): the linked article's HTML when it can be fetched,
    else the entry's title and its own text, tags removed."""
    if entry.link:
        try:
            return ".html", fetch(entry.link).decode("utf-8", errors="replace")
        except MagchainError:
            pass
    body = etree.fromstring(f"<div>{entry.body}</div>", etree.HTMLParser()) if entry.body.strip() else None
    text = " ".join("".join(body.itertext()).split()) if body is not None else ""
    return ".txt", f"{entry.title}\n\n{text}\n"
