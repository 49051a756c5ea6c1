"""Global Research article pages saved as HTML ("Save page as…", a crawler's copy).

The page is read as its visible text (generator/importer/html_text.py), from the article's
title down, and that text goes through the dump reader: the same byline, date line, labels,
furniture and attribution rules, so a page and its text dump give the same article. The
HTML adds what a dump loses: the links' real addresses (the original source's URL) and the
page's image.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from lxml import html

from generator.importer.dates import DATE
from generator.importer.html_text import absolute, is_html, page_text
from generator.importer.readers import globalresearch
from generator.importer.readers.base import Reader
from generator.importer.readers.html_body import MAX_ELEMENTS, MAX_TEXT
from generator.importer.readers.html_meta import (
    PageTooLarge,
    base_url,
    first,
    meta_tags,
    parse_page,
)
from generator.importer.record import ImportedArticle, NotAnArticleError, TooLargeError

_SITE = re.compile(r"globalresearch\.ca|Centre\s+for\s+Research\s+on\s+Globalization",
                   re.IGNORECASE)
_ORIGINAL = re.compile(r"The\s+original\s+source\s+of\s+this\s+article\s+is", re.IGNORECASE)
# what a page has around an article and a dump does not: by the class or id it goes by
_FURNITURE = re.compile(r"(?<![\w-])(?:share|sharing|sharedaddy|addtoany|social|related|"
                        r"comments?|newsletter|subscribe|cookie|sidebar|widget|popup|modal|"
                        r"advert|print-button)(?![\w])", re.IGNORECASE)
_SIZE = re.compile(r"-\d+x\d+(?=\.\w+$)")
_DATELINE = re.compile(rf"Global\s+Research\s*,\s*{DATE}", re.IGNORECASE)


def detect(text: str, path: Path) -> bool:
    """An HTML page of globalresearch.ca: the site named in the page and its attribution line
    or its date line."""
    if not is_html(text) or not _SITE.search(text):
        return False
    return bool(_ORIGINAL.search(text) or _DATELINE.search(text))


def read(text: str, path: Path) -> ImportedArticle:
    """The article of a saved Global Research page (raises when it is not a whole one)."""
    try:  # the generic reader's parser and its limits on what a page may hold
        root = parse_page(text)
    except PageTooLarge as exc:
        raise TooLargeError(str(exc), path, "save the article alone (reader view)") from None
    except ValueError:
        raise NotAnArticleError("the page has no HTML to read", path,
                                "save the article's page again (as “Web page, complete”)"
                                ) from None
    tags = meta_tags(root)
    base = base_url(root, tags) or ""
    image = absolute(base, first(tags, "og:image", "twitter:image"))
    article = globalresearch.read(dump_text(root, base, image, path), path)
    return replace(article, image=image or article.image)


def dump_text(root: html.HtmlElement, base: str, image: str | None = None,
              path: Path | None = None) -> str:
    """The page's text from its article's title down (menus above it, share bars, related
    links, comment and newsletter boxes, and the lead `image` left out). Raises
    TooLargeError for an article larger than the generic reader reads."""
    container = _container(root)
    if len(container.text_content()) > MAX_TEXT or \
            sum(1 for _ in container.iter()) > MAX_ELEMENTS:
        raise TooLargeError(f"the article has more than {MAX_ELEMENTS:,} elements or "
                            f"{MAX_TEXT:,} characters of text, more than any article",
                            path, "save the article alone (reader view)")
    _drop_furniture(container, base, image)
    text = page_text(container, base)
    title = _title(root)
    if title:
        lines = text.split("\n\n")
        start = next((i for i, line in enumerate(lines) if line.strip() == title), 0)
        text = "\n\n".join(lines[start:])
    return text


def _drop_furniture(container: html.HtmlElement, base: str, image: str | None) -> None:
    """Remove the page's furniture by its class or id, and the lead image (the page's
    `image`: a dump has neither)."""
    doomed = [element for element in container.iterdescendants()
              if isinstance(element.tag, str) and _FURNITURE.search(
                  f"{element.get('class') or ''} {element.get('id') or ''}")]
    if image:
        doomed += [img for img in container.iter("img")
                   if _same_image(absolute(base, img.get("src")), image)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # (its tail stays)


def _same_image(one: str | None, other: str) -> bool:
    """The same picture, perhaps in another size ("photo-400x225.jpg" and "photo.jpg")."""
    if not one:
        return False
    def stem(url: str) -> str:
        return _SIZE.sub("", url.rsplit("/", 1)[-1].split("?")[0]).lower()
    return one == other or stem(one) == stem(other)


def _title(root: html.HtmlElement) -> str:
    heading = _heading(root)
    return " ".join(heading.text_content().split()) if heading is not None else ""


def _heading(root: html.HtmlElement) -> html.HtmlElement | None:
    """The article's <h1>: the longest whose text the page's og:title or <title> holds, else
    the last one above the attribution line (a site's logo may be an <h1> too)."""
    headings = [h for h in root.iter("h1") if h.text_content().strip()]
    if not headings:
        return None
    named = " ".join(f"{first(meta_tags(root), 'og:title') or ''} "
                     f"{root.findtext('.//title') or ''}".split()).lower()
    titled = [h for h in headings if " ".join(h.text_content().split()).lower() in named]
    if titled:  # the longest: "Global Research" in a logo is in the <title> too
        return max(titled, key=lambda h: len(h.text_content().strip()))
    original = _original(root)
    if original is not None:
        above = [h for h in headings if _before(h, original)]
        if above:
            return above[-1]
    return headings[0]


def _original(root: html.HtmlElement) -> html.HtmlElement | None:
    """The element holding "The original source of this article is"."""
    return next((node.getparent() for node in root.xpath("//text()") if _ORIGINAL.search(node)),
                None)


def _before(one: html.HtmlElement, other: html.HtmlElement) -> bool:
    """Whether `one` starts before `other` in the document."""
    for element in one.getroottree().iter():
        if element is one:
            return True
        if element is other:
            return False
    return False


def _container(root: html.HtmlElement) -> html.HtmlElement:
    """The smallest element holding the title and the attribution line (else the body)."""
    body = root.find("body")
    body = body if body is not None else root
    heading = _heading(root)
    original = _original(root)
    if heading is None or original is None:
        return body
    # (lxml gives one proxy per node while a reference to it lives: this list keeps them)
    ancestors = [heading, *heading.iterancestors()]
    for candidate in (original, *original.iterancestors()):
        if any(candidate is ancestor for ancestor in ancestors):
            return candidate
    return body


READER = Reader(name="globalresearch-html", suffixes=(".html", ".htm"), detect=detect,
                read=read)
