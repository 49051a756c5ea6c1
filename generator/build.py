"""`folio build`: the whole pipeline, read top to bottom.

    inputs   = scan_inputs(config)                  stats of everything the site is made from
    (stop early when nothing changed since the last good build)
    site     = load_site(config, inputs, cache)     parses only files that changed
    jobs     = plan(site)                           every page: template, route, context
    todo     = jobs whose fingerprint changed       (or whose output is missing)
    render_all(todo) into a staging folder, then commit: all or nothing
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import parallel
from generator.cache import CACHE_DIR, BuildCache, OutputRecord, SourceRecord
from generator.config import SiteConfig
from generator.content import Parsed, SourceFile, digest, discover, read_source
from generator.errors import ContentError, OutputError, Problem, ThemeError
from generator.fingerprint import Fingerprinter
from generator.model import Article, Page, Site
from generator.pages import Job, SiteInfo, plan, site_info
from generator.render import render, template_problem
from generator.site import assemble
from generator.theme import Theme, load_theme, theme_chain
from generator.writer import OutputWriter, check_output_dir, stage_bytes

Progress = Callable[[str, int, int], None]
MAX_TEMPLATE_PROBLEMS = 20
PARALLEL_MIN_FILES = 200
PARALLEL_MIN_PAGES = 400
CHUNK = 64


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


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything a build reads, by stat: content files, templates, static files, config."""

    sources: list[tuple[SourceFile, os.stat_result]]
    digest: str
    newest_ns: int


def build(config: SiteConfig, progress: Progress | None = None, *,
          workers: int | None = None, use_cache: bool = True) -> BuildReport:
    """Build the site into its output folder; on any error the output is left as it was."""
    started = time.perf_counter()
    workers = parallel.default_workers() if workers is None else workers
    check_output_dir(config.output_path, config.root,
                     [config.content_path, config.static_path, config.root / "templates",
                      config.root / "themes"])
    cache_path = config.root / CACHE_DIR / "build.sqlite" if use_cache else None
    with parallel.few_collections(), BuildCache(cache_path, key=_parse_key(config)) as cache:
        inputs = scan_inputs(config)
        output_dir = str(config.output_path.resolve())
        previous = cache.output_records() if cache.get("output_dir") == output_dir else {}
        if _nothing_changed(cache, inputs, previous, config.output_path):
            summary = cache.get("summary")
            if isinstance(summary, tuple):
                articles, pages, warnings = summary
                return BuildReport(articles, pages, 0, pages, 0,
                                   time.perf_counter() - started, warnings)
        site, parsed_count = load_site(config, cache, inputs, workers, progress)
        theme = load_theme(config)
        jobs = plan(site)
        static = theme.static_files(config)
        check_collisions(jobs, static)
        info = site_info(site)
        fingerprints = Fingerprinter(theme, info, repr(config))
        prints = [fingerprints.job(job) for job in jobs]
        todo = [i for i, job in enumerate(jobs)
                if not _intact(previous.get(job.route.output_path), prints[i],
                               config.output_path / job.route.output_path)]
        with OutputWriter(config.output_path) as writer:
            todo_set = set(todo)
            for index, job in enumerate(jobs):
                if index not in todo_set:
                    writer.keep(job.route.output_path)
            render_all([jobs[i] for i in todo], theme, info, writer, workers, progress)
            for output_path, source in static.items():
                writer.copy(output_path, source)
            written = writer.commit()
        records = {}
        for index, job in enumerate(jobs):
            path = job.route.output_path
            if index in todo_set:
                stat = (config.output_path / path).stat()
                records[path] = OutputRecord(prints[index], stat.st_size, stat.st_mtime_ns)
            else:
                records[path] = previous[path]
        cache.replace_outputs(records)
        cache.put("output_dir", output_dir)
        cache.put("inputs", inputs.digest)
        cache.put("summary", (len(site.articles), len(jobs), site.warnings))
        cache.commit()
    return BuildReport(
        articles=len(site.articles), pages=len(jobs), written=written.written,
        unchanged=written.unchanged, removed=written.removed,
        seconds=time.perf_counter() - started, warnings=site.warnings,
        parsed=parsed_count, rendered=len(todo),
    )


