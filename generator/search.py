"""Full-text search: after a build, Pagefind indexes the built article pages into
`output/pagefind/` (its scripts, its UI and the index), for the theme's search page.

Pagefind is a Rust program that the `pagefind[extended]` package ships; it reads the HTML as
written: pages with `data-pagefind-body` are indexed, with the filters and metadata the theme
marks. Pagefind writes its bundle into the writer's staging folder, from where it is moved in like
any other output: files whose bytes did not change are not rewritten, stale ones are
removed, and a run that fails leaves the previous index as it was.

Pagefind's output is byte-stable except for the filter index (filter/*.pf_filter), the
metadata index (pagefind.*.pf_meta) and pagefind-entry.json, whose order (and so bytes and
names) varies from run to run (Pagefind 1.5); every other file, the fragments (one per page)
and the word index, is the same for the same pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OutputError, Problem
from generator.writer import OutputWriter

SEARCH_DIR = "pagefind"  # the bundle's folder in the output; the theme loads it from there
ENTRY = f"{SEARCH_DIR}/pagefind-entry.json"  # written last by Pagefind: the index is whole


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """What indexing produced: the bundle's output paths, and what it cost."""

    files: tuple[str, ...]  # "pagefind/…", sorted
    written: int  # files new or changed
    removed: int
    seconds: float


def binary() -> Path | None:
    """The Pagefind executable: $PAGEFIND_BINARY_PATH, else the one a package ships."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        with contextlib.suppress(ImportError, FileNotFoundError):
            module = __import__(package)
            return Path(module.get_executable())
    return None


def index_key(pages: Iterable[tuple[str, str]]) -> str:
    """What the index is made from: every page (output path, what stands for its bytes) and
    the Pagefind binary. The same key means the same index: no need to run it again."""
    found = binary()
    stat = found.stat() if found is not None and found.exists() else None
    digest = hashlib.sha256(f"{found}:{stat and (stat.st_size, stat.st_mtime_ns)}\n".encode())
    for output_path, fingerprint in sorted(pages):
        digest.update(f"{output_path} {fingerprint}\n".encode())
    return digest.hexdigest()


def bundle_files(output_dir: Path, manifest: Iterable[str] | None) -> list[str]:
    """The search bundle's files: those in the last build's list of its outputs, or (when
    that is not known) those in the output folder."""
    if manifest is not None:
        return [path for path in manifest if path.startswith(SEARCH_DIR + "/")]
    root = output_dir / SEARCH_DIR
    return sorted(os.path.relpath(os.path.join(folder, name), output_dir).replace(os.sep, "/")
                  for folder, _, names in os.walk(root) for name in names)


def check_reserved(claims: Iterable[tuple[str, str]]) -> None:
    """No page or static file may be written where the search bundle goes."""
    problems = [Problem(f"{origin} wants {path}, in the search index's folder {SEARCH_DIR}/",
                        hint="give it another URL or name, or set search = false")
                for path, origin in claims if path.startswith(SEARCH_DIR + "/")]
    if problems:
        raise OutputError(problems, title="Two outputs at one path")


def intact(output_dir: Path, files: Collection[str]) -> bool:
    """The bundle is in the output as the last indexing left it (no file missing)."""
    return ENTRY in files and all(os.path.exists(os.path.join(output_dir, f)) for f in files)


class Interrupted(Exception):
    """Indexing was stopped (newer changes wait to be built); the previous index stays."""


def index_site(output_dir: Path, previous: Collection[str],
               lock: contextlib.AbstractContextManager[object] | None = None,
               stop: Callable[[], bool] | None = None) -> SearchIndex:
    """Index the built site in `output_dir` and move the bundle into `output_dir/pagefind/`,
    replacing `previous` (the bundle's files from the last indexing). Raises OutputError
    when Pagefind is missing or fails, and Interrupted when `stop()` turns true while it
    runs (it is asked every 50 ms); the output's bundle is then left as it was."""
    import subprocess  # here: most builds (and every edit without a page change) never run it

    started = time.perf_counter()
    program = binary()
    if program is None or not program.exists():
        raise OutputError(Problem(
            "Pagefind, which builds the search index, is not installed",
            hint="pip install 'pagefind[extended]' (Folio depends on it), or set "
                 "search = false in folio.toml"))
    with OutputWriter(output_dir) as writer:
        bundle = writer.staging / SEARCH_DIR
        # the working folder and the environment are Pagefind's config sources: keep them
        # from changing the index
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        process = subprocess.Popen([str(program), "--site", str(output_dir.resolve()),
                                    "--output-path", str(bundle), "--quiet"],
                                   cwd=writer.staging, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        while True:
            try:
                stdout, stderr = process.communicate(timeout=None if stop is None else 0.05)
                break
            except subprocess.TimeoutExpired:  # still indexing: asked again, output kept
                if stop is not None and stop():
                    process.kill()
                    process.communicate()
                    raise Interrupted() from None
        if process.returncode != 0 or not (writer.staging / ENTRY).is_file():
            lines = (stderr.strip() or stdout.strip()).splitlines()[-5:]
            raise OutputError(Problem(
                f"Pagefind could not index the site (exit status {process.returncode}): "
                + (" / ".join(lines) or "no message"),
                hint="the pages were written; the search index is the previous one. Fix the "
                     "problem and build again, or set search = false in folio.toml"),
                title="Search index not built")
        files = bundle_files(writer.staging, None)
        for path in sorted(files, key=lambda path: path == ENTRY):  # the entry goes in last
            writer.take(path)
        with lock if lock is not None else contextlib.nullcontext():
            report = writer.commit(previous=previous)
    return SearchIndex(tuple(files), report.written, report.removed,
                       time.perf_counter() - started)
