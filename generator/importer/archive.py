"""The articles already imported into content/, indexed by identity once per batch.

Only each file's front matter is read (its first few kilobytes), and of that only the
`imported_from` block and `slug`: indexing a large archive costs one pass over its files,
never a pass per input. Files without `imported_from` (written by hand) have no recorded
identity and are not indexed. A file imported before identities were recorded is indexed
by what its front matter says; its body is read only when an input may be its article.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.importer.identity import (
    Identity,
    article_address,
    body_print,
    byline_key,
    same_article,
)

_CHUNK = 4096  # most front matter fits in one read
_HEAD_LIMIT = 1 << 20  # front matter longer than this is not the importer's
_OPENING = re.compile(rb"(?:\xef\xbb\xbf)?---[ \t]*\r?\n")
_CLOSING = re.compile(rb"\n---[ \t]*\r?\n")
_LAST_CLOSING = re.compile(rb"\n---[ \t]*\r?\Z")
_BLOCK = re.compile(r"^imported_from:[ \t]*\n((?:[ \t]+\S[^\n]*(?:\n|$))+)", re.MULTILINE)
_FIELD = re.compile(r"^[ \t]+(\w+):[ \t]*([^\n]*?)[ \t]*$", re.MULTILINE)
_TOP_LEVEL = re.compile(r"\n(?=[^\s#-])")  # where a top-level key starts
_LEGACY_KEYS = frozenset({"date", "publisher", "authors", "source", "imported_from"})
_SLUG = re.compile(r"^slug:[ \t]*([^\n]*?)[ \t]*$", re.MULTILINE)
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Existing:
    """One imported article file: where it is, what it holds, the slug its URL uses."""

    path: PurePosixPath  # relative to the site folder, like `Outcome.output`
    identity: Identity
    slug: str
    legacy: bool = False  # imported before identities were recorded: body not yet known


@dataclass(slots=True)
class Archive:
    """The index: identity keys to the files recorded under them."""

    root: Path
    entries: list[Existing] = field(default_factory=list)
    index: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def find(self, identity: Identity) -> list[tuple[Existing, str]]:
        """The files that hold this article, each with the reason it is the same one."""
        seen: set[int] = set()
        found: list[tuple[Existing, str]] = []
        for key in identity.index_keys():
            for number in self.index.get(key, ()):
                if number in seen:
                    continue
                seen.add(number)
                entry = self._complete(number)
                if reason := same_article(identity, entry.identity):
                    found.append((entry, reason))
        return found

    def _complete(self, number: int) -> Existing:
        """The entry with its body's print, read from the file for a legacy one."""
        entry = self.entries[number]
        if entry.legacy:
            body = _read_body(self.root / entry.path)
            entry = replace(entry, identity=replace(entry.identity, body=body_print(body)),
                            legacy=False)
            self.entries[number] = entry
        return entry


def load_archive(root: Path, content_dir: str) -> Archive:
    """Index every imported article under the site's content folder."""
    prefix = Path(content_dir).as_posix()
    archive = Archive(root)
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for relative, path in markdown_files(root / content_dir):
        head = read_head(path)
        if head is None or "imported_from" not in head:
            continue
        entry = recorded_entry(head, PurePosixPath(f"{prefix}/{relative}"))
        if entry is None:
            continue
        for key in entry.identity.index_keys():
            index[key].append(len(archive.entries))
        archive.entries.append(entry)
    archive.index = dict(index)
    return archive


def markdown_files(folder: Path) -> list[tuple[str, str]]:
    """(path relative to the folder, path) of its Markdown files, as the builder finds them:
    hidden and editor files and linked folders passed over. Plain strings: an archive may
    hold a hundred thousand of them."""
    found: list[tuple[str, str]] = []
    pending: list[tuple[str, str]] = [(str(folder), "")]
    while pending:
        current, relative = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_", "#")):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{relative}{name}/"))
            elif name.endswith(".md"):
                found.append((relative + name, entry.path))
    return sorted(found)


