"""`folio build`: bring the output up to date, read top to bottom in `Builder._build`:

    last     = what the last build left            (the cache, or folio serve's memory)
    changes  = what changed since                  (stats, or the paths serve was told)
    decision = plan_rebuild(last, changes)         generator/rebuild.py: the path and why
    then that path: nothing to do; the edit paths (generator/edits.py); or the whole
    pipeline, `_full`:

    inputs   = scan_inputs(config)          stats of everything the site is made from
    content  = load_content(...)            parses only the files that changed
    site     = assemble_parsed(content)     the frozen site; every problem at once
    jobs     = plan(site)                   every page: template, route, context, kind
    todo     = jobs whose fingerprint changed, or whose output is missing
    render_all(todo) into a staging folder, then commit: all or nothing

After an edit that the edit paths cannot take, `folio serve` re-assembles only the articles
that changed (`AssemblyMemo`) and keeps the unchanged articles' digests when it fingerprints
the pages again.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator import parallel, search
from generator.cache import (
    CACHE_DIR,
    BuildCache,
    CacheUnwritable,
    OutputRecord,
    SourceRecord,
    is_damage,
    is_unwritable,
    last_reads,
    output_intact,
    record_output,
    set_aside,
    trusted_before,
)
from generator.config import SiteConfig
from generator.content import Parsed, ParseSettings, SourceFile
from generator.edits import Memory, Setting, edit_from_cache, edit_in_memory, output_is_there
from generator.errors import Problem
from generator.fingerprint import FOREIGN_BODIES, Fingerprinter
from generator.loading import (
    Content,
    Inputs,
    assemble_parsed,
    content_stats,
    load_content,
    quick_stats,
    rest_state,
    scan_inputs,
)
from generator.model import Site
from generator.pages import Job, SiteInfo, check_collisions, plan, site_info
from generator.pagestore import KeptPage, keep_page, shared_objects, walks_whole
from generator.rebuild import (
    PATHS,
    BuildReport,
    Changes,
    Decision,
    Kept,
    LastBuild,
    compare_stats,
    plan_rebuild,
    told_changes,
)
from generator.render import RenderedAll, render_all
from generator.searchindex import index_is_current, search_keys, update_index
from generator.site import AssemblyMemo
from generator.theme import Theme, load_theme
from generator.tracking import BODIES
from generator.writer import OutputWriter, WriteReport, check_output_dir

__all__ = ["PATHS", "BuildReport", "Builder", "build"]
Progress = Callable[[str, int, int], None]


def build(config: SiteConfig, progress: Progress | None = None, *,
          workers: int | None = None, use_cache: bool = True) -> BuildReport:
    """Build the site into its output folder; on any error the output is left as it was."""
    return Builder(config, workers=workers, use_cache=use_cache, progress=progress).build()


@dataclass(frozen=True, slots=True)
class _Planned:
    """The whole pipeline's site and pages, before anything is rendered."""

    inputs: Inputs
    content: Content
    site: Site
    info: SiteInfo
    theme: Theme
    jobs: list[Job]
    static: dict[str, Path]
    fingerprints: Fingerprinter


