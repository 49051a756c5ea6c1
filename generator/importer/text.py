"""Text helpers every reader shares: decoding, normalising, Markdown links, plain text."""

from __future__ import annotations

import codecs
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
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_PRESCAN = 8192  # bytes of a page searched for its declared encoding
_MARKUP_START = re.compile(rb"\s*<[!?A-Za-z]")
_XML_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)",
                           re.IGNORECASE)
_ASCII_PROBE = b"<meta charset=utf-8> Az09"  # what a page that declares its encoding starts as
_BROWSER_LABELS = {"latin-1": "cp1252", "latin1": "cp1252", "iso-8859-1": "cp1252",
                   "iso8859-1": "cp1252", "l1": "cp1252", "ascii": "cp1252",
                   "us-ascii": "cp1252", "x-user-defined": "cp1252"}
_AUTOLINK = re.compile(r"<(?P<url>(?:https?|ftp|mailto):[^<>\s]*)>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|`+)(?=\S)(.+?)(?<=\S)\1")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def decode(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """The text of an input file, normalised (see `normalise`), and any warnings.

    The encoding is the byte-order mark's, else the one an HTML page declares (`<meta
    charset>`, `http-equiv` Content-Type, the XML declaration), else UTF-8, else Windows-1252.
    """
    if not data.strip():
        raise EmptyInputError("the file is empty" if not data else "the file has only whitespace",
                              path, "remove it from the batch, or collect the page again")
    encoding = bom_encoding(data)
    if encoding is None and b"\x00" in data[:8192]:
        raise NotTextError("the file is binary, not text", path,
                           "import the text dump of the page, not the saved file")
    text, warnings = _decoded(data, encoding or declared_encoding(data), path)
    text = normalise(text)
    if not text.strip():
        raise EmptyInputError("the file has no visible text", path,
                              "remove it from the batch, or collect the page again")
    return text, warnings


def _decoded(data: bytes, encoding: str | None, path: Path) -> tuple[str, tuple[str, ...]]:
    if encoding not in (None, "utf-8", "utf-8-sig"):
        try:
            return data.decode(encoding), ()
        except UnicodeDecodeError as exc:
            return data.decode(encoding, "replace"), (
                f"bytes that are not {encoding} as the page says (byte {exc.start}): "
                "replaced with \ufffd",)
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise NotTextError(f"not UTF-8 text (byte {exc.start}) and not Windows-1252 either",
                               path, "save the file as UTF-8") from None
    return text, ("the file is not UTF-8: read it as Windows-1252 (check accented letters)",)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of the data names."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML page declares near its start, as Python names it; labels that
    browsers read as another encoding (Latin-1 as Windows-1252, UTF-16 without a byte-order
    mark as UTF-8) are read the same way. None for text that is not HTML or declares none."""
    head = data[:_PRESCAN]
    if not _MARKUP_START.match(head):
        return None
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match[1].decode("ascii").lower()
    try:
        name = codecs.lookup(_BROWSER_LABELS.get(label, label)).name
        name = "utf-8" if name.startswith(("utf-16", "utf-32")) else _BROWSER_LABELS.get(name, name)
        ascii_compatible = _ASCII_PROBE.decode(name) == _ASCII_PROBE.decode("ascii")
    except (LookupError, UnicodeError):  # not a text encoding ("base64"), or "undefined"
        return None
    return name if ascii_compatible else None


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
