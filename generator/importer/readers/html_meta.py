"""What an article page says about itself, gathered from every place it says it.

`page_metadata` reads each source into a `PageMeta` of its own and keeps, field by field, the
first that has a value: JSON-LD, microdata, Open Graph and the other `<meta>` tags, then what
the page shows (`html_visible`). Nothing is guessed beyond what a source says.
"""

from __future__ import annotations

import re
from dataclasses import replace

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from generator.importer.readers.html_schema import json_ld, keywords, microdata
from generator.importer.readers.html_values import (
    PageMeta,
    absolute,
    clean,
    copyright_text,
    merged,
    person_names,
    strip_site_suffix,
    web_url,
    when,
)
from generator.importer.readers.html_visible import visible_metadata

#: Tags ("<") a page may have; parsing more would cost memory no article page needs.
MAX_TAGS = 400_000
#: Characters of one script or style kept (JSON-LD metadata is in a short script).
MAX_SCRIPT = 1_000_000
_DATA_URI = re.compile(r"data:[\w/+.;=-]{0,100},[^\"'\s)>]{256,}")
_SCRIPT_OPEN = re.compile(r"<(script|style)\b[^>]{0,2000}>", re.IGNORECASE)
_SAVED_FROM = re.compile(r"<!--\s*(?:saved from url=\(\d+\)|Page saved with SingleFile\s*"
                         r"url:)\s*(\S+)", re.IGNORECASE)
_PUBLISHED = ("article:published_time", "og:article:published_time", "datepublished",
              "pubdate", "publishdate", "publish-date", "date", "dc.date.issued",
              "dcterms.issued", "dc.date", "dcterms.date", "parsely-pub-date", "sailthru.date")
_AUTHORS = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
            "sailthru.author", "byl")
_IMAGES = ("og:image:secure_url", "og:image:url", "og:image", "twitter:image",
           "twitter:image:src")
_RIGHTS = ("copyright", "dcterms.rights", "dc.rights", "rights")


class PageTooLarge(ValueError):
    """A page with more markup or text than any article page has: read no further."""


def parse_page(html: str) -> HtmlElement:
    """The document tree of a page (lxml's forgiving HTML parser; comments dropped), after
    inline data (`data:` images, long scripts and styles) is taken out. Raises PageTooLarge
    for a page with more than `MAX_TAGS` tags, ValueError when there is no document."""
    html = lighten(html)
    if html.count("<") > MAX_TAGS:
        raise PageTooLarge(f"the page has more than {MAX_TAGS:,} tags, more than any article "
                           "page")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                  collect_ids=False, default_doctype=False)
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        raise ValueError(str(exc) or "no document") from None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise PageTooLarge("the page's markup is nested deeper (or a text in it is longer) "
                           "than the HTML parser reads")
    if not isinstance(tree, HtmlElement):
        raise ValueError("no document")
    return tree


def lighten(html: str) -> str:
    """The page without what is never text and only costs memory: inline `data:` addresses
    and the content of scripts and styles longer than `MAX_SCRIPT` characters."""
    html = _DATA_URI.sub("data:,", html)
    kept: list[str] = []
    position = 0
    for opening in _SCRIPT_OPEN.finditer(html):
        if opening.start() < position:
            continue
        closing = re.compile(rf"</{opening[1]}\s*>", re.IGNORECASE).search(html, opening.end())
        if closing is None:
            break
        if closing.start() - opening.end() > MAX_SCRIPT:
            kept.append(html[position:opening.end()])
            position = closing.start()
    return "".join([*kept, html[position:]]) if kept else html


def saved_from(html: str) -> str | None:
    """The address a browser or SingleFile noted when it saved the page."""
    match = _SAVED_FROM.search(html[:4096])
    return web_url(match[1]) if match else None


def page_metadata(page: HtmlElement | str, url: str | None = None) -> PageMeta:
    """The page's metadata; `url` is where it was collected from, if known. Addresses come out
    absolute (against `<base href>`, the canonical address or `url`)."""
    tree = parse_page(page) if isinstance(page, str) else page
    if isinstance(page, str):
        url = url or saved_from(page)
    tags = meta_tags(tree)
    base = base_url(tree, tags, url) or json_ld(tree, None).url or microdata(tree, None).url
    meta = merged(json_ld(tree, base), microdata(tree, base), tag_metadata(tree, tags, base),
                  visible_metadata(tree, base))
    title = strip_site_suffix(meta.title, meta.site_name) if meta.title else None
    return replace(meta, title=title, url=meta.url or web_url(url))


def base_url(tree: HtmlElement, tags: dict[str, list[str]], url: str | None = None) -> str | None:
    """What relative addresses in the page are relative to: `<base href>` (itself against the
    page's address), else the canonical or og:url address, else where it was collected from."""
    page = absolute(web_url(url), canonical(tree)) or absolute(web_url(url), first(
        tags, "og:url")) or web_url(url)
    base = tree.find(".//base[@href]")
    if base is not None:
        return absolute(page, base.get("href")) or page
    return page


def canonical(tree: HtmlElement) -> str | None:
    """The `href` of `<link rel=canonical>`, as written."""
    for link in tree.iterfind(".//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return link.get("href")
    return None


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """Every `<meta property|name=… content=…>`, by lower-case name, values in page order."""
    tags: dict[str, list[str]] = {}
    for element in tree.iterfind(".//meta[@content]"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = clean(element.get("content"))
        if key and value:
            tags.setdefault(key, []).append(value)
    return tags


def first(tags: dict[str, list[str]], *keys: str) -> str | None:
    """The first value of the first of `keys` the page has."""
    return next((tags[key][0] for key in keys if tags.get(key)), None)


def tag_metadata(tree: HtmlElement, tags: dict[str, list[str]], base: str | None) -> PageMeta:
    """Open Graph, `article:*`, Dublin Core and the usual `<meta name>` tags."""
    authors = next((names for key in _AUTHORS
                    if (names := [n for v in tags.get(key, []) for n in person_names(v)])), [])
    og_type = (first(tags, "og:type") or "").lower()
    is_article = og_type == "article" or "article:published_time" in tags
    found = [k for key in ("article:section", "article:tag", "news_keywords", "keywords")
             for value in tags.get(key, []) for k in keywords(value)]
    return PageMeta(
        title=first(tags, "og:title", "twitter:title", "dc.title"),
        authors=tuple(dict.fromkeys(authors)),
        published=next((d for key in _PUBLISHED if (d := when(first(tags, key)))), None),
        modified=when(first(tags, "article:modified_time", "og:updated_time")),
        url=absolute(base, canonical(tree)) or absolute(base, first(tags, "og:url")),
        site_name=first(tags, "og:site_name", "application-name"),
        copyright=copyright_text(first(tags, *_RIGHTS)),
        image=next((u for key in _IMAGES if (u := absolute(base, first(tags, key)))), None),
        types=("article",) if is_article else (og_type,) if og_type else (),
        keywords=tuple(dict.fromkeys(found)))
