"""Global Research page dumps: the text of a globalresearch.ca article page.

The layout, top to bottom (lines may be run together, blank lines may be missing):

    Title
    By [Author](…) and [Other Author](…)
    Global Research, September 02, 2017
    [Original Outlet](…) 1 September 2017            (absent when Global Research is the source)
    Region: [Middle East & North Africa](…)
    Theme: [Terrorism](…), [US NATO War Agenda](…)
    In-depth Report: [SYRIA](…)
    (newsletter / translate / share notes)  the article  (the outlet's donation appeal)
    The original source of this article is [Original Outlet](…)
    Copyright © [Author](…), [Original Outlet](…), 2017
    (Facebook, membership, "Articles by:", disclaimer, fair use, media contacts)

Pure functions on strings; `READER` is what the registry lists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.importer import body as blocks
from generator.importer.dates import DATE, parse_date
from generator.importer.html_text import is_html
from generator.importer.readers.base import Reader
from generator.importer.readers.globalresearch_furniture import (
    CLOSING,
    appeal_lines,
    is_appeal,
    is_kept_note,
    strip_furniture,
)
from generator.importer.record import ImportedArticle, NotAnArticleError, TruncatedArticleError
from generator.importer.text import (
    LOOSE_LINK,
    drop_dead_links,
    link_texts,
    squash,
    unescape,
    unlink,
    web_address,
)
from generator.model import Source

PUBLISHER = "Global Research"
HEADER_REACH = 15  # non-blank lines from the top in which the date line must appear

_DATELINE = re.compile(rf"\[?\bGlobal\s+Research\]?(?:\([^()\s]*\))?\s*,?\s*(?P<date>{DATE})",
                       re.IGNORECASE)
_LABEL = re.compile(r"(?<![\w\[])(?P<label>Regions?|Themes?|In-?depth\s+Reports?)\s*:",
                    re.IGNORECASE)
_BYLINE = re.compile(r"^(?:\*\*|__)?By\b\s*:?\s*", re.IGNORECASE)
_INLINE_BYLINE = re.compile(r"\s+By\s+(?=\[)")
_SOURCE_LINE = re.compile(rf"^(?P<name>.+?)[\s,]+(?P<date>{DATE})\s*$", re.IGNORECASE)
_ORIGINAL = re.compile(r"^[*_\s]*The\s+original\s+source\s+of\s+this\s+article\s+is\b\s*:?\s*",
                       re.IGNORECASE)
_COPYRIGHT = re.compile(r"^[*_\s]*Copyright\s*(?:©|Â©|\(c\)|&copy;)\s*", re.IGNORECASE)
_ARTICLES_BY = re.compile(r"^[*_\s]*Articles\s+by\s*:\s*", re.IGNORECASE)
_URL_OF_ARTICLE = re.compile(r"^\W*Url\s+of\s+this\s+article\b", re.IGNORECASE)
_BARE_URL = re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.IGNORECASE)
# Where a run-together attribution line is cut into its parts.
_TAIL_MARK = re.compile(r"(?=\[?(?:Copyright\s*(?:©|Â©|\(c\)|&copy;)|Comment on Global Research"
                        r"|Become a Member of Global Research|Articles\s+by\s*:|Disclaimer\s*:"
                        r"|www\.globalresearch\.ca contains|For media inquiries))", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[|\u2013-]\s+Global Research\b.*$", re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", re.IGNORECASE)
# Global Research terms whose names have a comma: kept whole when a dump drops the links.
_KNOWN_TERMS = ("Culture, Society & History", "Culture, Society and History")
_PARTICLES = {"al", "bin", "ibn", "ben", "da", "das", "de", "del", "della", "der", "den", "di",
              "do", "dos", "du", "el", "la", "le", "st", "ter", "van", "von", "y", "zu"}


@dataclass(slots=True)
class _Header:
    """What the lines above the article say; `end` is the first line of the body."""

    title: str = ""
    byline: str = ""
    date_text: str = ""
    source_line: str = ""
    terms: dict[str, list[str]] = field(default_factory=lambda: {
        "regions": [], "themes": [], "reports": []})
    end: int = 0
    lead: list[str] = field(default_factory=list)  # article text run into the header lines


@dataclass(slots=True)
class _Tail:
    """The attribution block under the article; `start` is the line after the body."""

    start: int
    original: str | None = None
    copyright: str | None = None
    complete: bool = False


def detect(text: str, path: Path) -> bool:
    """A Global Research page dump: its date line near the top (never an HTML page: those
    go to the page readers)."""
    if is_html(text):
        return False
    head = [line for line in text.split("\n", 400)[:400] if line.strip()][:HEADER_REACH + 1]
    return any(_DATELINE.search(line) for line in head)


def read(text: str, path: Path) -> ImportedArticle:
    """The article in a Global Research page dump (raises when it is not a whole article)."""
    lines = text.split("\n")
    header = _read_header(lines, path)
    date = parse_date(header.date_text)
    if date is None:  # pragma: no cover - DATE only matches what parse_date reads, but for
        raise NotAnArticleError(f"cannot read the date {header.date_text!r}", path)
    tail = _read_tail(lines, header.end)
    body_lines = [*header.lead, *lines[header.end:tail.start]]
    article_body = _body(body_lines)
    if not tail.complete:
        where = "after the header" if not article_body else "before its attribution"
        raise TruncatedArticleError(
            f"the page stops {where}: no “The original source of this article is …” line, no "
            "“Copyright ©” line and none of the page's closing notes", path,
            "collect the whole page again")
    warnings: list[str] = []
    source = _source(header, tail, date, warnings)
    return ImportedArticle(
        title=header.title,
        date=date,
        authors=tuple(_authors(header.byline, _articles_by(lines, header.end), warnings)),
        regions=tuple(header.terms["regions"]),
        themes=tuple(header.terms["themes"]),
        reports=tuple(header.terms["reports"]),
        publisher=PUBLISHER,
        source=source,
        copyright=_copyright(tail.copyright),
        body=article_body,
        warnings=tuple(warnings),
    )


# --- the header -------------------------------------------------------------------------


def _read_header(lines: Sequence[str], path: Path) -> _Header:
    found = _find_dateline(lines)
    if found is None:
        raise NotAnArticleError("no “Global Research, <date>” line under a title", path,
                                "is this the text of a Global Research article page?")
    index, match = found
    header = _Header(date_text=match["date"])
    above = [x.strip() for x in lines[:index] if x.strip()]
    before = lines[index][:match.start()].strip()
    if before:
        above.append(before)
    _title_and_byline(header, above)
    if not header.title:
        raise NotAnArticleError("no title above the “Global Research, <date>” line", path)
    rest = lines[index][match.end():].strip()
    header.end = index + 1
    if rest and not _header_line(header, rest):
        header.lead.append(rest)
        return header
    skip_url = False
    for number in range(index + 1, len(lines)):
        line = lines[number].strip()
        if not line:
            continue
        if skip_url and _BARE_URL.match(line):
            skip_url = False
        elif _URL_OF_ARTICLE.match(line):
            skip_url = not re.search(r"https?://|www\.", line)
        elif strip_furniture(line) is None:
            pass  # the site's notes between the header lines (the body drops them too)
        elif not _header_line(header, line):
            break
        header.end = number + 1
    return header


def _find_dateline(lines: Sequence[str]) -> tuple[int, re.Match[str]] | None:
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if match := _DATELINE.search(line):
            return index, match
        seen += 1
        if seen > HEADER_REACH:
            return None
    return None


def _title_and_byline(header: _Header, above: list[str]) -> None:
    """The title is the first line (or lines) above the date; the byline starts with "By"."""
    labels = [x for x in above[1:] if _LABEL.match(x)]
    above = [x for x in above if x not in labels or x == above[0]]
    for line in labels:
        _header_line(header, line)
    source = next((x for x in above[1:] if not _BYLINE.match(x) and _is_source_line(x)), None)
    if source is not None:  # "[Outlet](…) 1 September 2017" above the date
        header.source_line = source
        above = [x for x in above if x is not source]
    start = next((i for i, x in enumerate(above) if i > 0 and _BYLINE.match(x)), None)
    if start is None and above and (inline := list(_INLINE_BYLINE.finditer(above[-1]))):
        last = inline[-1]
        above = [*above[:-1], above[-1][:last.start()], above[-1][last.end():]]
        start = len(above) - 1
    if start is None and len(above) > 1 and LOOSE_LINK.search(" ".join(above[1:])):
        start = 1  # a linked byline without "By"
    title_lines = above if start is None else above[:start]
    header.byline = " ".join(above[start:]) if start is not None else ""
    header.title = _title(" ".join(title_lines))


def _title(text: str) -> str:
    text = re.sub(r"^#{1,6}\s+", "", squash(text))
    text = unlink(_SITE_SUFFIX.sub("", text))
    while len(text) > 4 and text[:2] in ("**", "__") and text.endswith(text[:2]):
        text = text[2:-2].strip()
    return text


def _header_line(header: _Header, line: str) -> bool:
    """Take a header line apart into its labelled lists and the source line; False when the
    line is not a header line (it then starts the body)."""
    marks = list(_LABEL.finditer(line))
    lead = line[:marks[0].start()].strip() if marks else line.strip()
    if lead:
        labelled = any(header.terms.values())
        if header.source_line or labelled or not _is_source_line(lead):
            return False
        header.source_line = lead
    for mark, following in zip(marks, [*marks[1:], None], strict=False):
        value = line[mark.end():following.start() if following else len(line)]
        key = {"r": "regions", "t": "themes", "i": "reports"}[mark["label"][0].lower()]
        for name in _names(value, terms=True):
            if name not in header.terms[key]:
                header.terms[key].append(name)
    return True


def _is_source_line(text: str) -> bool:
    match = _SOURCE_LINE.match(text)
    if not match:
        return False
    name = unlink(match["name"]).strip(" ,")
    return bool(name) and len(name.split()) <= 12 and not name.startswith("(") and \
        not name.endswith((":", ".")) and not _URL_OF_ARTICLE.match(name)


# --- the attribution block --------------------------------------------------------------


def _read_tail(lines: Sequence[str], start: int) -> _Tail:
    """Find the attribution under the body; the body ends where it starts."""
    original = next((i for i in range(len(lines) - 1, start - 1, -1)
                     if _ORIGINAL.match(lines[i])), None)
    if original is not None:
        tail_start = original
        previous = next((i for i in range(original - 1, start - 1, -1) if lines[i].strip()), None)
        if previous is not None and _COPYRIGHT.match(lines[previous]):
            tail_start = previous
    else:
        tail_start = len(lines)
        for index in range(len(lines) - 1, start - 1, -1):
            line = lines[index].strip()
            if line and not _is_closing_line(line):
                break
            tail_start = index
    tail = _Tail(start=tail_start)
    parts = [p.strip() for line in lines[tail_start:] for p in _TAIL_MARK.split(line)]
    parts = [p for p in parts if p]
    for index, part in enumerate(parts):
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if not following or _is_attribution_line(following):
            following = ""  # a value on the line under its label ("… of this article is\nX")
        if (match := _ORIGINAL.match(part)) and tail.original is None:
            tail.original, tail.complete = part[match.end():].strip() or following, True
        elif (match := _COPYRIGHT.match(part)) and tail.copyright is None:
            tail.copyright, tail.complete = part[match.end():].strip() or following, True
        elif _ARTICLES_BY.match(part) or CLOSING.match(unlink(part).lstrip("[*_ ")):
            tail.complete = True
    return tail


def _is_attribution_line(line: str) -> bool:
    return bool(_ORIGINAL.match(line) or _COPYRIGHT.match(line) or _ARTICLES_BY.match(line)
                or CLOSING.match(unlink(line).lstrip("[*_ ")))


def _is_closing_line(line: str) -> bool:
    return bool(_COPYRIGHT.match(line) or _ARTICLES_BY.match(line)
                or CLOSING.match(unlink(line).lstrip("[*_ ")) or _URL_OF_ARTICLE.match(line)
                or (_BARE_URL.match(line) and "globalresearch" in line.lower()))


def _articles_by(lines: Sequence[str], start: int) -> list[str]:
    for line in reversed(lines[start:]):
        for part in _TAIL_MARK.split(line):
            if match := _ARTICLES_BY.match(part):
                return [text for text, _ in _links(part[match.end():])]
    return []


def _source(header: _Header, tail: _Tail, date: dt.date, warnings: list[str]) -> Source:
    """The original publication: named by the attribution line, dated by the source line."""
    name = url = line_name = line_url = None
    if tail.original is not None:
        name, url = _name_and_address(tail.original)
    line_date = None
    if header.source_line:
        match = _SOURCE_LINE.match(header.source_line)
        assert match is not None  # _is_source_line checked it
        line_name, line_url = _name_and_address(match["name"])
        line_date = parse_date(match["date"])
    if not name and line_name:
        name = line_name
        warnings.append(f"no “The original source of this article is …” line: source.name "
                        f"taken from the line under the byline ({line_name!r})")
    elif name and line_name and _same_name(name, line_name) is False:
        warnings.append(f"the original source is {name!r} but the line under the byline "
                        f"names {line_name!r}: check source.name and source.date")
    url = url or (line_url if line_name and name and _same_name(name, line_name) else None)
    source_date = line_date
    if source_date is None and name and _same_name(name, PUBLISHER) and not header.source_line:
        source_date = date  # the publisher is the original: its date line dates it
    return Source(name=name or None, url=url, date=source_date)


def _name_and_address(text: str) -> tuple[str | None, str | None]:
    links = _links(text)
    name = unlink(text).strip(" .,;") or None
    url = next((address for _, target in links if (address := web_address(target))), None)
    return name, url


def _same_name(one: str, other: str) -> bool:
    def key(x: str) -> str:
        return re.sub(r"\W+", "", x).lower()

    return key(one) == key(other)


def _copyright(text: str | None) -> str | None:
    """The copyright line without "Copyright ©"; names repeated by the page said once."""
    if text is None:
        return None
    text = re.sub(r"(?<=\d)\.$", "", unlink(text))
    parts: list[str] = []
    for part in text.split(","):
        part = part.strip(" ;")
        if part and part.lower() not in (p.lower() for p in parts):
            parts.append(part)
    return ", ".join(parts) or None


# --- names ------------------------------------------------------------------------------


def _links(text: str) -> list[tuple[str, str]]:
    return link_texts(text)


def _authors(byline: str, articles_by: list[str], warnings: list[str]) -> list[str]:
    """One author per linked name in the byline; an unlinked byline is split with care."""
    text = _BYLINE.sub("", byline.strip(), count=1)
    if not text:
        if articles_by:
            return articles_by
        warnings.append("no byline (“By …”): authors left empty")
        return []
    names = _names(text)
    if not LOOSE_LINK.search(text) and len(articles_by) > len(names) and all(
            a.lower() in text.lower() for a in articles_by):
        return articles_by  # "Articles by:" links the names the byline only wrote
    return names


def _names(text: str, *, terms: bool = False) -> list[str]:
    """Linked names as written, in order, said once. Text between links is split only where
    it is plainly a list: of people for bylines, at commas for terms (whose names hold "&"
    and "and", and sometimes commas: known names are kept whole)."""
    split = _split_terms if terms else _split_people
    names: list[str] = []
    last = 0
    for match in LOOSE_LINK.finditer(text):
        names += split(_unlinked_part(text[last:match.start()]))
        if name := unescape(squash(match["text"])):
            names.append(name)
        last = match.end()
    names += split(_unlinked_part(text[last:]))
    unique: list[str] = []
    for name in names:
        if name.lower() not in (u.lower() for u in unique):
            unique.append(name)
    return unique


def _unlinked_part(text: str) -> str:
    """Text between links without the separators at its ends ("and", ",", "&")."""
    text = squash(text)
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"^(?:(?:and|&)\b|[,;&])\s*|\s*(?:\b(?:and|&)|[,;&])$", "", text,
                      flags=re.IGNORECASE).strip()
    return text if re.search(r"\w", text) else ""


def _split_people(text: str) -> list[str]:
    if not text:
        return []
    parts = [p.strip() for p in _NAME_SEPARATOR.split(text) if p and p.strip()]
    if all(_looks_like_person(p) for p in parts):
        return parts
    commas = [p.strip() for p in re.split(r"\s*[,;]\s*", text) if p.strip()]
    return commas if all(_looks_like_person(p) for p in commas) else [text]


def _split_terms(text: str) -> list[str]:
    if not text:
        return []
    found: list[tuple[int, str]] = []
    for known in _KNOWN_TERMS:
        for match in re.finditer(re.escape(known), text, re.IGNORECASE):
            found.append((match.start(), match[0]))
            text = text[:match.start()] + "\0" * len(match[0]) + text[match.end():]
    for match in re.finditer(r"[^,;\0]+", text):
        if match[0].strip():
            found.append((match.start(), match[0].strip()))
    return [name for _, name in sorted(found)]


def _looks_like_person(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 6 and all(
        w[0].isupper() or w.lower().strip(".") in _PARTICLES
        or re.match(r"^(?:al|el|d)[-'\u2019]", w, re.IGNORECASE) for w in words)


# --- the body ---------------------------------------------------------------------------


def _body(lines: Sequence[str]) -> str:
    """The article's Markdown: the site's notes and appeals taken out, dead links made text."""
    kept: list[str] = []
    skip_url = False
    appeals = appeal_lines(lines)
    for number, line in enumerate(lines):
        if number in appeals:
            continue
        if skip_url and _BARE_URL.match(line.strip()):
            skip_url = False
            continue
        skip_url = False
        remainder = strip_furniture(line)
        if remainder is None:
            skip_url = bool(_URL_OF_ARTICLE.match(line)) and not re.search(r"https?://|www\.",
                                                                            line)
            continue
        kept.append(drop_dead_links(remainder))
    structured = blocks.tidy(blocks.structure(kept))
    structured = blocks.drop_closing(structured, is_appeal, is_kept_note)
    return blocks.markdown(structured).strip()


READER = Reader(name="globalresearch", suffixes=(".txt", ".md"), detect=detect, read=read)
