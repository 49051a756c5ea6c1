"""What an article page shows rather than declares: its headline, the byline, a `<time>`,
the copyright line, and a note that it republishes another work ("originally published at
…", "The original source of this article is …"). The last resort of `page_metadata`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from generator.importer.dates import DATE, parse_date
from generator.importer.readers.html_values import (
    Original,
    PageMeta,
    When,
    absolute,
    clean,
    copyright_text,
    host,
    person_names,
    when,
)
from generator.importer.text import squash

_BYLINE_TOKENS = frozenset({"byline", "author", "authors", "author-name", "byline-name",
                            "article-author", "post-author", "entry-author", "by-author",
                            "contributor", "writer", "byline__author", "c-byline"})
_BYLINE_TEXT = re.compile(r"^(?:(?:written|words|posted|reported|story)\s+)?by\s+\S",
                          re.IGNORECASE)
_BYLINE_END = re.compile(rf"\s*(?:[|•·\u2014\u2013]|\b(?:published|updated|posted|on)\b|{DATE}).*$",
                         re.IGNORECASE)
_DATELINE = re.compile(rf"(?:^|\b(?:published|updated|posted|dated)\b[\s:]*(?:on\s+)?|[|•·]\s*)"
                       rf"(?P<date>{DATE})(?:\s*$|\s+by\s)", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^\W{0,3}(?:copyright\b|©|\(c\)\s*(?:19|20)\d\d)", re.IGNORECASE)
_ORIGINAL_NOTE = re.compile(
    r"\b(?:(?:originally|first)\s+(?:published|appeared|posted|ran)\b"
    r"|republished\s+(?:from|with\s+permission)|reprinted\s+(?:from|with\s+permission)"
    r"|the\s+original\s+source\s+of\s+this\s+article\s+is)", re.IGNORECASE)
_GENERIC_LINK_TEXT = re.compile(r"^(?:here|this link|link|the original|original|source"
                                r"|read more|click here|this article)$", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/([0-3]\d)/")
_BLOCKS = frozenset({"p", "div", "li", "footer", "section", "td", "blockquote", "aside",
                     "article", "header", "small", "dd", "figcaption", "body", "main"})
_TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014·•-]\s+")
_ELEMENTS = 200_000  # elements of a page looked at for its notes, at most


def visible_metadata(tree: HtmlElement, base: str | None) -> PageMeta:
    """What the page's text says: title, byline, date, copyright, the republished original."""
    container = article_root(tree)
    headline, site = _headline(tree, container)
    notes = list(_note_blocks(tree))
    original = next((o for block in notes if (o := _original_note(block, base))), None)
    return PageMeta(title=headline, authors=tuple(_byline(container)),
                    published=_shown_date(container, base), site_name=site,
                    copyright=_copyright_line(notes, container), based_on=original)


