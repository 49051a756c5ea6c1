"""How the search index is split into parts, and which parts a build must index again.

Pagefind's memory and time grow with the pages it reads (about 0.4 MB and 2.5 CPU-ms an
article page), and it has no incremental mode. So the archive is indexed in parts:

- **base parts**: consecutive ranges of the searchable pages in date order, at most
  `part_size` pages each. A page stays in its part; a part that grows past the cap is split
  in two; a new page goes to the part whose range covers its date (the newest for new
  articles).
- **the delta**: pages changed or added since their base part was indexed. A build that
  changed a few articles indexes only the delta (small, so an edit is fast); the base parts'
  older copies of those pages are "superseded" and the browser drops them from results.
  When the delta outgrows `delta_size`, the base parts it touches are indexed again and the
  delta is emptied (a compaction).

Everything here is pure: `plan_index` compares what each part was made from with the pages
now, and returns what to index as a value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

DELTA_SIZE = 200  # pages in the delta before a compaction (a tenth of a part, 5 at least):
# the delta is indexed on every edit, and every reader's search looks at it
MIN_PART = 2000  # the automatic cap on a part: at least this many pages
MAX_PARTS = 20  # ... and about this many parts (a reader's first search fetches each part)


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page to index: where it is, where it sorts, and what stands for its bytes."""

    path: str  # output path, "2017/09/x/index.html"
    key: str  # unique sort key: the article's date then its path; plain pages sort first
    stamp: str  # what Pagefind reads of it (search.reading_digest): a change means re-index
    file: str = ""  # "size:mtime_ns": while it is the same, so is the stamp


class IndexedPage(NamedTuple):
    """A page as a bundle indexed it: Pagefind's id for it and its filter values. (A named
    tuple: the state holds one per page, and a frozen dataclass pickles five times slower.)"""

    stamp: str
    id: str  # Pagefind's page hash, the id its search results carry
    filters: Mapping[str, tuple[str, ...]] = {}
    file: str = ""  # the file's size and mtime when its stamp was taken


@dataclass(frozen=True, slots=True)
class Part:
    """A base part: the pages from `low` (a sort key) up to the next part's `low`."""

    name: str  # its bundle is pagefind/parts/<name>/
    low: str
    pages: Mapping[str, IndexedPage]  # output path -> as indexed
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # facet -> value -> pages


@dataclass(frozen=True, slots=True)
class SearchState:
    """What the search index in the output was made from."""

    parts: tuple[Part, ...]  # ordered by `low`; the first part's low is ""
    delta: Mapping[str, IndexedPage]  # output path -> as the delta bundle indexed it
    keys: Mapping[str, str]  # output path -> sort key, of every page indexed
    serial: int = 0  # the next part's number (names are never reused)


@dataclass(frozen=True, slots=True)
class IndexPlan:
    """What a build must index: nothing, the delta alone, or base parts and the delta."""

    parts: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, low, pages) to index anew
    keep: tuple[str, ...]  # names of the base parts kept as they are
    delta: tuple[str, ...]  # the delta's pages
    superseded: Mapping[str, tuple[str, ...]]  # kept part -> its pages the delta replaces
    keys: Mapping[str, str]
    stamps: Mapping[str, str]  # output path -> stamp now, of every page to index
    files: Mapping[str, str]  # output path -> its file's size and mtime now
    serial: int
    reason: str  # what is indexed and why, for the build's report and tests

    @property
    def nothing(self) -> bool:
        return self.reason == "current"


def part_cap(pages: int, part_size: int) -> int:
    """Pages per part: `part_size`, or when it is 0 about a twentieth of the archive but
    never fewer than MIN_PART."""
    return part_size if part_size > 0 else max(MIN_PART, math.ceil(pages / MAX_PARTS))


def search_jobs(plan: IndexPlan, workers: int) -> int:
    """How many Pagefind runs at once: two of parts up to 2,500 pages (about 1 GB each) on
    a machine with two or more workers, else one, so memory stays bounded by the parts."""
    largest = max((len(pages) for _, _, pages in plan.parts), default=0)
    return 2 if workers >= 2 and largest <= 2500 else 1


