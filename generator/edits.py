"""The edit paths: after edits that leave the site's shape as it was (an article's body, title,
summary; not where it goes or in which lists, see `site.reassemble`), re-render only the pages
that show the edited articles and whose fingerprint changed.

`edit_from_cache` (`folio build`) takes the pages from those the cache keeps
(generator/pagestore.py) without loading the site; `edit_in_memory` (`folio serve`) from the
Builder's `Memory` of its last build. Each returns its BuildReport, or why the whole pipeline
must run instead (then nothing was written).
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.cache import (
    BuildCache,
    OutputRecord,
    SourceRecord,
    last_reads,
    output_intact,
    record_output,
)
from generator.config import SiteConfig
from generator.content import Parsed, SourceFile, digest, read_source
from generator.fingerprint import Fingerprinter
from generator.model import Article, Site
from generator.pages import Job, SiteInfo
from generator.pagestore import load_page, pickled_head, substitute, walks_whole
from generator.rebuild import BuildReport, Changes, LastBuild
from generator.render import Rendered, render
from generator.search import SearchIndex
from generator.searchindex import Unplanned
from generator.site import reassemble
from generator.theme import Theme, load_theme
from generator.writer import MARKER, OutputWriter, WriteReport

MOVED = ("the edit moves the article or changes its terms, attribution names or warnings, "
         "so other pages change too")
# index(cache, manifest, outputs, keys=…, written=…) -> (manifest, what indexing did)
Index = Callable[..., tuple[Sequence[str] | None, SearchIndex | None]]


@dataclass(slots=True)
class Memory:
    """What `folio serve`'s Builder keeps of its last good build."""

    record: LastBuild
    site: Site
    info: SiteInfo
    theme: Theme
    fingerprints: Fingerprinter
    jobs: list[Job]
    prints: list[str]
    outputs: dict[str, OutputRecord]
    article_jobs: dict[str, int]  # source path -> index of the article's own page
    whole: dict[tuple[str, ...], bool]  # templates -> walks whole term or year lists
    showing: dict[str, list[int]] | None = None  # source path -> pages showing the article


@dataclass(frozen=True, slots=True)
class Setting:
    """What both edit paths work with."""

    config: SiteConfig
    cache: BuildCache
    lock: contextlib.AbstractContextManager[object]
    index: Index
    started: float


def output_is_there(output_dir: Path) -> bool:
    """The output folder is (still) one a build wrote: an edit adds to it, never makes it."""
    return os.path.isfile(os.path.join(output_dir, MARKER))


