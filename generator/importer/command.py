"""`folio import PATH... [--site DIR] [--force] [--dry-run] [--json] [--jobs N]`: the
command's edge.

Prints one line per input (or one JSON record per input with --json) and a summary, with
failures and warnings on stderr; the exit status is 1 when any input failed, collided or
was refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from generator.config import load_config, site_folder
from generator.errors import printable

if TYPE_CHECKING:  # the importer loads only when `folio import` runs
    from generator.importer.batch import BatchReport, Outcome


def run(args: argparse.Namespace) -> int:
    site = site_folder(args.site, "folio import FILES --site my-archive")
    from generator.importer.batch import run_batch

    config = load_config(site)
    report = run_batch(args.paths, config, force=args.force, dry_run=args.dry_run,
                       workers=getattr(args, "jobs", None))
    if args.json:
        for outcome in report.outcomes:
            print(json.dumps(record(outcome, report.dry_run), ensure_ascii=False))
        print(summary(report), file=sys.stderr)
    else:
        print_report(report, sys.stdout, sys.stderr)
    return 1 if report.failed else 0


def record(outcome: Outcome, dry_run: bool) -> dict[str, Any]:
    """The machine-readable record of one input."""
    return {
        "input": printable(outcome.input),
        "status": outcome.status,
        "path": outcome.output.as_posix() if outcome.output is not None else None,
        "draft": outcome.draft,
        "warnings": [printable(warning) for warning in outcome.warnings],
        "error": outcome.category if outcome.failed else None,
        "message": printable(outcome.message) or None,
        "dry_run": dry_run,
    }


def print_report(report: BatchReport, out: TextIO, err: TextIO) -> None:
    """One line per input on `out`; failures and warnings on `err`, as `folio build` does."""
    for outcome in report.outcomes:
        if outcome.failed:
            line, stream = f"error: {outcome.input}: {outcome.category}: {outcome.message}", err
        elif outcome.status == "skipped" or outcome.output is None:
            line, stream = f"{outcome.status:<10} {outcome.input}: {outcome.message}", out
        else:
            draft = " (draft)" if outcome.draft else ""
            note = f" ({outcome.message})" if outcome.message else ""
            line = f"{outcome.status:<10} {outcome.input} -> {outcome.output}{draft}{note}"
            stream = out
        print(printable(line), file=stream)
        for warning in outcome.warnings:
            print(printable(f"warning: {outcome.input}: {warning}"), file=err)
    print(summary(report), file=out)


def summary(report: BatchReport) -> str:
    drafts = sum(1 for o in report.outcomes if o.draft and o.status in ("imported", "updated"))
    failed = sum(1 for o in report.outcomes if o.failed)
    warnings = report.warning_count
    text = (f"Summary: {report.count('imported')} imported"
            + (f" ({drafts} draft{'s' if drafts != 1 else ''})" if drafts else "")
            + f", {report.count('updated')} updated, {report.count('unchanged')} unchanged, "
            f"{report.count('skipped')} skipped, {failed} failed, "
            f"{warnings} warning{'s' if warnings != 1 else ''}")
    if report.dry_run:
        text += " (dry run: nothing was written)"
    return text