def article_root(tree: HtmlElement) -> HtmlElement:
    """The element that holds the article: the `<article>` with the page's headline (else the
    longest one), else `<main>`, else the body."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    articles = [a for a in root.iter("article") if a.find(".//p") is not None]
    with_headline = [a for a in articles if a.find(".//h1") is not None]
    if with_headline:
        return with_headline[0]
    if articles:
        return max(articles[:50], key=lambda a: len(a.text_content()))
    main = root.find(".//main")
    if main is None:
        main = next(iter(root.xpath(".//*[@role='main']")), None)
    return main if main is not None else root


def _headline(tree: HtmlElement, container: HtmlElement) -> tuple[str | None, str | None]:
    """The first `<h1>`, else the `<title>` without its site suffix (which names the site)."""
    for scope in (container, tree):
        heading = scope.find(".//h1")
        if heading is not None and (text := clean(heading.text_content())):
            return text, _title_suffix(tree)
    title = tree.find(".//title")
    text = clean(title.text_content()) if title is not None else None
    if not text:
        return None, None
    parts = _TITLE_SEPARATOR.split(text)
    if len(parts) > 1 and len(parts[-1].split()) <= 5:
        return " - ".join(parts[:-1]), parts[-1]
    return text, None


def _title_suffix(tree: HtmlElement) -> str | None:
    title = tree.find(".//title")
    text = clean(title.text_content()) if title is not None else None
    parts = _TITLE_SEPARATOR.split(text or "")
    return parts[-1] if len(parts) > 1 and len(parts[-1].split()) <= 5 else None


def _byline(container: HtmlElement) -> list[str]:
    """Names from `rel=author` links, byline elements, or a short "By …" line."""
    linked = [clean(a.text_content()) for a in container.iterfind(".//a[@rel]")
              if "author" in (a.get("rel") or "").lower().split()]
    names = [n for text in linked if text for n in person_names(text)]
    if names:
        return list(dict.fromkeys(names))
    for element in container.iter():
        if _classes(element) & _BYLINE_TOKENS or element.get("itemprop") == "author":
            text = squash(element.text_content())
            if 0 < len(text) <= 120 and (found := person_names(_BYLINE_END.sub("", text))):
                return found
    for element in _short_blocks(container, 40):
        text = squash(element.text_content())
        if _BYLINE_TEXT.match(text) and len(text.split()) <= 14:
            return person_names(_BYLINE_END.sub("", text))
    return []


def _classes(element: HtmlElement) -> set[str]:
    if not isinstance(element.tag, str):
        return set()
    return set(f"{element.get('class') or ''} {element.get('id') or ''}".lower().split())


def _short_blocks(container: HtmlElement, limit: int) -> Iterator[HtmlElement]:
    """The first `limit` paragraphs and small blocks of the container, in page order."""
    count = 0
    for element in container.iter("p", "div", "span", "address", "small"):
        if count >= limit:
            return
        if len(element) <= 3:
            count += 1
            yield element


def _shown_date(container: HtmlElement, base: str | None) -> When | None:
    """A `<time datetime>` in the article, else a dateline near its top ("Posted on 12 May
    2020", "By Ann Lee | March 4, 2021"), else a date in the page's address (/2021/03/04/)."""
    for element in container.iterfind(".//time"):
        if found := when(element.get("datetime")) or when(element.text_content()):
            return found
    for element in _short_blocks(container, 40):
        text = squash(element.text_content())
        if len(text.split()) <= 16 and (match := _DATELINE.search(text)):
            return parse_date(match["date"])
    if base and (match := _URL_DATE.search(base)):
        return when("-".join(match.groups()))
    return None


def _note_blocks(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Blocks whose text holds a copyright line or a republication note, in page order."""
    body = tree.find(".//body")
    seen: set[HtmlElement] = set()  # holding the elements keeps their proxies (and hashes)
    for count, element in enumerate(body.iter() if body is not None else ()):
        if count >= _ELEMENTS:
            return
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if not text or not _is_note(text):
                continue
            block = owner
            while block is not None and block.tag not in _BLOCKS:
                block = block.getparent()
            if block is not None and block not in seen:
                seen.add(block)
                yield block


def _is_note(text: str) -> bool:
    return "©" in text or "opyright" in text or "(c)" in text.lower() or bool(
        _ORIGINAL_NOTE.search(text))


def _copyright_line(notes: list[HtmlElement], container: HtmlElement) -> str | None:
    """A "Copyright © …" or "© 2021 …" line: the article's own before the page footer's."""
    ordered = sorted(notes, key=lambda e: not within(e, container))
    for block in ordered:
        text = squash(block.text_content())
        if len(text) <= 300 and _COPYRIGHT.match(text) and (line := copyright_text(text)):
            return line
    return None


def _original_note(block: HtmlElement, base: str | None) -> Original | None:
    """"Originally published at <a href=…>Outlet</a> on March 3, 2021": the outlet, its
    address and the date; the outlet's name from the text when the link says "here"."""
    text = squash(block.text_content())
    match = _ORIGINAL_NOTE.search(text)
    if match is None or len(text) > 400:
        return None
    after = text[match.end():]
    links = [(clean(a.text_content()) or "", absolute(base, a.get("href")))
             for a in block.iterfind(".//a[@href]")]
    name, url = next(((t, u) for t, u in links if u and t and t in after), (None, None))
    if url is None:
        name, url = next(((t, u) for t, u in links if u), (None, None))
    if not name or _GENERIC_LINK_TEXT.match(name) or name == url or name.startswith("http"):
        name = _named_after(after) or host(url)
    date = next((d for m in re.finditer(DATE, after, re.IGNORECASE)
                 if (d := parse_date(m[0]))), None)
    return Original(name=name, url=url, date=date) if name or url else None


def _named_after(text: str) -> str | None:
    """The outlet named right after "originally published at/on/in/by"."""
    text = re.sub(rf"\s*(?:on\s+)?{DATE}.*$", "", text, flags=re.IGNORECASE)
    match = re.match(r"[\s:]*(?:(?:at|on|in|by|from|is)\s+)?(?:the\s+website\s+of\s+)?"
                     r"([^.,;:()]{2,80}?)\s*(?:[.,;:(]|$)", text, re.IGNORECASE)
    name = match[1].strip() if match else ""
    return name if name and name[0].isupper() and len(name.split()) <= 8 else None


def within(element: HtmlElement, container: HtmlElement) -> bool:
    """Whether the element is the container or inside it."""
    return any(ancestor is container for ancestor in element.iterancestors()) or \
        element is container
