"""Markdown bodies: safe HTML, contract extensions (tables, footnotes), leads and counts."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.markdown import render, truncate_words

DANGEROUS = [
    "<script>alert(1)</script>",
    "Hello <script>alert(1)</script> there",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { display: none }</style>",
    '<a href="javascript:alert(1)">click</a>',
]


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def all_attributes(html: str) -> dict[str, str]:
    return {name: str(value) for tag in soup(html).find_all(True)
            for name, value in tag.attrs.items()}


# --- raw HTML -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", DANGEROUS)
def test_raw_html_is_escaped_by_default(text: str) -> None:
    html = render(text).html
    tags = {tag.name for tag in soup(html).find_all(True)}
    assert tags <= {"p"}, html
    assert "&lt;" in html


@pytest.mark.parametrize("text", DANGEROUS)
def test_allowed_html_is_sanitised(text: str) -> None:
    html = render(text, allow_html=True).html
    parsed = soup(html)
    assert not parsed.find_all(["script", "iframe", "style"])
    assert "alert" not in str(all_attributes(html))
    assert "<script" not in html


@pytest.mark.parametrize(
    ("text", "tag", "attributes"),
    [
        ("Some <b>bold</b> text", "b", {}),
        ("x<sup>2</sup>", "sup", {}),
        ('<span class="note" lang="fr">mot</span>', "span", {"class": ["note"], "lang": "fr"}),
        ('<a href="https://example.org/" title="t">link</a>', "a",
         {"href": "https://example.org/", "title": "t"}),
        ('<img src="https://example.org/a.png" alt="A map" width="10">', "img",
         {"src": "https://example.org/a.png", "alt": "A map", "width": "10"}),
        ("<figure><figcaption>Caption</figcaption></figure>", "figcaption", {}),
        ("<details><summary>More</summary>Hidden</details>", "summary", {}),
    ],
)
def test_allowed_html_keeps_safe_tags(text: str, tag: str, attributes: dict[str, object]) -> None:
    element = soup(render(text, allow_html=True).html).find(tag)
    assert element is not None
    for name, value in attributes.items():
        assert element.get(name) == value


def test_allowed_html_strips_dangerous_attributes_but_keeps_the_element() -> None:
    html = render('<span style="position:fixed" onclick="x()" class="c">kept</span>',
                  allow_html=True).html
    span = soup(html).find("span")
    assert span is not None and span.text == "kept"
    assert set(span.attrs) == {"class"}


def test_allowed_html_links_get_a_safe_rel() -> None:
    link = soup(render('<a href="https://example.org/">x</a>', allow_html=True).html).find("a")
    assert link is not None
    assert "noopener" in link.get("rel", [])


# --- links ------------------------------------------------------------------------------------

@pytest.mark.parametrize("allow_html", [False, True])
@pytest.mark.parametrize("text", ["[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))",
                                  "<javascript:alert(1)>", "[x](vbscript:msgbox(1))"])
def test_script_links_are_not_rendered_as_links(text: str, allow_html: bool) -> None:
    html = render(text, allow_html=allow_html).html
    hrefs = [a.get("href", "") for a in soup(html).find_all("a")]
    assert not [h for h in hrefs if "script" in h.lower()]


def test_ordinary_links_are_rendered() -> None:
    link = soup(render("[the original](https://southfront.org/a)").html).find("a")
    assert link is not None
    assert (link["href"], link.text) == ("https://southfront.org/a", "the original")


# --- contract extensions --------------------------------------------------------------------

def test_tables() -> None:
    html = render("| Region | Count |\n|---|--:|\n| Europe | 3 |\n").html
    table = soup(html).find("table")
    assert table is not None
    assert [th.text for th in table.find_all("th")] == ["Region", "Count"]
    assert [td.text for td in table.find_all("td")] == ["Europe", "3"]


def test_footnotes_link_both_ways() -> None:
    parsed = soup(render("A claim.[^1]\n\n[^1]: The source.\n").html)
    ref = parsed.find("sup").find("a")
    target = parsed.find(id=ref["href"].lstrip("#"))
    assert target is not None and "The source." in target.text
    back = target.find("a", href=f"#{ref['id']}")
    assert back is not None


def test_footnotes_sit_under_a_heading_that_names_their_section() -> None:
    parsed = soup(render("A claim.[^1]\n\n[^1]: The source.\n").html)
    section = parsed.find("section", class_="footnotes")
    heading = section.find(["h2", "h3"])
    assert heading is not None and heading.get_text(strip=True) == "Notes"
    assert section["aria-labelledby"] == heading["id"]


def test_every_footnote_backlink_has_a_distinct_name() -> None:
    parsed = soup(render("One.[^a] Two.[^b] Three.[^a]\n\n[^a]: First.\n[^b]: Second.\n").html)
    backs = parsed.select("a.footnote-backref")
    names = [a.get("aria-label", "") for a in backs]
    assert len(backs) == 3 and all(names)
    assert len(set(names)) == 3  # two uses of one note are told apart
    for back in backs:  # and each still leads to its citation
        assert parsed.find(id=back["href"].lstrip("#")) is not None


def test_heading_ids_are_slugs_and_unique() -> None:
    parsed = soup(render("## Jiří Dvořák\n\n## Women's Rights\n\n## Women's Rights\n\n"
                         "### ???\n").html)
    ids = [h["id"] for h in parsed.find_all(["h2", "h3"])]
    assert ids[:2] == ["jiri-dvorak", "womens-rights"]
    assert len(set(ids)) == len(ids) == 4
    assert all(ids)


def test_strikethrough() -> None:
    assert soup(render("~~gone~~").html).find(["s", "del"]) is not None


# --- typography ----------------------------------------------------------------------------

TYPOGRAPHY = "\"Hello\" -- it's 'quoted'..."
LDQUO, RDQUO, LSQUO, RSQUO = "\u201c", "\u201d", "\u2018", "\u2019"
ELLIPSIS, NDASH = "\u2026", "\u2013"


def test_smart_quotes_when_typographer_on() -> None:
    html = render(TYPOGRAPHY, typographer=True).html
    assert f"{LDQUO}Hello{RDQUO}" in html
    assert f"it{RSQUO}s" in html
    assert f"{LSQUO}quoted{RSQUO}" in html
    assert ELLIPSIS in html


def test_no_smart_quotes_when_typographer_off() -> None:
    text = soup(render(TYPOGRAPHY, typographer=False).html).text
    assert text.strip() == TYPOGRAPHY
    assert not {LDQUO, RDQUO, LSQUO, RSQUO, ELLIPSIS, NDASH} & set(text)


def test_code_is_never_made_typographic() -> None:
    html = render('Use `"raw" -- quotes`', typographer=True).html
    assert soup(html).find("code").text == '"raw" -- quotes'


# --- lead, words, truncation -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("# Title\n\nFirst *para* with `code` and [a link](https://x.org).\nSecond line.\n\n"
         "Next para.", "First para with code and a link. Second line."),
        ("![photo](a.png)\n\nThe real first words.", "The real first words."),
        ("Spaces   and\ttabs  collapse.", "Spaces and tabs collapse."),
        ("A note.[^1]\n\n[^1]: Not the lead.", "A note."),
        ("", ""),
        ("## Only a heading", ""),
        ("> A pull quote.\n\nThe article starts here.", "The article starts here."),
        ("- a list item\n\nThen prose.", "Then prose."),
    ],
)
def test_lead_is_the_first_paragraphs_plain_text(text: str, lead: str) -> None:
    assert render(text).lead == lead


def test_lead_of_escaped_html_is_plain_text() -> None:
    assert render("Tom & <b>Jerry</b>").lead == "Tom & <b>Jerry</b>"
    assert render("Tom & <b>Jerry</b>", allow_html=True).lead == "Tom & Jerry"


@pytest.mark.parametrize(
    ("text", "count"),
    [("one two three\n\nfour five", 5), ("## Heading words\n\nbody", 3), ("", 0),
     ("- a\n- b c", 3)],
)
def test_word_count(text: str, count: int) -> None:
    assert render(text).word_count == count


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("one two three", 5, "one two three"),
        ("one two three", 3, "one two three"),
        ("one two three", 2, "one two…"),
        ("one, two, three", 2, "one, two…"),
        ("one two; three", 2, "one two…"),
        ("  a   b  ", 5, "a b"),
        ("", 3, ""),
    ],
)
def test_truncate_words(text: str, limit: int, expected: str) -> None:
    assert truncate_words(text, limit) == expected
