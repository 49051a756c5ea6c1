"""The `folio` command line: parse arguments, call one function, report problems."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from generator import __version__
from generator.config import load_config, site_folder
from generator.errors import FolioError, Problem, describe_failure, is_machine_fault

PROGRESS_MIN_PAGES = 500


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return 2
    try:
        return args.command(args)
    except FolioError as exc:
        root = getattr(args, "site", None)
        print(f"error: {exc.format(Path(root) if root else None)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault of the machine, or a bug: the traceback on request
        if args.debug:
            raise
        print(f"error: {describe_failure(exc)}", file=sys.stderr)
        return 1 if is_machine_fault(exc) else 70


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="folio", description="Folio: build curated archives "
                                     "of republished articles into static sites.")
    parser.add_argument("--version", action="version", version=f"folio {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show Python's traceback when Folio fails unexpectedly")
    common = argparse.ArgumentParser(add_help=False)  # --debug after the command works too
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help=argparse.SUPPRESS)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (_add_build, _add_init, _add_serve, _add_check, _add_import):
        add(commands, common)
    return parser


Commands = Any  # argparse's subparsers action (a private type)


def _add_build(commands: Commands, common: argparse.ArgumentParser) -> None:
    build_cmd = commands.add_parser(
        "build", parents=[common], help="build the site into its output folder")
    build_cmd.add_argument("site", nargs="?", default=".", help="site folder (default: .)")
    build_cmd.add_argument("--output", "-o", help="output folder (default: SITE/output)")
    build_cmd.add_argument("--base-url", help="override base_url, e.g. "
                           "https://user.github.io/archive/")
    build_cmd.add_argument("--drafts", action="store_true", help="include draft articles")
    build_cmd.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    build_cmd.add_argument("--verbose", "-v", action="store_true",
                           help="also say which way the build went, and why")
    build_cmd.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                           help="processes to render with (default: all CPUs)")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="ignore and do not write the build cache (.folio-cache/)")
    build_cmd.set_defaults(command=_build, command_name="build")


def _add_init(commands: Commands, common: argparse.ArgumentParser) -> None:
    init_cmd = commands.add_parser(
        "init", parents=[common], help="create a new archive in DIR")
    init_cmd.add_argument("site", metavar="DIR", help="folder to create (must be empty)")
    init_cmd.add_argument("--title", default="My archive", help="the archive's title")
    init_cmd.set_defaults(command=_init)


def _add_serve(commands: Commands, common: argparse.ArgumentParser) -> None:
    serve_cmd = commands.add_parser(
        "serve", parents=[common], help="build, serve and rebuild on every change")
    serve_cmd.add_argument("site", nargs="?", default=".", help="site folder (default: .)")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=int, default=None,
                           help="port (default: 8000, or the next free one)")
    serve_cmd.add_argument("--drafts", action="store_true", help="include draft articles")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_cmd.add_argument("--poll", action="store_true",
                           help="poll for changes (network or container mounts)")
    serve_cmd.set_defaults(command=_serve, command_name="serve")


def _add_check(commands: Commands, common: argparse.ArgumentParser) -> None:
    check_cmd = commands.add_parser(
        "check", parents=[common], help="check a built site: links, assets, "
                                    "attribution")
    check_cmd.add_argument("site", nargs="?", default=".", help="site folder (default: .)")
    check_cmd.add_argument("--output", "-o", help="the built site (default: SITE/output)")
    check_cmd.add_argument("--base-url", help="the base_url it was built for (default: the "
                           "site's)")
    check_cmd.add_argument("--verbose", "-v", action="store_true",
                           help="also list the external links")
    check_cmd.set_defaults(command=_check, command_name="check")


def _add_import(commands: Commands, common: argparse.ArgumentParser) -> None:
    import_cmd = commands.add_parser(
        "import", parents=[common],
        help="turn collected article pages (text dumps, saved HTML) into article files",
        description="Import article pages: text dumps and pages saved as HTML (files, or "
                    "folders searched recursively for *.txt, *.md, *.html and *.htm) into "
                    "content/articles/YYYY/MM/<slug>.md of a site.")
    import_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                            help="dump files or folders of them")
    import_cmd.add_argument("--site", default=".", help="the site folder (default: .)")
    import_cmd.add_argument("--force", action="store_true", help="replace files the importer "
                            "wrote before (never a curator's edits)")
    import_cmd.add_argument("--dry-run", action="store_true",
                            help="say what would happen, write nothing")
    import_cmd.add_argument("--json", action="store_true", help="print one JSON record per "
                            "input (the summary goes to stderr)")
    import_cmd.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                            help="processes to read the inputs with (default: all CPUs)")
    import_cmd.set_defaults(command=_import)


def _import(args: argparse.Namespace) -> int:
    from generator.importer.command import run  # loaded only for `folio import`

    return run(args)


def _build(args: argparse.Namespace) -> int:
    from generator.build import PATHS, build

    site_dir = site_folder(args.site, f"folio {args.command_name} my-archive")
    config = load_config(site_dir, base_url=args.base_url, drafts=args.drafts)
    if args.output:
        from dataclasses import replace

        config = replace(config, output_dir=str(Path(args.output).resolve()))
    progress = None if args.quiet else ProgressBar(sys.stderr)
    report = build(config, progress=progress, workers=args.jobs, use_cache=not args.no_cache)
    if progress is not None:
        progress.close()
    for warning in report.warnings:
        print(f"warning: {warning.format(site_dir)}", file=sys.stderr)
    if not args.quiet:
        print(f"Built {report.articles} articles into {config.output_path}: "
              f"{report.pages} pages ({report.parsed} files read, {report.rendered} pages "
              f"rendered); {report.written} files written, {report.unchanged} unchanged, "
              f"{report.removed} removed in {report.seconds:.2f} s")
        if args.verbose:
            print(f"Build path: {report.path} ({PATHS[report.path]}): {report.reason}")
        if report.index is not None:
            index = report.index
            print(f"Search index: {index.reason}: {len(index.files)} files ({index.written} "
                  f"written, {index.removed} removed) in {index.seconds:.2f} s")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.server.serve import serve

    site_dir = site_folder(args.site, f"folio {args.command_name} my-archive")
    return serve(site_dir, host=args.host, port=args.port, drafts=args.drafts,
                 open_browser=args.open, poll=args.poll, debug=args.debug)


def _check(args: argparse.Namespace) -> int:
    from generator.check import check_site, load_site
    from generator.writer import built_for

    site_dir = site_folder(args.site, f"folio {args.command_name} my-archive")
    config = load_config(site_dir, base_url=args.base_url)
    output = Path(args.output) if args.output else config.output_path
    if not output.is_dir():
        raise FolioError(f"{output}: no such output folder (build the site first)")
    recorded = built_for(output)
    if recorded is not None and _address(recorded) != _address(config.base_url):
        raise FolioError(Problem(
            f"{output} was built for {recorded}, not for {config.base_url}",
            hint=f"build it for this address (`folio build --base-url {config.base_url}`), or "
                 f"check it as built (`folio check --base-url {recorded}`)"))
    started = time.perf_counter()
    report = check_site(output.resolve(), config.base_url, load_site(config))
    label = os.path.relpath(output) if output.resolve().is_relative_to(Path.cwd()) \
        else str(output)
    for finding in report.findings:
        print(finding.format(label))
    if args.verbose:
        for url, count in report.external:
            print(f"external: {url}" + (f" ({count} links)" if count > 1 else ""))
    count = len(report.findings)
    print(f"checked {report.pages} pages, {report.links} links ({report.external_links} "
          f"external): {count} problem{'' if count == 1 else 's'} in "
          f"{time.perf_counter() - started:.2f} s")
    return 0 if report.ok else 1


def _address(url: str) -> tuple[str, str, str]:
    """A base URL as hosts compare it: scheme and host in any case, the path as written."""
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower(), parts.path


def _init(args: argparse.Namespace) -> int:
    from generator.scaffold import init_site  # loaded only for `folio init`

    created = init_site(Path(args.site), title=args.title)
    print(f"Created a new archive in {args.site}:")
    for path in created:
        print(f"  {path}")
    print(f"Build it with: folio build {args.site}")
    return 0


class ProgressBar:
    """A one-line progress bar on a terminal; silent when not a terminal or for small sites."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.shown: tuple[str, int] | None = None
        self.active = stream.isatty()

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.active or total < PROGRESS_MIN_PAGES:
            return
        percent = done * 100 // total
        if (phase, percent) == self.shown:
            return
        if self.shown and self.shown[0] != phase:
            self.stream.write("\n")
        self.shown = (phase, percent)
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        unit = "files" if phase == "reading" else "pages"
        self.stream.write(f"\r{phase:<9} [{bar}] {done}/{total} {unit}")
        self.stream.flush()

    def close(self) -> None:
        if self.active and self.shown is not None:
            self.stream.write("\n")
            self.stream.flush()
