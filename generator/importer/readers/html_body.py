"""The article text of a page as Markdown: trafilatura's extraction, fed a tree whose
addresses are absolute and whose furniture (share bars, newsletter and cookie boxes, related
links, comments) is gone, then tidied so the body holds only the article.

Bounded: scripts, styles and inline data go before anything is measured; a page whose text is
still larger than any article is narrowed to its article element, or refused.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement

from generator.importer.dates import DATE
from generator.importer.readers.html_meta import PageTooLarge, base_url, meta_tags, parse_page
from generator.importer.readers.html_values import web_url, when
from generator.importer.readers.html_visible import article_root, within
from generator.importer.text import IMAGE, LINK, plain_text

#: Elements of a page fed to trafilatura at most (a long article has a few thousand; its
#: time grows faster than the page: 1.3 s at 30,000).
MAX_ELEMENTS = 30_000
#: Characters of text fed to trafilatura at most (the longest articles have ~300,000).
MAX_TEXT = 2_000_000
#: Above this many elements trafilatura skips its second opinions (readability, jusText).
FAST_ABOVE = 10_000

_DROPPED_TAGS = ("script", "style", "template", "svg", "canvas", "iframe", "object", "embed",
                 "button", "select", "textarea", "input", "dialog", "nav", "form")
_FURNITURE_WORDS = frozenset({
    "share", "shares", "sharing", "sharebar", "social", "newsletter", "newsletters",
    "subscribe", "subscription", "signup", "cookie", "cookies", "consent", "gdpr", "related",
    "recommended", "recirculation", "comments", "comment", "disqus", "promo", "advert",
    "advertisement", "ad", "ads", "sponsored", "popup", "modal", "breadcrumb", "breadcrumbs",
    "outbrain", "taboola", "sidebar", "donate", "donation", "tags", "trending"})
_FURNITURE_ROLES = frozenset({"navigation", "complementary", "dialog", "alertdialog", "search",
                              "contentinfo"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_FURNITURE_TEXT = re.compile(
    r"^\W*(?:share\s+(?:this|on|via)\b|share\s*:?\s*$|follow us\b|sign up (?:for|to|here|now)\b"
    r"|subscribe (?:to|for|now|here|today)\b|subscribe\s*$|newsletter\b"
    r"|(?:get|receive) (?:our|the)\b.{0,40}\bnewsletter|we use cookies"
    r"|(?:this|our) (?:site|website) uses cookies|by (?:using|continuing)\b.{0,80}\bcookies"
    r"|accept (?:all )?cookies|related(?: articles| stories| posts| coverage|\s*:)"
    r"|read (?:more|next|also)\b|(?:you|we) (?:may|might) also like"
    r"|recommended(?: for you| stories| articles| reading|\s*:)"
    r"|most (?:read|popular)(?: stories| articles)?\s*:?\s*$|\d*\s*comments?\s*(?:\(\d+\))?$"
    r"|\d+\s+comments?\b|leave a (?:comment|reply)|advertisement\s*$"
    r"|sponsored(?: content| post| links?)?\s*:?\s*$|tags?\s*:|filed under\b|click here to\b"
    r"|(?:please )?donate (?:now|today|here)\b|support (?:our|independent) (?:work|journalism)"
    r"|the original source of this article is\b|copyright\s*(?:©|\(c\)|\d{4})|©)",
    re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+")
_BYLINE = re.compile(r"^\W*(?:(?:written|words|posted|reported|story)\s+)?by\s+\S", re.I)
_DATELINE = re.compile(rf"^\W*(?:(?:first\s+)?(?:published|updated|posted)\s*(?:on|:)?\s*)?{DATE}",
                       re.IGNORECASE)

def article_markdown(page: HtmlElement | str, url: str | None = None, *,
                     title: str | None = None) -> str:
    """The article's text as Markdown ("" when the page has none). `url` is the page's address
    (links and images are made absolute against it or `<base href>`); `title` is left out of
    the body. The tree given is not changed. Raises PageTooLarge."""
    tree = parse_page(page) if isinstance(page, str) else page
    base = base_url(tree, meta_tags(tree), url)
    work, elements = _bounded_copy(tree)
    prune(work)
    if base:
        work.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    return tidy(_extract(work, base, fast=elements > FAST_ABOVE), title)


def prune(tree: HtmlElement) -> None:
    """Remove what is never article text: scripts, forms, navigation, hidden elements, and
    furniture named by its class, id or role (never the article's element or what holds it)."""
    for element in list(tree.iter(*_DROPPED_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for anchor in tree.iter("a"):  # links within the page, or to scripts: their text only
        target = (anchor.get("href") or "").strip().lower()
        if not target or target.startswith(("#", "javascript:", "vbscript:", "data:")):
            anchor.tag = "span"
            anchor.attrib.clear()
    for image in tree.iter("img", "source"):
        for attribute in ("src", "data-src", "srcset"):
            if (image.get(attribute) or "").startswith("data:"):
                del image.attrib[attribute]
    container = article_root(tree)
    doomed = [e for e in tree.iter() if isinstance(e.tag, str) and _is_furniture(e)
              and not within(container, e) and e.find(".//h1") is None and not _has_prose(e)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _is_furniture(element: HtmlElement) -> bool:
    if element.tag in ("html", "body", "main", "article"):
        return False
    if element.get("hidden") is not None or element.get("aria-hidden") == "true" or \
            _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    if (element.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return bool(_FURNITURE_WORDS.intersection(re.split(r"[\s_-]+", names)))


def _has_prose(element: HtmlElement) -> bool:
    """Two paragraphs of 200 characters or more: article text under a class that sounds like
    furniture ("has-share-buttons"), which trafilatura is left to judge."""
    long = (p for p in element.iter("p") if len(p.text_content()) >= 200)
    return next(long, None) is not None and next(long, None) is not None


def _bounded_copy(tree: HtmlElement) -> tuple[HtmlElement, int]:
    """A copy of the page to extract from, and its size in elements: the whole page, or its
    article element alone when the page is larger than `MAX_ELEMENTS` / `MAX_TEXT`."""
    elements = _size(tree)
    if elements is not None:
        return deepcopy(tree), elements
    container = article_root(tree)
    elements = _size(container) if container.tag not in ("body", "html") else None
    if elements is None:
        raise PageTooLarge("the page's text is larger than any article's, even in its "
                           "article element")
    document = parse_page("<html><body></body></html>")
    body = document.find("body")
    assert body is not None  # the parser always makes one for this
    body.append(deepcopy(container))
    return document, elements


def _size(element: HtmlElement) -> int | None:
    """The number of elements under `element`, or None past the limits."""
    text, count = 0, 0
    for count, node in enumerate(element.iter(), 1):
        text += len(node.text or "") + len(node.tail or "")
        if count > MAX_ELEMENTS or text > MAX_TEXT:
            return None
    return count


def _extract(tree: HtmlElement, base: str | None, *, fast: bool) -> str:
    import trafilatura  # loaded only when an HTML page is read

    document = trafilatura.bare_extraction(
        tree, url=base, fast=fast, output_format="markdown", include_comments=False,
        include_tables=True, include_images=True, include_links=True,
        include_formatting=True, deduplicate=False, with_metadata=False)
    body = getattr(document, "body", None)
    return _markdown(body) if body is not None else ""


def _markdown(body: etree._Element) -> str:
    """trafilatura's Markdown of its extracted tree, with block quotes as "> " lines (its own
    serialisation writes them as plain paragraphs)."""
    from trafilatura.xml import xmltotxt

    quotes: dict[str, str] = {}
    for number, quote in enumerate(list(body.iterfind("quote"))):
        token = f"FOLIOQUOTE{number}Z"
        placeholder = etree.Element("p")
        placeholder.text, placeholder.tail = token, quote.tail
        quote.tail = None
        body.replace(quote, placeholder)
        wrapper = etree.Element("body")
        wrapper.append(quote)
        lines = xmltotxt(wrapper, True).strip().split("\n")
        quotes[token] = "\n".join(f"> {line}".rstrip() for line in lines)
    text = xmltotxt(body, True)
    for token, quoted in quotes.items():
        text = text.replace(token, quoted, 1)
    return text


# --- tidying the Markdown ---------------------------------------------------------------


def tidy(markdown: str, title: str | None = None) -> str:
    """Blocks of the article only: the title, byline and dateline above it, furniture and the
    attribution lines (which go to the front matter) out; only absolute links and images."""
    lines = "\n".join(line.rstrip() for line in markdown.split("\n"))
    blocks = [_addresses(b.strip("\n")) for b in re.split(r"\n\s*\n", lines) if b.strip()]
    blocks = [b for b in blocks if b.strip()]
    while blocks and _is_heading_matter(blocks[0], title):
        blocks.pop(0)
    kept = [b for b in blocks if not _is_furniture_text(b)]
    return "\n\n".join(kept).strip()


def _addresses(block: str) -> str:
    """Links to anything but an http(s) or mailto address become their text; images without
    an http(s) address go."""
    def link(match: re.Match[str]) -> str:
        target = match["target"].strip("<> ")
        keep = web_url(target) or re.match(r"mailto:[^\s@]+@[^\s@]+$", target)
        return match[0] if keep else match["text"]

    def image(match: re.Match[str]) -> str:
        return match[0] if web_url(match["target"].strip("<> ")) else ""

    return LINK.sub(link, IMAGE.sub(image, block)).rstrip()


def _is_heading_matter(block: str, title: str | None) -> bool:
    """The headline, a byline or a bare date at the top of the extracted text."""
    text = plain_text(block)
    if title and _key(text) == _key(title):
        return True
    if _HEADING.match(block) or len(text.split()) > 14:
        return False
    return bool(_BYLINE.match(text) or _DATELINE.match(text) or when(text))


def _is_furniture_text(block: str) -> bool:
    text = plain_text(block)
    return len(text.split()) <= 40 and bool(_FURNITURE_TEXT.match(text))


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()
