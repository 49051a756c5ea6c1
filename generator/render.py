"""Render one planned page to bytes; template errors become Problems naming file and line."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from generator.errors import Problem
from generator.pages import Job, SiteInfo
from generator.theme import Theme


def render(job: Job, theme: Theme, site: SiteInfo) -> bytes:
    """The page's HTML, encoded as UTF-8."""
    template = theme.env.select_template(job.templates)
    context = {"site": site, "url": job.route.url, **job.context}
    return template.render(context).encode("utf-8")


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
