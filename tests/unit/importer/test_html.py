"""The generic HTML reader: fixture pages as data, then each source of metadata, the body, the
decoding and the refusals."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest
import yaml
from lxml import etree

from generator.importer import convert
from generator.importer.readers import READERS, find_reader, suffixes
from generator.importer.readers.html import detect
from generator.importer.readers.html_body import article_markdown, tidy
from generator.importer.readers.html_meta import page_metadata, parse_page
from generator.importer.readers.html_values import Original, copyright_text, person_names, when
from generator.importer.record import (
    ArticleImportError,
    ImportedArticle,
    ListingPageError,
    NotAnArticleError,
    PaywallError,
    TooLargeError,
    TooShortError,
    UndatedError,
)
from generator.importer.text import declared_encoding, decode
from generator.importer.writer import front_matter
from tests.unit.importer.dumps import FIXTURES, SEED

PAGES = FIXTURES / "html"
PAGE_FILES = sorted(PAGES.glob("*.html"))
PROSE = ("The council met on Monday to discuss the new harbour wall, which has been delayed "
         "for three years by arguments about its cost and its height. ") * 3


def read(html: str, name: str = "page.html") -> ImportedArticle:
    return convert(html.encode("utf-8"), Path(name))


def page(head: str = "", body: str = f"<article><h1>Harbour Wall Approved</h1><p>{PROSE}</p>"
         "</article>", *, published: str | None = "2021-03-04T10:00:00+01:00") -> str:
    """A small article page: `head` and `body` go in as written."""
    date = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Harbour Wall Approved"
            f"</title>{date}{head}</head><body>{body}</body></html>")


def json_ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


# --- the fixture pages: expected front matter and body checks, as data --------------------


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_fixture_page(path: Path) -> None:
    expected = yaml.safe_load(path.with_name(f"{path.stem}.expected.yaml").read_text("utf-8"))
    if "refused" in expected:
        with pytest.raises(ArticleImportError) as refused:
            convert(path.read_bytes(), path)
        assert refused.value.category == expected["refused"]
        return
    article = convert(path.read_bytes(), path)
    assert article.origin is not None and article.origin.reader == "html"
    meta = front_matter(article)
    meta.pop("imported_from")
    meta["image"] = article.image  # the writer's to write; the record has it
    assert meta == expected["front_matter"]
    for text in expected.get("body_has", []):
        assert text in article.body
    for text in expected.get("body_lacks", []):
        assert text not in article.body
    wanted = expected.get("warnings", [])
    assert list(article.warnings) == wanted


def test_every_page_has_expectations() -> None:
    assert len(PAGE_FILES) >= 12
    for path in PAGE_FILES:
        assert path.with_name(f"{path.stem}.expected.yaml").is_file(), path


def test_dates_keep_their_time_zone() -> None:
    article = convert((PAGES / "jsonld_graph.html").read_bytes(), Path("jsonld_graph.html"))
    assert article.date == dt.datetime(2021, 3, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(
        hours=1)))
    assert article.date.utcoffset() == dt.timedelta(hours=1)


# --- the registry and detection -----------------------------------------------------------


def test_the_html_reader_comes_after_the_dump_reader() -> None:
    names = [reader.name for reader in READERS]
    assert names[-1] == "html" and names.index("globalresearch") < names.index("html")
    assert suffixes() == (".htm", ".html", ".md", ".txt")
    assert find_reader(SEED.read_text("utf-8"), SEED).name == "globalresearch"
    assert find_reader(page(), Path("saved.txt")).name == "html"  # by content, not by name


@pytest.mark.parametrize(("text", "name", "html"), [
    ("<!DOCTYPE html><html></html>", "a.txt", True),
    ("\n  <!doctype HTML>\n<html lang=en>", "a", True),
    ("<!-- saved from url=(0022)https://x.example/ -->\n<html>", "a.htm", True),
    ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
     "a.xhtml", True),
    ("<head><title>x</title></head>", "a", True),
    ("<div><p>Only a fragment</p></div>", "a.html", True),
    ("<div><p>Only a fragment</p></div>", "a.txt", False),
    ("Title\n\nBy [A](#)\n\nGlobal Research, September 02, 2017", "a.html", False),
    ("a < b and <html> in a sentence", "a.txt", False),
])
def test_detect(text: str, name: str, html: bool) -> None:
    assert detect(text, Path(name)) is html


# --- decoding ------------------------------------------------------------------------------


@pytest.mark.parametrize(("head", "encoding"), [
    (b'<meta charset="iso-8859-1">', "cp1252"),
    (b"<meta charset=windows-1252>", "cp1252"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15">', "iso8859-15"),
    (b"<meta charset='koi8-r'>", "koi8-r"),
    (b'<meta charset="utf-16">', "utf-8"),  # without a byte-order mark, as browsers do
    (b'<meta charset="base64">', None),  # not a text encoding
    (b'<meta charset="no-such-thing">', None),
    (b"", None),
])
def test_declared_encoding(head: bytes, encoding: str | None) -> None:
    assert declared_encoding(b"<!DOCTYPE html><html><head>" + head + b"</head>") == encoding


def test_a_page_is_decoded_as_it_declares() -> None:
    html = "<!DOCTYPE html><html><head><meta charset='windows-1252'></head><body>café \u2013 5 €"
    text, warnings = decode(html.encode("cp1252"), Path("a.html"))
    assert "café \u2013 5 €" in text and warnings == ()
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?><html><body>Zoë</body></html>'
    assert "Zoë" in decode(xml.encode("latin-1"), Path("a.html"))[0]


def test_a_byte_order_mark_wins_and_utf16_pages_are_read() -> None:
    html = "<!DOCTYPE html><html><head><meta charset='iso-8859-1'></head><body>Łódź ✓</body>"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                       (codecs.BOM_UTF8, "utf-8")):
        text, warnings = decode(bom + html.encode(codec), Path("a.html"))
        assert "Łódź ✓" in text and warnings == ()


def test_bytes_that_break_the_declared_encoding_are_replaced_with_a_warning() -> None:
    html = b"<html><head><meta charset='shift_jis'></head><body>ok \x82</body></html>"
    text, warnings = decode(html, Path("a.html"))
    assert "\ufffd" in text and "shift_jis" in warnings[0]


def test_text_dumps_decode_as_before() -> None:
    dump = "Caf\xe9 au lait <meta charset='koi8-r'>".encode("cp1252")
    text, warnings = decode(dump, Path("a.txt"))
    assert text.startswith("Café") and "Windows-1252" in warnings[0]


# --- metadata: JSON-LD ---------------------------------------------------------------------


def test_json_ld_top_level_list_and_author_forms() -> None:
    data = json_ld('[{"@type": "BreadcrumbList"}, {"@context": "https://schema.org", '
                   '"@type": "BlogPosting", "headline": "Tea &amp; Sympathy", '
                   '"datePublished": "2020-02-03", "author": "Ann Lee and Bo Chan", '
                   '"publisher": {"name": "The Kettle"}, "image": ["/a.jpg", "/b.jpg"], '
                   '"url": "https://kettle.example/tea"}]')
    meta = page_metadata(page(data, published=None))
    assert (meta.title, meta.authors, meta.published) == (
        "Tea & Sympathy", ("Ann Lee", "Bo Chan"), dt.date(2020, 2, 3))
    assert (meta.site_name, meta.url, meta.image) == (
        "The Kettle", "https://kettle.example/tea", "https://kettle.example/a.jpg")


def test_json_ld_main_entity_references_and_organisations() -> None:
    data = json_ld('{"@context": "https://schema.org", "@graph": ['
                   '{"@type": "WebPage", "@id": "#page", "mainEntity": {"@id": "#story"}},'
                   '{"@type": "schema:AnalysisNewsArticle", "@id": "#story", '
                   '"headline": "Rates", "author": [{"@id": "#a"}, "Bo Chan", '
                   '{"@type": "Organization", "name": "Data Desk"}, {"@id": "#missing"}], '
                   '"datePublished": "2020-02-03T08:00:00Z", '
                   '"copyrightNotice": "© 2020 The Kettle Ltd. All rights reserved."},'
                   '{"@type": "Person", "@id": "#a", "givenName": "Ann", "familyName": "Lee"}'
                   ']}')
    meta = page_metadata(page(data, published=None), "https://kettle.example/rates")
    assert meta.authors == ("Ann Lee", "Bo Chan", "Data Desk")
    assert meta.published == dt.datetime(2020, 2, 3, 8, tzinfo=dt.UTC)
    assert meta.copyright == "The Kettle Ltd, 2020"
    assert meta.url == "https://kettle.example/rates"


def test_broken_json_ld_is_passed_over() -> None:
    head = json_ld('{"@type": "NewsArticle", "headline": ') + json_ld("[[[[[[[[[[") + json_ld(
        '{"@type": "NewsArticle", "headline": "Second", "author": {"name": "Ann Lee"}}')
    meta = page_metadata(page(head))
    assert (meta.title, meta.authors) == ("Second", ("Ann Lee",))


def test_is_based_on_an_address_only() -> None:
    data = json_ld('{"@type": "NewsArticle", "headline": "H", "datePublished": "2021-01-02", '
                   '"isBasedOn": "https://www.origin.example/story", '
                   '"copyrightHolder": "Origin Press", "copyrightYear": "2020"}')
    article = read(page(data, published=None) .replace("<title>", '<meta property="og:site_name"'
                                                         ' content="Reposter"><title>'))
    assert article.publisher == "Reposter" and article.copyright == "Origin Press, 2020"
    assert (article.source.name, article.source.url, article.source.date) == (
        "origin.example", "https://www.origin.example/story", None)
    assert any("only by address" in warning for warning in article.warnings)


def test_a_page_that_names_itself_as_its_original_is_not_republished() -> None:
    head = ('<link rel="canonical" href="https://site.example/a"><meta property="og:site_name" '
            'content="Site">' + json_ld('{"@type": "Article", "headline": "H", '
                                        '"isBasedOn": "https://site.example/a/"}'))
    body = (f"<article><h1>H</h1><p>{PROSE}</p><p>The original source of this article is "
            "<a href='https://site.example/'>Site</a></p></article>")
    article = read(page(head, body))
    assert article.source.name == "Site" and article.source.url == "https://site.example/a"
    assert article.source.date == article.date


# --- metadata: tags and what the page shows -------------------------------------------------


@pytest.mark.parametrize(("value", "parsed"), [
    ("2021-03-04", dt.date(2021, 3, 4)),
    ("2021-03-04T10:20:30.123Z", dt.datetime(2021, 3, 4, 10, 20, 30, tzinfo=dt.UTC)),
    ("2021-03-04T10:20:30+0530", dt.datetime(2021, 3, 4, 10, 20, 30, tzinfo=dt.timezone(
        dt.timedelta(hours=5, minutes=30)))),
    ("2021-03-04 10:20", dt.datetime(2021, 3, 4, 10, 20)),
    ("2021-03-04T00:00:00", dt.date(2021, 3, 4)),
    ("2021-03-04T10:20:30 EST", dt.date(2021, 3, 4)),
    ("Thu, 04 Mar 2021 10:20:30 GMT", dt.datetime(2021, 3, 4, 10, 20, 30, tzinfo=dt.UTC)),
    ("March 4, 2021", dt.date(2021, 3, 4)),
    ("4th March 2021", dt.date(2021, 3, 4)),
    ("yesterday", None), ("", None), ("0001-01-01", None), ("2021-02-30", None),
])
def test_when(value: str, parsed: dt.date | None) -> None:
    assert when(value) == parsed


@pytest.mark.parametrize(("text", "names"), [
    ("By Ann Lee and Bo Chan", ["Ann Lee", "Bo Chan"]),
    ("Ann Lee, Bo Chan & Cy de la Vega", ["Ann Lee", "Bo Chan", "Cy de la Vega"]),
    ("Simon & Schuster", ["Simon & Schuster"]),
    ("Center for Economic and Policy Research", ["Center for Economic and Policy Research"]),
    ("Written by: Dr. Ann Lee", ["Dr. Ann Lee"]),
    ("https://facebook.com/ann", []), ("By ", []), ("2021", []),
])
def test_person_names(text: str, names: list[str]) -> None:
    assert person_names(text) == names


@pytest.mark.parametrize(("text", "line"), [
    ("Copyright © 2019 Jane Doe", "Jane Doe, 2019"),
    ("© Jane Doe 2019", "Jane Doe 2019"),
    ("(c) 2010-2024 The Kettle Ltd. All rights reserved. Privacy", "The Kettle Ltd, 2010-2024"),
    ("Copyright 2021 by The Planet", "The Planet, 2021"),
    ("Copyright © South Front, 2017", "South Front, 2017"),
    ("©", None), ("Copyright © 2020", None),
])
def test_copyright_text(text: str, line: str | None) -> None:
    assert copyright_text(text) == line


def test_open_graph_and_meta_tags() -> None:
    head = ('<meta property="og:title" content="Harbour Wall Approved - Port News">'
            '<meta property="og:site_name" content="Port News">'
            '<meta property="og:url" content="/news/wall"><base href="https://port.example/x/">'
            '<meta property="article:author" content="https://facebook.com/ann">'
            '<meta name="author" content="Ann Lee, Bo Chan">'
            '<meta property="og:image" content="img/wall.png">'
            '<meta name="dcterms.rights" content="© 2021 Port News">')
    meta = page_metadata(page(head), "https://collected.example/page")
    assert meta.title == "Harbour Wall Approved" and meta.site_name == "Port News"
    assert meta.url == "https://port.example/news/wall"  # relative to <base href>
    assert meta.image == "https://port.example/x/img/wall.png"
    assert meta.authors == ("Ann Lee", "Bo Chan") and meta.copyright == "Port News, 2021"
    assert meta.is_article


def test_visible_byline_dateline_and_original() -> None:
    body = ("<article><h1>Harbour Wall Approved</h1><div class='c-byline'>By Ann Lee | "
            f"June 3, 2020</div><p>{PROSE}</p><p>This piece first appeared "
            "<a href='https://origin.example/wall'>here</a> on May 30, 2020.</p>"
            "<p><small>(c) 2020 Ann Lee</small></p></article>")
    meta = page_metadata(page(body=body, published=None))
    assert meta.authors == ("Ann Lee",) and meta.published == dt.date(2020, 6, 3)
    assert meta.based_on == Original(name="origin.example", url="https://origin.example/wall",
                                     date=dt.date(2020, 5, 30))
    assert meta.copyright == "Ann Lee, 2020"


def test_the_date_in_the_address_is_the_last_resort() -> None:
    head = '<link rel="canonical" href="https://x.example/2019/07/08/story/">'
    assert page_metadata(page(head, published=None)).published == dt.date(2019, 7, 8)


def test_saved_from_comment_gives_the_address() -> None:
    html = "<!-- saved from url=(0031)https://port.example/news/wall -->\n" + page()
    article = read(html)
    assert article.source.url == "https://port.example/news/wall"
    assert article.publisher == "port.example" and article.source.name is None
    assert article.draft


# --- the body -------------------------------------------------------------------------------


def test_links_and_images_are_absolute_or_text() -> None:
    body = (f"<article><h1>Harbour Wall Approved</h1><p>{PROSE}</p><p>See <a href='/a'>one</a>, "
            "<a href='javascript:void(0)'>two</a>, <a href='#top'>three</a>, "
            "<a href='mailto:desk@port.example'>four</a> and <a href='//cdn.example/f'>five</a>."
            "</p><p><img src='data:image/png;base64,AAAA' alt='inline'>"
            "<img src='pics/wall.jpg' alt='The wall'></p></article>")
    markdown = article_markdown(page(body=body), "https://port.example/news/wall")
    assert "[one](https://port.example/a)" in markdown
    assert "two," in markdown and "three," in markdown and "javascript" not in markdown
    assert "[four](mailto:desk@port.example)" in markdown
    assert "[five](https://cdn.example/f)" in markdown
    assert "![The wall](https://port.example/news/pics/wall.jpg)" in markdown
    assert "inline" not in markdown and "data:" not in markdown
    without_address = article_markdown(page(body=body))
    assert "[one]" not in without_address and "one" in without_address
    assert "![The wall]" not in without_address


def test_article_text_under_a_furniture_class_is_kept() -> None:
    second = PROSE.replace("council", "mayor")
    body = (f"<article><h1>Harbour Wall Approved</h1><div class='body has-share-buttons'>"
            f"<p>{PROSE}</p><p>{second}</p></div><div class='share'>Share on X</div></article>")
    markdown = article_markdown(page(body=body), "https://x.example/")
    assert PROSE.strip() in markdown and second.strip() in markdown
    assert "Share on X" not in markdown


def test_the_tree_given_is_not_changed() -> None:
    tree = parse_page(page())
    before = etree.tostring(tree)
    assert "harbour wall" in article_markdown(tree, "https://x.example/")
    assert etree.tostring(tree) == before


@pytest.mark.parametrize(("markdown", "tidied"), [
    ("# Harbour Wall Approved\n\nBy Ann Lee\n\nMarch 4, 2021\n\nText.", "Text."),
    ("Published on 4 March 2021\n\nText.\n\nBy the way, a sentence.", "Text.\n\nBy the way, "
     "a sentence."),
    ("Text.\n\nShare this article\n\n12 Comments\n\nRead more: [x](https://x.example/)", "Text."),
    ("Text.\n\nShare prices fell.\n\nCopyright law is old.", "Text.\n\nShare prices fell.\n\n"
     "Copyright law is old."),
    ("Text.   \n\n\n\nMore.", "Text.\n\nMore."),
])
def test_tidy(markdown: str, tidied: str) -> None:
    assert tidy(markdown, "Harbour Wall Approved") == tidied


# --- what is refused ------------------------------------------------------------------------


def teasers(count: int) -> str:
    return "".join(f"<div class='card'><h3><a href='/story-{n}'>Story number {n} of the day"
                   f"</a></h3><p>A line about story {n}.</p></div>" for n in range(count))


@pytest.mark.parametrize(("html", "error", "reason"), [
    (page('<link rel="canonical" href="https://port.example/">', body=teasers(4),
          published=None), ListingPageError, "home page"),
    (page('<link rel="canonical" href="https://port.example/category/harbour/">',
          body=teasers(3), published=None), ListingPageError, "section"),
    (page(body=teasers(12), published=None), ListingPageError, "linked headlines"),
    (page(json_ld('{"@type": "CollectionPage", "name": "Harbour"}'), body=teasers(2) + (
        f"<p>{PROSE}</p>"), published=None), ListingPageError, "CollectionPage"),
    (page(body=f"<article><h1>H</h1><p>{PROSE[:300]}</p><div class='paywall'>Subscribe"
          "</div></article>"), PaywallError, "paywall"),
    (page(body="<article><h1>H</h1><p>Only a few words here.</p></article>"), TooShortError,
     "5 words"),
    (page(published=None), UndatedError, "when it was published"),
    (page().replace("Harbour Wall Approved", ""), NotAnArticleError, "no title"),
    ("<html><body>" + "<div>" * 300 + PROSE + "</div>" * 300 + "</body></html>",
     TooLargeError, "nested deeper"),
    ("<html><body>" + "<p>x</p>" * 210_000 + "</body></html>", TooLargeError, "tags"),
])
def test_refused(html: str, error: type[ArticleImportError], reason: str) -> None:
    with pytest.raises(error, match=reason) as refused:
        read(html)
    assert refused.value.category == error.category


def test_an_article_with_related_teasers_is_still_an_article() -> None:
    body = (f"<article><h1>Harbour Wall Approved</h1><p>{PROSE}</p><p>{PROSE}</p></article>"
            f"<aside>{teasers(6)}</aside>")
    assert read(page(body=body)).title == "Harbour Wall Approved"


def test_a_huge_page_of_inline_data_is_read() -> None:
    blob = "A" * 3_000_000
    body = (f"<img src='data:image/png;base64,{blob}'><script>var x = '{blob}';</script>"
            f"<article><h1>Harbour Wall Approved</h1><p>{PROSE}</p></article>")
    article = read(page(body=body))
    assert article.body.startswith("The council met") and "AAAA" not in article.body
