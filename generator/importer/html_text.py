"""A saved web page as the Markdown-like text of a page dump: one block per paragraph,
heading, list item or quote, links as `[text](absolute URL)`, images as `![alt](URL)`.

Site readers that know a page's visible layout (its byline, date line, labels and closing
notes) read this text the way they read a dump. The walk over the tree is iterative, so a
deeply nested page cannot exhaust the stack; scripts, styles, forms and hidden elements are
left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree, html

from generator.importer.readers.html_values import absolute as web_address

SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "form",
                     "button", "select", "textarea", "input", "object", "embed", "canvas",
                     "head", "title", "meta", "link"})
BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside",
                    "nav", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr",
                    "figure", "figcaption", "pre", "dl", "dt", "dd", "address", "center",
                    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "body", "details",
                    "summary", "fieldset"})
_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")
# how an HTML document starts (after an XML declaration and comments); what any reader of
# pages detects them by, and what the dump readers turn away
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,4000}?-->\s*)*"
                         r"<(?:!doctype\s+html|html|head|body|meta|title|link|base)\b",
                         re.IGNORECASE | re.DOTALL)


@dataclass(slots=True)
class _Writer:
    """Blocks of text being written, and the inline text of the block under way."""

    base: str
    blocks: list[str] = field(default_factory=list)
    inline: list[list[str]] = field(default_factory=lambda: [[]])
    prefix: list[str] = field(default_factory=list)  # "> " for each quote we are in
    lists: list[list[int]] = field(default_factory=list)  # [next number, or 0 for bullets]
    tables: list[list[int]] = field(default_factory=list)  # [rows written, cells in this row]

    def text(self, value: str | None) -> None:
        if value:
            self.inline[-1].append(_SPACE.sub(" ", value))

    joins: str = ""  # what kind of line the last block ends with: "item", "row" or ""

    def flush(self, lead: str = "", kind: str = "") -> None:
        """End the block under way (outside any link); an item or a table row goes on the
        line under the one before it when that was one too (a tight list, one table)."""
        text = _SPACE.sub(" ", "".join(self.inline[0])).strip()
        self.inline[0] = []
        if text:
            self.add("".join(self.prefix) + lead + text, kind)

    def add(self, line: str, kind: str = "") -> None:
        if kind and kind == self.joins and self.blocks:
            self.blocks[-1] += "\n" + line
        else:
            self.blocks.append(line)
        self.joins = kind

    def link(self, href: str | None) -> None:
        """End a link: its text, linked when its address is one a reader can follow."""
        if len(self.inline) < 2:  # the link was already ended by a block inside it
            return
        label = "".join(self.inline.pop()).strip()
        address = absolute(self.base, href)
        if label and address:
            self.inline[-1].append(f"[{_escape(label)}]({address})")
        elif label:
            self.inline[-1].append(label)


def absolute(base: str, href: str | None) -> str | None:
    """An http(s) address resolved against the page's own (the generic reader's rule), or a
    mailto address, written so that it can stand in a Markdown link; None for others."""
    target = (href or "").strip()
    if target.lower().startswith("mailto:"):
        address: str | None = target
    else:
        address = web_address(base or None, target.replace(" ", "%20"))
    if not address:
        return None
    return address.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _escape(label: str) -> str:
    return label.replace("[", "\\[").replace("]", "\\]")


def is_html(text: str) -> bool:
    """Whether a text is an HTML document (by how it starts, not by its file name)."""
    return bool(_HTML_START.match(text[:65536]))


def page_text(root: html.HtmlElement, base: str = "") -> str:
    """The visible text under `root` as dump text: blocks separated by blank lines."""
    writer = _Writer(base)
    for event, element in _walk(root):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            _start(writer, element, tag.lower())
        else:
            _end(writer, element, tag.lower())
    writer.flush()
    return "\n\n".join(writer.blocks)


def _walk(root: html.HtmlElement) -> Iterator[tuple[str, html.HtmlElement]]:
    """(start|end, element) in document order, skipping what a reader never sees."""
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        yield event, element
        if event == "start" and _hidden(element):
            walker.skip_subtree()  # (its end event still comes: its tail is page text)


def _hidden(element: html.HtmlElement) -> bool:
    tag = element.tag if isinstance(element.tag, str) else "#comment"
    if tag == "#comment" or tag.lower() in SKIPPED:
        return True
    return element.get("hidden") is not None or element.get("aria-hidden") == "true"


_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr"})


def _start(writer: _Writer, element: html.HtmlElement, tag: str) -> None:
    if _hidden(element):
        return
    if tag in ("ul", "ol"):
        if writer.lists:  # a list inside an item: the item's own text comes first
            _flush_item(writer)
        writer.flush()
        writer.joins = ""  # a list of its own
        writer.lists.append([_start_number(element) if tag == "ol" else 0])
    elif tag == "table":
        writer.flush()
        writer.joins = ""
        writer.tables.append([0, 0])
    elif tag in ("td", "th") and writer.tables:
        if writer.tables[-1][1]:
            writer.text(" | ")
        writer.tables[-1][1] += 1
    if tag in BLOCKS and writer.tables and tag not in _TABLE_PARTS:
        writer.text(" ")  # a block inside a table cell stays in the cell
    elif tag in BLOCKS:
        writer.flush()
        if tag == "blockquote":
            writer.prefix.append("> ")
        elif tag == "hr":
            writer.add("".join(writer.prefix) + "---")
    if tag == "a":
        writer.inline.append([])
    elif tag == "img":
        alt = _SPACE.sub(" ", element.get("alt") or "").strip()
        source = absolute(writer.base, element.get("src"))
        if source:
            writer.inline[-1].append(f"![{_escape(alt)}]({source})")
    writer.text(element.text)


def _start_number(element: html.HtmlElement) -> int:
    start = element.get("start") or "1"
    return int(start) if start.strip().isdigit() else 1


def _end(writer: _Writer, element: html.HtmlElement, tag: str) -> None:
    if not _hidden(element):
        if tag == "a":
            writer.link(element.get("href"))
        elif tag == "tr" and writer.tables:
            _end_row(writer)
        elif tag in BLOCKS and writer.tables and tag not in _TABLE_PARTS:
            writer.text(" ")
        elif tag in BLOCKS:
            _end_block(writer, tag)
        if tag in ("ul", "ol") and writer.lists:
            writer.lists.pop()
            writer.joins = ""
        elif tag == "table" and writer.tables:
            writer.tables.pop()
            writer.flush()
    writer.text(element.tail)


def _end_row(writer: _Writer) -> None:
    """A table row as a Markdown table row; the first one gets the header rule under it."""
    while len(writer.inline) > 1:
        writer.link(None)
    table = writer.tables[-1]
    cells, table[1] = table[1], 0
    text = _SPACE.sub(" ", "".join(writer.inline[0])).strip()
    writer.inline[0] = []
    if not text:
        return
    writer.add("".join(writer.prefix) + f"| {text} |", "row")
    if table[0] == 0:
        writer.add("".join(writer.prefix) + "|" + " --- |" * max(1, cells), "row")
    table[0] += 1


def _flush_item(writer: _Writer) -> None:
    """End a list item: "- text", or "N. text" in a numbered list."""
    if not "".join(writer.inline[0]).strip():
        return
    number = writer.lists[-1] if writer.lists else [0]
    writer.flush(f"{number[0]}. " if number[0] else "- ", "item")
    number[0] += 1 if number[0] else 0


def _end_block(writer: _Writer, tag: str) -> None:
    if len(writer.inline) > 1:  # a block inside a link: the link ends here
        while len(writer.inline) > 1:
            writer.link(None)
    if tag.startswith("h") and tag[1:].isdigit() and tag != "h1":
        writer.flush("#" * int(tag[1:]) + " ")
    elif tag == "li":
        _flush_item(writer)
    else:
        writer.flush()
    if tag == "blockquote" and writer.prefix:
        writer.prefix.pop()
