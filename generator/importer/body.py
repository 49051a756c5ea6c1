"""The body of a dump as Markdown blocks: what a reader keeps, laid out the same way each time.

Dumps write one paragraph per line, sometimes without blank lines between them, with stray
indentation that Markdown would take for code. Structuring the lines into blocks (paragraph,
heading, list, quote, table, code, separator) and joining them with one blank line gives
the same Markdown for every layout of the same article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.importer.text import plain_text

_SEPARATOR = re.compile(r"^\s*(?:\\?[*_—\u2013-]\s*)+$")  # also "\*\*\*" from converters
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_SETEXT = re.compile(r"^\s{0,3}=+\s*$")
_QUOTE = re.compile(r"^\s{0,3}>")
_TABLE = re.compile(r"^\s{0,3}\|")
_LIST_ITEM = re.compile(r"^\s*(?:[-+*•]|\d{1,9}[.)])\s+\S")
_CONTINUATION = re.compile(r"^ {2,}\S|^\t")
_BULLET = re.compile(r"^(\s*)•\s+")  # "• item" from copied pages: a Markdown list item


@dataclass(frozen=True, slots=True)
class Block:
    """One Markdown block: its kind and its lines, as they will be written."""

    kind: str  # paragraph | heading | list | quote | table | code | separator
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def plain(self) -> str:
        return plain_text(self.text)


SEPARATOR = Block("separator", ("***",))


def structure(lines: Sequence[str]) -> list[Block]:
    """The blocks of a body given as lines; every plain line is a paragraph of its own."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        block, index = _next_block(lines, index)
        blocks.append(block)
    return blocks


def _next_block(lines: Sequence[str], index: int) -> tuple[Block, int]:
    line = lines[index]
    if fence := _FENCE.match(line):
        end = index + 1
        while end < len(lines) and not lines[end].lstrip().startswith(fence[1]):
            end += 1
        closed = lines[index:end + 1] if end < len(lines) else [*lines[index:], fence[1]]
        return Block("code", tuple(closed)), end + 1
    if _SEPARATOR.match(line):
        return SEPARATOR, index + 1
    if _HEADING.match(line):
        return Block("heading", (line.strip(),)), index + 1
    if index + 1 < len(lines) and _SETEXT.match(lines[index + 1]):
        return Block("heading", ("# " + line.strip(),)), index + 2
    for kind, pattern in (("quote", _QUOTE), ("table", _TABLE)):
        if pattern.match(line):
            end = index
            while end < len(lines) and pattern.match(lines[end]):
                end += 1
            return Block(kind, tuple(x.strip() for x in lines[index:end])), end
    if _LIST_ITEM.match(line):
        return _list_block(lines, index)
    return Block("paragraph", (line.strip(),)), index + 1


def _list_block(lines: Sequence[str], index: int) -> tuple[Block, int]:
    """Items, their indented continuations, and blank lines between items of one list."""
    end = index + 1
    while end < len(lines):
        line = lines[end]
        if _SEPARATOR.match(line):
            break
        if _LIST_ITEM.match(line) or _CONTINUATION.match(line):
            end += 1
            continue
        if not line.strip():
            following = end
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following < len(lines) and _LIST_ITEM.match(lines[following]) and not \
                    _SEPARATOR.match(lines[following]):
                end = following
                continue
        break
    items = list(lines[index:end])
    margin = min(len(x) - len(x.lstrip()) for x in items if x.strip())
    items = [_BULLET.sub(r"\1- ", x[margin:]) if x.strip() else "" for x in items]
    return Block("list", tuple(items)), end


def tidy(blocks: Sequence[Block]) -> list[Block]:
    """No separators at either end, and never two in a row."""
    result: list[Block] = []
    for block in blocks:
        if block.kind == "separator" and (not result or result[-1].kind == "separator"):
            continue
        result.append(block)
    while result and result[-1].kind == "separator":
        result.pop()
    return result


def drop_closing(blocks: Sequence[Block], is_closing: Callable[[Block], bool],
                 is_kept_note: Callable[[Block], bool], reach: int = 6) -> list[Block]:
    """Remove closing blocks (e.g. an outlet's donation appeal) from the end of the body.

    Looks back over at most `reach` blocks, stepping over notes that stay (image credits,
    "originally published" lines); stops at the first block of the article itself.
    """
    result = list(blocks)
    position = len(result) - 1
    stop = max(0, len(result) - reach)
    while position >= stop:
        block = result[position]
        if is_closing(block):
            del result[position]
        elif not (block.kind == "separator" or is_kept_note(block)):
            break
        position -= 1
    return tidy(result)


def markdown(blocks: Sequence[Block]) -> str:
    """The blocks as Markdown, one blank line between them."""
    return "\n\n".join(block.text for block in blocks)
