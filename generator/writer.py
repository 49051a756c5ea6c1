"""Write the site: new and changed files go to a staging folder first and are moved into
the output folder only when the whole build succeeded, so a failed build leaves the previous
output untouched. Files whose bytes did not change are not rewritten; stale files are removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import OutputError, Problem, fault_hint, write_fault

MARKER = ".folio-output"
KEEP = {".git"}  # never removed from the output root: people deploy by committing it


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What a commit did: the files it wrote (their bytes changed) and removed, as output
    paths, and how many it kept as they were."""

    paths: tuple[str, ...]
    unchanged: int
    gone: tuple[str, ...] = ()

    @property
    def written(self) -> int:
        return len(self.paths)

    @property
    def removed(self) -> int:
        return len(self.gone)


def safe_relative(output_path: str) -> str:
    """A normalised output path ("a/b/index.html") that stays inside the output folder,
    or ValueError."""
    parts = [part for part in output_path.split("/") if part not in ("", ".")]
    if output_path.startswith("/") or ".." in parts or not parts or "\\" in output_path \
            or "\x00" in output_path:
        raise ValueError(f"output path leaves the output folder: {output_path!r}")
    return "/".join(parts)


def check_output_dir(output_dir: Path, site_root: Path, sources: list[Path]) -> None:
    """Refuse an output folder that holds or overlaps the site's sources, or someone else's
    files: the build removes what it did not write."""
    resolved = output_dir.resolve()
    root = site_root.resolve()
    if resolved == root or root.is_relative_to(resolved):
        raise OutputError(Problem(f"output folder {output_dir} would contain the site {root}",
                                  hint="choose an output folder such as SITE/output"))
    for source in (s.resolve() for s in sources):
        if resolved.is_relative_to(source) or source.is_relative_to(resolved):
            raise OutputError(Problem(f"output folder {output_dir} overlaps {source}",
                                      hint="choose an output folder outside the sources"))
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MARKER).exists():
        raise OutputError(Problem(
            f"output folder {output_dir} is not empty and was not written by Folio",
            hint="choose another --output, or empty that folder first; Folio removes stale "
                 "files from its output and will not do that to a folder it did not write"))


