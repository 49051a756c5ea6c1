"""`folio build`: the whole pipeline, read top to bottom in `Builder._full`:

    inputs   = scan_inputs(config)          stats of everything the site is made from
    (stop early when nothing changed since the last good build)
    content  = load_content(...)            parses only the files that changed
    site     = assemble_parsed(content)     the frozen site; every problem at once
    jobs     = plan(site)                   every page: template, route, context
    todo     = jobs whose fingerprint changed, or whose output is missing
    render_all(todo) into a staging folder, then commit: all or nothing

An edit that leaves the site's shape as it was (an article's body, title, summary: not where
it goes or in which lists) re-renders only the pages that show the article: `folio build`
from the pages the cache keeps (`Builder._edit_from_cache`, generator/pagestore.py), `folio
serve` from the Builder's memory of its last build (`Builder._edit_in_memory`). After any
other edit `folio serve` re-assembles only the articles that changed (`AssemblyMemo`) and
keeps the unchanged articles' digests when it fingerprints the pages again.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from generator import parallel, search
from generator.cache import (
    CACHE_DIR,
    RACY_NS,
    BuildCache,
    CacheUnwritable,
    OutputRecord,
    SourceRecord,
    is_damage,
    is_unwritable,
    output_intact,
    record_output,
    set_aside,
)
from generator.config import SiteConfig
from generator.content import (
    Parsed,
    ParseSettings,
    SourceFile,
    digest,
    quick_stats,
    read_source,
)
from generator.errors import Problem
from generator.fingerprint import FOREIGN_BODIES, Fingerprinter
from generator.loading import (
    Content,
    Inputs,
    assemble_parsed,
    content_stats,
    inputs_digest,
    load_content,
    rest_digest,
    scan_inputs,
)
from generator.model import Article, Site
from generator.pages import Job, SiteInfo, check_collisions, plan, site_info
from generator.pagestore import (
    KeptPage,
    keep_page,
    load_page,
    pickled_head,
    shared_objects,
    substitute,
)
from generator.render import Rendered, RenderedAll, render, render_all
from generator.searchindex import Unplanned, Written, index_is_current, search_keys, update_index
from generator.site import AssemblyMemo, reassemble
from generator.theme import Theme, load_theme
from generator.tracking import BODIES, LISTS
from generator.writer import MARKER, OutputWriter, check_output_dir

Progress = Callable[[str, int, int], None]
MOVED = ("the edit moves the article or changes its terms, attribution names or warnings, "
         "so other pages change too")


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
    index: search.SearchIndex | None = None  # the search index, when it was made anew
    path: str = "full"  # which way the build went: one of PATHS
    reason: str = ""  # why it went that way


PATHS = {
    "unchanged": "nothing changed since the last build",
    "edit-from-cache": "re-rendered the pages showing the edited articles, from the cache",
    "edit-in-memory": "re-rendered the pages showing the edited articles, from memory",
    "full": "the whole pipeline (parsing and rendering only what changed)",
}


@dataclass(slots=True)
class _Last:
    """What this Builder's previous good build produced."""

    inputs: str | None
    site: Site
    info: SiteInfo
    theme: Theme
    fingerprints: Fingerprinter
    jobs: list[Job]
    prints: list[str]
    outputs: dict[str, OutputRecord]
    manifest: list[str]  # every file in the output, pages and static alike
    article_jobs: dict[str, int]  # source path -> index of the article's own page
    kept: bool  # the cache keeps every page (the shortcuts for edits can be taken)
    whole: dict[tuple[str, ...], bool]  # templates -> walks whole term or year lists
    showing: dict[str, list[int]] | None = None  # source path -> pages showing the article


