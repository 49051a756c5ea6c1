"""Render one planned page to bytes; template errors become Problems naming file and line."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import parallel
from generator.errors import Problem, ThemeError
from generator.pages import Job, SiteInfo
from generator.theme import Theme
from generator.writer import OutputWriter, stage_bytes

MAX_TEMPLATE_PROBLEMS = 20
PARALLEL_MIN_PAGES = 400
CHUNK = 64


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered page: its bytes, and what its templates were seen to read."""

    data: bytes
    reads: int  # generator.tracking.BODIES | LISTS


def render(job: Job, theme: Theme, site: SiteInfo) -> Rendered:
    """The page's HTML, encoded as UTF-8, and its reads."""
    template = theme.env.select_template(job.templates)
    context = {"site": site, "url": job.route.url, **job.context}
    with theme.env.tracking() as reads:
        html = template.render(context)
    return Rendered(html.encode("utf-8"), reads.flags(job.context.get("article")))


def template_problem(exc: Exception, job: Job) -> Problem:
    """Describe a Jinja failure: the template file and line, and the page it happened on."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = Path(exc.filename) if exc.filename else None
        return Problem(f"template syntax error: {exc.message}", path=path, line=exc.lineno,
                       hint=f"while rendering {job.origin}")
    if isinstance(exc, jinja2.TemplatesNotFound | jinja2.TemplateNotFound):
        return Problem(f"no template found: {', '.join(job.templates)}",
                       hint="add one to the theme or the site's templates/ folder")
    path, line = None, None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".j2", ".jinja")):
            path, line = Path(frame.filename), frame.lineno
            break
    kind = "undefined value" if isinstance(exc, jinja2.UndefinedError) else type(exc).__name__
    return Problem(f"template error ({kind}): {exc}", path=path, line=line,
                   hint=f"while rendering {job.origin}")


@dataclass(frozen=True, slots=True)
class _RenderState:
    jobs: Sequence[Job]
    theme: Theme
    info: SiteInfo
    output_dir: Path
    staging: Path
    fingerprint: Callable[[Job, int], str] | None
    keep: Callable[[Job, int], object] | None


_Done = tuple[int, bool | None, Problem | None, str, int, object]


def _render_chunk(state: _RenderState, indices: Sequence[int]) -> list[_Done]:
    """Render and stage some jobs: (index, staged?, problem, fingerprint, reads, kept) each.
    Runs in a worker; fingerprints are computed here too when the parent has none yet (cold
    builds), and so is what the caller keeps of a job (`keep`), off the parent's critical
    path; both from the job and what rendering it read."""
    done: list[_Done] = []
    for index in indices:
        job = state.jobs[index]
        try:
            rendered = render(job, state.theme, state.info)
        except Exception as exc:  # a template can raise anything; report it with its place
            done.append((index, None, template_problem(exc, job), "", 0, None))
            continue
        reads = rendered.reads
        fingerprint = state.fingerprint(job, reads) if state.fingerprint is not None else ""
        kept = state.keep(job, reads) if state.keep is not None else None
        staged = stage_bytes(state.output_dir, state.staging, job.route.output_path,
                             rendered.data)
        done.append((index, staged, None, fingerprint, reads, kept))
    return done


@dataclass(frozen=True, slots=True)
class RenderedAll:
    """What render_all learnt of each job, in the jobs' order."""

    prints: list[str]  # fingerprints (empty strings when none were asked for)
    reads: list[int]


def render_all(jobs: Sequence[Job], theme: Theme, info: SiteInfo, writer: OutputWriter,
               workers: int = 1, progress: Callable[[str, int, int], None] | None = None,
               fingerprint: Callable[[Job, int], str] | None = None,
               keep: Callable[[Job, int], object] | None = None,
               kept: Callable[[list[object]], None] | None = None) -> RenderedAll:
    """Render jobs into the writer's staging folder, in worker processes when there are
    many; template problems are collected (the first few distinct ones) and raised together.
    Returns the jobs' reads, and their fingerprints when `fingerprint(job, reads)` is given,
    and hands what `keep(job, reads)` gives for each to `kept`, a chunk at a time (nothing
    piles up)."""
    if len(jobs) < PARALLEL_MIN_PAGES:
        workers = 1
    state = _RenderState(jobs, theme, info, writer.output_dir, writer.staging, fingerprint,
                         keep)
    problems: dict[tuple[object, ...], Problem] = {}
    prints = [""] * len(jobs)
    reads = [0] * len(jobs)
    count = 0
    for chunk in parallel.run(_render_chunk, state, parallel.chunks(range(len(jobs)), CHUNK),
                              workers):
        chunk_kept = []
        for index, staged, problem, job_print, job_reads, job_kept in chunk:
            count += 1
            prints[index], reads[index] = job_print, job_reads
            if job_kept is not None:
                chunk_kept.append(job_kept)
            if problem is not None:
                problems.setdefault((problem.path, problem.line, problem.message), problem)
            elif staged is not None:
                writer.record(jobs[index].route.output_path, staged)
        if kept is not None and chunk_kept and not problems:
            kept(chunk_kept)
        if progress is not None:
            progress("rendering", count, len(jobs))
        if len(problems) >= MAX_TEMPLATE_PROBLEMS:
            break
    if problems:
        raise ThemeError(problems.values(), title="The theme failed to render")
    return RenderedAll(prints, reads)
