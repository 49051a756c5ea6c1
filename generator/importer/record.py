"""The one record every reader produces, and the typed errors for inputs that are not one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import FolioError, Problem
from generator.model import Source


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an imported article came from, so that a re-import can recognise it."""

    file: str  # the input's file name
    digest: str  # "sha256:…" of the input's bytes
    reader: str  # which reader understood it, e.g. "globalresearch"


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    """An article as a reader understood it: the front matter of CONTENT.md plus the body.

    `warnings` say what the reader could not find (they are not part of the article, so two
    records compare equal without them).
    """

    title: str
    date: dt.date
    authors: tuple[str, ...]
    regions: tuple[str, ...]
    themes: tuple[str, ...]
    reports: tuple[str, ...]
    publisher: str | None
    source: Source
    copyright: str | None
    body: str
    summary: str | None = None
    slug: str = ""
    draft: bool = False
    origin: Origin | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)
    image: str | None = None  # the article's lead image: an absolute http(s) URL

    @property
    def missing_attribution(self) -> tuple[str, ...]:
        """The attribution keys the builder requires and this article lacks."""
        missing = []
        if not self.source.name:
            missing.append("source.name")
        if not self.copyright:
            missing.append("copyright")
        return tuple(missing)


class ArticleImportError(FolioError):
    """An input that cannot become an article; `category` is stable for scripts."""

    category = "failed"

    def __init__(self, reason: str, path: Path | None = None, hint: str | None = None) -> None:
        self.reason = reason
        super().__init__(Problem(reason, path=path, hint=hint))


class EmptyInputError(ArticleImportError):
    """The file has no text at all (or only whitespace)."""

    category = "empty"


class NotTextError(ArticleImportError):
    """The file is binary or in an encoding that cannot be decoded."""

    category = "not-text"


class NotAnArticleError(ArticleImportError):
    """The text is not an article page of any format a reader knows."""

    category = "not-an-article"


class TruncatedArticleError(ArticleImportError):
    """The page starts like an article but stops before its attribution."""

    category = "truncated"


class ListingPageError(NotAnArticleError):
    """A page that lists articles (a home page, a section, tag or search page), not one."""

    category = "listing"


class PaywallError(NotAnArticleError):
    """A login or subscription stub: the page asks for an account instead of the article."""

    category = "paywall"


class TooShortError(NotAnArticleError):
    """A page with almost no text of its own."""

    category = "too-short"


class TooLargeError(NotAnArticleError):
    """A page whose text is far larger than any article's (read no further, in bounded time)."""

    category = "too-large"


class UndatedError(NotAnArticleError):
    """An article page that says nowhere when it was published (its file path needs a date)."""

    category = "undated"