def _parse_key(config: SiteConfig) -> str:
    """What parsing depends on: a change here invalidates every cached parse."""
    return digest(repr((config.allow_html, config.typographer, config.summary_words,
                        [t.key for t in config.taxonomies], str(config.content_path.resolve()))
                       ).encode())


def scan_inputs(config: SiteConfig) -> Inputs:
    """Stat every input: cheap, and enough to tell that nothing changed."""
    sources = [(source, source.path.stat()) for source in discover(config)]
    parts = [repr(config)]
    newest = 0
    for source, stat in sources:
        parts.append(f"{source.path}\x1e{stat.st_size}\x1e{stat.st_mtime_ns}")
        newest = max(newest, stat.st_mtime_ns)
    folders = [config.root / "templates", config.static_path]
    with contextlib.suppress(ThemeError):  # a missing theme is reported when it is loaded
        folders += [folder for layer in theme_chain(config) for folder in layer.folders]
    config_file = config.root / "folio.toml"
    files = [config_file] if config_file.is_file() else []
    for folder in folders:
        if folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    for path in files:
        stat = path.stat()
        parts.append(f"{path}\x1e{stat.st_size}\x1e{stat.st_mtime_ns}")
        newest = max(newest, stat.st_mtime_ns)
    return Inputs(sources, digest("\n".join(parts).encode()), newest)


def _nothing_changed(cache: BuildCache, inputs: Inputs, previous: dict[str, OutputRecord],
                     output: Path) -> bool:
    if not previous or cache.get("inputs") != inputs.digest:
        return False
    if inputs.newest_ns >= cache.written_at - 2_000_000_000:
        return False  # an input changed around the last build: its stat proves nothing
    return all(_intact(record, record.fingerprint, output / path)
               for path, record in previous.items())


def _intact(record: OutputRecord | None, fingerprint: str, path: Path) -> bool:
    """The output exists as the last build left it, made from the same inputs."""
    if record is None or record.fingerprint != fingerprint:
        return False
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_size == record.size and stat.st_mtime_ns == record.mtime_ns


def load_site(config: SiteConfig, cache: BuildCache, inputs: Inputs, workers: int,
              progress: Progress | None = None) -> tuple[Site, int]:
    """Read and validate every content file (parsing only what changed), then assemble the
    site; every problem in every file is reported at once."""
    known = cache.source_records()
    stats = {str(source.path): stat for source, stat in inputs.sources}
    trusted: list[str] = []
    restat: dict[str, SourceRecord] = {}  # unchanged bytes under a new stat
    to_parse: list[SourceFile] = []
    for source, stat in inputs.sources:
        key = str(source.path)
        record = known.get(key)
        if record is None:
            to_parse.append(source)
        elif record.size == stat.st_size and record.mtime_ns == stat.st_mtime_ns and \
                cache.stat_is_trustworthy(record):
            trusted.append(key)
        elif digest(source.path.read_bytes()) == record.digest:
            restat[key] = SourceRecord(stat.st_size, stat.st_mtime_ns, record.digest)
        else:
            to_parse.append(source)
    results = {key: value for key, value in cache.parsed([*trusted, *restat]).items()
               if isinstance(value, Parsed)}
    queued = {str(source.path) for source in to_parse}
    to_parse += [source for source, _ in inputs.sources  # cached entries that did not load
                 if str(source.path) not in results and str(source.path) not in queued]
    fresh = dict(zip((str(s.path) for s in to_parse),
                     _parse_all(to_parse, config, workers, progress), strict=True))
    results.update(fresh)
    cache.store_sources([
        *((key, SourceRecord(stats[key].st_size, stats[key].st_mtime_ns, parsed.digest), parsed)
          for key, parsed in fresh.items()),
        *((key, record, None) for key, record in restat.items() if key not in fresh),
    ])
    cache.forget_sources(set(known) - set(stats))
    cache.commit()

    problems: list[Problem] = []
    warnings: list[Problem] = []
    articles: list[Article] = []
    pages: list[Page] = []
    for source, _ in inputs.sources:
        parsed = results[str(source.path)]
        problems.extend(parsed.problems)
        warnings.extend(parsed.warnings)
        if isinstance(parsed.item, Article):
            articles.append(parsed.item)
        elif isinstance(parsed.item, Page):
            pages.append(parsed.item)
    if problems:
        raise ContentError(problems, title="The archive cannot be built")
    return assemble(config, articles, pages, warnings), len(to_parse)


