"""The Global Research reader: the seed, every fixture case, and each variation of the layout."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator.importer import convert, render
from generator.importer.readers import globalresearch
from generator.importer.record import (
    ImportedArticle,
    NotAnArticleError,
    TruncatedArticleError,
)
from generator.importer.writer import front_matter
from generator.model import Source
from tests.unit.importer.dumps import CASES, DEFAULT_BODY, SEED, dump

SEED_PARAGRAPHS = [
    "Pro-government forces, led by the Syrian Republican Guard, have liberated the strategic "
    "al-Bishri Mountain as well as the al-Birshri triangle from ISIS and deployed in only about "
    "37 km from the city of Deir Ezzor besieged by ISIS terrorists. Some sources even speculate "
    "that government troops advanced 5-10 km further, but this still has to be confirmed.",
    "The Al-Bishri Mountain is one of the highest points in the desert area between Palmyra and "
    "Deir Ezzor. With liberation of this strategic location as well as the progress along the "
    "Palmyra-Deir Ezzor highway government forces are now able to develop momentum in order to "
    "take control over Kobaje and Ash Sholah located en route to Deir Ezzor. The goal of the "
    "effort will be to take control over the key roads west and southwest of Deir Ezzor prior "
    "launching a direct advance to lift the siege from the strategic city.",
    "At the same time, the ISIS activity in southern Raqqah poses a key threat to the advancing "
    "government forces where ISIS terrorists have seized the villages of Ghanim al-Ali, "
    "Shuraydah, Jabali and Zawr Shammar after almost a week of heavy fighting.",
    "If ISIS successfully develops momentum along the road to the al-Birshri triangle, the "
    "terrorist group will threaten the southern flank of government troops in the "
    "Palmyra-Deir Ezzor highway area.",
    "In the eastern Hama countryside, the Syrian Arab Army (SAA) and its allies have liberated "
    "Mukaymen, Maksar Janubi, Qastal Shamali, Qastal Wastani and Qastal Janubi. Multiple "
    "airstrikes are reported in the ISIS-held area of Uqayribat.",
    "Jaysh Ahrar al-Ashayer and Jaysh Usud al-Sharqiya released a Syrian pilot Lieutenant "
    "Colonel Ali al-Helw and 30 Syrian soldiers.",
    "Al-Helw was captured after his MiG-23BN was downed southeastern Syria on August 15. The 30 "
    "soldiers were captured by militants during their successful attack on SAA positions in the "
    "Suweida countryside on August 19.",
    "No confirmed reports about the details of the deal between the government and US-backed "
    "militants are available now.",
]


def read(text: str, name: str = "dump.txt") -> ImportedArticle:
    return convert(text.encode("utf-8"), Path(name))


def without_origin(article: ImportedArticle) -> ImportedArticle:
    """The article as read, whatever bytes it was read from."""
    return replace(article, origin=None)


# --- the seed ---------------------------------------------------------------------------


def test_seed_front_matter_is_exactly_the_contract_example() -> None:
    article = convert(SEED.read_bytes(), SEED)
    meta = yaml.safe_load(render(article).split("---\n")[1])
    origin = meta.pop("imported_from")
    meta.pop("summary")
    assert meta == {
        "title": "Video: Syrian Army Advances Deep Inside Deir Ezzor Province Besieged by ISIS",
        "date": dt.date(2017, 9, 2),
        "authors": ["South Front"],
        "regions": ["Middle East & North Africa"],
        "themes": ["Terrorism", "US NATO War Agenda"],
        "reports": ["SYRIA"],
        "publisher": "Global Research",
        "source": {"name": "South Front", "url": None, "date": dt.date(2017, 9, 1)},
        "copyright": "South Front, 2017",
        "slug": "video-syrian-army-advances-deep-inside-deir-ezzor-province-besieged-by-isis",
    }
    assert origin["file"] == "seed_south_front.txt"
    assert origin["digest"].startswith("sha256:") and origin["reader"] == "globalresearch"
    assert article.warnings == () and not article.draft


def test_seed_body_is_the_eight_paragraphs_and_nothing_else() -> None:
    article = convert(SEED.read_bytes(), SEED)
    assert article.body.split("\n\n") == SEED_PARAGRAPHS
    assert article.summary == SEED_PARAGRAPHS[0].split(". Some")[0] + "."


# --- every fixture case: expected front matter and body checks, as data -----------------


CASE_FILES = sorted(p for p in CASES.iterdir() if p.suffix in (".txt", ".md"))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_fixture_case(path: Path) -> None:
    expected = yaml.safe_load(path.with_name(f"{path.stem}.expected.yaml").read_text("utf-8"))
    article = convert(path.read_bytes(), path)
    meta = front_matter(article)
    meta.pop("imported_from")
    assert meta == expected["front_matter"]
    for text in expected.get("body_has", []):
        assert text in article.body
    for text in expected.get("body_lacks", []):
        assert text not in article.body
    assert article.body.startswith(expected.get("body_starts", ""))
    assert article.body.endswith(expected.get("body_ends", ""))
    if "body_paragraphs" in expected:
        assert len(article.body.split("\n\n")) == expected["body_paragraphs"]
    wanted = expected.get("warnings", [])
    assert len(article.warnings) == len(wanted), article.warnings
    for text in wanted:
        assert any(text in warning for warning in article.warnings)


def test_every_case_has_expectations() -> None:
    for path in CASE_FILES:
        assert path.with_name(f"{path.stem}.expected.yaml").is_file(), path


# --- the header -------------------------------------------------------------------------


@pytest.mark.parametrize(("dateline", "date"), [
    ("Global Research, September 02, 2017", dt.date(2017, 9, 2)),
    ("Global Research, 2 September 2017", dt.date(2017, 9, 2)),
    ("Global Research, January 5, 2019", dt.date(2019, 1, 5)),
    ("Global Research, Jan. 5th, 2019", dt.date(2019, 1, 5)),
    ("Global Research, Sept 30 2016", dt.date(2016, 9, 30)),
    ("Global Research, Saturday, 5 January 2019", dt.date(2019, 1, 5)),
    ("Global Research, 2019-01-05", dt.date(2019, 1, 5)),
    ("Global Research January 05, 2019", dt.date(2019, 1, 5)),
])
def test_publisher_date_forms(dateline: str, date: dt.date) -> None:
    assert read(dump(dateline=dateline)).date == date


@pytest.mark.parametrize(("byline", "authors"), [
    ("By [South Front](#)", ["South Front"]),
    ("By [Kevin Zeese](#) and [Margaret Flowers](#)", ["Kevin Zeese", "Margaret Flowers"]),
    ("By [A. One](#), [Bea Two](#) and [Cy Three](#)", ["A. One", "Bea Two", "Cy Three"]),
    ("By [Prof. Michel Chossudovsky](https://www.globalresearch.ca/author/michel-chossudovsky)",
     ["Prof. Michel Chossudovsky"]),
    ("By [Dr. Gideon Polya](#) and [Prof Susan Babbitt](#)", ["Dr. Gideon Polya",
                                                             "Prof Susan Babbitt"]),
    ("By [Center for Economic and Policy Research](#)",
     ["Center for Economic and Policy Research"]),
    ("By [Physicians for Social Responsibility](#) and [Dr. Ira Helfand](#)",
     ["Physicians for Social Responsibility", "Dr. Ira Helfand"]),
    ("By [Black Agenda Report](#) & [Glen Ford](#)", ["Black Agenda Report", "Glen Ford"]),
    ("By [Same Name](#) and [Same Name](#)", ["Same Name"]),
    ("By Stephen Lendman", ["Stephen Lendman"]),
    ("by Medea Benjamin and Nicolas J. S. Davies", ["Medea Benjamin", "Nicolas J. S. Davies"]),
    ("By Ann Garrison, Jiří Dvořák and Brig. Imran Malik",
     ["Ann Garrison", "Jiří Dvořák", "Brig. Imran Malik"]),
    ("By Friends of the Earth and Partners", ["Friends of the Earth and Partners"]),
    ("By Mahdi Darius Nazemroaya and al-Akhbar", ["Mahdi Darius Nazemroaya", "al-Akhbar"]),
    ("[Ann Author](#)", ["Ann Author"]),
])
def test_authors_one_per_linked_name(byline: str, authors: list[str]) -> None:
    assert list(read(dump(byline=byline)).authors) == authors


def test_unlinked_byline_takes_the_names_linked_under_articles_by() -> None:
    article = read(dump(byline="By Center for Policy and Kim Lee",
                        articles_by="[Center for Policy](#) and [Kim Lee](#)"))
    assert article.authors == ("Center for Policy", "Kim Lee")


def test_no_byline_takes_articles_by_or_warns() -> None:
    assert read(dump(byline=None, articles_by="[Ann Author](#)")).authors == ("Ann Author",)
    article = read(dump(byline=None, closing=False))
    assert article.authors == ()
    assert any("no byline" in w for w in article.warnings)


@pytest.mark.parametrize(("labels", "regions", "themes", "reports"), [
    (("Region: [USA](#), [Europe](#)", "Theme: [Law and Justice](#)"),
     ["USA", "Europe"], ["Law and Justice"], []),
    (("Region: [Middle East & North Africa](https://www.globalresearch.ca/region/middle-east)",
      "Theme: [Culture, Society & History](#), [9/11 & 'War on Terrorism'](#)",
      "In-depth Report: [FUKUSHIMA, A NUCLEAR WAR WITHOUT WAR](#), [IRAN: THE NEXT WAR?](#)"),
     ["Middle East & North Africa"], ["Culture, Society & History", "9/11 & 'War on Terrorism'"],
     ["FUKUSHIMA, A NUCLEAR WAR WITHOUT WAR", "IRAN: THE NEXT WAR?"]),
    (("Region: [Russia and FSU](#) Theme: [Oil and Energy](#) In-depth Report: [UKRAINE](#)",),
     ["Russia and FSU"], ["Oil and Energy"], ["UKRAINE"]),
    (("Regions: USA, Canada", "Themes: Culture, Society & History, Militarization and WMD"),
     ["USA", "Canada"], ["Culture, Society & History", "Militarization and WMD"], []),
    ((), [], [], []),
])
def test_regions_themes_reports_one_per_link(labels: tuple[str, ...], regions: list[str],
                                              themes: list[str], reports: list[str]) -> None:
    article = read(dump(labels=labels))
    assert (list(article.regions), list(article.themes), list(article.reports)) == (
        regions, themes, reports)


def test_title_is_kept_as_written() -> None:
    assert read(dump(title="Video: “Peace” in Our Time? 9/11 & the #1 Lie")).title == \
        "Video: “Peace” in Our Time? 9/11 & the #1 Lie"
    assert read(dump(title="# **Selected Articles: X**")).title == "Selected Articles: X"
    assert read(dump(title="Title | Global Research - Centre for Research on Globalization")
                ).title == "Title"


def test_headers_without_blank_lines_and_run_together() -> None:
    expected = read(dump())
    assert read(dump(separator="\n")).title == expected.title
    compact = read(dump(separator="\n"))
    assert (compact.authors, compact.regions, compact.themes, compact.reports, compact.source,
            compact.copyright) == (expected.authors, expected.regions, expected.themes,
                                   expected.reports, expected.source, expected.copyright)
    assert compact.body == expected.body
    one_line = ("\nAn Article About Something By [Ann Author](#) Global Research, September 02, "
                "2017 [Original Outlet](#) 1 September 2017 Region: [Europe](#) Theme: "
                "[Global Economy](#) In-depth Report: [SYRIA](#)\n\n" + dump().split(
                    "In-depth Report: [SYRIA](#)")[1])
    assert without_origin(read(one_line)) == without_origin(expected)


def test_layouts_of_other_converters() -> None:
    expected = without_origin(read(dump()))
    variants = [
        dump(dateline="[Global Research](https://www.globalresearch.ca/), September 02, 2017"),
        dump(body=f"\\*\\*\\*\n\n{DEFAULT_BODY}\n\n\\*"),
        dump(original="The original source of this article is\n[Original Outlet](#)",
             copyright_line="Copyright ©\n[Ann Author](#), [Original Outlet](#), 2017"),
        dump(byline="By [Ann Author](#)\n[Original Outlet](#) 1 September 2017",
             source_line=None),
        dump(byline="**By [Ann Author](#)**"),
    ]
    for text in variants:
        assert without_origin(read(text)) == expected, text
    escaped = read(dump(title="Video: ISIS\\' *Last* Stand", byline="By [Ann\\_Author](#)"))
    assert escaped.title == "Video: ISIS' *Last* Stand" and escaped.authors == ("Ann_Author",)


def test_windows_line_endings_bom_and_stray_spaces() -> None:
    expected = read(dump())
    messy = "\ufeff" + "\r\n".join("  " + line + " \t" if line else line
                                   for line in dump().split("\n"))
    article = convert(messy.encode("utf-8"), Path("dump.txt"))
    assert without_origin(article) == without_origin(expected)
    assert "\r" not in article.body


# --- the original source and the copyright line ------------------------------------------


def test_source_with_a_real_address() -> None:
    article = read(dump(original="The original source of this article is [Original Outlet]("
                                 "https://outlet.example/2017/09/article/)"))
    assert article.source == Source("Original Outlet", "https://outlet.example/2017/09/article/",
                                    dt.date(2017, 9, 1))


def test_publisher_as_source_is_dated_by_its_date_line() -> None:
    article = read(dump(source_line=None,
                        original="The original source of this article is Global Research",
                        copyright_line="Copyright © [Prof. Ann Author](#), Global Research, 2019",
                        dateline="Global Research, January 05, 2019"))
    assert article.source == Source("Global Research", None, dt.date(2019, 1, 5))
    assert article.copyright == "Prof. Ann Author, Global Research, 2019"
    assert not article.draft and article.warnings == ()


def test_source_without_a_date_line_has_no_date() -> None:
    article = read(dump(source_line=None))
    assert article.source == Source("Original Outlet", None, None)


def test_source_line_only_names_the_source_with_a_warning() -> None:
    article = read(dump(original=None))
    assert article.source.name == "Original Outlet" and not article.draft
    assert any("taken from the line under the byline" in w for w in article.warnings)


def test_source_names_that_disagree_are_reported() -> None:
    article = read(dump(source_line="[Other Outlet](#) 1 September 2017"))
    assert article.source.name == "Original Outlet"
    assert any("Other Outlet" in w for w in article.warnings)


@pytest.mark.parametrize(("line", "expected"), [
    ("Copyright © [South Front](#), [South Front](#), 2017", "South Front, 2017"),
    ("Copyright © South Front, South Front, 2017", "South Front, 2017"),
    ("Copyright © [Ann Author](#) and [Bo Author](#), [Outlet](#), 2019",
     "Ann Author and Bo Author, Outlet, 2019"),
    ("Copyright (c) [Outlet](#), 2019.", "Outlet, 2019"),
    ("Copyright ©  [Outlet](#) ,  [Outlet](#) , 2019", "Outlet, 2019"),
])
def test_copyright_line(line: str, expected: str) -> None:
    assert read(dump(copyright_line=line)).copyright == expected


def test_attribution_run_together_on_one_line() -> None:
    text = dump(original="The original source of this article is [Original Outlet](#) Copyright "
                         "© [Ann Author](#), [Original Outlet](#), 2017 [Comment on Global "
                         "Research Articles on our Facebook page](#) Articles by: [Ann Author](#)",
                copyright_line=None, closing=False)
    article = read(text)
    assert article.source.name == "Original Outlet"
    assert article.copyright == "Ann Author, Original Outlet, 2017"
    assert article.body == read(dump()).body


def test_missing_copyright_is_a_draft_with_a_warning() -> None:
    article = read(dump(copyright_line=None))
    assert article.draft and article.copyright is None
    assert article.missing_attribution == ("copyright",)
    assert [w for w in article.warnings if "copyright" in w]


def test_missing_both_is_a_draft_naming_both() -> None:
    article = read(dump(original=None, copyright_line=None, source_line=None))
    assert article.draft and article.source.name is None and article.copyright is None
    assert any("source.name" in w for w in article.warnings)
    assert any("`copyright`" in w for w in article.warnings)


# --- the body ---------------------------------------------------------------------------


FURNITURE = [
    "All Global Research articles can be read in 51 languages by activating the “Translate "
    "Website” drop down menu on the top banner of our home page (Desktop version).",
    "All Global Research articles can be read in 51 languages by activating the Translate "
    "Website button below the author\u2019s name.",
    "To receive Global Research\u2019s Daily Newsletter (selected articles), click here.",
    "Visit and follow us on Instagram at @crg_globalresearch.",
    "Subscribe to the Global Research newsletter",
    "Click the share button above to email/forward this article to your friends and colleagues."
    " Follow us on Instagram and Twitter and subscribe to our Telegram Channel. Feel free to "
    "repost and share widely Global Research articles.",
    "Note to readers: Please click the share buttons above or below. Follow us on Instagram, "
    "@crg_globalresearch. Forward this article to your email lists. Crosspost on your blog "
    "site, internet forums. etc.",
    "Url of this article: https://www.globalresearch.ca/an-article-about-something/5607381",
    "Global Research is a reader-funded media. We do not accept any funding from corporations "
    "or governments. Help us stay afloat. Click the image below to make a one-time or "
    "recurring donation.",
    "[Become a Member of Global Research](https://store.globalresearch.ca/member/)",
    "[Comment on Global Research Articles on our Facebook page](#)",
    "***",
    # the 2024 layout's notes and appeals
    "All Global Research articles can be read in 51 languages by activating the Translate "
    "Website button below the author\u2019s name (only available in desktop version).",
    "Visit and follow us on Instagram at @globalresearch_crg and Twitter at @crglobalization. "
    "Feel free to repost and share widely Global Research articles.",
    "Give Truth a Chance\u2026 Donate to Global Research",
    "**Give Truth a Chance.** [Donate to Global Research](https://store.globalresearch.ca/d/)",
    "[Global Research Wants to Hear From You!](https://www.globalresearch.ca/hear-from-you/)",
    "## Global Research Wants to Hear From You!",
    "Spread the Truth, Refer a Friend to Global Research",
    "Subscribe to Global Research",
    "Make a donation to Global Research.",
    "Click to donate:",
    "Click to make a one-time or a recurring donation",
    "Click to become a member (receive free books!):",
    "Give Truth a Chance\n\nIndependent media needs readers like you: we take no money from "
    "governments.\n\n[Make a donation](https://store.globalresearch.ca/donate/)",
    "Give Truth a Chance\nIndependent media needs readers like you.\nDonate to Global Research",
]


@pytest.mark.parametrize("note", FURNITURE)
def test_site_furniture_is_dropped_at_the_top_and_the_bottom(note: str) -> None:
    plain = read(dump()).body
    assert read(dump(body=f"{note}\n\n{read(dump()).body}")).body == plain
    assert read(dump(body=f"{plain}\n\n{note}")).body == plain


def test_url_of_this_article_on_two_lines() -> None:
    body = ("First paragraph.\n\nUrl of this article:\n"
            "https://www.globalresearch.ca/an-article/5607381\n\nLast paragraph.")
    assert read(dump(body=body)).body == "First paragraph.\n\nLast paragraph."


@pytest.mark.parametrize("appeal", [
    "If you're able, and if you like our content and approach, please support the project. Our "
    "work wouldn't be possible without your help: PayPal: southfront@list.ru or via: "
    "<http://southfront.org/donate/> or via: <https://www.patreon.com/southfront>",
    "If you\u2019re able, and if you like our content and approach, please support the project.",
    "Please Support Our Fall Fund Drive! Make a tax-deductible donation at "
    "[our site](https://consortiumnews.com/donate/)",
])
def test_the_outlets_closing_appeal_is_dropped(appeal: str) -> None:
    body = f"Article text.\n\n{appeal}\n\nFeatured image is from South Front"
    assert read(dump(body=body)).body == "Article text.\n\nFeatured image is from South Front"


def test_appeal_words_that_are_the_articles_own_stay() -> None:
    """Above and below the article only whole appeals go; the article's sentences stay."""
    body = ("Give truth a chance, said the banner over the square, as thousands marched.\n\n"
            "Donations to the flood fund reached a record, the council said.\n\n"
            "Middle paragraph. Give Truth a Chance\u2026 Donate to Global Research\n\n"
            "Give truth a chance, she said. Then she asked them to donate.\n\n"
            "Make a donation, the mayor urged residents, or the shelter will close.")
    assert read(dump(body=body)).body == body


