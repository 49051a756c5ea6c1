"""The readers, in the order they are tried: the first whose `detect` accepts a text reads it.

To add an input format, write a module with a `READER = Reader(...)` and list it here. A
reader for one site's HTML pages goes before `html`, the generic reader of saved pages.
"""

from __future__ import annotations

from pathlib import Path

from generator.importer.readers import globalresearch, globalresearch_html, html
from generator.importer.readers.base import Reader
from generator.importer.record import NotAnArticleError

# Global Research's HTML pages first: a page's text can look like a dump to the dump reader
READERS: tuple[Reader, ...] = (globalresearch_html.READER, globalresearch.READER, html.READER)


def suffixes(readers: tuple[Reader, ...] = READERS) -> tuple[str, ...]:
    """The file suffixes any reader reads (what a folder is searched for)."""
    return tuple(sorted({suffix for reader in readers for suffix in reader.suffixes}))


def find_reader(text: str, path: Path, readers: tuple[Reader, ...] = READERS) -> Reader:
    """The first reader that recognises the text (suffixes only choose files in folders)."""
    for reader in readers:
        if reader.detect(text, path):
            return reader
    formats = ", ".join(reader.name for reader in readers)
    raise NotAnArticleError(f"not an article page this importer knows (formats: {formats})",
                            path, "import the text dump or the saved HTML page of an article")