def read_head(path: str | Path) -> str | None:
    """The front matter of a file, without its fences, reading no more of the file than that;
    None when it has none or cannot be read."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(_CHUNK)
            opening = _OPENING.match(data)
            if opening is None:
                return None
            while (closing := _CLOSING.search(data, opening.end() - 1)) is None:
                more = stream.read(_CHUNK * 16)
                if not more:  # the closing fence may end the file without a newline
                    closing = _LAST_CLOSING.search(data, opening.end() - 1)
                    if closing is None:
                        return None
                    break
                if len(data) > _HEAD_LIMIT:
                    return None
                data += more
    except OSError:
        return None
    return data[opening.end():closing.start() + 1].decode("utf-8", "replace").replace(
        "\r\n", "\n")


def recorded_entry(head: str, path: PurePosixPath) -> Existing | None:
    """The entry a front matter records, or None when it records no import."""
    fields = _imported_from(head)
    meta: dict[str, Any] | None = None
    if fields is None or not fields.get("byline"):
        meta = _yaml(_top_level(head, _LEGACY_KEYS)) or _yaml(head)
        value = meta.get("imported_from") if meta else None
        if not isinstance(value, dict):
            return None
        fields = {str(k): None if v is None else str(v) for k, v in value.items()}
    slug_match = _SLUG.search(head)
    slug = (_scalar(slug_match[1]) if slug_match else None) or path.stem
    digest = fields.get("digest")
    if not digest:
        return None
    if fields.get("byline"):
        identity = Identity(digest, fields.get("address"), str(fields["byline"]),
                            _hex(fields.get("body")))
        return Existing(path, identity, slug)
    assert meta is not None
    source = meta.get("source") if isinstance(meta.get("source"), dict) else {}
    authors = meta.get("authors") if isinstance(meta.get("authors"), list) else ()
    identity = Identity(digest, article_address(_text(source.get("url"))),
                        byline_key(_text(meta.get("publisher")), meta.get("date"),
                                   _text(source.get("name")), source.get("date"), authors),
                        None)
    return Existing(path, identity, slug, legacy=True)


def _imported_from(head: str) -> dict[str, str | None] | None:
    """The `imported_from` block as the importer writes it (plain `key: value` lines)."""
    start = head.find("imported_from:")
    block = _BLOCK.search(head, max(0, start - 1)) if start >= 0 else None
    if block is None:
        return None
    return {key: _scalar(value) for key, value in _FIELD.findall(block[1])}


def _top_level(head: str, keys: frozenset[str]) -> str:
    """Only these top-level keys of a front matter, with their values (YAML is slow to parse
    a hundred thousand whole front matters)."""
    return "\n".join(entry for entry in _TOP_LEVEL.split(head)
                     if entry.partition(":")[0].strip() in keys)


def _scalar(text: str) -> str | None:
    """A YAML scalar as written on one line: plain values as they are, quoted ones loaded."""
    if not text or text in ("null", "~"):
        return None
    if text[0] in "'\"":
        try:
            value = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError:
            return None
        return None if value is None else str(value)
    return text


def _yaml(head: str) -> dict[str, Any] | None:
    try:
        meta = yaml.load(head, Loader=_Loader)
    except yaml.YAMLError:
        return None
    return meta if isinstance(meta, dict) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _hex(value: str | None) -> int | None:
    try:
        return int(value, 16) if value else None
    except ValueError:
        return None


def _read_body(path: Path) -> str:
    """The body of an article file (after its front matter); empty when it cannot be read."""
    try:
        text = path.read_text("utf-8", errors="replace").replace("\r\n", "\n")
    except OSError:
        return ""
    match = re.match(r"\ufeff?---[ \t]*\n.*?\n---[ \t]*(?:\n|$)", text, re.DOTALL)
    return text[match.end():] if match else text