def test_an_appeal_needs_its_call_to_be_taken_out_over_several_lines() -> None:
    body = ("Give Truth a Chance\n\nThe strike entered its second week on Monday.\n\n"
            "The union said it would not back down.")
    assert read(dump(body=body)).body == body.split("\n\n", 1)[1]


def test_notes_between_the_date_line_and_the_labels() -> None:
    note = ("Global Research, September 02, 2017\n\nAll Global Research articles can be read "
            "in 51 languages by activating the Translate Website button below the author's name.")
    assert without_origin(read(dump(dateline=note))) == without_origin(read(dump()))


def test_mentions_of_donations_and_copyright_inside_the_article_stay() -> None:
    body = ("The charity relies on donations and says copyright law protects its reports.\n\n"
            "Middle paragraph.\n\n"
            "Readers who wish to help can donate to the Red Crescent directly, the paper said.")
    assert read(dump(body=body)).body == body


def test_author_notes_and_image_credits_stay() -> None:
    body = ("Article text.\n\n"
            "This article was originally published on [Outlet](https://outlet.example/a/).\n\n"
            "*Ann Author is a regular contributor to Global Research.*\n\n"
            "Featured image: Protesters in Caracas (Source: Reuters)")
    assert read(dump(body=body)).body == body


def test_links_to_hash_become_text_real_links_and_autolinks_stay() -> None:
    body = ("See [the report](#) and [the data](https://data.example/x_(2019)) at "
            "<https://data.example/>. ![chart](#) ![photo](https://img.example/p.jpg)")
    assert read(dump(body=body)).body == (
        "See the report and [the data](https://data.example/x_(2019)) at "
        "<https://data.example/>. chart ![photo](https://img.example/p.jpg)")


