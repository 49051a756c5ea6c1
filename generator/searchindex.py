"""The search index in a build: which pages are searchable, what changed in what Pagefind
reads of them, and bringing the index up to date (generator/searchparts.py plans it,
generator/search.py runs Pagefind). Its state lives in the build cache."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import search
from generator.cache import BuildCache, OutputRecord
from generator.config import SiteConfig
from generator.pages import Job
from generator.searchparts import (
    Part,
    SearchPage,
    SearchState,
    known_pages,
    plan_index,
    refreshed,
    search_jobs,
)


class Unplanned(Exception):
    """The searchable pages are not known (no search state, and no pages given): only a
    build that plans the site's pages can bring the index up to date."""


def search_keys(jobs: list[Job]) -> dict[str, str]:
    """The pages search may index (articles and plain pages), each with where it sorts:
    articles by date, plain pages before them; the path makes every key unique."""
    keys = {}
    for job in jobs:
        path = job.route.output_path
        if job.kind == "article":
            keys[path] = f"{job.context['article'].date.isoformat()} {path}"
        elif job.kind == "page":
            keys[path] = f" {path}"
    return keys


def index_is_current(config: SiteConfig, cache: BuildCache, outputs: dict[str, OutputRecord],
                     manifest: Sequence[str] | None) -> bool:
    """No HTML page changed since the index was planned, and none of its files is missing."""
    return cache.search_marker() == _pages_key(outputs) and search.intact(
        config.output_path, search.bundle_files(config.output_path, manifest))


Written = dict[str, tuple[OutputRecord | None, OutputRecord]]  # path -> (before, now)


def update_index(config: SiteConfig, cache: BuildCache, manifest: Sequence[str] | None,
                 outputs: dict[str, OutputRecord] | None, keys: dict[str, str] | None, *,
                 lock: contextlib.AbstractContextManager[object], workers: int,
                 stop: Callable[[], bool] | None = None, written: Written | None = None
                 ) -> tuple[Sequence[str] | None, search.SearchIndex | None]:
    """Index what changed: the output's new manifest (None if unknown) and what indexing
    did (None when nothing needed it). `outputs` are every output's records (None: the
    cache's); `written`, after an edit, the records it changed (before, now): when the
    index was current before it, neither every record nor every page is gone over. `keys`
    sorts the searchable pages (None: the pages indexed last time). Raises
    search.Interrupted when `stop()` turns true meanwhile, and Unplanned when `keys` is
    None and the cache holds no search state."""
    marker = cache.search_marker()
    pages_key = _edited_key(marker, written) if written is not None and keys is None else None
    if pages_key is None:  # every page's record stands for the index's pages
        written = None
        outputs = outputs if outputs is not None else cache.output_records()
        pages_key = _pages_key(outputs)
    previous = search.bundle_files(config.output_path, manifest)
    intact = search.intact(config.output_path, previous)
    if keys is None and intact and marker == pages_key:
        return manifest, None
    state = _load_state(cache)
    if keys is None and state is None:
        raise Unplanned()
    plan = plan_index(state, _search_pages(state, outputs, keys, config.output_path, written),
                      part_size=config.search_part_size, bundles_intact=intact)
    if plan.nothing:
        if state is not None and (current := refreshed(state, plan)) is not state:
            _store_state(cache, current, None)
        cache.mark_search(pages_key)
        return manifest, None
    words = cache.search_words() if plan.keep else {}
    done = search.index_site(config.output_path, plan, state, words, previous,
                             language=config.language, lock=lock, stop=stop,
                             jobs=search_jobs(plan, workers))
    _store_state(cache, done.state, None if plan.parts or state is None else state)
    if plan.parts:
        cache.store_search_words(done.words)
    cache.mark_search(pages_key)
    if manifest is None:
        return None, done.index
    return sorted(set(manifest).difference(previous).union(done.index.files)), done.index


def _load_state(cache: BuildCache) -> SearchState | None:
    """The search state the cache keeps (in three pieces), or None."""
    parts, delta, keys = cache.search_state()
    if not (isinstance(parts, tuple) and len(parts) == 2 and isinstance(parts[0], tuple)
            and all(isinstance(part, Part) for part in parts[0]) and isinstance(parts[1], int)
            and isinstance(delta, dict) and isinstance(keys, dict)):
        return None  # none yet, or not one this Folio wrote: the index is made anew
    return SearchState(parts[0], delta, keys, parts[1])


def _store_state(cache: BuildCache, state: SearchState, before: SearchState | None) -> None:
    """Keep the state; when it is `before` but for the delta (an edit), the delta alone:
    the base parts of 100,000 pages take a second to write."""
    new_parts = before is None or (state.parts is not before.parts and
                                   state.parts != before.parts)
    cache.store_search_state((state.parts, state.serial) if new_parts else None,
                             dict(state.delta),
                             dict(state.keys) if before is None or state.keys != before.keys
                             else None)


def _search_pages(state: SearchState | None, outputs: dict[str, OutputRecord] | None,
                  keys: dict[str, str] | None, output_dir: Path,
                  written: Written | None = None) -> list[SearchPage]:
    """The pages to index, as they are now: those `keys` sorts, or the ones indexed last.
    A page whose file changed since it was indexed is read for what Pagefind reads of it.
    With `written` (an edit after which the index was current), only those pages changed."""
    if keys is None:
        keys = dict(state.keys) if state is not None else {}
    known = known_pages(state)
    pages = []
    for path, key in keys.items():
        page = known.get(path)
        if written is not None:
            now = written.get(path)
            file = f"{now[1].size}:{now[1].mtime_ns}" if now else page.file if page else ""
        else:
            record = outputs.get(path) if outputs is not None else None
            if record is None:
                continue
            file = f"{record.size}:{record.mtime_ns}"
        if page is not None and page.file == file:
            stamp = page.stamp
        else:
            try:
                stamp = search.reading_digest((output_dir / path).read_bytes())
            except OSError:
                stamp = file  # gone meanwhile: the next build sees it
        pages.append(SearchPage(path, key, stamp, file))
    return pages


def _edited_key(marker: object, written: Written) -> str | None:
    """The key of the pages after an edit wrote `written`, from the key they had (None
    when the index was not current before it, or the key is of another kind)."""
    if not isinstance(marker, str):
        return None
    html = {path: change for path, change in written.items() if path.endswith(".html")}
    return search.updated_key(
        marker, [(path, f"{was.size}:{was.mtime_ns}") for path, (was, _) in html.items()
                 if was is not None],
        [(path, f"{now.size}:{now.mtime_ns}") for path, (_, now) in html.items()])


def _pages_key(outputs: dict[str, OutputRecord]) -> str:
    """While no HTML page's bytes changed, the index needs no planning: a file is rewritten
    only when its bytes change, so its size and mtime stand for them."""
    return search.index_key((path, f"{record.size}:{record.mtime_ns}")
                            for path, record in outputs.items() if path.endswith(".html"))
