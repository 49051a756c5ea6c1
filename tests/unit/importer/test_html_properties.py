"""Properties of the HTML reader: random, broken and deeply nested markup is either an article
or refused with an ArticleImportError, never a crash; what it keeps is safe; and a generated
article among random furniture comes out as it went in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import frontmatter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.importer import ArticleImportError, ImportedArticle, convert, render
from generator.importer.readers.html_values import web_url
from generator.importer.text import IMAGE, LINK

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PATH = Path("page.html")
CATEGORIES = ("empty", "not-text", "not-an-article", "truncated", "listing", "paywall",
              "too-short", "too-large", "undated")

TAGS = ["html", "head", "body", "title", "meta", "link", "base", "script", "style", "div", "p",
        "span", "a", "article", "main", "section", "header", "footer", "nav", "aside", "h1",
        "h2", "h3", "ul", "ol", "li", "table", "thead", "tr", "td", "th", "blockquote", "pre",
        "code", "img", "figure", "figcaption", "em", "strong", "b", "i", "small", "sup", "br",
        "hr", "time", "form", "input", "iframe", "noscript", "svg", "button", "template"]
WORDS = ["water", "By", "Ann Lee", "©", "Copyright", "2021", "Subscribe to continue reading",
         "originally published at", "The original source of this article is", "Share",
         "March 4, 2021", "cookies", "&amp;", "&#x0;", "&nbsp;", "<", ">", "\u00a0", "\x00",
         "\ufeff", "]", "[", "(", ")", "*", "#", "|", "\\", "`", "\n", "é"]
URLS = ["https://x.example/a", "/relative", "../up", "#anchor", "javascript:alert(1)",
        "mailto:a@b.example", "//cdn.example/i.jpg", "data:image/png;base64,AAAA", "http://[::1",
        "https://x.example/a b", "", "img.png", "https://x.example/2020/01/02/story/"]
ATTRIBUTES = st.one_of(
    st.tuples(st.sampled_from(["class", "id"]), st.sampled_from([
        "share-bar", "byline", "author", "comments", "cookie-banner", "paywall", "related",
        "entry-content", "newsletter", "c-byline", "ad"])),
    st.tuples(st.sampled_from(["href", "src", "data-src", "content"]), st.sampled_from(URLS)),
    st.tuples(st.sampled_from(["itemprop"]), st.sampled_from([
        "headline", "author", "name", "datePublished", "publisher", "image", "url",
        "copyrightHolder", "copyrightYear", "isBasedOn", "articleBody"])),
    st.tuples(st.sampled_from(["itemtype"]), st.sampled_from([
        "https://schema.org/NewsArticle", "http://schema.org/Person", "BlogPosting"])),
    st.tuples(st.sampled_from(["property", "name"]), st.sampled_from([
        "og:title", "og:site_name", "og:url", "og:image", "og:type", "article:published_time",
        "author", "copyright", "article:tag"])),
    st.tuples(st.sampled_from(["rel"]), st.sampled_from(["author", "canonical"])),
    st.tuples(st.sampled_from(["datetime", "content"]), st.sampled_from([
        "2021-03-04T10:00:00+01:00", "2021-02-30", "March 4, 2021", "not a date", "9999"])),
    st.tuples(st.sampled_from(["itemscope", "hidden"]), st.just("")),
    st.tuples(st.sampled_from(["style"]), st.sampled_from(["display:none", "color:red"])),
    st.tuples(st.sampled_from(["type"]), st.sampled_from(["application/ld+json", "text/css"])),
    st.tuples(st.sampled_from(["alt", "title"]), st.text(max_size=20)),
)
TEXT = st.one_of(st.sampled_from(WORDS), st.text(max_size=30))
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(URLS), TEXT,
              st.sampled_from(["NewsArticle", "Person", "WebPage", "CollectionPage"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from([
        "@type", "@graph", "@id", "@context", "headline", "author", "name", "datePublished",
        "publisher", "copyrightHolder", "copyrightYear", "copyrightNotice", "isBasedOn",
        "image", "url", "mainEntity", "isAccessibleForFree", "keywords"]), inner, max_size=6)),
    max_leaves=25)


def _element(tag: str, attributes: list[tuple[str, str]], children: list[str],
             close: str) -> str:
    attrs = "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in attributes)
    ending = {"proper": f"</{tag}>", "none": "", "wrong": "</div></p>"}[close]
    return f"<{tag}{attrs}>{''.join(children)}{ending}"


NODE = st.recursive(
    st.one_of(TEXT, JSON.map(lambda data: '<script type="application/ld+json">'
                             f"{json.dumps(data)}</script>")),
    lambda inner: st.builds(_element, st.sampled_from(TAGS), st.lists(ATTRIBUTES, max_size=3),
                            st.lists(inner, max_size=5),
                            st.sampled_from(["proper", "proper", "proper", "none", "wrong"])),
    max_leaves=60)


def attempt(data: bytes) -> ImportedArticle | None:
    """The article, checked for what the reader promises; None when it is refused."""
    try:
        article = convert(data, PATH)
    except ArticleImportError as error:
        assert error.category in CATEGORIES
        assert str(PATH) in str(error)
        return None
    assert isinstance(article, ImportedArticle) and article.title.strip()
    assert isinstance(article.date, dt.date)
    for match in LINK.finditer(article.body):
        target = match["target"].strip("<>")
        assert web_url(target) or target.startswith("mailto:"), target
    for match in IMAGE.finditer(article.body):
        assert web_url(match["target"].strip("<>")), match[0]
    for address in (article.source.url, article.image):
        assert address is None or web_url(address)
    meta = frontmatter.loads(render(article)).metadata
    assert meta["title"] == article.title and meta["slug"] == article.slug
    return article


@SETTINGS
@given(st.lists(NODE, max_size=6), st.lists(NODE, max_size=10), st.booleans())
def test_random_markup_never_crashes(head: list[str], body: list[str], doctype: bool) -> None:
    start = "<!DOCTYPE html>" if doctype else ""
    attempt(f"{start}<html><head>{''.join(head)}</head><body>{''.join(body)}</body></html>"
            .encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.sampled_from(TAGS), st.integers(0, 3000), st.booleans(), st.sampled_from(
    ["", "<p>text</p>", "<article><h1>T</h1><p>" + "word " * 60 + "</p></article>"]))
def test_deep_nesting_never_crashes(tag: str, depth: int, closed: bool, inner: str) -> None:
    page = "<!DOCTYPE html><html><head><title>T</title><meta property='article:published_time'" \
           f" content='2020-01-01'></head><body>{f'<{tag}>' * depth}{inner}" \
           f"{f'</{tag}>' * depth if closed else ''}</body></html>"
    attempt(page.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["<!DOCTYPE html>", "<html>", "\ufeff<html>",
                                                  "<?xml version='1.0' encoding='utf-16'?>"]))
def test_bytes_after_an_html_start_never_crash(data: bytes, start: str) -> None:
    attempt(start.encode("utf-8") + data)


# --- a generated article among random furniture: what goes in comes out -------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzéøç"
word = st.text(LETTERS, min_size=2, max_size=9)
capitalised = word.map(str.capitalize)
person = st.lists(capitalised, min_size=2, max_size=3).map(" ".join)
sentence = st.lists(word, min_size=6, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=3, max_size=4).map(" ".join)
FURNITURE = [
    '<div class="cookie-banner"><p>We use cookies on this website.</p><button>OK</button></div>',
    '<div class="share-bar"><a href="https://twitter.com/share">Share on Twitter</a></div>',
    '<div class="newsletter-box"><p>Sign up for our newsletter today.</p></div>',
    '<section class="related-posts"><h3>Related stories</h3><ul><li><a href="/x">X marks the '
    "spot again</a></li></ul></section>",
    '<div id="comments"><h3>3 comments</h3><p>First!</p></div>',
    "<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>",
]


@SETTINGS
@given(title=st.lists(capitalised, min_size=2, max_size=8).map(" ".join),
       authors=st.lists(person, min_size=1, max_size=3, unique=True),
       published=st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2035, 1, 1),
                              timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(
                                  hours=-5)), dt.timezone(dt.timedelta(hours=5, minutes=30))])),
       paragraphs=st.lists(paragraph, min_size=3, max_size=6, unique=True),
       furniture=st.lists(st.sampled_from(FURNITURE), max_size=4),
       site=st.lists(capitalised, min_size=1, max_size=3).map(" ".join))
def test_generated_pages_import_exactly(title: str, authors: list[str], published: dt.datetime,
                                        paragraphs: list[str], furniture: list[str],
                                        site: str) -> None:
    metadata: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
        "datePublished": published.replace(microsecond=0).isoformat(),
        "author": [{"@type": "Person", "name": name} for name in authors],
        "publisher": {"@type": "Organization", "name": site},
        "copyrightHolder": {"@type": "Organization", "name": site},
        "copyrightYear": published.year}
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    page = (f"<!DOCTYPE html><html><head><title>{title} | {site}</title>"
            f'<link rel="canonical" href="https://news.example/story">'
            f'<script type="application/ld+json">{json.dumps(metadata)}</script></head><body>'
            f"{''.join(furniture[:2])}<article><h1>{title}</h1>{body}</article>"
            f"{''.join(furniture[2:])}</body></html>")
    article = attempt(page.encode("utf-8"))
    assert article is not None
    assert (article.title, list(article.authors)) == (title, authors)
    assert article.date == published.replace(microsecond=0)
    assert article.date.utcoffset() == published.utcoffset()
    assert (article.publisher, article.source.name, article.copyright) == (
        site, site, f"{site}, {published.year}")
    assert article.body == "\n\n".join(paragraphs)