class Builder:
    """Builds one site, again and again, doing only the work its changes call for."""

    def __init__(self, config: SiteConfig, *, workers: int | None = None,
                 use_cache: bool = True, progress: Progress | None = None,
                 lock: contextlib.AbstractContextManager[object] | None = None,
                 index_later: bool = False) -> None:
        self.config = config
        # folio serve shows the pages first and indexes them for search after (index_pending)
        self.index_later = index_later
        self.index_due = False
        self.workers = parallel.default_workers() if workers is None else workers
        self.cache_path = config.root / CACHE_DIR / "build.sqlite" if use_cache else None
        self.progress = progress
        self.lock = lock if lock is not None else contextlib.nullcontext()
        self.parsed: dict[str, Parsed] = {}
        self.records: dict[str, SourceRecord] = {}
        self.last: Memory | None = None  # folio serve's memory of its last good build
        self.assembly = AssemblyMemo()  # what the last assembly made of each parsed article
        self.sources: dict[str, SourceFile] = {}  # the content files the last scan found
        self.scanned_at = 0  # when the stats in self.records were taken
        self.search_keys: dict[str, str] | None = None  # the last full build's searchable pages

    def build(self, changed: Collection[Path] | None = None, *,
              remember: bool = False) -> BuildReport:
        """Bring the output up to date. `changed`: the paths folio serve saw change (it
        may then skip taking stats); `remember` loads the whole site even when nothing
        changed."""
        started = time.perf_counter()
        check_output_dir(self.config.output_path, self.config.root,
                         [self.config.content_path, self.config.static_path,
                          self.config.root / "templates", self.config.root / "themes"])
        warnings: list[Problem] = []
        while True:
            try:
                report = self._build(changed, remember, started)
            except Exception as exc:
                warning = self._without_cache(exc, again=bool(warnings))
                if warning is None:
                    raise
                warnings.append(warning)
                # a failed build leaves the output as it was: build it again from scratch
                changed, self.last = None, None
                continue
            return replace(report, warnings=(*warnings, *report.warnings))

    def _without_cache(self, exc: Exception, *, again: bool) -> Problem | None:
        """When the cache failed the build: set a damaged one aside (the next build makes a
        new one), or go on without one that cannot be written (or is damaged `again`); the
        warning that says so. None when the error is not the cache's."""
        path = self.cache_path
        if path is None or not (is_damage(exc) or is_unwritable(exc)):
            return None
        # one short line, whatever the damaged file held
        reason = "".join(c if c.isprintable() else "?" for c in str(exc))
        reason = reason if len(reason) <= 120 else reason[:117] + "..."
        if is_damage(exc) and not again:
            try:
                aside = set_aside(path)
            except OSError as error:
                exc = CacheUnwritable(f"{error.filename}: {error.strerror or error}")
                reason = str(exc)
            else:
                return Problem(f"the build cache could not be read ({reason}); it was moved to "
                               f"{aside.name} and the site was built from scratch",
                               path=path.parent, hint="delete it when you like")
        self.cache_path = None
        return Problem(f"the build cache cannot be used ({reason}); the site was built without"
                       " it", path=path.parent, hint="delete the folder" if is_damage(exc) else
                       "make the folder writable, or build with --no-cache to go without it")

    def _build(self, changed: Collection[Path] | None, remember: bool,
               started: float) -> BuildReport:
        with parallel.few_collections(), BuildCache(self.cache_path, _parse_key(self.config)) \
                as cache:
            last = self._last_build(cache)
            changes = None if last is None or remember else self._observe(cache, last, changed)
            decision = plan_rebuild(last, changes, in_memory=self.last is not None,
                                    remember=remember)
            try:
                return self._follow(decision, cache, last, changes, started, remember)
            except BaseException:
                self.last = None  # the next build starts from what is on disk
                raise

    def _last_build(self, cache: BuildCache) -> LastBuild | None:
        """What the last build left, for this output folder."""
        if self.last is not None:
            return self.last.record
        last = cache.last_build()
        if last is None or last.output_dir != str(self.config.output_path.resolve()):
            return None
        return last

    def _observe(self, cache: BuildCache, last: LastBuild,
                 told: Collection[Path] | None) -> Changes:
        """What changed since `last`: as folio serve was told, when that says enough, else
        by the stats of the content files (those of folders that did not change only)."""
        config = self.config
        scanned_at = time.time_ns()
        search_behind = config.search and cache.search_marker() is None
        output_gone = not output_is_there(config.output_path)
        if told is not None and self.last is not None:
            seen = told_changes(told, config.content_path, self.records.keys())
            if seen is not None:
                return replace(seen, config=repr(config) != last.config,
                               output_gone=output_gone, search_behind=search_behind)
        known = {key: (record.size, record.mtime_ns) for key, record in self.records.items()} \
            if self.last is not None else cache.source_stats()
        trustworthy = trusted_before(self.scanned_at if self.last is not None
                                     else cache.scanned_at)
        folders: dict[str, int] = {}
        stats = quick_stats(known, last.folders, trustworthy)
        if stats is None:  # a folder changed: look for added and removed files
            stats = content_stats(config, folders)
        added, removed, edited = compare_stats(known, stats, trustworthy)
        rest, newest = rest_state(config)
        return Changes(config=repr(config) != last.config, rest=rest != last.rest,
                       output_gone=output_gone, added=added, removed=removed, edited=edited,
                       rest_racy=not trustworthy(newest), search_behind=search_behind,
                       stats=stats, folders=folders, scanned_at=scanned_at)

    def _follow(self, decision: Decision, cache: BuildCache, last: LastBuild | None,
                changes: Changes | None, started: float, remember: bool) -> BuildReport:
        """Take the decided path; an edit path or the unchanged one may find it cannot (an
        edit moved its article, an output was deleted): the whole pipeline then, saying why."""
        setting = Setting(self.config, cache, self.lock, self._index, started)
        outcome: BuildReport | str = decision.reason
        if decision.path == "unchanged" and last is not None:
            outcome = self._unchanged(cache, last, decision, started, changes)
        elif decision.path == "edit-in-memory" and self.last is not None:
            outcome = edit_in_memory(setting, self.last, decision.edited, self.parsed,
                                     self.records, self.search_keys)
        elif decision.path == "edit-from-cache" and last is not None and changes is not None:
            outcome = edit_from_cache(setting, last, changes, self._templates_cache())
        if isinstance(outcome, BuildReport):
            return outcome
        report = self._full(cache, last, remember)
        return replace(report, seconds=time.perf_counter() - started, reason=outcome)

    def _unchanged(self, cache: BuildCache, last: LastBuild, decision: Decision,
                   started: float, changes: Changes | None) -> BuildReport | str:
        """The report of a build that has nothing to do, once the output is checked to be
        as the last build left it; else why the whole pipeline runs. Content folders that
        were scanned again (a file came and went) are remembered as they are now."""
        outputs = self.last.outputs if self.last is not None else cache.output_records()
        if not outputs:
            return "the cache knows no outputs of the last build"
        if self.config.search and not index_is_current(self.config, cache, outputs,
                                                       last.manifest):
            return "the search index is behind the pages"
        out = str(self.config.output_path)
        if not all(output_intact(record, record.fingerprint, os.path.join(out, path))
                   for path, record in outputs.items()):
            return "an output file was changed or removed since the last build"
        if changes is not None and changes.folders:
            cache.record_last_build(replace(last, folders=changes.folders))
            cache.commit()
            if self.last is not None:
                self.last.record = replace(last, folders=changes.folders)
        return BuildReport(last.articles, last.pages, 0, last.pages, 0,
                           time.perf_counter() - started, last.warnings, path="unchanged",
                           reason=decision.reason)

    def _templates_cache(self) -> Path | None:
        return self.cache_path.parent / "templates" if self.cache_path is not None else None

    # -- the whole pipeline ------------------------------------------------------------------
    def _full(self, cache: BuildCache, last: LastBuild | None, remember: bool) -> BuildReport:
        config = self.config
        previous = (self.last.outputs if self.last is not None else cache.output_records()) \
            if last is not None else {}
        manifest = last.manifest if last is not None else None
        cache.mark_unfinished()  # until this build finishes, the cache vouches for nothing
        planned = self._plan(cache)
        jobs, fingerprints = planned.jobs, planned.fingerprints
        prints, todo = self._todo(jobs, previous, fingerprints)
        whole = {t: fingerprints.whole_lists(t) for t in {job.templates for job in jobs}}
        keep = not _lists_show_bodies(jobs, fingerprints) and not any(
            fingerprints.mentions(job.templates, FOREIGN_BODIES) for job in jobs[:1]
            if job.kind == "article")
        # recorded before anything is rendered (nothing the rendering keeps in the cache is
        # committed before the output is): a build killed while moving files in leaves none
        # the next build does not know of, and the index marked as behind the pages
        if last is not None and manifest is not None:
            cache.record_last_build(replace(last, finished=False, manifest=tuple(
                sorted({*manifest, *planned.static, *(job.route.output_path for job in jobs)}))))
        if config.search:
            cache.mark_search(None)
        cache.commit()
        written, rendered, manifest = self._render(planned, todo, prints, whole, keep, cache,
                                                   manifest)
        reads = _after_render(jobs, todo, rendered, previous, prints, fingerprints)
        todo_set = set(todo)
        outputs = {job.route.output_path: record_output(
            os.path.join(config.output_path, job.route.output_path), prints[i], reads[i])
            if i in todo_set else previous[job.route.output_path] for i, job in enumerate(jobs)}
        # a page seen reading other articles' bodies needs them: the kept pages hold heads
        keep = keep and not any(flags & BODIES for flags in reads)
        record = self._record(cache, planned, outputs, manifest, whole if keep else None, reads)
        report = BuildReport(
            articles=len(planned.site.articles), pages=len(jobs), written=written.written,
            unchanged=written.unchanged, removed=written.removed, seconds=0.0,
            warnings=planned.site.warnings, parsed=len(planned.content.fresh),
            rendered=len(todo), changed=written.paths + written.gone)
        if config.search and not self.index_later and not remember:
            # `folio build`: nothing needs the site any more, and at 100,000 articles it
            # weighs gigabytes beside Pagefind's
            del planned, jobs, fingerprints, prints
            self._forget()
        listed, search_index = self._index(cache, manifest, outputs, keys=self.search_keys)
        if listed is not None:
            record = replace(record, manifest=tuple(listed))
            if self.last is not None:
                self.last.record = record
        cache.record_last_build(record)
        cache.commit()
        return replace(report, index=search_index)

    def _plan(self, cache: BuildCache) -> _Planned:
        """Load the site and plan its pages; every problem with them is raised here."""
        config = self.config
        inputs = scan_inputs(config, self.sources)
        content = self._load(cache, inputs)
        site = assemble_parsed(config, content.parsed.values(), self.assembly)
        theme = load_theme(config, bytecode_cache=self._templates_cache())
        jobs = plan(site)
        static = theme.static_files(config)
        check_collisions(jobs, static)
        if config.search:
            search.check_reserved([(job.route.output_path, job.origin) for job in jobs] +
                                  [(path, f"static file {source}") for path, source in
                                   static.items()])
        info = site_info(site)
        fingerprints = Fingerprinter(theme, info, repr(config))
        if self.last is not None:  # articles assembled to the same objects keep their digests
            fingerprints.adopt(self.last.fingerprints, site.articles)
        return _Planned(inputs, content, site, info, theme, jobs, static, fingerprints)

    def _todo(self, jobs: list[Job], previous: dict[str, OutputRecord],
              fingerprints: Fingerprinter) -> tuple[list[str], list[int]]:
        """The pages' fingerprints (none yet when every page is rendered: the workers make
        them) and the indices of the pages to render."""
        if not previous:
            return [], list(range(len(jobs)))
        out = str(self.config.output_path)
        prints = [fingerprints.job(job, _reads(previous, job)) for job in jobs]
        return prints, [i for i, job in enumerate(jobs)
                        if not output_intact(previous.get(job.route.output_path), prints[i],
                                             os.path.join(out, job.route.output_path))]

    def _render(self, planned: _Planned, todo: list[int], prints: list[str],
                whole: dict[tuple[str, ...], bool], keep: bool, cache: BuildCache,
                manifest: Sequence[str] | None) -> tuple[WriteReport, RenderedAll, list[str]]:
        """Render the pages to do into a staging folder, copy the static files, and move
        them in: what was written, what rendering learnt, and the output's new manifest."""
        config, jobs = self.config, planned.jobs
        todo_set = set(todo)
        with OutputWriter(config.output_path, config.base_url) as writer:
            for index, job in enumerate(jobs):
                if index not in todo_set:
                    writer.keep(job.route.output_path)
            rendered = render_all([jobs[i] for i in todo], planned.theme, planned.info, writer,
                                  self.workers, self.progress,
                                  None if prints else planned.fingerprints.job,
                                  functools.partial(_keep, whole=whole) if keep else None,
                                  cache.store_pages)  # type: ignore[arg-type]
            for output_path, source in planned.static.items():
                writer.copy(output_path, source)
            if config.search:  # the index stays until it is made again after the commit
                writer.adopt(search.bundle_files(config.output_path, manifest))
            with self.lock:
                written = writer.commit(previous=manifest)
            return written, rendered, sorted(writer.kept)

    def _record(self, cache: BuildCache, planned: _Planned, outputs: dict[str, OutputRecord],
                manifest: list[str], whole: dict[tuple[str, ...], bool] | None,
                reads: list[int]) -> LastBuild:
        """Keep what the next build decides on and works from (`whole` None: no kept pages,
        the edit paths cannot be taken); remember the site when serving."""
        config, jobs, site = self.config, planned.jobs, planned.site
        cache.replace_outputs(outputs)
        kept = None
        if whole is not None:
            shapes = {(job.templates, job.kind == "article") for job in jobs}
            kept = Kept(planned.info, {(t, own): planned.fingerprints.template(t, own=own)
                                       for t, own in shapes}, whole)
            _keep_pages(cache, site, jobs, whole, reads)
        else:
            cache.forget_all_pages()
        record = LastBuild(str(config.output_path.resolve()), repr(config), planned.inputs.rest,
                           planned.inputs.folders, tuple(manifest), len(site.articles),
                           len(jobs), site.warnings, kept)
        cache.record_last_build(record)
        cache.commit()
        self.last = Memory(record, site, planned.info, planned.theme, planned.fingerprints,
                           jobs, [output.fingerprint for output in outputs.values()], outputs,
                           {str(job.context["article"].source_path): i
                            for i, job in enumerate(jobs) if job.kind == "article"},
                           whole or {})
        self.search_keys = search_keys(jobs)
        return record

    def _forget(self) -> None:
        """Let go of the last build's site and parses (a later build reads the cache), and give
        the memory back to the system (glibc keeps freed memory otherwise: at 10,000 articles
        330 MB stay resident, 250 MB after the trim)."""
        import ctypes
        import gc

        self.last, self.parsed, self.records = None, {}, {}
        self.assembly = AssemblyMemo()
        gc.collect()
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)

    def _index(self, cache: BuildCache, manifest: Sequence[str] | None,
               outputs: dict[str, OutputRecord] | None, *, later: bool | None = None,
               stop: Callable[[], bool] | None = None, keys: dict[str, str] | None = None,
               written: dict[str, tuple[OutputRecord | None, OutputRecord]] | None = None
               ) -> tuple[Sequence[str] | None, search.SearchIndex | None]:
        """Index the pages for search again where they changed (generator/searchindex.py),
        unless that is left for later (or `stop()` interrupts it): the output's new
        manifest (None if unknown), and what indexing did (None when it did not run).
        `keys` sorts the searchable pages (None: those indexed last time); after an edit,
        `outputs` may be None and `written` the records it changed (before, now)."""
        if not self.config.search:
            return manifest, None
        if self.index_later if later is None else later:
            self.index_due = True  # index_pending finds out whether it is current
            cache.mark_search(None)  # meanwhile the index is behind the pages
            return manifest, None
        try:
            return update_index(self.config, cache, manifest, outputs, keys, lock=self.lock,
                                stop=stop, workers=self.workers, written=written)
        except search.Interrupted:
            self.index_due = True  # the pages are newer than the index: it is still to do
            return manifest, None

    def index_pending(self, stop: Callable[[], bool] | None = None
                      ) -> search.SearchIndex | None:
        """Make the search index that a build with `index_later` left to do, if any; when
        `stop()` turns true meanwhile (newer changes to build first), Pagefind is stopped and
        the index stays due."""
        if not self.index_due or self.last is None:
            return None
        self.index_due, last = False, self.last
        with BuildCache(self.cache_path, _parse_key(self.config)) as cache:
            listed, index = self._index(cache, last.record.manifest, last.outputs, later=False,
                                        stop=stop, keys=self.search_keys)
            if listed is not None:
                last.record = replace(last.record, manifest=tuple(listed))
                cache.record_last_build(last.record)
            cache.commit()
        return index

    def _load(self, cache: BuildCache, inputs: Inputs) -> Content:
        known = self.records if self.parsed else cache.source_records()

        def fetch(keys: Iterable[str]) -> dict[str, Parsed]:
            keys = list(keys)
            found = {k: self.parsed[k] for k in keys if k in self.parsed}
            missing = [k for k in keys if k not in found]
            found.update({k: v for k, v in cache.parsed(missing).items()
                          if isinstance(v, Parsed)})
            return found

        trustworthy = trusted_before(self.scanned_at if self.parsed else cache.scanned_at)
        content = load_content(self.config, inputs, known, fetch,
                               lambda record: trustworthy(record.mtime_ns), self.workers,
                               self.progress, cache.store_sources)  # as they come: at
        self.scanned_at = inputs.scanned_at  # 100,000 articles they weigh hundreds of MB
        cache.mark_scanned(inputs.scanned_at)
        cache.store_sources((key, content.records[key], None) for key in content.restat)
        cache.forget_sources(set(known) - set(content.parsed))
        cache.commit()
        self.parsed, self.records = content.parsed, content.records
        return content