def build(config: SiteConfig, progress: Progress | None = None, *,
          workers: int | None = None, use_cache: bool = True) -> BuildReport:
    """Build the site into its output folder; on any error the output is left as it was."""
    return Builder(config, workers=workers, use_cache=use_cache, progress=progress).build()


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
        self.last: _Last | None = None
        self.assembly = AssemblyMemo()  # what the last assembly made of each parsed article
        self.sources: dict[str, SourceFile] = {}  # the content files the last scan found
        self.scanned_at = 0  # when the stats in self.records were taken
        self.search_keys: dict[str, str] | None = None  # the last full build's searchable pages

    def build(self, changed: Collection[Path] | None = None, *,
              remember: bool = False) -> BuildReport:
        """Bring the output up to date. `changed` (paths the caller saw change) allows the
        body-only shortcut; `remember` loads the whole site even when nothing changed."""
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
            why = "folio serve's first build loads the whole site" if remember else \
                "the changes are not edits of known articles" if self.last is not None else \
                "no build cache to start from"
            if changed and self.last is not None:
                shortcut = self._edit_in_memory(changed, cache, started)
                if isinstance(shortcut, BuildReport):
                    return shortcut
                why = shortcut
            if self.last is None and not remember and self.cache_path is not None:
                shortcut = self._edit_from_cache(cache, started)
                if isinstance(shortcut, BuildReport):
                    return shortcut
                why = shortcut
            try:
                report = self._full(cache, started, remember)
                return replace(report, reason=report.reason or why)
            except BaseException:
                self.last = None  # the next build starts from what is on disk
                raise

    def _templates_cache(self) -> Path | None:
        return self.cache_path.parent / "templates" if self.cache_path is not None else None

    # -- the whole pipeline ------------------------------------------------------------------
    def _full(self, cache: BuildCache, started: float, remember: bool) -> BuildReport:
        config = self.config
        inputs = scan_inputs(config, self.sources)
        output_dir = str(config.output_path.resolve())
        manifest: list[str] | None = None  # every file the last build left in the output
        if self.last is not None:
            previous, manifest = self.last.outputs, self.last.manifest
        elif cache.get("output_dir") == output_dir:
            previous = cache.output_records()
            stored = cache.get("manifest")
            manifest = stored if isinstance(stored, list) else None
        else:
            previous = {}
        if not remember and self._nothing_changed(cache, inputs, previous, manifest):
            summary = cache.get("summary")
            if self.last is not None:
                summary = (len(self.last.site.articles), len(self.last.jobs),
                           self.last.site.warnings)
            if isinstance(summary, tuple):
                articles, pages, warnings = summary
                return BuildReport(articles, pages, 0, pages, 0,
                                   time.perf_counter() - started, warnings, path="unchanged",
                                   reason="no input changed since the last build")
        # until this build succeeds, the cache vouches neither for the output nor for the
        # kept pages (_load commits the sources it parsed)
        cache.put("shortcut", None)
        cache.put("inputs", None)
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
        out = str(config.output_path)
        if previous:  # what changed decides what is rendered
            prints = [fingerprints.job(job, _reads(previous, job)) for job in jobs]
            todo = [i for i, job in enumerate(jobs)
                    if not output_intact(previous.get(job.route.output_path), prints[i],
                                   os.path.join(out, job.route.output_path))]
        else:  # everything is rendered: the workers fingerprint as they go
            prints, todo = [], list(range(len(jobs)))
        todo_set = set(todo)
        lists_show_bodies = _lists_show_bodies(jobs, fingerprints)
        shortcut = not lists_show_bodies and not any(
            fingerprints.mentions(job.templates, FOREIGN_BODIES) for job in jobs[:1]
            if job.kind == "article")
        templates = {job.templates for job in jobs}
        shapes = {(job.templates, job.kind == "article") for job in jobs}
        whole = {t: fingerprints.whole_lists(t) for t in templates}
        # recorded before anything is rendered (nothing the rendering keeps in the cache is
        # committed before the output is): a build killed while moving files in leaves none
        # the next build does not know of, and the index marked as behind the pages
        if manifest is not None:
            cache.put("manifest", sorted({*manifest, *static,
                                          *(job.route.output_path for job in jobs)}))
        if config.search:
            cache.put("search", None)
        cache.commit()
        with OutputWriter(config.output_path, config.base_url) as writer:
            for index, job in enumerate(jobs):
                if index not in todo_set:
                    writer.keep(job.route.output_path)
            rendered = render_all([jobs[i] for i in todo], theme, info, writer, self.workers,
                                  self.progress, None if prints else fingerprints.job,
                                  functools.partial(_keep, whole=whole) if shortcut
                                  else None, cache.store_pages)  # type: ignore[arg-type]
            reads = _after_render(jobs, todo, rendered, previous, prints, fingerprints)
            for output_path, source in static.items():
                writer.copy(output_path, source)
            if config.search:  # the index stays until it is made again after the commit
                writer.adopt(search.bundle_files(config.output_path, manifest))
            with self.lock:
                written = writer.commit(previous=manifest)
            manifest = sorted(writer.kept)
        outputs = {}
        for index, job in enumerate(jobs):
            path = job.route.output_path
            outputs[path] = record_output(os.path.join(out, path), prints[index],
                                          reads[index]) if index in todo_set else previous[path]
        # a page seen reading other articles' bodies needs them: the kept pages hold heads
        shortcut = shortcut and not any(flags & BODIES for flags in reads)
        cache.replace_outputs(outputs)
        cache.put("shortcut", {"config": repr(config), "rest": inputs.rest, "info": info,
                               "templates": {(t, own): fingerprints.template(t, own=own)
                                             for t, own in shapes},
                               "whole": whole}
                  if shortcut else None)
        if shortcut:
            _keep_pages(cache, site, jobs, whole, reads)
        else:
            cache.forget_all_pages()
        cache.put("manifest", manifest)
        cache.put("output_dir", output_dir)
        cache.put("inputs", inputs.digest)
        cache.put("folders", inputs.folders)
        cache.put("summary", (len(site.articles), len(jobs), site.warnings))
        cache.commit()
        self.last = _Last(inputs.digest, site, info, theme, fingerprints, jobs, prints, outputs,
                          manifest,
                          {str(job.context["article"].source_path): i
                           for i, job in enumerate(jobs) if job.kind == "article"},
                          shortcut, whole)
        self.search_keys = search_keys(jobs)
        report = BuildReport(
            articles=len(site.articles), pages=len(jobs), written=written.written,
            unchanged=written.unchanged, removed=written.removed, seconds=0.0,
            warnings=site.warnings, parsed=len(content.fresh), rendered=len(todo))
        if config.search and not self.index_later and not remember:
            # `folio build`: nothing needs the site any more, and at 100,000 articles it
            # weighs gigabytes beside Pagefind's
            del site, jobs, content, fingerprints, prints, info, theme
            self._forget()
        manifest, search_index = self._index(cache, manifest, outputs, keys=self.search_keys)
        if self.last is not None and manifest is not None:
            self.last.manifest = manifest
        cache.put("manifest", manifest)
        cache.commit()
        return replace(report, seconds=time.perf_counter() - started, index=search_index)

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

    def _index(self, cache: BuildCache, manifest: list[str] | None,
               outputs: dict[str, OutputRecord] | None, *, later: bool | None = None,
               stop: Callable[[], bool] | None = None, keys: dict[str, str] | None = None,
               written: Written | None = None
               ) -> tuple[list[str] | None, search.SearchIndex | None]:
        """Index the pages for search again where they changed (generator/searchindex.py),
        unless that is left for later (or `stop()` interrupts it): the output's new
        manifest (None if unknown), and what indexing did (None when it did not run).
        `keys` sorts the searchable pages (None: those indexed last time); after an edit,
        `outputs` may be None and `written` the records it changed (before, now)."""
        if not self.config.search:
            return manifest, None
        if self.index_later if later is None else later:
            self.index_due = True  # index_pending finds out whether it is current
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
            manifest, index = self._index(cache, last.manifest, last.outputs, later=False,
                                          stop=stop, keys=self.search_keys)
            if manifest is not None:
                last.manifest = manifest
                cache.put("manifest", manifest)
            cache.commit()
        return index

    def _nothing_changed(self, cache: BuildCache, inputs: Inputs,
                         previous: dict[str, OutputRecord], manifest: list[str] | None) -> bool:
        last_inputs = self.last.inputs if self.last is not None else cache.get("inputs")
        if not previous or last_inputs != inputs.digest:
            return False
        scanned_at = self.scanned_at if self.last is not None else cache.scanned_at
        if inputs.newest_ns >= scanned_at - RACY_NS:
            return False  # an input changed around the last scan: its stat proves nothing
        out = str(self.config.output_path)
        if self.config.search and not index_is_current(self.config, cache, previous, manifest):
            return False
        return all(output_intact(record, record.fingerprint, os.path.join(out, path))
                   for path, record in previous.items())

    def _load(self, cache: BuildCache, inputs: Inputs) -> Content:
        known = self.records if self.parsed else cache.source_records()

        def fetch(keys: Iterable[str]) -> dict[str, Parsed]:
            keys = list(keys)
            found = {k: self.parsed[k] for k in keys if k in self.parsed}
            missing = [k for k in keys if k not in found]
            found.update({k: v for k, v in cache.parsed(missing).items()
                          if isinstance(v, Parsed)})
            return found

        if self.parsed:
            scanned_at = self.scanned_at

            def trust(record: SourceRecord) -> bool:
                return record.mtime_ns < scanned_at - RACY_NS
        else:
            trust = cache.stat_is_trustworthy
        content = load_content(self.config, inputs, known, fetch, trust, self.workers,
                               self.progress, cache.store_sources)  # as they come: at
        self.scanned_at = inputs.scanned_at  # 100,000 articles they weigh hundreds of MB
        cache.mark_scanned(inputs.scanned_at)
        cache.store_sources((key, content.records[key], None) for key in content.restat)
        cache.forget_sources(set(known) - set(content.parsed))
        cache.commit()
        self.parsed, self.records = content.parsed, content.records
        return content

    # -- the shortcuts for edits that leave the site's shape as it was ------------------------
    def _edit_from_cache(self, cache: BuildCache, started: float) -> BuildReport | str:
        """`folio build` after editing a few articles without changing where they go (date,
        slug, terms, draft and attribution's names as they were): re-render just the pages
        that show them, from the pages the cache keeps (generator/pagestore.py), without
        loading the site. Else why not: another input changed, or the cache cannot vouch for
        the last build."""
        stored = cache.get("shortcut")
        if not isinstance(stored, dict):
            return "the cache keeps no pages of a last good build"
        if stored.get("config") != repr(self.config):
            return "the configuration changed"
        if not _output_is_there(self.config.output_path):
            return "the output folder is not the last build's"
        rest = rest_digest(self.config)
        if rest != stored.get("rest"):
            return "a template, theme or static file changed"
        if self.config.search and cache.get("search") is None:
            return "the last build's search index is still to be made"
        known = cache.source_stats()
        scanned_at = time.time_ns()
        stats = quick_stats(known, cache.get("folders"), cache.mtime_is_trustworthy)
        folders: dict[str, int] = {}
        if stats is None:  # a folder changed: look for added and removed files
            stats = content_stats(self.config, folders)
        if known.keys() != stats.keys():
            return "content files were added or removed"
        changed = [key for key, stat in stats.items()
                   if known[key] != (stat.st_size, stat.st_mtime_ns)
                   or not cache.mtime_is_trustworthy(known[key][1])]
        if not changed or len(changed) > 20:
            return "no content file changed" if not changed else \
                f"{len(changed)} content files changed (the shortcut takes up to 20)"
        old = cache.parsed(changed)
        heads = cache.heads(changed)
        edits: dict[str, tuple[Parsed, Article]] = {}
        touched = []
        for key in changed:
            before, kept = old.get(key), heads.get(key)
            if not isinstance(before, Parsed) or not isinstance(before.item, Article) or \
                    not isinstance(kept, Article):
                return f"{key} is not an article the cache knows"
            try:
                data = Path(key).read_bytes()
            except OSError:
                return f"{key} cannot be read"
            if digest(data) == before.digest:
                touched.append((key, before.digest))  # touched, not changed
                continue
            parsed = read_source(SourceFile(Path(key), "article"), self.config, before)
            article = reassemble(self.config, before, parsed, kept)
            if article is None:
                return f"{key}: {MOVED}"
            edits[key] = (parsed, article)
        summary = cache.get("summary")
        if not isinstance(summary, tuple) or cache.kept_count() != summary[1]:
            return "the cache does not keep every page of the last build"
        pages = self._pages_showing(cache, edits)
        if pages is None:
            return "the cache lacks a page or article the edit reaches"
        theme = load_theme(self.config, bytecode_cache=self._templates_cache())
        fingerprints = Fingerprinter(theme, stored["info"], repr(self.config),
                                     stored.get("templates"), stored.get("whole"))
        out = str(self.config.output_path)
        todo = []
        before: dict[str, OutputRecord | None] = {}  # what the cache says of each page
        for job in pages:
            path = job.route.output_path
            before[path] = record = cache.output_record(path)
            fingerprint = fingerprints.job(job, record.reads if record is not None else 0)
            if not output_intact(record, fingerprint, os.path.join(out, path)):
                todo.append((job, fingerprint, record.reads if record is not None else 0))
        rendered = _render_or_none(todo, theme, stored["info"])
        if isinstance(rendered, str):
            return rendered
        with OutputWriter(self.config.output_path) as writer:
            for job, _, page in rendered:
                writer.put(job.route.output_path, page.data)
            with self.lock:
                written = writer.commit(remove_stale=False)
        records = {job.route.output_path: record_output(
            os.path.join(out, job.route.output_path), fingerprint, page.reads)
            for job, fingerprint, page in rendered}
        cache.update_outputs(records)
        index = None
        if self.config.search and rendered:
            stored_manifest = cache.get("manifest")
            manifest = stored_manifest if isinstance(stored_manifest, list) else None
            try:
                manifest, index = self._index(cache, manifest, None, written={
                    path: (before[path], record) for path, record in records.items()})
            except Unplanned:  # the cache lost the search state: the long way plans it
                return "the cache lost the search index's state"
            cache.put("manifest", manifest)
        cache.store_sources((key, SourceRecord(stats[key].st_size, stats[key].st_mtime_ns,
                                               parsed.digest), parsed)
                            for key, (parsed, _) in edits.items())
        cache.store_sources((key, SourceRecord(stats[key].st_size, stats[key].st_mtime_ns,
                                               same), None)
                            for key, same in touched)
        cache.store_heads((key, pickled_head(article)) for key, (_, article) in edits.items())
        cache.mark_scanned(scanned_at)
        cache.put("inputs", inputs_digest(rest, stats))  # a next build with no edit stops early
        if folders:
            cache.put("folders", folders)
        cache.commit()
        articles, count, warnings = summary
        return BuildReport(articles, count, written.written, count - written.written, 0,
                           time.perf_counter() - started, warnings, parsed=len(edits),
                           rendered=len(rendered), index=index, path="edit-from-cache",
                           reason=f"{len(edits)} article(s) edited in place" + (
                               f", {len(touched)} saved unchanged" if touched else ""))

    @staticmethod
    def _pages_showing(cache: BuildCache, edits: dict[str, tuple[Parsed, Article]]
                       ) -> list[Job] | None:
        """The kept pages that show the edited articles, with the edits in them (and each
        article page's own article whole again); None when something they need is not kept."""
        kept = cache.pages_showing(edits)
        refs = {ref for _, _, page_refs, _ in kept for ref in page_refs} - edits.keys()
        articles: dict[str, object] = {**cache.heads(refs),
                                       **{key: article for key, (_, article) in edits.items()}}
        owners = {own for _, own, _, _ in kept if own is not None} - edits.keys()
        bodies: dict[str, object] = {**cache.parsed(owners),
                                     **{key: parsed for key, (parsed, _) in edits.items()}}
        shared = functools.cache(cache.shared)
        jobs = []
        for _, own, _, blob in kept:
            try:
                job = load_page(blob, articles, shared)  # type: ignore[arg-type]
            except Exception:  # anything missing or unreadable: the long way
                return None
            if own is not None:
                parsed = bodies.get(own)
                if not isinstance(parsed, Parsed) or not isinstance(parsed.item, Article):
                    return None
                article = replace(job.context["article"], body_html=parsed.item.body_html,
                                  word_count=parsed.item.word_count, digest=parsed.item.digest)
                job = replace(job, context={**job.context, "article": article})
            jobs.append(job)
        return jobs

    def _edit_in_memory(self, changed: Collection[Path], cache: BuildCache,
                        started: float) -> BuildReport | str:
        """`folio serve` after saves that leave the site's shape as it was (see
        `site.reassemble`): re-render only the pages that show the edited articles and whose
        fingerprint changed. Else why the change needs the whole pipeline."""
        last = self.last
        assert last is not None
        keys = {str(path) for path in changed}
        # a save also reports the article's folder as modified: that folder is not a change
        parents = {str(Path(key).parent) for key in keys if key in last.article_jobs}
        keys = {key for key in keys if not (key in parents and Path(key).is_dir())}
        if not keys or not keys <= last.article_jobs.keys():
            return "the changes are not edits of published articles"
        if not last.kept or not _output_is_there(self.config.output_path):
            return "the last build kept no pages, or its output folder is gone"
        edits: dict[str, tuple[Parsed, SourceRecord, Article]] = {}
        for key in keys:
            try:
                stat = Path(key).stat()
            except OSError:
                return f"{key} cannot be read"
            old = self.parsed.get(key)
            parsed = read_source(SourceFile(Path(key), "article"), self.config, old)
            was = last.jobs[last.article_jobs[key]].context["article"]
            article = reassemble(self.config, old, parsed, was) if old is not None else None
            if article is None:
                return f"{key}: {MOVED}"
            edits[key] = (parsed, SourceRecord(stat.st_size, stat.st_mtime_ns, parsed.digest),
                          article)
        showing = self._showing(cache)
        if showing is None:
            return "the cache lacks a page the edit reaches"
        new = {key: article for key, (_, _, article) in edits.items()}
        jobs: dict[int, Job] = {}
        todo: list[tuple[Job, str]] = []
        for index in sorted({i for key in edits for i in showing.get(key, ())}):
            was = last.jobs[index]
            reads = _reads(last.outputs, was)
            job = substitute(was, last.whole.get(was.templates, True) or bool(reads & LISTS),
                             new)
            jobs[index] = job
            fingerprint = last.fingerprints.job(job, reads)
            if fingerprint != last.prints[index]:
                todo.append((job, fingerprint, reads))
        rendered = _render_or_none(todo, last.theme, last.info)
        if isinstance(rendered, str):
            return rendered
        with OutputWriter(self.config.output_path) as writer:
            for job, _, page in rendered:
                writer.put(job.route.output_path, page.data)
            with self.lock:
                written = writer.commit(remove_stale=False)
        index_of = {job.route.output_path: index for index, job in jobs.items()}
        outputs = {}
        for job, fingerprint, page in rendered:
            path = job.route.output_path
            outputs[path] = record_output(os.path.join(self.config.output_path, path),
                                          fingerprint, page.reads)
            last.prints[index_of[path]] = fingerprint
        for index, job in jobs.items():
            last.jobs[index] = job
        last.outputs.update(outputs)
        last.inputs = None
        manifest, search_index = self._index(cache, last.manifest, last.outputs,
                                             keys=self.search_keys)
        if manifest is not None:
            last.manifest = manifest
            cache.put("manifest", manifest)
        for key, (parsed, record, _) in edits.items():
            self.parsed[key], self.records[key] = parsed, record
        cache.store_sources((key, record, parsed) for key, (parsed, record, _) in edits.items())
        cache.store_heads((key, pickled_head(article)) for key, article in new.items())
        cache.update_outputs(outputs)
        cache.put("inputs", None)
        cache.commit()
        return BuildReport(
            articles=len(last.site.articles), pages=len(last.jobs), written=written.written,
            unchanged=len(last.jobs) - written.written, removed=0,
            seconds=time.perf_counter() - started, warnings=last.site.warnings,
            parsed=len(edits), rendered=len(rendered), index=search_index,
            path="edit-in-memory", reason=f"{len(edits)} article(s) edited in place",
        )

    def _showing(self, cache: BuildCache) -> dict[str, list[int]] | None:
        """Source path -> indices of the last build's pages that show the article, from the
        pages the cache keeps (None when it does not keep them all)."""
        last = self.last
        assert last is not None
        if last.showing is None:
            index = {job.route.output_path: i for i, job in enumerate(last.jobs)}
            if cache.kept_count() != len(index):
                return None
            showing: dict[str, list[int]] = {}
            for path, refs in cache.kept_refs():
                if path not in index:
                    return None
                for ref in refs:
                    showing.setdefault(ref, []).append(index[path])
            last.showing = showing
        return last.showing


