"""Values as article pages write them, for every HTML metadata source: the `PageMeta` record,
addresses, dates, names and copyright lines."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urljoin, urlsplit

from generator.importer.dates import parse_date
from generator.importer.text import squash

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle",
    "ScholarlyArticle", "TechArticle", "Report", "LiveBlogPosting", "SocialMediaPosting"})
_YEARS = range(1800, 2200)
_YEAR_FIRST = re.compile(r"((?:19|20)\d\d(?:\s*[-\u2013]\s*(?:19|20)?\d\d)?)[,.\s]+(?:by\s+)?(.+)",
                         re.IGNORECASE)
_PARTICLES = {"al", "bin", "ibn", "ben", "da", "das", "de", "del", "della", "der", "den", "di",
              "do", "dos", "du", "el", "la", "le", "st", "ter", "van", "von", "y", "zu"}

When = dt.date  # a date, or a datetime (a subclass of it) with its time zone as the page gives


@dataclass(frozen=True, slots=True)
class Original:
    """The work a page says it republishes (JSON-LD `isBasedOn`, "originally published at")."""

    name: str | None = None
    url: str | None = None
    date: When | None = None


@dataclass(frozen=True, slots=True)
class PageMeta:
    """An article page's own metadata. Each source fills what it knows; `merged` combines them."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: When | None = None
    modified: When | None = None
    url: str | None = None  # the page's canonical address
    site_name: str | None = None  # the outlet that published the page
    copyright: str | None = None  # without "Copyright ©"
    image: str | None = None
    based_on: Original | None = None
    types: tuple[str, ...] = ()  # JSON-LD / microdata types and og:type: what kind of page
    keywords: tuple[str, ...] = ()  # article:section / article:tag / keywords, as written
    free: bool | None = None  # JSON-LD isAccessibleForFree

    @property
    def is_article(self) -> bool:
        """The page calls itself an article (a schema.org type, og:type, a publication time)."""
        return bool(ARTICLE_TYPES.intersection(self.types)) or "article" in self.types


def merged(*sources: PageMeta) -> PageMeta:
    """Field by field, the first source with a value; types and keywords from all of them;
    the original of a republished page pieced together from the sources that agree on it."""
    values: dict[str, Any] = {}
    for field in fields(PageMeta):
        found = [getattr(source, field.name) for source in sources]
        if field.name in ("types", "keywords"):
            values[field.name] = tuple(dict.fromkeys(v for value in found for v in value))
        else:
            values[field.name] = next((v for v in found if v not in (None, (), "")),
                                      field.default)
    values["based_on"] = _original([s.based_on for s in sources if s.based_on is not None])
    return PageMeta(**values)


def _original(candidates: list[Original]) -> Original | None:
    if not candidates:
        return None
    first = candidates[0]
    agreeing = [c for c in candidates
                if not (first.url and c.url) or host(first.url) == host(c.url)]
    return Original(name=next((c.name for c in agreeing if c.name), None),
                    url=next((c.url for c in agreeing if c.url), None),
                    date=next((c.date for c in agreeing if c.date), None))


# --- addresses --------------------------------------------------------------------------


def absolute(base: str | None, target: str | None) -> str | None:
    """`target` as an absolute http(s) address (resolved against `base`), or None."""
    if not target or len(target) > 4096:
        return None
    target = html.unescape(target.strip())
    try:
        joined = urljoin(base, target) if base else target
    except ValueError:  # "http://[::1" and the like
        return None
    return web_url(joined)


def web_url(address: str | None) -> str | None:
    """The address when it is an absolute http(s) URL (a host, no spaces), else None."""
    if not address:
        return None
    address = address.strip()
    try:
        parts = urlsplit(address)
        hostname = parts.hostname
    except ValueError:
        return None
    ok = parts.scheme.lower() in ("http", "https") and hostname and not re.search(
        r"[\s<>\"\\]", address)
    return address if ok else None


def host(address: str | None) -> str | None:
    """The host name of an address, without "www."."""
    try:
        name = urlsplit(address or "").hostname
    except ValueError:
        return None
    return re.sub(r"^www\.", "", name) if name else None


# --- text, dates and names --------------------------------------------------------------


def clean(value: Any) -> str | None:
    """Text as a page's metadata writes it: entities decoded, tags dropped, spaces squashed."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = html.unescape(str(value)[:10_000])
    text = squash(re.sub(r"<[^<>]{0,200}>", " ", text))
    return text or None


def when(value: Any) -> When | None:
    """A date as pages write it: ISO 8601 (its time zone kept), RFC 2822, "March 4, 2021"."""
    text = clean(value)
    if not text or len(text) > 60:
        return None
    parsed: When | None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        if len(text) > 10 and re.match(r"\d{4}-\d\d-\d\d(?!\d)", text):
            return when(text[:10])
        parsed = _rfc2822(text) or parse_date(text)
    else:
        moment = moment.replace(microsecond=0)
        day_only = re.fullmatch(r"\d{4}-?\d\d-?\d\d", text) or (
            moment.tzinfo is None and moment.time() == dt.time())
        parsed = moment.date() if day_only else moment
    return parsed if parsed is not None and parsed.year in _YEARS else None


def _rfc2822(text: str) -> When | None:
    if not re.search(r"\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def person_names(text: str | None) -> list[str]:
    """The names in an author string ("By Ann Lee and Bo Chan", "Ann Lee, Bo Chan"): split
    only where every part looks like a person's name, so "Simon & Schuster" stays whole."""
    text = re.sub(r"^(?:(?:written|words|posted|reported|story|text)\s+)?by\b[:\s]*", "",
                  squash(text or ""), flags=re.IGNORECASE).strip(" ,;|")
    if not text or web_url(text) or len(text) > 200 or not re.search(r"[^\W\d_]", text):
        return []
    parts = [p.strip(" .,;") for p in re.split(r"\s*[,;&]\s*|\s+and\s+", text) if p.strip()]
    return parts if len(parts) > 1 and all(map(looks_like_person, parts)) else [text]


def looks_like_person(name: str) -> bool:
    """Two to five capitalised words (particles such as "van" or "al" allowed)."""
    words = name.split()
    return 2 <= len(words) <= 5 and all(
        word[:1].isupper() or word.lower().strip(".") in _PARTICLES for word in words)


def copyright_text(text: str | None) -> str | None:
    """A copyright line without "Copyright ©" and "All rights reserved"; a leading year goes
    after the holder ("© 2021 The Planet" → "The Planet, 2021"), as the contract writes it."""
    text = squash(html.unescape(text or ""))
    text = re.sub(r"^(?:copyright\b\s*:?\s*|©\s*|\(c\)\s*)+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"[.,;\s]*\ball rights reserved\b.*$", "", text, flags=re.IGNORECASE)
    text = text.strip(" .,;|-")
    if match := _YEAR_FIRST.fullmatch(text):
        text = f"{match[2].strip(' .,')}, {match[1]}"
    return text if re.search(r"[^\W\d_]", text) and len(text) <= 200 else None


def strip_site_suffix(title: str, site: str | None) -> str:
    """"Headline | Site" → "Headline", when the suffix is the site's name."""
    if not site:
        return title
    pattern = rf"\s+[|\u2013\u2014:·•-]\s+{re.escape(site)}\s*$"
    return re.sub(pattern, "", title, flags=re.IGNORECASE) or title
