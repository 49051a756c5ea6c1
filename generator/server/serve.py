"""`folio serve`: build once, serve, then rebuild on every change and tell the pages.

Threads: the HTTP server's, watchdog's, and one that debounces changes and runs builds one
at a time. A failed build never stops the server: the last good site stays up and every
page shows the problems until the next good build. The warnings a build prints are printed
too, each once: again only when it went away and came back.
"""

from __future__ import annotations

import errno
import socket
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from generator.build import Builder, BuildReport
from generator.config import SiteConfig, load_config
from generator.errors import FolioError, Problem, describe_failure
from generator.server.changes import (
    Debouncer,
    Kind,
    Watched,
    changed_pages,
    classify,
    only_stylesheets,
)
from generator.server.events import Broadcaster, Event
from generator.server.http import Preview, PreviewServer
from generator.server.watch import start_watching
from generator.theme import theme_chain

PORT_TRIES = 20
INDEX_DELAY = 1.0  # s of quiet after a save before the search index is made again
SITE_FOLDERS = ("content", "static", "templates", "themes")


class PortInUse(FolioError):
    """The port asked for is taken."""


def bind(host: str, port: int, preview: Preview, *, exact: bool) -> PreviewServer:
    """A server on host:port, or (unless `exact`) on the next free port."""
    if not 0 <= port <= 65535:
        raise FolioError(Problem(f"port {port} is not a port number",
                                 hint="choose one from 1024 to 65535, e.g. --port 8000"))
    for candidate in range(port, port + (1 if exact else PORT_TRIES)):
        try:
            return PreviewServer((host, candidate), preview)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise FolioError(f"cannot listen on {host}:{candidate}: {exc.strerror}") \
                    from None
    if exact:
        free = free_port_after(host, port)
        hint = f"stop the other server, or choose a free one: --port {free}" \
            if free is not None else "stop the other server, or choose another --port"
        raise PortInUse(Problem(f"port {port} on {host} is already in use", hint=hint))
    raise PortInUse(f"ports {port}-{port + PORT_TRIES - 1} on {host} are all in use")