def edit_from_cache(setting: Setting, last: LastBuild, changes: Changes,
                    templates_cache: Path | None) -> BuildReport | str:
    """`folio build` after a few articles were edited: re-render just the pages that show
    them, from the pages the cache keeps, without loading the site."""
    config, cache = setting.config, setting.cache
    assert last.kept is not None and changes.stats is not None
    edits, touched = _read_edits(config, cache, changes.edited)
    if isinstance(edits, str):
        return edits
    if cache.kept_count() != last.pages:
        return "the cache does not keep every page of the last build"
    pages = _pages_showing(cache, edits)
    if pages is None:
        return "the cache lacks a page or article the edit reaches"
    theme = load_theme(config, bytecode_cache=templates_cache)
    fingerprints = Fingerprinter(theme, last.kept.info, repr(config), last.kept.templates,
                                 last.kept.whole)
    before: dict[str, OutputRecord | None] = {}  # what the cache says of each page
    todo = []
    for job in pages:
        path = job.route.output_path
        before[path] = record = cache.output_record(path)
        reads = last_reads(record)
        fingerprint = fingerprints.job(job, reads)
        if not output_intact(record, fingerprint, os.path.join(config.output_path, path)):
            todo.append((job, fingerprint, reads))
    rendered = render_edits(todo, theme, last.kept.info)
    if isinstance(rendered, str):
        return rendered
    report, records = _write(setting, rendered)  # (says the last build is unfinished first)
    cache.update_outputs(records)
    index, manifest = None, last.manifest
    if config.search and rendered:
        try:
            listed, index = setting.index(cache, manifest, None,
                                          written={path: (before[path], record)
                                                   for path, record in records.items()})
        except Unplanned:  # the cache lost the search state: the long way plans it
            return "the cache lost the search index's state"
        manifest = tuple(listed) if listed is not None else None
    stats = changes.stats
    cache.store_sources((key, SourceRecord(stats[key].st_size, stats[key].st_mtime_ns,
                                           parsed.digest), parsed)
                        for key, (parsed, _) in edits.items())
    cache.store_sources((key, SourceRecord(stats[key].st_size, stats[key].st_mtime_ns, same),
                         None) for key, same in touched)
    cache.store_heads((key, pickled_head(article)) for key, (_, article) in edits.items())
    cache.mark_scanned(changes.scanned_at)
    if manifest != last.manifest or changes.folders:  # (at 10,000 pages, a 1 MB value)
        cache.record_last_build(replace(last, manifest=manifest,
                                        folders=changes.folders or last.folders))
    else:
        cache.mark_unfinished(False)
    cache.commit()
    return BuildReport(last.articles, last.pages, report.written,
                       last.pages - report.written, 0, time.perf_counter() - setting.started,
                       last.warnings, parsed=len(edits), rendered=len(rendered), index=index,
                       path="edit-from-cache", reason=f"{len(edits)} article(s) edited in place"
                       + (f", {len(touched)} saved unchanged" if touched else ""),
                       changed=report.paths)


def _read_edits(config: SiteConfig, cache: BuildCache, edited: tuple[str, ...]
                ) -> tuple[dict[str, tuple[Parsed, Article]] | str, list[tuple[str, str]]]:
    """The edited articles, parsed and assembled ((key, digest) of files saved unchanged
    beside them); else why not."""
    old = cache.parsed(edited)
    heads = cache.heads(edited)
    edits: dict[str, tuple[Parsed, Article]] = {}
    touched = []
    for key in edited:
        before, kept = old.get(key), heads.get(key)
        if not isinstance(before, Parsed) or not isinstance(before.item, Article) or \
                not isinstance(kept, Article):
            return f"{key} is not an article the cache knows", []
        try:
            data = Path(key).read_bytes()
        except OSError:
            return f"{key} cannot be read", []
        if digest(data) == before.digest:
            touched.append((key, before.digest))  # touched, not changed
            continue
        parsed = read_source(SourceFile(Path(key), "article"), config, before)
        article = reassemble(config, before, parsed, kept)
        if article is None:
            return f"{key}: {MOVED}", []
        edits[key] = (parsed, article)
    return edits, touched


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


