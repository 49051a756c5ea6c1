"""Pages kept between builds, their articles by reference, so `folio build` re-renders the
pages one article's edit reaches without loading the whole site.

A kept page is its job pickled with every article replaced by a reference (its source path)
and the objects many pages share (taxonomies, their terms, years, a list's page URLs) by
reference too; those are kept once each (`shared_objects`), and an article once, without
its body (its head, kept with its own page). A page's refs are the articles it shows: the
ones its fingerprint counts (generator/fingerprint.py). A taxonomy, term or year is kept
without its articles (counts and years are fields), unless the page's template may walk
whole lists (mentions `.articles`): then they are kept whole, their articles by reference.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator.model import Article, Site, Taxonomy, Term, YearArchive
from generator.pages import Job, Paginator
from generator.tracking import LISTS

# the reference of an object many pages share, by its type: see _Dumper.persistent_id
_TAXONOMY, _TERM, _YEAR, _URLS, _ARTICLE = "x", "t", "y", "u", "a"


@dataclass(frozen=True, slots=True)
class KeptPage:
    """What a build keeps of one page: its job by reference, and its own article's head."""

    output_path: str
    own: str | None  # source path of the article whose page this is
    refs: tuple[str, ...]  # source paths of the articles the page shows
    blob: bytes
    head: bytes | None  # the own article without its body, pickled


def head(article: Article) -> Article:
    """An article as lists show it: without its body."""
    return replace(article, body_html="")


def pickled_head(article: Article) -> bytes:
    """An article's head as the cache keeps it."""
    return pickle.dumps(head(article), pickle.HIGHEST_PROTOCOL)


def walks_whole(job: Job, reads: int, whole: Mapping[tuple[str, ...], bool]) -> bool:
    """Whether a page may walk whole term or year lists: its template's text says it may
    (`whole`, by templates; unknown ones may), or rendering it was seen to."""
    return whole.get(job.templates, True) or bool(reads & LISTS)


def keep_page(job: Job, whole: bool) -> KeptPage:
    """Pickle a page's job by reference; `whole`: the page may walk whole term or year lists
    (so those are kept with their articles)."""
    buffer = io.BytesIO()
    dumper = _Dumper(buffer, whole, job.context.get("paginator"))
    dumper.dump(job)
    own = job.context.get("article")
    if not isinstance(own, Article):
        return KeptPage(job.route.output_path, None, tuple(dumper.refs), buffer.getvalue(), None)
    return KeptPage(job.route.output_path, str(own.source_path), tuple(dumper.refs),
                    buffer.getvalue(), pickled_head(own))


def shared_objects(site: Site, jobs: Iterable[Job]) -> list[tuple[str, bytes]]:
    """(reference, pickle) of every object kept pages refer to instead of holding it."""
    found: list[tuple[str, object]] = []
    for taxonomy in site.taxonomies:
        terms = tuple(replace(term, articles=()) for term in taxonomy.terms)
        found.append((f"{_TAXONOMY}:{taxonomy.key}", replace(taxonomy, terms=terms)))
    found += [(f"{_YEAR}:{year.year}", replace(year, articles=())) for year in site.years]
    for job in jobs:
        paginator = job.context.get("paginator")
        if isinstance(paginator, Paginator) and paginator.number == 1:
            found.append((f"{_URLS}:{paginator.urls[0]}", paginator.urls))
    return [(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) for key, value in found]


def load_page(blob: bytes, articles: Mapping[str, Article],
              shared: Callable[[str], object]) -> Job:
    """A kept page's job, its articles taken from `articles` (by source path) and the shared
    objects from `shared(reference)`. KeyError when one is missing."""
    loader = _Loader(io.BytesIO(blob), articles, shared)
    job = loader.load()
    if not isinstance(job, Job):
        raise KeyError("not a kept page")
    return job


def substitute(job: Job, whole: bool, articles: Mapping[str, Article]) -> Job:
    """The job with these articles (by source path) in place of the ones it shows, as a
    build with them would plan it (the objects it shares with other pages stay)."""
    buffer = io.BytesIO()
    dumper = _Dumper(buffer, whole, job.context.get("paginator"))
    dumper.dump(job)
    shown = {pid.partition(":")[2]: obj for pid, obj in dumper.objects.items()
             if pid.startswith(_ARTICLE + ":")}
    loaded = _Loader(io.BytesIO(buffer.getvalue()), {**shown, **articles},
                     dumper.objects.__getitem__).load()
    assert isinstance(loaded, Job)
    return loaded


class _Dumper(pickle.Pickler):
    def __init__(self, file: io.BytesIO, whole: bool, paginator: object) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.whole = whole
        self.urls = paginator.urls if isinstance(paginator, Paginator) else None
        self.refs: dict[str, None] = {}  # ordered set
        self.objects: dict[str, object] = {}  # reference -> the object it stands for

    def persistent_id(self, obj: Any) -> str | None:
        pid = self._reference(obj)
        if pid is not None:
            self.objects[pid] = obj
        return pid

    def _reference(self, obj: Any) -> str | None:
        kind = type(obj)
        if kind is Article:
            key = str(obj.source_path)
            self.refs[key] = None
            return f"{_ARTICLE}:{key}"
        if kind is Taxonomy and not self.whole:
            return f"{_TAXONOMY}:{obj.key}"
        if kind is Term and not self.whole:
            return f"{_TERM}:{obj.taxonomy}:{obj.slug}"
        if kind is YearArchive and not self.whole:
            return f"{_YEAR}:{obj.year}"
        if obj is self.urls and self.urls:
            return f"{_URLS}:{obj[0]}"
        return None


class _Loader(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, articles: Mapping[str, Article],
                 shared: Callable[[str], object]) -> None:
        super().__init__(file)
        self.articles = articles
        self.shared = shared

    def persistent_load(self, pid: Any) -> object:
        kind, _, key = str(pid).partition(":")
        if kind == _ARTICLE:
            return self.articles[key]
        try:
            return self.shared(pid)
        except KeyError:
            if kind != _TERM:
                raise
            # a kept term is not kept on its own: it is found in its taxonomy
            taxonomy_key, _, slug = key.partition(":")
            taxonomy = self.shared(f"{_TAXONOMY}:{taxonomy_key}")
            assert isinstance(taxonomy, Taxonomy)
            for term in taxonomy.terms:
                if term.slug == slug:
                    return term
            raise