def test_headings_lists_quotes_and_tables_keep_their_shape() -> None:
    body = ("Intro.\n## A heading\nText under it.\n- one\n- two\n  continued\n"
            "> quoted\n> still quoted\nAfter the quote.\n| a | b |\n|---|---|\n| 1 | 2 |\n"
            "1. first\n2. second")
    assert read(dump(body=body)).body == (
        "Intro.\n\n## A heading\n\nText under it.\n\n- one\n- two\n  continued\n\n"
        "> quoted\n> still quoted\n\nAfter the quote.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "1. first\n2. second")


def test_indented_lines_do_not_become_code() -> None:
    assert read(dump(body="        An indented paragraph.\n\n\tAnd a tabbed one.")).body == \
        "An indented paragraph.\n\nAnd a tabbed one."


# --- what is not a whole article --------------------------------------------------------


def test_truncated_before_the_attribution() -> None:
    text = dump(original=None, copyright_line=None, closing=False)
    with pytest.raises(TruncatedArticleError, match="before its attribution"):
        read(text)


def test_not_an_article_without_a_date_line() -> None:
    with pytest.raises(NotAnArticleError):
        globalresearch.read(dump(dateline=None), Path("x.txt"))
    assert not globalresearch.detect(dump(dateline=None), Path("x.txt"))