def edit_in_memory(setting: Setting, memory: Memory, edited: tuple[str, ...],
                   parsed: dict[str, Parsed], records: dict[str, SourceRecord],
                   search_keys: dict[str, str] | None) -> BuildReport | str:
    """`folio serve` after a few articles were edited: re-render only the pages of its last
    build that show them. `parsed` and `records`: the Builder's parses and stats of the
    content files, brought up to date."""
    config, cache = setting.config, setting.cache
    edits: dict[str, tuple[Parsed, SourceRecord, Article]] = {}
    for key in edited:
        if key not in memory.article_jobs:
            return f"{key} is not a published article"
        try:
            stat = Path(key).stat()
        except OSError:
            return f"{key} cannot be read"
        old = parsed.get(key)
        fresh = read_source(SourceFile(Path(key), "article"), config, old)
        was = memory.jobs[memory.article_jobs[key]].context["article"]
        article = reassemble(config, old, fresh, was) if old is not None else None
        if article is None:
            return f"{key}: {MOVED}"
        edits[key] = (fresh, SourceRecord(stat.st_size, stat.st_mtime_ns, fresh.digest), article)
    showing = _showing(memory, cache)
    if showing is None:
        return "the cache lacks a page the edit reaches"
    new = {key: article for key, (_, _, article) in edits.items()}
    jobs, todo = _jobs_in_memory(memory, {i for key in edits for i in showing.get(key, ())},
                                 new)
    rendered = render_edits(todo, memory.theme, memory.info)
    if isinstance(rendered, str):
        return rendered
    report, outputs = _write(setting, rendered)
    index_of = {job.route.output_path: index for index, job in jobs.items()}
    for job, fingerprint, _ in rendered:
        memory.prints[index_of[job.route.output_path]] = fingerprint
    for index, job in jobs.items():
        memory.jobs[index] = job
    memory.outputs.update(outputs)
    manifest, search_index = setting.index(cache, memory.record.manifest, memory.outputs,
                                           keys=search_keys)
    listed = tuple(manifest) if manifest is not None else memory.record.manifest
    if listed != memory.record.manifest:
        memory.record = replace(memory.record, manifest=listed)
        cache.record_last_build(memory.record)  # (finished)
    else:
        cache.mark_unfinished(False)
    for key, (fresh, record, _) in edits.items():
        parsed[key], records[key] = fresh, record
    cache.store_sources((key, record, fresh) for key, (fresh, record, _) in edits.items())
    cache.store_heads((key, pickled_head(article)) for key, article in new.items())
    cache.update_outputs(outputs)
    cache.commit()
    return BuildReport(
        articles=len(memory.site.articles), pages=len(memory.jobs), written=report.written,
        unchanged=len(memory.jobs) - report.written, removed=0,
        seconds=time.perf_counter() - setting.started, warnings=memory.site.warnings,
        parsed=len(edits), rendered=len(rendered), index=search_index,
        path="edit-in-memory", reason=f"{len(edits)} article(s) edited in place",
        changed=report.paths)


def _jobs_in_memory(memory: Memory, indices: set[int], new: dict[str, Article]
                    ) -> tuple[dict[int, Job], list[tuple[Job, str, int]]]:
    """The remembered pages at `indices` with the edited articles in them, and those whose
    fingerprint changed (with it and their last reads)."""
    jobs: dict[int, Job] = {}
    todo = []
    for index in sorted(indices):
        was = memory.jobs[index]
        reads = last_reads(memory.outputs.get(was.route.output_path))
        job = substitute(was, walks_whole(was, reads, memory.whole), new)
        jobs[index] = job
        fingerprint = memory.fingerprints.job(job, reads)
        if fingerprint != memory.prints[index]:
            todo.append((job, fingerprint, reads))
    return jobs, todo


def _showing(memory: Memory, cache: BuildCache) -> dict[str, list[int]] | None:
    """Source path -> indices of the last build's pages that show the article, from the
    pages the cache keeps (None when it does not keep them all)."""
    if memory.showing is None:
        index = {job.route.output_path: i for i, job in enumerate(memory.jobs)}
        if cache.kept_count() != len(index):
            return None
        showing: dict[str, list[int]] = {}
        for path, refs in cache.kept_refs():
            if path not in index:
                return None
            for ref in refs:
                showing.setdefault(ref, []).append(index[path])
        memory.showing = showing
    return memory.showing


def _write(setting: Setting, rendered: list[tuple[Job, str, Rendered]]
           ) -> tuple[WriteReport, dict[str, OutputRecord]]:
    """Put the re-rendered pages in place: what was written, and the pages' records."""
    output = setting.config.output_path
    # a build stopped from here on (killed, a full disk, a search index that fails) leaves
    # pages the cache does not know: the next build must not start from the cache's record
    setting.cache.mark_unfinished()
    setting.cache.commit()
    with OutputWriter(output) as writer:
        for job, _, page in rendered:
            writer.put(job.route.output_path, page.data)
        with setting.lock:
            report = writer.commit(remove_stale=False)
    records = {job.route.output_path: record_output(
        os.path.join(output, job.route.output_path), fingerprint, page.reads)
        for job, fingerprint, page in rendered}
    return report, records


def render_edits(todo: list[tuple[Job, str, int]], theme: Theme, info: SiteInfo
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
