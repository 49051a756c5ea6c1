"""Loading a site: stat every input, parse only the content files that changed, assemble."""

from __future__ import annotations

import contextlib
import os
import pickle
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator import parallel
from generator.cache import SourceRecord
from generator.config import SiteConfig
from generator.content import Parsed, SourceFile, digest, discover_paths, read_source
from generator.errors import ContentError, Problem, ThemeError
from generator.model import Article, Page, Site
from generator.site import AssemblyMemo, assemble
from generator.theme import theme_chain

Progress = Callable[[str, int, int], None]
PARALLEL_MIN_FILES = 200
CHUNK = 64


@dataclass(frozen=True, slots=True)
class Inputs:
    """Every content file a build reads, by stat, and the state of everything else."""

    sources: list[tuple[SourceFile, os.stat_result]]
    scanned_at: int  # when the stats were taken (time.time_ns())
    rest: str = ""  # digest of all but the content files: config, templates, static files
    folders: dict[str, int] = field(default_factory=dict)  # content folders -> mtime_ns


@dataclass(frozen=True, slots=True)
class Content:
    """The parse of every content file, and which of them were parsed this time."""

    parsed: dict[str, Parsed]
    records: dict[str, SourceRecord]
    fresh: frozenset[str]  # files parsed this time (the rest were reused)
    restat: frozenset[str]  # reused files whose stat changed but not their bytes


def scan_inputs(config: SiteConfig, known: dict[str, SourceFile] | None = None) -> Inputs:
    """Stat every content file. `known` (path -> SourceFile of the last scan) spares making
    the same objects again; it is brought up to date."""
    scanned_at = time.time_ns()
    sources = []
    found: dict[str, SourceFile] = {}
    folders: dict[str, int] = {}
    for path, kind in discover_paths(config, folders):
        source = known.get(path) if known is not None else None
        if source is None or source.kind != kind:
            source = SourceFile(Path(path), kind)
        found[path] = source
        sources.append((source, os.stat(path)))
    if known is not None:
        known.clear()
        known.update(found)
    return Inputs(sources, scanned_at, rest_state(config)[0], folders)


def content_stats(config: SiteConfig, folders: dict[str, int] | None = None
                  ) -> dict[str, os.stat_result]:
    """Path -> stat of every content file, the same set `discover` finds, without building
    SourceFile objects: the quick check of `folio build` after an edit."""
    return {path: os.stat(path) for path, _ in discover_paths(config, folders)}


def folders_unchanged(folders: dict[str, int], trustworthy: Callable[[int], bool]) -> bool:
    """No file was added to or removed from these folders since their mtimes were taken
    (`trustworthy(mtime)`: the mtime is old enough to prove it)."""
    try:
        return all(os.stat(folder).st_mtime_ns == mtime and trustworthy(mtime)
                   for folder, mtime in folders.items())
    except OSError:
        return False


def quick_stats(known: Iterable[str], folders: object, trustworthy: Callable[[int], bool]
                ) -> dict[str, os.stat_result] | None:
    """The stats of the `known` content files, when no content folder changed since the last
    scan (`folders`: folder -> mtime then), so there is no other file; None when one did,
    or a file is gone."""
    if not isinstance(folders, dict) or not folders or \
            not folders_unchanged(folders, trustworthy):
        return None
    if os.stat not in os.supports_dir_fd or not hasattr(os, "O_DIRECTORY"):  # not POSIX
        try:
            return {path: os.stat(path) for path in known}
        except OSError:
            return None
    by_folder: dict[str, list[tuple[str, str]]] = {}
    for path in known:
        folder, name = os.path.split(path)
        by_folder.setdefault(folder, []).append((path, name))
    stats = {}
    try:
        for folder, files in by_folder.items():  # by name in an open folder: a quarter faster
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                for path, name in files:
                    stats[path] = os.stat(name, dir_fd=fd)
            finally:
                os.close(fd)
    except OSError:
        return None
    return stats


def rest_state(config: SiteConfig) -> tuple[str, int]:
    """(digest of the configuration and the stats of every template and static file, the
    newest of their mtimes)."""
    rest = [repr(config)]
    newest = 0
    for path in input_files(config):
        try:
            stat = path.stat()
        except OSError:
            continue
        rest.append(f"{path}\x1e{stat.st_size}\x1e{stat.st_mtime_ns}")
        newest = max(newest, stat.st_mtime_ns)
    return digest("\n".join(rest).encode()), newest