class OutputWriter:
    """Collects a build's files in a staging folder, then commits them all at once."""

    def __init__(self, output_dir: Path, base_url: str | None = None) -> None:
        self.output_dir = output_dir
        self.base_url = base_url  # recorded in the marker (a build of the whole site)
        self.staging = output_dir.parent / f".{output_dir.name}.staging-{os.getpid()}"
        self.kept: set[str] = {MARKER}
        self.staged: list[str] = []
        self.unchanged = 0

    def __enter__(self) -> OutputWriter:
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging)
            self._remove_orphans()
            self.staging.mkdir(parents=True)
        except OSError as exc:  # the files are staged beside the output: it must be writable
            raise OutputError(Problem(
                f"cannot write beside the output folder ({exc.strerror or exc})",
                path=self.output_dir, hint=fault_hint(exc.errno))) from None
        return self

    def _remove_orphans(self) -> None:
        """Remove the staging folders of builds that were killed (their process is gone):
        they hold half a build, and at 10,000 articles about 100 MB."""
        prefix = f".{self.output_dir.name}.staging-"
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.output_dir.parent):
                pid = entry.name.removeprefix(prefix)
                if entry.name.startswith(prefix) and pid.isdigit() and not _alive(int(pid)):
                    shutil.rmtree(entry.path, ignore_errors=True)

    def __exit__(self, *exc_info: object) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def put(self, output_path: str, data: bytes) -> bool:
        """Stage `data` for `output_path` unless the output already has these bytes."""
        staged = stage_bytes(self.output_dir, self.staging, output_path, data)
        self.record(output_path, staged)
        return staged

    def record(self, output_path: str, staged: bool) -> None:
        """Note an output staged elsewhere (by a worker process) or found unchanged."""
        relative = self._claim(output_path)
        if staged:
            self.staged.append(relative)
        else:
            self.unchanged += 1

    def keep(self, output_path: str) -> None:
        """Keep an output this build did not need to render again."""
        self.record(output_path, staged=False)

    def take(self, output_path: str) -> bool:
        """Stage a file another program wrote into the staging folder (the search index),
        unless the output already has the same bytes."""
        relative = safe_relative(output_path)
        staged = self.staging / relative
        try:
            same = _same_bytes(self.output_dir / relative, staged.read_bytes())
        except OSError:
            same = False
        if same:
            staged.unlink()
        self.record(output_path, not same)
        return not same

    def adopt(self, output_paths: Iterable[str]) -> None:
        """Keep files another step writes into the output (the search index): they are not
        removed as stale, and not counted as this build's."""
        self.kept.update(safe_relative(path) for path in output_paths)

    def copy(self, output_path: str, source: Path) -> bool:
        """Stage a copy of a static file unless the output already has the same bytes."""
        relative = safe_relative(output_path)
        target = self.output_dir / relative
        try:
            same = target.stat().st_size == source.stat().st_size and \
                target.read_bytes() == source.read_bytes()
        except OSError:
            same = False
        if not same:
            staged = self.staging / relative
            try:
                staged.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, staged)
            except OSError as exc:
                raise write_fault(exc, self.output_dir, output_path) from None
        self.record(output_path, not same)
        return not same

    def _claim(self, output_path: str) -> str:
        relative = safe_relative(output_path)
        self.kept.add(relative)
        return relative

    def commit(self, *, remove_stale: bool = True,
               previous: Collection[str] | None = None) -> WriteReport:
        """Move staged files into place, then remove what this build did not produce: of the
        `previous` build's files when that list is known, else of everything in the folder.
        (A rebuild of a few pages passes remove_stale=False.)"""
        text = marker_text(self.base_url)
        if not self.output_dir.exists():  # first build: the staging folder becomes the output
            (self.staging / MARKER).write_text(text, encoding="utf-8")
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging, self.output_dir)
            return WriteReport(tuple(self.staged), self.unchanged)
        ready: set[Path] = set()
        for relative in self.staged:
            target = self.output_dir / relative
            if target.parent not in ready:
                _make_parent(target, self.output_dir)
                ready.add(target.parent)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            os.replace(self.staging / relative, target)
        marker = self.output_dir / MARKER  # after the pages: it says what they were built for
        if not marker.exists() or (self.base_url is not None and built_for(
                self.output_dir) != self.base_url):
            marker.write_text(text, encoding="utf-8")
        if not remove_stale:
            removed: list[str] = []
        elif previous is not None:
            removed = self._remove_listed(set(previous) - self.kept)
        else:
            removed = self._remove_stale()
        return WriteReport(tuple(self.staged), self.unchanged, tuple(removed))

    def _remove_listed(self, stale: set[str]) -> list[str]:
        """Delete these output files, then the folders they leave empty; the files deleted."""
        removed = []
        folders: set[str] = set()
        for relative in sorted(stale):
            path = os.path.join(self.output_dir, relative)
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(path)
                removed.append(relative)
            folders.update(p.as_posix() for p in PurePosixPath(relative).parents
                           if p.as_posix() != ".")
        for folder in sorted(folders, key=lambda f: -f.count("/")):  # deepest first
            with contextlib.suppress(OSError):  # not empty, or already gone
                os.rmdir(os.path.join(self.output_dir, folder))
        return removed

    def _remove_stale(self) -> list[str]:
        """Delete files this build did not produce (never the root's .git), then empty
        folders; the files deleted."""
        removed = []
        root = str(self.output_dir)
        folders: list[str] = []
        for folder, dirs, files in os.walk(root):
            relative_folder = os.path.relpath(folder, root)
            prefix = "" if relative_folder == "." else relative_folder.replace(os.sep, "/") + "/"
            if not prefix:
                dirs[:] = [d for d in dirs if d not in KEEP]
            for name in dirs:
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    os.unlink(path)
                else:
                    folders.append(path)
            for name in files:
                if prefix + name not in self.kept:
                    os.unlink(os.path.join(folder, name))
                    removed.append(prefix + name)
        for folder in reversed(folders):  # deepest first
            with contextlib.suppress(OSError):  # not empty
                os.rmdir(folder)
        return removed


def marker_text(base_url: str | None) -> str:
    """What the output's marker file says: that Folio owns the folder, and for which
    base URL it was built (`folio check` compares)."""
    text = "This folder is written by Folio; stale files in it are removed.\n"
    return text + (f"base_url = {base_url}\n" if base_url is not None else "")


def built_for(output_dir: Path) -> str | None:
    """The base URL the output was last built for, when its marker records one."""
    try:
        lines = (output_dir / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((line.split("=", 1)[1].strip() for line in lines
                 if line.startswith("base_url =")), None)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _make_parent(target: Path, root: Path) -> None:
    """Create the folders above `target`, replacing a stale file that stands in the way."""
    parent = target.parent
    if parent.is_dir():
        return
    for ancestor in reversed(parent.relative_to(root).parents[:-1]):  # outermost first
        if (root / ancestor).is_file() or (root / ancestor).is_symlink():
            (root / ancestor).unlink()
    if parent.is_file() or parent.is_symlink():
        parent.unlink()
    parent.mkdir(parents=True, exist_ok=True)


def stage_bytes(output_dir: Path, staging: Path, output_path: str, data: bytes) -> bool:
    """Write `data` into the staging folder unless the output already holds these bytes.
    Touches nothing shared, so worker processes can call it."""
    relative = safe_relative(output_path)
    if _same_bytes(output_dir / relative, data):
        return False
    staged = staging / relative
    try:
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
    except OSError as exc:
        raise write_fault(exc, output_dir, output_path) from None
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False
