"""Fingerprints of what each page is made from, so an incremental build renders only pages
whose inputs changed and its output stays byte-identical to a clean build.

A page's fingerprint covers its templates (the chosen template and every template it
extends, includes or imports), the configuration, the site-wide values every page sees, and
its own context. Articles seen in lists count by everything but their body, unless a list
template uses `body_html` or `word_count`; the page's own article counts whole (and an article
page's neighbours too when its template reads a body other than `article.`'s). A term or a
year counts with all of its articles on its own pages, and by name, URL and count in lists.
What the templates' text shows is a prediction; what rendering the page last read
(generator/tracking.py) widens it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from typing import Any

import jinja2
from jinja2 import meta as jinja_meta

from generator import __version__
from generator.model import Article, Page, Taxonomy, Term, YearArchive
from generator.pages import Feed, Job, Paginator, SiteInfo
from generator.related import Section
from generator.theme import Theme
from generator.tracking import BODIES, LISTS

_BODY_FIELDS = re.compile(r"\b(body_html|word_count)\b")
# on an article's page: a body read from anything but the page's own article (a neighbour's,
# through whatever name)
FOREIGN_BODIES = re.compile(r"(?<!\barticle\.)\b(body_html|word_count)\b")
# a template that may walk a term's or a year's whole list, not just the page's slice of it
# (any `.articles`: `term.articles`, but also a loop variable's, `t.articles`)
_WHOLE_LISTS = re.compile(r"\.articles\b")


_PARSER = jinja2.Environment()


@functools.lru_cache(maxsize=512)
def _references(source: str) -> tuple[str | None, ...]:
    """The templates a template's source extends, includes or imports (None: computed)."""
    try:
        return tuple(jinja_meta.find_referenced_templates(_PARSER.parse(source)))
    except jinja2.TemplateSyntaxError:
        return ()


def _digest(*parts: object) -> str:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()