def free_port_after(host: str, port: int) -> int | None:
    """The first of the next PORT_TRIES ports that can be bound on host just now (each probe
    is closed at once), or None: a suggestion that is known to work, not a guess."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in range(port + 1, min(port + PORT_TRIES, 65535) + 1):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
        return candidate
    return None


def fresh_warnings(shown: frozenset[str], current: Iterable[str]) -> list[str]:
    """The warnings in `current` not in `shown` (what was printed for the last good build),
    in order, each once."""
    return [line for line in dict.fromkeys(current) if line not in shown]


def problem_records(error: BaseException, root: Path) -> list[dict[str, object]]:
    """Problems as the browser overlay shows them: file (relative to the site), line, text."""
    if not isinstance(error, FolioError):
        return [{"file": None, "line": None,
                 "message": f"{type(error).__name__}: {error} (see the terminal)"}]
    records = []
    for problem in error.problems:
        file = None
        if problem.path is not None:
            file = Problem("", path=problem.path).format(root).removesuffix(": ")
        text = Problem(problem.message, key=problem.key, hint=problem.hint).format()
        records.append({"file": file, "line": problem.line, "message": text})
    return records


class Session:
    """One running preview: its config, builder, server, watcher and reload channel."""

    def __init__(self, site_dir: Path, *, drafts: bool, host: str, port: int,
                 exact_port: bool, poll: bool, out: TextIO = sys.stdout,
                 err: TextIO = sys.stderr, quiet_period: float = 0.05,
                 index_delay: float = INDEX_DELAY, debug: bool = False) -> None:
        self.site_dir, self.drafts, self.poll = site_dir.resolve(), drafts, poll
        self.debug = debug  # print the traceback of an unexpected failure
        self.index_delay = index_delay
        self.out, self.err = out, err
        self.config = self._load_config()
        self.broadcaster = Broadcaster()
        self.preview = Preview(self.config.output_path, self.config.base_path, self.broadcaster)
        self.builder = self._builder()
        self.server = bind(host, port, self.preview, exact=exact_port)
        self.debouncer = Debouncer(self.on_changes, quiet=quiet_period)
        self.observer = None
        self.threads: list[threading.Thread] = []
        self.builds = 0  # good builds since start, for tests
        self.warned: frozenset[str] = frozenset()  # the last good build's warnings, as printed

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}{self.preview.base_path}"

    def _load_config(self) -> SiteConfig:
        return load_config(self.site_dir, drafts=self.drafts)

    def _builder(self) -> Builder:
        return Builder(self.config, lock=self.preview.lock, workers=1, index_later=True)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Build (in parallel: no threads run yet), then serve and watch."""
        started = time.perf_counter()
        cold = Builder(self.config, lock=self.preview.lock)
        try:
            report = cold.build(remember=True)
            self.builder = cold
            self.builder.workers = 1  # later builds run beside threads: no forking then
            self.builder.index_later = True  # and show their pages before indexing them
            self._say(f"Built {report.articles} articles, {report.pages} pages "
                      f"in {time.perf_counter() - started:.2f} s")
            self._warn(report)
        except FolioError as exc:
            self._problems(exc)
        self._watch()
        self._spawn(self.server.serve_forever, kwargs={"poll_interval": 0.1})
        self._spawn(self.debouncer.run)

    def stop(self) -> None:
        self.debouncer.close()
        if self.observer is not None:
            self.observer.stop()
        self.server.stop()
        for thread in self.threads:
            thread.join(timeout=2)
        if self.observer is not None:
            self.observer.join(timeout=2)

    def _spawn(self, target: Callable[..., object], **kwargs: object) -> None:
        thread = threading.Thread(target=target, daemon=True, **kwargs)  # type: ignore[arg-type]
        thread.start()
        self.threads.append(thread)

    def _watched(self) -> Watched:
        config = self.config
        try:
            theme_folders = tuple(f for layer in theme_chain(config) for f in layer.folders)
        except FolioError:
            theme_folders = ()
        return Watched(
            root=config.root, content=config.content_path, output=config.output_path,
            static=(config.static_path, *(f / "static" for f in theme_folders)),
            templates=(config.root / "templates", config.root / "themes", *theme_folders),
            config=config.root / "folio.toml")

    def _watch(self) -> None:
        if self.observer is not None:
            self.observer.stop()
        watched = self._watched()
        self.watched = watched
        folders = {watched.content, *watched.static, *watched.templates}
        self.observer = start_watching(sorted(folders), [watched.root], self._notice,
                                       poll=self.poll)

    def _notice(self, path: Path) -> None:
        if classify(path, self.watched) is not None:
            self.debouncer.add(path)
        elif path.parent == self.watched.root and path.name in SITE_FOLDERS and path.is_dir():
            self.debouncer.add(path)  # a new top-level folder: watch it too

    # -- rebuilding ------------------------------------------------------------------------
    def on_changes(self, paths: set[Path]) -> None:
        """Rebuild for these changed paths; tell the pages; never raise."""
        kinds = {classify(p, self.watched) for p in paths}
        new_folder = any(p.parent == self.watched.root and p.name in SITE_FOLDERS
                         for p in paths)
        started = time.perf_counter()
        try:
            if Kind.CONFIG in kinds:
                self.config = self._load_config()
                self.preview.output_dir = self.config.output_path
                self.preview.base_path = self.config.base_path
                self.builder = self._builder()
            if Kind.CONFIG in kinds or Kind.TEMPLATE in kinds or new_folder:
                self._watch()  # the theme chain or the folders may have changed
            report = self.builder.build(paths)
        except FolioError as exc:
            self._problems(exc)
            return
        except Exception as exc:  # a fault or a bug must not take the preview down
            if self.debug:
                traceback.print_exc(file=self.err)
            self._problems(exc)
            return
        self.builds += 1
        self._report(report, paths, time.perf_counter() - started)
        self._warn(report)
        if report.written or report.removed or self.broadcaster.problems:
            if only_stylesheets(paths, self.watched):
                self.broadcaster.publish(Event("css", {"version": self.broadcaster.version + 1}))
            else:  # the pages whose file changed reload (all, after problems were shown)
                pages = None if self.broadcaster.problems else \
                    changed_pages(report.changed, self.config.base_path)
                self.broadcaster.publish(Event("reload", {
                    "version": self.broadcaster.version + 1, "pages": pages}))
        self._index_for_search()

    def _index_for_search(self) -> None:
        """Bring the search index up to date after the pages are shown, once saves have
        been quiet for `index_delay` seconds (a burst of saves does not start Pagefind, which
        would compete with their builds for the CPU); never raise."""
        if self.builder.index_due and not self.debouncer.quiet_for(self.index_delay):
            return  # the build for the new paths ends by coming back here
        started = time.perf_counter()
        try:
            index = self.builder.index_pending(stop=self._changes_waiting)
        except FolioError as exc:
            self._problems(exc)
            return
        except Exception as exc:
            if self.debug:
                traceback.print_exc(file=self.err)
            self._problems(exc)
            return
        if index is not None:
            self._say(f"search index updated ({index.written} files written) in "
                      f"{(time.perf_counter() - started) * 1000:.0f} ms")

    def _changes_waiting(self) -> bool:
        """Whether saved files wait to be built (or the preview is closing): indexing, which
        takes seconds on a large archive, must then give way."""
        return bool(self.debouncer.pending) or self.debouncer.closed

    def _problems(self, error: BaseException) -> None:
        text = error.format(self.config.root) if isinstance(error, FolioError) \
            else describe_failure(error)
        self._say(f"error: {text}", self.err)
        self.broadcaster.publish(Event("problems",
                                       {"problems": problem_records(error, self.config.root)}))

    def _report(self, report: BuildReport, paths: set[Path], seconds: float) -> None:
        names = ", ".join(sorted(_short(p, self.config.root) for p in paths)[:3])
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        self._say(f"{names}{more} changed: rendered {report.rendered} pages, wrote "
                  f"{report.written}, removed {report.removed} in {seconds * 1000:.0f} ms")

    def _warn(self, report: BuildReport) -> None:
        """Print the build's warnings as `folio build` does, but only those not printed for
        the last good build. Every report carries the site's whole warnings (the edit
        shortcuts take only edits that leave them as they were, and report the last full
        build's), so one that is missing went away."""
        current = [f"warning: {w.format(self.config.root)}" for w in report.warnings]
        for line in fresh_warnings(self.warned, current):
            self._say(line, self.err)
        self.warned = frozenset(current)

    def _say(self, text: str, stream: TextIO | None = None) -> None:
        print(text, file=stream or self.out, flush=True)


def _short(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def serve(site_dir: Path, *, host: str = "127.0.0.1", port: int | None = None,
          drafts: bool = False, open_browser: bool = False, poll: bool = False,
          debug: bool = False) -> int:
    """Run the preview until Ctrl-C."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}: anyone who can reach this machine can read the "
              "preview", file=sys.stderr)
    wanted = 8000 if port is None else port  # --port 0: whichever port is free
    session = Session(site_dir, drafts=drafts, host=host, port=wanted,
                      exact_port=port is not None, poll=poll, debug=debug)
    if port is None and session.server.server_address[1] != wanted:
        print(f"Port {wanted} is in use; using {session.server.server_address[1]}.")
    session.start()
    print(f"Serving {session.config.title} at {session.url} (Ctrl-C stops)", flush=True)
    if open_browser:
        webbrowser.open(session.url)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        session.stop()
    return 0
