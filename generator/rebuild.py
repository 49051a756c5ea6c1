"""Deciding how to bring the output up to date: what the last build left (`LastBuild`), what
changed since (`Changes`), and `plan_rebuild`, the one place that picks the build's path.

The paths, cheapest first: nothing changed (the output stands); a few articles were edited
in place (re-render the pages that show them, from the pages the cache keeps or from the
Builder's memory); anything else goes the whole pipeline, which parses and renders only
what changed. The edit paths can still find, once they read the edited files, that an edit
moves its article (`site.reassemble`), and then take the whole pipeline, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import Problem
from generator.pages import SiteInfo

if TYPE_CHECKING:
    from generator.search import SearchIndex

MAX_EDITS = 20  # content files an edit path takes; more go the whole pipeline

PATHS = {
    "unchanged": "nothing changed since the last build",
    "edit-from-cache": "re-rendered the pages showing the edited articles, from the cache",
    "edit-in-memory": "re-rendered the pages showing the edited articles, from memory",
    "full": "the whole pipeline (parsing and rendering only what changed)",
}


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did, for the command line and for tests."""

    articles: int
    pages: int
    written: int
    unchanged: int
    removed: int
    seconds: float
    warnings: tuple[Problem, ...]
    parsed: int = 0  # content files parsed (the rest came from the cache)
    rendered: int = 0  # pages rendered (the rest were known to be unchanged)
    index: SearchIndex | None = None  # the search index, when it was made anew
    path: str = "full"  # which way the build went: one of PATHS
    reason: str = ""  # why it went that way
    changed: tuple[str, ...] = ()  # the output files it wrote or removed (output paths)


@dataclass(frozen=True, slots=True)
class Kept:
    """What re-rendering kept pages needs of the build that kept them (generator/pagestore.py)."""

    info: SiteInfo
    templates: dict[tuple[tuple[str, ...], bool], tuple[str, bool]]  # see Fingerprinter
    whole: dict[tuple[str, ...], bool]  # templates -> may walk whole term or year lists


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last build left for the next one to decide on: kept in the cache by `folio
    build`, in memory by `folio serve`."""

    output_dir: str
    config: str  # repr of its configuration
    rest: str  # digest of folio.toml, the templates and the static files (loading.rest_digest)
    folders: dict[str, int]  # content folder -> mtime_ns at its scan
    manifest: tuple[str, ...] | None  # every file it left in the output
    articles: int = 0
    pages: int = 0
    warnings: tuple[Problem, ...] = ()
    kept: Kept | None = None  # None: the cache does not keep every page
    finished: bool = True  # False once a build started from it (until that one finishes)


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the last build, as observed (by stat, or as `folio serve` was told)."""

    config: bool = False
    rest: bool = False  # a template, theme or static file (or folio.toml)
    output_gone: bool = False  # the output folder is not the last build's any more
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()  # content files whose stat changed (or cannot vouch for them)
    rest_racy: bool = False  # one changed around the last scan: its stat proves nothing
    search_behind: bool = False  # the last build's search index is still to be made
    stats: Mapping[str, os.stat_result] | None = None  # every content file's, when taken
    folders: dict[str, int] = field(default_factory=dict)  # folders scanned again
    scanned_at: int = 0  # when the stats were taken (time.time_ns())


@dataclass(frozen=True, slots=True)
class Decision:
    """The path a build takes (one of PATHS), why, and the content files it re-reads."""

    path: str
    reason: str
    edited: tuple[str, ...] = ()


def plan_rebuild(last: LastBuild | None, changes: Changes | None, *, in_memory: bool = False,
                 remember: bool = False) -> Decision:
    """The path for a build after `changes` to what `last` built (the Builder remembers that
    build's site when `in_memory`); `remember`: the build must load the whole site."""
    if remember:
        return Decision("full", "folio serve's first build loads the whole site")
    if last is None or changes is None:
        return Decision("full", "no last build to start from")
    if not last.finished:
        return Decision("full", "the last build did not finish")
    if changes.config:
        return Decision("full", "the configuration changed")
    if changes.output_gone:
        return Decision("full", "the output folder is not the last build's")
    if changes.rest:
        return Decision("full", "a template, theme or static file changed")
    if changes.added or changes.removed:
        return Decision("full", "content files were added or removed")
    if not changes.edited:
        if changes.rest_racy:
            return Decision("full", "a template or static file changed around the last "
                                    "build (its stat proves nothing)")
        return Decision("unchanged", "no input changed since the last build")
    if len(changes.edited) > MAX_EDITS:
        return Decision("full", f"{len(changes.edited)} content files changed (the edit "
                                f"paths take up to {MAX_EDITS})")
    if changes.search_behind and not in_memory:  # (serve's memory knows every page)
        return Decision("full", "the last build's search index is still to be made")
    if last.kept is None:
        return Decision("full", "the last build kept no pages to re-render (its lists show "
                                "article bodies)")
    path = "edit-in-memory" if in_memory else "edit-from-cache"
    return Decision(path, f"{len(changes.edited)} content file(s) changed", changes.edited)


def compare_stats(known: Mapping[str, tuple[int, int]], stats: Mapping[str, os.stat_result],
                  trustworthy: Callable[[int], bool]) -> tuple[tuple[str, ...], ...]:
    """(added, removed, edited) content files: `known` (path -> size, mtime_ns of the last
    scan) against `stats` now; a file whose mtime was too close to the last scan to prove
    anything counts as edited."""
    added = tuple(sorted(stats.keys() - known.keys()))
    removed = tuple(sorted(known.keys() - stats.keys()))
    edited = tuple(sorted(path for path, stat in stats.items() if path in known and (
        known[path] != (stat.st_size, stat.st_mtime_ns) or not trustworthy(known[path][1]))))
    return added, removed, edited


def told_changes(told: Collection[Path], content: Path, known: Collection[str]
                 ) -> Changes | None:
    """What `folio serve` was told changed, for a Builder that remembers its last build
    (`known`: its content files); None when the paths do not say (a file it does not know,
    or a folder that no told file explains): then the stats must."""
    keys = {str(path) for path in told}
    parents = {os.path.dirname(key) for key in keys}
    removed, edited = [], []
    rest = False
    for key in sorted(keys):
        path = Path(key)
        if not path.is_relative_to(content):
            rest = True
        elif key in known:
            (edited if path.is_file() else removed).append(key)
        elif not (path.is_dir() and key in parents):  # a save shows as its folder's change
            return None
    return Changes(rest=rest, removed=tuple(removed), edited=tuple(edited))