def _keep(job: Job, reads: int, whole: dict[tuple[str, ...], bool]) -> KeptPage:
    """What the cache keeps of a page its template may (`whole`) or was seen to walk whole
    lists in."""
    return keep_page(job, walks_whole(job, reads, whole))


def _reads(outputs: dict[str, OutputRecord], job: Job) -> int:
    """What rendering the page read in the build that made `outputs`."""
    return last_reads(outputs.get(job.route.output_path))


def _after_render(jobs: list[Job], todo: list[int], rendered: RenderedAll,
                  previous: dict[str, OutputRecord], prints: list[str],
                  fingerprints: Fingerprinter) -> list[int]:
    """Every page's reads, this build's where it was rendered; `prints` are made whole (the
    workers' when the parent had none) and follow reads that changed."""
    reads = [_reads(previous, job) for job in jobs]
    if not prints:
        prints[:] = [""] * len(jobs)
    for position, index in enumerate(todo):
        flags = rendered.reads[position]
        if rendered.prints[position]:
            prints[index] = rendered.prints[position]
        elif flags != reads[index]:
            prints[index] = fingerprints.job(jobs[index], flags)
        reads[index] = flags
    return reads


def _keep_pages(cache: BuildCache, site: Site, jobs: list[Job],
                whole: dict[tuple[str, ...], bool], reads: list[int]) -> None:
    """After the rendered pages were kept (as their workers pickled them), keep every other
    page not kept yet and nothing of pages gone: the kept pages are the site's."""
    paths = {job.route.output_path for job in jobs}
    kept = cache.kept_paths()
    cache.store_pages(_keep(job, flags, whole) for job, flags in zip(jobs, reads, strict=True)
                      if job.route.output_path not in kept)
    cache.forget_pages(kept - paths, {str(article.source_path) for article in site.articles})
    cache.store_shared(shared_objects(site, jobs))


def _lists_show_bodies(jobs: list[Job], fingerprints: Fingerprinter) -> bool:
    """Whether a page other than an article's own shows article bodies or word counts."""
    lists = {job.templates for job in jobs if job.kind not in ("article", "page")}
    return any(fingerprints.template(templates)[1] for templates in lists)


def _parse_key(config: SiteConfig) -> str:
    """What parsing depends on: a change here invalidates every cached parse."""
    return ParseSettings.of(config).digest()
