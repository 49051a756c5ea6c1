"""Problems are values until the edge: collected, then reported all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


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
            where = _display_path(self.path, root)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        key = f"'{self.key}': " if self.key else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{key}{self.message}{hint}"


def _display_path(path: Path, root: Path | None) -> str:
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
