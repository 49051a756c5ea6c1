"""Global Research pages saved as HTML: read as their visible text by the dump reader's rules,
so a page and its text dump give the same article (the page adds real link addresses)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.importer.convert import convert
from generator.importer.readers import find_reader, globalresearch, globalresearch_html
from generator.importer.record import ArticleImportError, TooLargeError, TruncatedArticleError
from tests.unit.importer.dumps import FIXTURES, SEED

PAGE = FIXTURES / "html_gr" / "seed_south_front.html"
ORIGINAL_URL = "https://southfront.org/syrian-army-advances-deep-inside-deir-ezzor-province/"


def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_a_page_and_its_dump_give_the_same_article() -> None:
    from_page = convert(PAGE.read_bytes(), PAGE)
    from_dump = convert(SEED.read_bytes(), SEED)
    assert from_page.origin.reader == "globalresearch-html"
    # the page knows what the dump lost: the original's address and the page's image
    assert from_page.source.url == ORIGINAL_URL and from_dump.source.url is None
    assert from_page.image == "https://www.globalresearch.ca/wp-content/uploads/2017/09/" \
                              "deir-ezzor-400x225.jpg"
    same = {"source": dataclasses.replace(from_page.source, url=None), "image": None,
            "origin": from_dump.origin}
    assert dataclasses.replace(from_page, **same) == from_dump
    assert from_page.body == from_dump.body and from_page.warnings == from_dump.warnings


def test_the_page_furniture_stays_out_of_the_body() -> None:
    body = globalresearch_html.read(page(), PAGE).body
    for furniture in ("Share", "Tweet", "Most Popular", "Another Story", "Become a Member",
                      "Donate", "Search", "deir-ezzor-400x225"):
        assert furniture not in body, furniture
    assert body.startswith("Pro-government forces")
    assert body.rstrip().endswith("are available now.")


def test_the_reader_is_chosen_by_content_not_by_name() -> None:
    assert find_reader(page(), Path("saved.txt")) is globalresearch_html.READER
    assert find_reader(SEED.read_text(), Path("dump.html")) is globalresearch.READER
    other = page().replace("globalresearch.ca", "example.org").replace(
        "Centre for Research on Globalization", "Example")
    assert not globalresearch_html.detect(other, Path("x.html"))


def test_a_page_on_one_line_reads_the_same() -> None:
    minified = re.sub(r">\s+<", "><", page()).replace("\n", " ")
    assert globalresearch_html.read(minified, PAGE) == globalresearch_html.read(page(), PAGE)


def test_a_page_cut_before_its_attribution_is_refused() -> None:
    text = page()
    cut = text[:text.index("The original source")] + "</div></article></body></html>"
    with pytest.raises(TruncatedArticleError):
        globalresearch_html.read(cut, PAGE)


def test_labels_and_byline_come_from_the_visible_text_with_their_links() -> None:
    article = globalresearch_html.read(page(), PAGE)
    assert article.authors == ("South Front",)
    assert article.regions == ("Middle East & North Africa",)
    assert article.themes == ("Terrorism", "US NATO War Agenda")
    assert article.reports == ("SYRIA",)
    assert article.copyright == "South Front, 2017"
    assert article.publisher == "Global Research"


MARKUP = st.lists(st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<a href='https://x.org/a'>", "</a>", "<h1>", "</h1>",
    "<ul><li>", "</li></ul>", "<blockquote>", "</blockquote>", "<br>", "<img src='/i.png'>",
    "<script>x()</script>", "<!-- c -->", "<table><tr><td>", "</td></tr></table>",
    "Global Research, September 02, 2017", "By <a href='/a'>Ann</a>", "Region: Europe",
    "The original source of this article is <a href='https://o.org/'>Outlet</a>",
    "Copyright © Ann, 2017", "Some article text.", "&amp; &nbsp; &#0; ",
]), max_size=60)


@settings(max_examples=150, deadline=None)
@given(MARKUP)
def test_any_markup_gives_an_article_or_a_clear_refusal(parts: list[str]) -> None:
    text = ("<!DOCTYPE html><html><head><link rel=canonical "
            "href='https://www.globalresearch.ca/x'></head><body>" + "".join(parts)
            + "</body></html>")
    try:
        article = globalresearch_html.read(text, Path("page.html"))
    except ArticleImportError:
        return
    assert article.title and article.publisher == "Global Research"


def test_the_dump_reader_leaves_html_pages_to_the_page_readers() -> None:
    """(a page whose source has the date line near its top is still a page)"""
    text = "<!DOCTYPE html><html><body><h1>T</h1><p>Global Research, September 02, 2017</p>"
    assert not globalresearch.detect(text, Path("x.txt"))
    assert globalresearch.detect(SEED.read_text(), Path("x.txt"))


def test_the_image_is_written_to_the_front_matter_and_read_back() -> None:
    from generator.importer.writer import read_back, render

    article = convert(PAGE.read_bytes(), PAGE)
    written = read_back(render(article))
    assert written.image == article.image and written.image.endswith(".jpg")


def test_a_logo_heading_above_the_article_is_not_its_title() -> None:
    logo = ('<body class="post-template-default single single-post"><header class="site-header">'
            '<h1 class="logo"><a href="https://www.globalresearch.ca/">Global Research</a></h1>'
            '</header>')
    text = page().replace('<body class="post-template-default single single-post">', logo)
    assert globalresearch_html.read(text, PAGE) == globalresearch_html.read(page(), PAGE)
    untitled = re.sub(r"<title>.*?</title>", "", text)
    untitled = re.sub(r'<meta property="og:title"[^>]*>', "", untitled)
    assert globalresearch_html.read(untitled, PAGE).title == \
        globalresearch_html.read(page(), PAGE).title


def test_a_link_that_is_no_address_stays_text() -> None:
    text = page().replace("<p>Pro-government", '<p>See <a href="http://[2001:db8::1/x">this</a>. '
                          "Pro-government", 1)
    article = globalresearch_html.read(text, PAGE)
    assert article.body.startswith("See this. Pro-government")


@pytest.mark.parametrize("filler", [
    "<table>" + "<tr><td>cell text here</td><td>more</td></tr>" * 400_000 + "</table>",  # 18 MB
    "<p>" + "word " * 500_000 + "</p>",  # 2.5 MB of text in the article
])
def test_a_page_larger_than_any_article_is_refused_as_the_generic_reader_does(filler) -> None:
    text = page().replace("<p>Pro-government", filler + "<p>Pro-government", 1)
    with pytest.raises(TooLargeError):
        globalresearch_html.read(text, PAGE)