def _parse_chunk(config: SiteConfig, sources: Sequence[SourceFile]) -> list[Parsed]:
    return [read_source(source, config) for source in sources]


def _parse_all(sources: list[SourceFile], config: SiteConfig, workers: int,
               progress: Progress | None) -> list[Parsed]:
    if len(sources) < PARALLEL_MIN_FILES:
        workers = 1
    results: list[Parsed] = []
    for chunk in parallel.run(_parse_chunk, config, parallel.chunks(sources, CHUNK), workers):
        results.extend(chunk)
        if progress is not None:
            progress("reading", len(results), len(sources))
    return results


def check_collisions(jobs: list[Job], static: dict[str, Path]) -> None:
    """Two outputs at one path are an error that names both."""
    claimed: dict[str, str] = {}
    problems = []
    for job in jobs:
        path = job.route.output_path
        if path in claimed:
            problems.append(Problem(f"{job.origin} and {claimed[path]} both want {path}",
                                    hint="give one of them another slug or URL pattern"))
        else:
            claimed[path] = job.origin
    for path, source in static.items():
        if path in claimed:
            problems.append(Problem(f"static file {source} and {claimed[path]} both want "
                                    f"{path}", hint="rename or remove the static file"))
    if problems:
        raise OutputError(problems, title="Two outputs at one path")


@dataclass(frozen=True, slots=True)
class _RenderState:
    jobs: Sequence[Job]
    theme: Theme
    info: SiteInfo
    output_dir: Path
    staging: Path


def _render_chunk(state: _RenderState, indices: Sequence[int]
                  ) -> list[tuple[int, bool | None, Problem | None]]:
    """Render and stage some jobs: (index, staged?, problem) each. Runs in a worker."""
    done: list[tuple[int, bool | None, Problem | None]] = []
    for index in indices:
        job = state.jobs[index]
        try:
            data = render(job, state.theme, state.info)
        except Exception as exc:  # a template can raise anything; report it with its place
            done.append((index, None, template_problem(exc, job)))
            continue
        staged = stage_bytes(state.output_dir, state.staging, job.route.output_path, data)
        done.append((index, staged, None))
    return done


def render_all(jobs: Sequence[Job], theme: Theme, info: SiteInfo, writer: OutputWriter,
               workers: int = 1, progress: Progress | None = None) -> None:
    """Render jobs into the writer's staging folder; collect template problems."""
    if len(jobs) < PARALLEL_MIN_PAGES:
        workers = 1
    state = _RenderState(jobs, theme, info, writer.output_dir, writer.staging)
    problems: dict[tuple[object, ...], Problem] = {}
    count = 0
    tasks = parallel.chunks(range(len(jobs)), CHUNK)
    for chunk in parallel.run(_render_chunk, state, tasks, workers):
        for index, staged, problem in chunk:
            count += 1
            if problem is not None:
                problems.setdefault((problem.path, problem.line, problem.message), problem)
            elif staged is not None:
                writer.record(jobs[index].route.output_path, staged)
        if progress is not None:
            progress("rendering", count, len(jobs))
        if len(problems) >= MAX_TEMPLATE_PROBLEMS:
            break
    if problems:
        raise ThemeError(problems.values(), title="The theme failed to render")
