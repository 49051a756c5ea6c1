"""Problems are values until the edge: collected, then reported all at once."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_FAULT_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run it again (a build can also go "
                  "elsewhere with --output)",
    errno.EDQUOT: "your disk quota is used up: free some space and run it again",
    errno.EROFS: "that file system is read-only: use a writable folder (a build can go "
                 "elsewhere with --output)",
    errno.EACCES: "you may not write there: check the folder's permissions",
    errno.EPERM: "you may not write there: check the folder's permissions",
    errno.EMFILE: "too many files are open: raise the limit (ulimit -n) and try again",
    errno.ENAMETOOLONG: "a file name is too long for this file system: shorten the slug",
}


_SQLITE_HINTS = {
    "SQLITE_FULL": "the disk is full: free some space, or build with --no-cache",
    "SQLITE_READONLY": "the site's .folio-cache/ cannot be written: build with --no-cache",
    "SQLITE_CANTOPEN": "the site's .folio-cache/ cannot be opened: build with --no-cache",
    "SQLITE_IOERR": "the disk could not be read or written: check it, or build with --no-cache",
}


class CacheFault(Exception):
    """The build cache is damaged or cannot be written (generator/cache.py says which)."""


def is_machine_fault(exc: BaseException) -> bool:
    """A fault of the machine (disk, permissions, the cache's database), not a bug."""
    return isinstance(exc, OSError | sqlite3.OperationalError | CacheFault)


def describe_failure(exc: BaseException) -> str:
    """One line for an error that is not the user's input: a fault of the machine says
    which file and what to do; anything else is a bug in Folio, to report."""
    if isinstance(exc, CacheFault):
        return (f"the build cache (.folio-cache/) failed: {exc} (build again: a damaged cache "
                "is set aside; or delete .folio-cache/)")
    if isinstance(exc, sqlite3.OperationalError):
        hint = _SQLITE_HINTS.get(getattr(exc, "sqlite_errorname", ""),
                                 "build with --no-cache to go without it")
        return f"the build cache (.folio-cache/) failed: {exc} ({hint})"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        hint = fault_hint(exc.errno)
        return f"{where}{exc.strerror or exc}" + (f" ({hint})" if hint else "")
    return (f"Folio failed unexpectedly ({type(exc).__name__}: {exc}). This is a bug: please "
            "report it with the command you ran; run it again with --debug to see where it "
            "happened")


def fault_hint(code: int | None) -> str | None:
    """What to do about an OS error of this number, when there is something to say."""
    return _FAULT_HINTS.get(code or 0)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where it is, what it is, and how to fix it."""

    message: str
    path: Path | None = None
    line: int | None = None
    key: str | None = None
    hint: str | None = None

    def format(self, root: Path | None = None) -> str:
        where = ""
        if self.path is not None:
            where = display_path(self.path, root)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        key = f"'{self.key}': " if self.key else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{key}{self.message}{hint}"


def printable(text: object) -> str:
    """Text that can be printed and written to YAML or JSON: the bytes of a file name that
    are not UTF-8 (Python keeps them as lone surrogates, which a UTF-8 terminal, YAML or JSON
    reader refuses) as \\xNN."""
    value = str(text)
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def display_path(path: Path, root: Path | None) -> str:
    """A path as problems show it: relative to `root` when inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


class FolioError(Exception):
    """An error the user can fix; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem] | Problem | str, *, title: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.title = title
        super().__init__(self.format())

    def format(self, root: Path | None = None) -> str:
        lines = [p.format(root) for p in self.problems]
        if self.title:
            count = len(lines)
            noun = "problem" if count == 1 else "problems"
            lines.insert(0, f"{self.title} ({count} {noun}):")
            return "\n  ".join(lines)
        return "\n".join(lines)


class ConfigError(FolioError):
    """folio.toml is missing something, has an unknown key, or a value of the wrong type."""


class ContentError(FolioError):
    """One or more content files cannot be published as they are."""


class ThemeError(FolioError):
    """A theme or template cannot be found or fails to render."""


class OutputError(FolioError):
    """Two outputs claim one path, or the output folder cannot be written."""


def write_fault(exc: OSError, output_dir: Path, output_path: str) -> OutputError:
    """An output file that could not be written, named as the user knows it."""
    return OutputError(Problem(f"cannot write {output_path}: {exc.strerror or exc}",
                               path=output_dir, hint=fault_hint(exc.errno)))
