"""Text helpers every reader shares: decoding, normalising, Markdown links, plain text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from generator.importer.record import EmptyInputError, NotTextError

# Characters that are never content: C0/C1 controls (but tab and newline), zero-width
# characters and stray byte-order marks.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")

#: [text](target "title"): the target may hold balanced parentheses (Wikipedia addresses).
LINK = re.compile(r"(?<!!)\[(?P<text>[^\[\]\n]*)\]\(\s*(?P<target><[^<>\n]*>|[^()\s]*"
                  r"(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\s*\)")
#: The same, tolerant of a space between "]" and "(" (header and attribution lines only).
LOOSE_LINK = re.compile(r"(?<!!)\[(?P<text>[^\[\]\n]*)\]\s?\(\s*(?P<target>[^()\s]*"
                        r"(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\s*\)")
IMAGE = re.compile(r"!\[(?P<alt>[^\[\]\n]*)\]\(\s*(?P<target>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
                   r"(?:\s+\"[^\"\n]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(?P<url>(?:https?|ftp|mailto):[^<>\s]*)>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|`+)(?=\S)(.+?)(?<=\S)\1")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def decode(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """The text of an input file, normalised (see `normalise`), and any warnings."""
    if not data.strip():
        raise EmptyInputError("the file is empty" if not data else "the file has only whitespace",
                              path, "remove it from the batch, or collect the page again")
    if b"\x00" in data[:8192]:
        raise NotTextError("the file is binary, not text", path,
                           "import the text dump of the page, not the saved file")
    warnings: tuple[str, ...] = ()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise NotTextError(f"not UTF-8 text (byte {exc.start}) and not Windows-1252 either",
                               path, "save the file as UTF-8") from None
        warnings = ("the file is not UTF-8: read it as Windows-1252 (check accented letters)",)
    text = normalise(text)
    if not text.strip():
        raise EmptyInputError("the file has no visible text", path,
                              "remove it from the batch, or collect the page again")
    return text, warnings


def normalise(text: str) -> str:
    """Unix line ends, no BOM or invisible characters, plain spaces, no trailing blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\x85", "\n")
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def is_real_target(target: str) -> bool:
    """A link target worth keeping: not empty and not the page-local "#"."""
    target = target.strip("<> ")
    return bool(target) and target != "#"


def web_address(target: str) -> str | None:
    """The target as an absolute http(s) address, or None when it is not one."""
    target = target.strip("<> ")
    parts = urlsplit(target)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and " " not in target:
        return target
    return None


def drop_dead_links(text: str) -> str:
    """Links whose target is "#" (or nothing) become their text; real links are kept."""
    def link(match: re.Match[str]) -> str:
        return match[0] if is_real_target(match["target"]) else match["text"]

    def image(match: re.Match[str]) -> str:
        return match[0] if is_real_target(match["target"]) else match["alt"]

    return LINK.sub(link, IMAGE.sub(image, text))


def link_texts(text: str) -> list[tuple[str, str]]:
    """(text, target) of every link in a header or attribution line, texts tidied."""
    return [(unescape(squash(m["text"])), m["target"]) for m in LOOSE_LINK.finditer(text)
            if squash(m["text"])]


def unlink(text: str) -> str:
    """A header or attribution line with its links replaced by their texts."""
    return unescape(squash(LOOSE_LINK.sub(lambda m: m["text"], text)))


def unescape(text: str) -> str:
    """Markdown's backslash escapes taken out (HTML-to-Markdown converters add them)."""
    return _ESCAPE.sub(r"\1", text)


def squash(text: str) -> str:
    """Runs of whitespace become one space; the ends are stripped."""
    return " ".join(text.split())


def plain_text(markdown: str) -> str:
    """Markdown as the reader sees it: no link targets, images, emphasis or tags."""
    text = IMAGE.sub("", markdown)
    text = LINK.sub(lambda m: m["text"], text)
    text = _AUTOLINK.sub(lambda m: m["url"], text)
    text = _TAG.sub("", text)
    text = re.sub(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)", "", text, flags=re.M)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return squash(text.replace("\\", ""))
