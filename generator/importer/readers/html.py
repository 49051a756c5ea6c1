"""Article pages saved as HTML, from any site: the generic reader.

The page's own metadata names the article (`html_meta.page_metadata`: JSON-LD, microdata,
Open Graph and `<meta>` tags, then the visible byline, date and copyright line), trafilatura
extracts its text (`html_body.article_markdown`), and pages that are not one article (home and
section pages, search results, login and paywall stubs, pages with almost no text) are refused
with their category. A reader for one site's pages can reuse the two functions and add its
rules (regions, themes, furniture) before this reader in the registry.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from generator.importer.html_text import is_html
from generator.importer.readers.base import Reader
from generator.importer.readers.html_body import article_markdown
from generator.importer.readers.html_meta import (
    PageTooLarge,
    page_metadata,
    parse_page,
    saved_from,
)
from generator.importer.readers.html_values import Original, PageMeta, host, web_url
from generator.importer.readers.html_visible import article_root
from generator.importer.record import (
    ImportedArticle,
    ListingPageError,
    NotAnArticleError,
    PaywallError,
    TooLargeError,
    TooShortError,
    UndatedError,
)
from generator.importer.text import LINK, plain_text
from generator.model import Source

MIN_WORDS = 40  # an article has at least this many words of text
PAYWALL_WORDS = 250  # a page asking for a subscription with less text than this is a stub
_LISTING_TYPES = frozenset({"CollectionPage", "SearchResultsPage", "ItemList", "ProfilePage"})
_TAG = re.compile(r"<(?:body|p|div|article|h1)\b", re.IGNORECASE)
_SECTION_PATH = re.compile(r"/(?:category|categories|tag|tags|topics?|section|sections|search"
                           r"|author|authors|archives?|page/\d+)(?:/|$)", re.IGNORECASE)
_SEARCH_QUERY = re.compile(r"(?:^|&)(?:s|q|query|search)=", re.IGNORECASE)
_PAYWALL = re.compile(
    r"subscribe (?:now )?to (?:continue|keep) reading|(?:to )?(?:continue|keep) reading,? "
    r"(?:please )?(?:subscribe|log in|sign in|register)|already (?:a )?(?:subscriber|member)\?"
    r"|(?:this|the) (?:article|story|content) is (?:only )?(?:available|reserved|exclusive)"
    r" (?:to|for) (?:subscribers|members|premium)|you(?:'|\u2019)ve (?:reached|used) (?:your|all)"
    r"\b.{0,30}\bfree (?:articles|stories)|(?:sign|log) in to (?:read|continue|view)"
    r"|create a free account to (?:continue|read)|subscribe for (?:full|unlimited) access"
    r"|become a (?:subscriber|member) to read", re.IGNORECASE)
_PAYWALL_CLASSES = re.compile(r"(?:^|[\s_-])(?:paywall|regwall|piano-offer|subscriber-only)"
                              r"(?:$|[\s_-])", re.IGNORECASE)


def detect(text: str, path: Path) -> bool:
    """An HTML document: a doctype, `<html>`, `<head>`… at the start (after comments or an XML
    declaration); for .html/.htm files, any body markup near the start."""
    if is_html(text):
        return True
    head = text[:65536]
    return path.suffix.lower() in (".html", ".htm") and head.lstrip().startswith("<") and \
        bool(_TAG.search(head))


def read(text: str, path: Path) -> ImportedArticle:
    """The article of a saved page; raises an ArticleImportError subclass when it is not one."""
    _, meta, body = read_page(text, path)
    return article(meta, body, path)


def read_page(text: str, path: Path) -> tuple[HtmlElement, PageMeta, str]:
    """The page's tree, its metadata and its article's Markdown, for this reader and for site
    readers that add their own rules; raises for a page that is not an article."""
    try:
        tree = parse_page(text)
    except PageTooLarge as exc:
        raise TooLargeError(str(exc), path, "save the article alone (reader view)") from None
    except ValueError:
        raise TooShortError("the page has no document in it", path,
                            "collect the page again") from None
    meta = page_metadata(tree, saved_from(text))
    body = _body(tree, meta, path)
    refuse_non_articles(tree, meta, body, path)
    return tree, meta, body


def _body(tree: HtmlElement, meta: PageMeta, path: Path) -> str:
    try:
        return article_markdown(tree, meta.url, title=meta.title)
    except PageTooLarge as exc:
        raise TooLargeError(str(exc), path, "save the article alone (reader view)") from None
    except Exception as exc:  # the extractor on markup no one foresaw: refuse, batch goes on
        raise NotAnArticleError(f"the page's text could not be extracted ({type(exc).__name__})",
                                path, "open it in a browser and save it again") from None


# --- what is not an article ---------------------------------------------------------------


def refuse_non_articles(tree: HtmlElement, meta: PageMeta, body: str, path: Path) -> None:
    """Raise for a listing (home, section, tag or search page), a login or paywall stub, or a
    page with almost no text."""
    words = len(plain_text(body).split())
    if reason := listing(tree, meta, body):
        raise ListingPageError(f"{reason}, not an article", path,
                               "open one of the articles it lists and save that page")
    if words < PAYWALL_WORDS and (reason := paywall(tree, meta)):
        raise PaywallError(f"{reason}: only {words} words of the article", path,
                           "save the page while logged in, with the whole article shown")
    if words < MIN_WORDS:
        raise TooShortError(f"the page has almost no text of its own ({words} words)", path,
                            "check that the article was saved whole")


def listing(tree: HtmlElement, meta: PageMeta, body: str) -> str | None:
    """Why the page lists articles rather than being one (None when it does not)."""
    types = set(meta.types)
    if "SearchResultsPage" in types:
        return "a search results page"
    teasers, prose = _teasers(tree), _long_paragraphs(tree)
    links = _link_share(body)
    if meta.is_article:
        return "a listing: most of its text is links" if teasers >= 8 and links > 0.5 else None
    if kind := sorted(types & _LISTING_TYPES):
        return f"a listing page ({kind[0]})"
    parts = urlsplit(meta.url or "")
    if teasers >= 3 and meta.url and parts.path.rstrip("/") in ("", "/index.html", "/index.php"):
        return "a home page"
    if teasers >= 3 and (_SECTION_PATH.search(parts.path) or _SEARCH_QUERY.search(parts.query)):
        return "a section, tag or search page"
    if teasers >= 5 and teasers >= prose:
        return f"a listing: {teasers} linked headlines"
    if links > 0.6 and len(LINK.findall(body)) >= 8:
        return "a listing: most of its text is links"
    return None


def _teasers(tree: HtmlElement) -> int:
    """Headings that are links to other pages (the headlines of a listing)."""
    count = 0
    for heading in tree.iter("h2", "h3", "h4"):
        text = len(heading.text_content().strip())
        linked = sum(len(a.text_content().strip()) for a in heading.iterfind(".//a[@href]"))
        parent = heading.getparent()
        inside_link = any(a.tag == "a" for a in heading.iterancestors()) or (
            parent is not None and parent.tag == "a")
        if text and (linked >= 0.6 * text or inside_link):
            count += 1
    return count


def _long_paragraphs(tree: HtmlElement) -> int:
    return sum(1 for p in tree.iter("p") if len(p.text_content().split()) >= 40)


def _link_share(body: str) -> float:
    text = plain_text(body)
    linked = sum(len(plain_text(m["text"])) for m in LINK.finditer(body))
    return linked / len(text) if text else 0.0


def paywall(tree: HtmlElement, meta: PageMeta) -> str | None:
    """Why the page is a login or subscription stub rather than the article."""
    if tree.find(".//input[@type='password']") is not None:
        return "a login page"
    text = article_root(tree).text_content()[:200_000]
    if _PAYWALL.search(text) or meta.free is False:
        return "a paywall: the page asks for a subscription"
    if any(_PAYWALL_CLASSES.search(e.get("class") or "") for e in tree.iterfind(".//*[@class]")):
        return "a paywall: the page asks for a subscription"
    return None


# --- the article ------------------------------------------------------------------------


def article(meta: PageMeta, body: str, path: Path) -> ImportedArticle:
    """The record of an article page; its attribution as the page gives it, never invented."""
    if not meta.title:
        raise NotAnArticleError("the page has no title (no headline, og:title, <h1> or <title>)",
                                path, "is this an article page?")
    if meta.published is None:
        raise UndatedError("the page does not say when it was published (no datePublished, "
                           "article:published_time, <time> or date in its address)", path,
                           "save the article's own page, or add its date to the saved page")
    warnings: list[str] = []
    publisher, source = attribution(meta, warnings)
    if not meta.authors:
        warnings.append("no byline (JSON-LD author, <meta name=author>, “By …”): "
                        "authors left empty")
    return ImportedArticle(
        title=meta.title, date=meta.published, authors=meta.authors, regions=(), themes=(),
        reports=(), publisher=publisher, source=source, copyright=meta.copyright, body=body,
        image=meta.image, warnings=tuple(warnings))


def attribution(meta: PageMeta, warnings: list[str]) -> tuple[str | None, Source]:
    """The publisher (the site the page is from) and the source: the original the page says it
    republishes, else the page itself (its outlet, canonical address and date)."""
    publisher = meta.site_name or host(meta.url)
    original = meta.based_on
    if original is None or _is_itself(original, meta):
        return publisher, Source(name=meta.site_name, url=meta.url, date=meta.published)
    name = original.name
    if not name and (name := host(original.url)):
        warnings.append(f"the page names its original only by address: source.name is its "
                        f"host ({name}); check it")
    return publisher, Source(name=name, url=web_url(original.url), date=original.date)


def _is_itself(original: Original, meta: PageMeta) -> bool:
    """Whether the "original" a page names is the page itself (or its own outlet)."""
    def key(text: str | None) -> str:
        return re.sub(r"\W+", "", text or "").casefold()

    if original.url and meta.url and key(original.url) == key(meta.url):
        return True
    same_outlet = not original.name or key(original.name) == key(meta.site_name)
    if original.url:
        return same_outlet and host(original.url) == host(meta.url) and original.date is None
    return same_outlet


READER = Reader(name="html", suffixes=(".html", ".htm"), detect=detect, read=read)
