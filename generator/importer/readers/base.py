"""What a reader is: a name, the file suffixes it reads, and two plain functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.importer.record import ImportedArticle


@dataclass(frozen=True, slots=True)
class Reader:
    """One input format. `detect` says whether a text is in it (cheaply, without raising);
    `read` turns the text into an article or raises an `ArticleImportError`."""

    name: str
    suffixes: tuple[str, ...]
    detect: Callable[[str, Path], bool]
    read: Callable[[str, Path], ImportedArticle]