def plan_index(state: SearchState | None, pages: Iterable[SearchPage], *, part_size: int = 0,
               delta_size: int | None = None, bundles_intact: bool = True) -> IndexPlan:
    """Decide what to index so that the index shows `pages` as they are now."""
    now = {page.path: page for page in pages}
    keys = {path: page.key for path, page in now.items()}
    stamps = {path: page.stamp for path, page in now.items()}
    files = {path: page.file for path, page in now.items()}
    cap = part_cap(len(now), part_size)
    if delta_size is None:
        delta_size = min(DELTA_SIZE, max(5, cap // 10))
    if state is None or not bundles_intact or not state.parts:
        return _cold(now, cap, keys, stamps, files, 0 if state is None else state.serial,
                     "no index yet" if state is None or not state.parts
                     else "a file of the index is missing")
    members = _assign(state.parts, now.values())
    changed: set[str] = set()  # parts whose pages differ from what they indexed
    delta: list[str] = []
    superseded: dict[str, tuple[str, ...]] = {}
    for part in state.parts:
        mine = members[part.name]
        fresh = {p for p in mine if p in part.pages and part.pages[p].stamp == now[p].stamp}
        stale = tuple(sorted(set(part.pages) - fresh))
        if stale or len(fresh) != len(mine):
            changed.add(part.name)
        delta.extend(sorted(p for p in mine if p not in fresh))
        if stale:
            superseded[part.name] = stale
    overfull = [part.name for part in state.parts if len(members[part.name]) > cap]
    if len(delta) > delta_size or overfull:
        return _compact(state, members, now, cap, keys, stamps, files, changed)
    same_delta = set(delta) == set(state.delta) and all(
        state.delta[p].stamp == now[p].stamp for p in delta) and now.keys() == state.keys.keys()
    return IndexPlan(
        parts=(), keep=tuple(part.name for part in state.parts), delta=tuple(delta),
        superseded=superseded, keys=keys, stamps=stamps, files=files, serial=state.serial,
        reason="current" if same_delta else f"{_pages(len(delta))} changed, into the delta")


def _assign(parts: tuple[Part, ...], pages: Iterable[SearchPage]) -> dict[str, list[str]]:
    """Each page to the part whose range holds its key (the last part with low <= key)."""
    import bisect

    lows = [part.low for part in parts]
    members: dict[str, list[str]] = {part.name: [] for part in parts}
    for page in pages:
        index = max(0, bisect.bisect_right(lows, page.key) - 1)
        members[parts[index].name].append(page.path)
    return members


def _cold(now: Mapping[str, SearchPage], cap: int, keys: dict[str, str],
          stamps: dict[str, str], files: dict[str, str], serial: int, reason: str
          ) -> IndexPlan:
    """Partition every page afresh into parts of about `cap` pages."""
    ordered = sorted(now.values(), key=lambda page: (page.key, page.path))
    count = math.ceil(len(ordered) / cap)
    size = math.ceil(len(ordered) / count) if ordered else 0
    parts = []
    for number in range(count):
        chunk = ordered[number * size:(number + 1) * size]
        low = "" if number == 0 else chunk[0].key
        parts.append((_name(serial + number), low, tuple(page.path for page in chunk)))
    return IndexPlan(parts=tuple(parts), keep=(), delta=(), superseded={}, keys=keys,
                     stamps=stamps, files=files, serial=serial + count,
                     reason=f"{reason}: {_pages(len(ordered))} in {count} "
                            f"part{'' if count == 1 else 's'}")


def _compact(state: SearchState, members: dict[str, list[str]],
             now: Mapping[str, SearchPage], cap: int, keys: dict[str, str],
             stamps: dict[str, str], files: dict[str, str], changed: set[str]) -> IndexPlan:
    """Index again every base part that changed, splitting those over the cap."""
    serial = state.serial
    parts: list[tuple[str, str, tuple[str, ...]]] = []
    keep = []
    for part in state.parts:
        mine = sorted(members[part.name], key=lambda p: (now[p].key, p))
        if not mine:
            continue  # its range goes to the part before it
        if part.name not in changed and len(mine) <= cap:
            keep.append(part.name)
            continue
        pieces = math.ceil(len(mine) / cap)
        size = math.ceil(len(mine) / pieces)
        for number in range(pieces):
            chunk = mine[number * size:(number + 1) * size]
            low = part.low if number == 0 else now[chunk[0]].key
            name = part.name if pieces == 1 else _name(serial)
            serial += pieces > 1
            parts.append((name, low, tuple(chunk)))
    reason = (f"compaction: {len(parts)} of {len(state.parts)} parts indexed again "
              f"({_pages(sum(len(paths) for _, _, paths in parts))})")
    return IndexPlan(parts=tuple(parts), keep=tuple(keep), delta=(), superseded={}, keys=keys,
                     stamps=stamps, files=files, serial=serial, reason=reason)


def _pages(count: int) -> str:
    return f"{count:,} page" + ("" if count == 1 else "s")


def _name(number: int) -> str:
    return f"p{number:04d}"


def after_index(state: SearchState | None, plan: IndexPlan,
                indexed: Mapping[str, Mapping[str, IndexedPage]],
                delta: Mapping[str, IndexedPage]) -> SearchState:
    """The state once `plan` was carried out: `indexed` holds each new part's pages."""
    kept = {part.name: part for part in state.parts} if state is not None else {}
    parts = [kept[name] for name in plan.keep]
    parts += [Part(name, low, indexed[name], facet_counts(indexed[name].values()))
              for name, low, _ in plan.parts]
    parts.sort(key=lambda part: part.low)
    if parts:
        parts[0] = replace(parts[0], low="")
    return SearchState(tuple(parts), delta, plan.keys, plan.serial)


def known_pages(state: SearchState | None) -> dict[str, IndexedPage]:
    """Every page the index holds, as last indexed (the delta's copy over its part's)."""
    if state is None:
        return {}
    pages = {path: page for part in state.parts for path, page in part.pages.items()}
    pages.update(state.delta)
    return pages


def refreshed(state: SearchState, plan: IndexPlan) -> SearchState:
    """The state with the files' sizes and mtimes of `plan` (their stamps as they were):
    a page re-written to the same text is not read again next time. `state` itself when no
    file changed."""
    def stale(page: IndexedPage, path: str) -> bool:
        return path in plan.files and plan.files[path] != page.file and \
            plan.stamps[path] == page.stamp

    def update(pages: Mapping[str, IndexedPage]) -> dict[str, IndexedPage]:
        return {path: page._replace(file=plan.files[path]) if stale(page, path) else page
                for path, page in pages.items()}
    if not any(stale(page, path) for path, page in known_pages(state).items()):
        return state
    parts = tuple(replace(part, pages=update(part.pages)) for part in state.parts)
    return replace(state, parts=parts, delta=update(state.delta))


def facet_counts(pages: Iterable[IndexedPage]) -> dict[str, dict[str, int]]:
    """How many of the pages have each value of each filter."""
    counts: dict[str, dict[str, int]] = {}
    for page in pages:
        for key, values in page.filters.items():
            facet = counts.setdefault(key, {})
            for value in values:
                facet[value] = facet.get(value, 0) + 1
    return counts
