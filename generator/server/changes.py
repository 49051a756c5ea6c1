"""What a changed path means for the site: a pure, tested classifier, and the debounce that
turns an editor's burst of events for one save into one rebuild."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from generator.cache import CACHE_DIR


class Kind(Enum):
    CONTENT = "content"
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"


@dataclass(frozen=True, slots=True)
class Watched:
    """The folders a site is made from, to classify paths against."""

    root: Path
    content: Path
    output: Path
    static: tuple[Path, ...]  # the site's static/ and every theme's static/
    templates: tuple[Path, ...]  # the site's templates/ and themes/, the themes in use
    config: Path


_EDITOR_DEBRIS_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload", "~",
                           ".bak", ".orig", ".kate-swp", "___jb_tmp___", "___jb_old___")


def is_editor_debris(path: Path) -> bool:
    """Swap, backup and temporary files that editors write beside the real one."""
    name = path.name
    return (name.startswith((".#", "#", ".~")) or name.endswith(_EDITOR_DEBRIS_SUFFIXES)
            or name in ("4913", ".DS_Store", "Thumbs.db") or name.startswith(".goutputstream"))


def classify(path: Path, watched: Watched) -> Kind | None:
    """The kind of input a path is, or None for what the site does not depend on."""
    if is_editor_debris(path) or _under(path, watched.output) or \
            _under(path, watched.root / CACHE_DIR) or ".staging-" in path.as_posix():
        return None
    if path == watched.config:
        return Kind.CONFIG
    if _under(path, watched.content):
        relative = path.relative_to(watched.content)
        hidden = any(part.startswith((".", "_")) for part in relative.parts)
        # a folder (created, deleted or moved away) may hold articles: it counts too
        return Kind.CONTENT if path.suffix in (".md", "") and not hidden else None
    if any(_under(path, folder) for folder in watched.static):
        return Kind.STATIC
    if any(_under(path, folder) for folder in watched.templates):
        return Kind.TEMPLATE
    return None


def _under(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def only_stylesheets(paths: Iterable[Path], watched: Watched) -> bool:
    """True when every changed file is a static .css file (folders that merely hold them
    aside): the page can swap its stylesheets in place instead of reloading."""
    files = [p for p in paths if not p.is_dir()]
    return bool(files) and all(
        classify(p, watched) is Kind.STATIC and p.suffix == ".css" for p in files)


def changed_pages(changed: Iterable[str], base_path: str) -> list[str] | None:
    """The URLs of the pages a build wrote or removed (`changed`: output paths), for the open
    pages to reload only when theirs is one; None when another file changed that any page
    may use (a script, an image, the not-found page): then every page reloads. Feeds and
    sitemaps are no page's."""
    urls = []
    for path in changed:
        if path.endswith((".xml", ".txt")):
            continue
        if not path.endswith(".html") or path == "404.html":
            return None
        folder = path.removesuffix("index.html") if path.rsplit("/", 1)[-1] == "index.html" \
            else path
        urls.append(base_path + folder)
    return sorted(urls)


class Debouncer:
    """Collects paths and calls `flush(paths)` once they have been quiet for `quiet` seconds
    (or `longest` after the first, so a stream of writes still rebuilds)."""

    def __init__(self, flush: Callable[[set[Path]], None], quiet: float = 0.05,
                 longest: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self.flush, self.quiet, self.longest, self.clock = flush, quiet, longest, clock
        self.pending: set[Path] = set()
        self.first = self.latest = 0.0
        self.condition = threading.Condition()
        self.closed = False

    def add(self, path: Path) -> None:
        with self.condition:
            now = self.clock()
            if not self.pending:
                self.first = now
            self.pending.add(path)
            self.latest = now
            self.condition.notify()

    def due(self) -> bool:
        """Whether the pending paths should be flushed now (for tests and the loop)."""
        now = self.clock()
        return bool(self.pending) and (now - self.latest >= self.quiet or
                                       now - self.first >= self.longest)

    def take(self) -> set[Path]:
        with self.condition:
            paths, self.pending = self.pending, set()
            return paths

    def run(self) -> None:
        """Loop until `close()`: wait for paths, then for quiet, then flush."""
        while True:
            with self.condition:
                while not self.pending and not self.closed:
                    self.condition.wait()
                if self.closed:
                    return
                wait = min(self.quiet - (self.clock() - self.latest),
                           self.longest - (self.clock() - self.first))
                if wait > 0:
                    self.condition.wait(wait)
                    if not self.due():
                        continue
            paths = self.take()
            if paths:
                self.flush(paths)

    def quiet_for(self, seconds: float) -> bool:
        """Wait up to `seconds` for a path (or close()); True when none came."""
        with self.condition:
            return not self.condition.wait_for(lambda: bool(self.pending) or self.closed,
                                               seconds)

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.condition.notify_all()
