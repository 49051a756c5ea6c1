"""The site model: frozen dataclasses built during loading and only read while rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from generator.config import SiteConfig, TaxonomyConfig
from generator.errors import Problem

T = TypeVar("T")


def _pickled_by_fields(cls: type[T]) -> type[T]:
    """Pickle a frozen dataclass as its constructor's arguments: loading runs the generated
    __init__ instead of dataclasses' per-field __setstate__, three times as fast (the build
    cache and the workers move thousands of these)."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: object) -> tuple[type[T], tuple[object, ...]]:
        return cls, tuple([getattr(self, name) for name in names])

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    """The original publication an article first appeared in."""

    name: str | None
    url: str | None = None
    date: dt.date | None = None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class TermRef:
    """A link from an article to one of its terms."""

    name: str
    slug: str
    url: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Article:
    """One republished article. `url` and `terms` are filled in when the site is assembled."""

    source_path: Path
    title: str
    date: dt.date | dt.datetime
    slug: str
    body_html: str
    summary: str
    names: dict[str, tuple[str, ...]]  # taxonomy key -> names as written
    source: Source
    publisher: str | None
    copyright: str | None
    draft: bool = False
    word_count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    digest: str = ""  # of the whole file
    meta_digest: str = ""  # of all but the body: what list pages can show of the article
    url: str = ""
    output_path: str = ""
    terms: dict[str, tuple[TermRef, ...]] = field(default_factory=dict)
    canonical_url: str = ""  # where search engines should look (the syndication policy)
    noindex: bool = False  # asked not to be indexed (the syndication policy)
    updated: dt.date | dt.datetime | None = None  # when the archive's copy last changed
    image: str | None = None  # as written: an http(s) URL or the path of a static file

    @property
    def sort_key(self) -> tuple[dt.datetime, str]:
        return (as_datetime(self.date), self.slug)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def has_attribution(self) -> bool:
        return bool(self.source.name and self.copyright)

    @property
    def authors(self) -> tuple[TermRef, ...]:
        return self.terms.get("authors", ())


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Page:
    """A plain page such as About: the curator's own text, no attribution needed."""

    source_path: Path
    title: str
    slug: str
    body_html: str
    summary: str
    menu: int | None = None
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    digest: str = ""
    url: str = ""
    output_path: str = ""


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Term:
    """One term of a taxonomy (e.g. the region "Europe") with its articles, newest first.
    `count` and the years are fields (made by `Term.of`), so a copy kept without its articles
    (generator/pagestore.py) still shows them."""

    taxonomy: str
    name: str
    slug: str
    url: str
    articles: tuple[Article, ...]
    count: int
    first_year: int | None
    last_year: int | None
    spellings: tuple[str, ...] = ()

    @classmethod
    def of(cls, taxonomy: str, name: str, slug: str, url: str,
           articles: tuple[Article, ...], spellings: tuple[str, ...] = ()) -> Term:
        """A term of these articles (newest first), with their count and years."""
        return cls(taxonomy, name, slug, url, articles, len(articles),
                   articles[-1].year if articles else None,
                   articles[0].year if articles else None, spellings)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A taxonomy with all its terms, sorted by name."""

    config: TaxonomyConfig
    url: str
    terms: tuple[Term, ...]

    @property
    def key(self) -> str:
        return self.config.key

    @property
    def title(self) -> str:
        return self.config.title

    @property
    def singular(self) -> str:
        return self.config.singular


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class YearArchive:
    """The articles of one year, newest first (`count` a field, as in Term)."""

    year: int
    url: str
    articles: tuple[Article, ...]
    count: int

    @classmethod
    def of(cls, year: int, url: str, articles: tuple[Article, ...]) -> YearArchive:
        return cls(year, url, articles, len(articles))

    @property
    def name(self) -> str:
        return str(self.year)


@dataclass(frozen=True, slots=True)
class Site:
    """The complete, validated site: what the renderer reads and never changes."""

    config: SiteConfig
    articles: tuple[Article, ...]  # newest first
    pages: tuple[Page, ...]
    taxonomies: tuple[Taxonomy, ...]
    years: tuple[YearArchive, ...]  # newest first
    warnings: tuple[Problem, ...] = ()


def as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    """A naive UTC datetime for ordering dates and datetimes together."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return dt.datetime(value.year, value.month, value.day)