def input_folders(config: SiteConfig) -> list[Path]:
    """The folders of templates and static files a build reads (besides content/)."""
    folders = [config.root / "templates", config.static_path]
    with contextlib.suppress(ThemeError):  # a missing theme is reported when it is loaded
        folders += [folder for layer in theme_chain(config) for folder in layer.folders]
    return folders


def input_files(config: SiteConfig) -> list[Path]:
    config_file = config.root / "folio.toml"
    files = [config_file] if config_file.is_file() else []
    for folder in input_folders(config):
        if folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return files


def load_content(
    config: SiteConfig, inputs: Inputs, known: dict[str, SourceRecord],
    fetch: Callable[[Iterable[str]], dict[str, Parsed]], trust: Callable[[SourceRecord], bool],
    workers: int = 1, progress: Progress | None = None,
    store: Callable[[list[tuple[str, SourceRecord, bytes]]], None] | None = None,
) -> Content:
    """Parse what changed since `known`, reusing `fetch`ed results for the rest. `store`
    gets each fresh parse pickled, with its file's record, a chunk at a time (for the cache:
    the pickles are not kept)."""
    stats = {str(source.path): stat for source, stat in inputs.sources}
    reuse: list[str] = []
    restat: dict[str, SourceRecord] = {}  # the same bytes under a new stat
    to_parse: list[SourceFile] = []
    for source, stat in inputs.sources:
        key = str(source.path)
        record = known.get(key)
        if record is None:
            to_parse.append(source)
        elif record.size == stat.st_size and record.mtime_ns == stat.st_mtime_ns and \
                trust(record):
            reuse.append(key)
        elif digest(source.path.read_bytes()) == record.digest:
            restat[key] = SourceRecord(stat.st_size, stat.st_mtime_ns, record.digest)
        else:
            to_parse.append(source)
    results = fetch([*reuse, *restat])
    queued = {str(source.path) for source in to_parse}
    to_parse += [source for source, _ in inputs.sources  # cached entries that did not load
                 if str(source.path) not in results and str(source.path) not in queued]
    fresh: dict[str, Parsed] = {}
    records = {key: known[key] for key in reuse}
    records.update(restat)

    def take(chunk: list[tuple[SourceFile, Parsed, bytes]]) -> None:
        entries = []
        for source, parsed, blob in chunk:
            key = str(source.path)
            fresh[key] = parsed
            records[key] = SourceRecord(stats[key].st_size, stats[key].st_mtime_ns,
                                        parsed.digest)
            entries.append((key, records[key], blob))
        if store is not None:
            store(entries)

    _parse_all(to_parse, config, workers, progress, take)
    results.update(fresh)
    parsed = {key: results[key] for key in stats}  # in discovery order
    return Content(parsed, records, frozenset(fresh), frozenset(restat) - set(fresh))


def assemble_parsed(config: SiteConfig, results: Iterable[Parsed],
                    memo: AssemblyMemo | None = None) -> Site:
    """The site from parsed files; every problem in every file is reported at once."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    articles: list[Article] = []
    pages: list[Page] = []
    for parsed in results:
        problems.extend(parsed.problems)
        warnings.extend(parsed.warnings)
        if isinstance(parsed.item, Article):
            articles.append(parsed.item)
        elif isinstance(parsed.item, Page):
            pages.append(parsed.item)
    if problems:
        raise ContentError(problems, title="The archive cannot be built")
    return assemble(config, articles, pages, warnings, memo)


def _parse_chunk(config: SiteConfig, sources: Sequence[SourceFile]) -> list[bytes]:
    """Parse some files, each result pickled: what the cache keeps, and all that crosses
    from a worker to the parent (which unpickles it once)."""
    return [pickle.dumps(read_source(source, config), pickle.HIGHEST_PROTOCOL)
            for source in sources]


def _parse_all(sources: list[SourceFile], config: SiteConfig, workers: int,
               progress: Progress | None,
               take: Callable[[list[tuple[SourceFile, Parsed, bytes]]], None]) -> None:
    """Parse the files, handing (file, parse, its pickle) to `take` a chunk at a time."""
    if len(sources) < PARALLEL_MIN_FILES:
        workers = 1
    chunks = parallel.chunks(sources, CHUNK)
    done = 0
    for blobs, chunk_sources in zip(parallel.run(_parse_chunk, config, chunks, workers), chunks,
                                    strict=True):
        take([(source, pickle.loads(blob), blob)
              for source, blob in zip(chunk_sources, blobs, strict=True)])
        done += len(blobs)
        if progress is not None:
            progress("reading", done, len(sources))
