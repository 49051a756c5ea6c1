"""What makes an imported article the same article when it is imported again.

Not its title or path: a corrected title gives a new slug, and curators move files. An
article is known by its input's bytes (`digest`), by its address where a page gives one
(`address`: `source.url`, normalised), and otherwise by its byline (publisher, date, source,
source date and authors, hashed) confirmed by its text: many articles share a byline (an
outlet's several pieces of one day), few share a byline and nearly the same words
(`body`, a 64-bit simhash of the body's word shingles, compared by Hamming distance).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from generator.importer.record import ImportedArticle
from generator.importer.text import plain_text

#: How many of the 64 bits two bodies may differ in and still be one article's text (a
#: correction or a changed note); unrelated texts differ in about 32.
BODY_DISTANCE = 16
#: Below this many words a body is too short to tell two articles of one byline apart.
MIN_WORDS = 40
_SHINGLE = 3
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|amp)(?:=|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Identity:
    """One article's identity; `same_article` compares two."""

    digest: str  # "sha256:…" of the input's bytes
    address: str | None  # the article's own address, normalised; None when unknown
    byline: str  # publisher, date, source, source date and authors, hashed
    body: int | None  # simhash of the body; None when it is too short to tell

    def index_keys(self) -> Iterator[tuple[str, str]]:
        """The index keys under which a possibly same article is looked for."""
        yield "digest", self.digest
        if self.address:
            yield "address", self.address
        yield "byline", self.byline


def identity_of(article: ImportedArticle, digest: str) -> Identity:
    """The identity of an article read from an input with this digest."""
    return Identity(digest=digest, address=article_address(article.source.url),
                    byline=byline_key(article.publisher, article.date, article.source.name,
                                      article.source.date, article.authors),
                    body=body_print(article.body))


def same_article(one: Identity, other: Identity) -> str | None:
    """Why two identities are one article ("the same input", "the same address", "the same
    byline and text"), or None when they are not (or it cannot be told)."""
    if one.digest == other.digest:
        return "the same input"
    close = one.body is not None and other.body is not None and \
        (one.body ^ other.body).bit_count() <= BODY_DISTANCE
    if one.address and other.address:  # two addresses decide; one alone does not
        if one.address != other.address:
            return None
        # an address shared by different bylines and texts is a section or a home page
        return "the same address" if one.byline == other.byline or close else None
    return "the same byline and text" if one.byline == other.byline and close else None


def article_address(url: str | None) -> str | None:
    """The address without what varies between copies of one link (scheme, "www.", a
    trailing slash, the fragment, tracking parameters); None for a site's home page."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
        port = f":{parts.port}" if parts.port not in (None, 80, 443) else ""
    except ValueError:  # a malformed port or host
        return None
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    if parts.scheme.lower() not in ("http", "https") or not host or not path:
        return None
    query = "&".join(sorted(p for p in parts.query.split("&") if p and not _TRACKING.match(p)))
    return f"{host}{port}{path}" + (f"?{query}" if query else "")


def byline_key(publisher: str | None, date: object, source_name: str | None,
               source_date: object, authors: Iterable[str]) -> str:
    """A short hash of what a page says about an article besides its title and text."""
    names = sorted(_fold(a) for a in authors if isinstance(a, str))
    fields = [_fold(publisher), _day(date), _fold(source_name), _day(source_date), *names]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=64)  # an input's body is printed for its outcome and for each rendering
def body_print(body: str) -> int | None:
    """The 64-bit simhash of the body's plain text (sets of three words), or None when the
    body is shorter than `MIN_WORDS` words."""
    words = re.findall(r"\w+", plain_text(body).casefold())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}
    hashes = b"".join(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest()
                      for s in shingles)
    counts = [0] * 64
    for position in range(8):  # count set bits byte by byte: one Counter per byte position
        for value, count in Counter(hashes[position::8]).items():
            for bit in range(8):
                if value >> bit & 1:
                    counts[position * 8 + bit] += count
    return sum(1 << index for index, count in enumerate(counts) if 2 * count > len(shingles))


def _fold(text: object) -> str:
    return " ".join(re.findall(r"\w+", text.casefold())) if isinstance(text, str) else ""


def _day(value: object) -> str:
    """An ISO day from a date, a date-time or a string (front matter holds any of them)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    return str(value)[:10] if value else ""
