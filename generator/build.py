"""`folio build`: the whole pipeline, read top to bottom."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from generator.config import SiteConfig
from generator.content import discover, read_source
from generator.errors import ContentError, OutputError, Problem, ThemeError
from generator.model import Article, Page, Site
from generator.pages import Job, plan, site_info
from generator.render import render, template_problem
from generator.site import assemble
from generator.theme import Theme, load_theme
from generator.writer import OutputWriter, check_output_dir

Progress = Callable[[int, int], None]
MAX_TEMPLATE_PROBLEMS = 20


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


def build(config: SiteConfig, progress: Progress | None = None) -> BuildReport:
    """Build the site into its output folder; on any error the output is left as it was."""
    started = time.perf_counter()
    check_output_dir(config.output_path, config.root,
                     [config.content_path, config.static_path, config.root / "templates",
                      config.root / "themes"])
    site = load_site(config)
    theme = load_theme(config)
    jobs = plan(site)
    static = theme.static_files(config)
    check_collisions(jobs, static)
    with OutputWriter(config.output_path) as writer:
        render_all(jobs, theme, site, writer, progress)
        for output_path, source in static.items():
            writer.copy(output_path, source)
        written = writer.commit()
    return BuildReport(
        articles=len(site.articles), pages=len(jobs), written=written.written,
        unchanged=written.unchanged, removed=written.removed,
        seconds=time.perf_counter() - started, warnings=site.warnings,
    )


def load_site(config: SiteConfig) -> Site:
    """Read and validate every content file, then assemble the site (all problems at once)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    articles: list[Article] = []
    pages: list[Page] = []
    for source in discover(config):
        parsed = read_source(source, config)
        problems.extend(parsed.problems)
        warnings.extend(parsed.warnings)
        if isinstance(parsed.item, Article):
            articles.append(parsed.item)
        elif isinstance(parsed.item, Page):
            pages.append(parsed.item)
    if problems:
        raise ContentError(problems, title="The archive cannot be built")
    return assemble(config, articles, pages, warnings)


def check_collisions(jobs: list[Job], static: dict[str, object]) -> None:
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


def render_all(jobs: list[Job], theme: Theme, site: Site, writer: OutputWriter,
               progress: Progress | None) -> None:
    """Render every job into the writer; collect template problems instead of stopping."""
    info = site_info(site)
    problems: dict[tuple[object, ...], Problem] = {}
    for done, job in enumerate(jobs, 1):
        try:
            data = render(job, theme, info)
        except Exception as exc:  # a template can raise anything; report it with its place
            problem = template_problem(exc, job)
            problems.setdefault((problem.path, problem.line, problem.message), problem)
            if len(problems) >= MAX_TEMPLATE_PROBLEMS:
                break
            continue
        writer.put(job.route.output_path, data)
        if progress is not None:
            progress(done, len(jobs))
    if problems:
        raise ThemeError(problems.values(), title="The theme failed to render")