def _keep(job: Job, reads: int, whole: dict[tuple[str, ...], bool]) -> KeptPage:
    """What the cache keeps of a page its template may (`whole`) or was seen to walk whole
    lists in."""
    return keep_page(job, whole.get(job.templates, True) or bool(reads & LISTS))


def _reads(outputs: dict[str, OutputRecord], job: Job) -> int:
    """What rendering the page read last time (nothing known: 0, it is rendered anyway)."""
    record = outputs.get(job.route.output_path)
    return record.reads if record is not None else 0


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


def _render_or_none(todo: list[tuple[Job, str, int]], theme: Theme, info: SiteInfo
                    ) -> list[tuple[Job, str, Rendered]] | str:
    """Render the jobs (with their fingerprints and their last reads). Else why the long way
    must: a template failed (it then reports it as a clean build would, with the template's
    file and line), or a page read more than last time (what it depends on grew)."""
    done = []
    for job, fingerprint, reads in todo:
        try:
            page = render(job, theme, info)
        except Exception:  # a template can raise anything
            return "a template failed on a page the edit reaches (the whole build reports it)"
        if page.reads & ~reads:
            return f"{job.route.output_path} now reads more of other articles than it did"
        done.append((job, fingerprint, page))
    return done


def _output_is_there(output_dir: Path) -> bool:
    """The output folder is (still) one a build wrote: a shortcut adds to it, never makes it."""
    return os.path.isfile(os.path.join(output_dir, MARKER))


def _lists_show_bodies(jobs: list[Job], fingerprints: Fingerprinter) -> bool:
    """Whether a page other than an article's own shows article bodies or word counts."""
    lists = {job.templates for job in jobs if job.kind not in ("article", "page")}
    return any(fingerprints.template(templates)[1] for templates in lists)


def _parse_key(config: SiteConfig) -> str:
    """What parsing depends on: a change here invalidates every cached parse."""
    return ParseSettings.of(config).digest()