class Fingerprinter:
    """Computes page fingerprints; memoises per object within one build."""

    def __init__(self, theme: Theme, info: SiteInfo, config_repr: str,
                 templates: dict[tuple[tuple[str, ...], bool], tuple[str, bool]] | None = None,
                 whole: dict[tuple[str, ...], bool] | None = None) -> None:
        self.theme = theme
        self.base = _digest(__version__, config_repr, repr(info))
        # template fingerprints and whole_lists answers known from a build whose templates
        # are unchanged (the body-edit shortcut of `folio build`)
        self._templates: dict[tuple[tuple[str, ...], bool], tuple[str, bool]] = dict(
            templates or {})
        self._whole: dict[tuple[str, ...], bool] = dict(whole or {})
        self._memo: dict[tuple[int, bool], str] = {}
        self._keep: list[object] = []  # keeps memoised objects alive so ids stay unique

    def adopt(self, previous: Fingerprinter, articles: Iterable[Article]) -> None:
        """Take over what `previous` computed for these very article objects (an article's
        digest depends on nothing but the article; `previous` keeps every object it has a
        digest for alive, so an id it knows is the same object's)."""
        memo = previous._memo
        for article in articles:
            for whole in (False, True):
                key = (id(article), whole)
                if key in memo:
                    self._memo[key] = memo[key]
                    self._keep.append(article)

    def job(self, job: Job, reads: int = 0) -> str:
        """The page's fingerprint; `reads`: what rendering it last read (BODIES, LISTS) beyond
        what its templates' text shows."""
        template_fp, body_in_lists = self.template(job.templates, own=job.kind == "article")
        body_in_lists = body_in_lists or bool(reads & BODIES)
        whole_lists = self.whole_lists(job.templates) or bool(reads & LISTS)
        context = sorted(job.context.items())
        parts = [self._value(key, value, body_in_lists, whole_lists) for key, value in context]
        return _digest(self.base, template_fp, job.route.url, job.route.output_path, *parts)

    # -- templates -------------------------------------------------------------------------
    def template(self, candidates: tuple[str, ...], *, own: bool = False) -> tuple[str, bool]:
        """(digest of the chosen template and all it pulls in, whether it shows bodies: of
        the articles it lists, or on a page of its `own` article, of other articles)."""
        if (candidates, own) not in self._templates:
            try:
                chosen = self.theme.env.select_template(candidates).name or ""
            except jinja2.TemplateError:
                chosen = ""
            sources = self._closure(chosen)
            shown = FOREIGN_BODIES if own else _BODY_FIELDS
            body = any(shown.search(text) for _, text in sources)
            digest = _digest(chosen, *(f"{name}\x1e{text}" for name, text in sources))
            self._templates[candidates, own] = (digest, body)
        return self._templates[candidates, own]

    def whole_lists(self, candidates: tuple[str, ...]) -> bool:
        """Whether the template walks a term's or a year's whole list of articles."""
        if candidates not in self._whole:
            self._whole[candidates] = self.mentions(candidates, _WHOLE_LISTS)
        return self._whole[candidates]

    def mentions(self, candidates: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
        """Whether the chosen template or anything it pulls in matches `pattern`."""
        try:
            chosen = self.theme.env.select_template(candidates).name or ""
        except jinja2.TemplateError:
            return False
        return any(pattern.search(source) for _, source in self._closure(chosen))

    def _closure(self, name: str) -> list[tuple[str, str]]:
        env = self.theme.env
        seen: dict[str, str] = {}
        pending = [name] if name else []
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            try:
                source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                seen[current] = ""
                continue
            seen[current] = source
            references = _references(source)
            if any(ref is None for ref in references):  # a computed name: could be any template
                return [(n, self._source(n)) for n in sorted(env.list_templates())]
            pending.extend(ref for ref in references if ref is not None)
        return sorted(seen.items())

    def _source(self, name: str) -> str:
        try:
            return self.theme.env.loader.get_source(self.theme.env, name)[0]  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return ""

    # -- context values --------------------------------------------------------------------
    def _value(self, key: str, value: Any, body_in_lists: bool, whole_lists: bool = True
               ) -> str:
        if isinstance(value, Article):
            return self.article(value, whole=key == "article" or body_in_lists)
        if isinstance(value, Term):
            if not whole_lists:  # the page shows its slice (the paginator) and the header
                return _digest("t", value.taxonomy, value.name, value.slug, value.url,
                               *value.spellings, value.count, value.first_year,
                               value.last_year)
            return self._own_term(value, body_in_lists)
        if isinstance(value, YearArchive):
            if not whole_lists:
                return _digest("y", value.year, value.url, value.count)
            return self._own_year(value, body_in_lists)
        if isinstance(value, Taxonomy):
            if whole_lists:  # its terms' articles may be walked too
                return self._memoised(value, body_in_lists, lambda: _digest(
                    "W", value.config, value.url,
                    *(self._own_term(t, body_in_lists) for t in value.terms)))
            return self._memoised(value, False, lambda: _digest(
                "X", value.config, value.url, *(self._term_in_list(t) for t in value.terms)))
        if isinstance(value, Paginator):
            items = [self._item(item, body_in_lists, whole_lists) for item in value.items]
            urls = self._memoised(value.urls, False, lambda: _digest(*value.urls))  # shared
            return _digest("G", value.number, value.count, value.total, value.per_page,
                           urls, *items)
        if isinstance(value, Feed):
            return _digest("F", value.title, value.url, value.page_url, value.id,
                           *self._articles(value.entries, body_in_lists))
        if isinstance(value, Page):
            return _digest("P", value.digest, value.url, value.output_path, value.slug)
        if isinstance(value, tuple):  # related articles or terms, the home page's sections
            return _digest("L", key, *(self._item(item, body_in_lists, whole_lists)
                                       for item in value))
        return _digest(key, repr(value))

    def article(self, article: Article, *, whole: bool) -> str:
        return self._memoised(article, whole, lambda: _digest(
            "A", article.digest if whole else article.meta_digest, article.source_path, article.url,
            article.output_path, article.slug, repr(article.terms), article.canonical_url,
            article.noindex))

    def _articles(self, articles: Iterable[Article], whole: bool) -> list[str]:
        return [self.article(a, whole=whole) for a in articles]

    def _own_term(self, term: Term, body_in_lists: bool) -> str:
        return self._memoised(term, body_in_lists, lambda: _digest(
            "T", term.taxonomy, term.name, term.slug, term.url, *term.spellings,
            *self._articles(term.articles, body_in_lists)))

    def _own_year(self, year: YearArchive, body_in_lists: bool) -> str:
        return self._memoised(year, body_in_lists, lambda: _digest(
            "Y", year.year, year.url, *self._articles(year.articles, body_in_lists)))

    @staticmethod
    def _term_in_list(term: Term) -> str:
        return f"{term.name}\x1e{term.slug}\x1e{term.url}\x1e{term.count}"

    def _item(self, item: Any, body_in_lists: bool, whole_lists: bool) -> str:
        """An item of a list's page; a term or a year with its articles when the page may
        walk them (`whole_lists`)."""
        if isinstance(item, Article):
            return self.article(item, whole=body_in_lists)
        if isinstance(item, Term):
            return self._own_term(item, body_in_lists) if whole_lists else \
                self._term_in_list(item)
        if isinstance(item, YearArchive):
            if whole_lists:
                return self._own_year(item, body_in_lists)
            return f"{item.year}\x1e{item.url}\x1e{item.count}"
        if isinstance(item, Section):
            return _digest("S", item.title, self._item(item.term, body_in_lists, whole_lists),
                           *self._articles(item.latest, body_in_lists))
        return repr(item)

    def _memoised(self, obj: object, flag: bool, compute: Any) -> str:
        key = (id(obj), flag)
        if key not in self._memo:
            self._memo[key] = compute()
            self._keep.append(obj)
        return self._memo[key]
