"""Content files: the article contract (CONTENT.md), pages, and discovery."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import SiteConfig, TaxonomyConfig, for_test
from generator.content import SourceFile, discover, parse_article, parse_page, read_source
from generator.errors import Problem
from generator.model import Article, Page, Source

PATH = Path("content/articles/a.md")

CONTRACT_EXAMPLE = """\
---
title: "Video: Syrian Army Advances Deep Inside Deir Ezzor Province Besieged by ISIS"
date: 2017-09-02
authors: [South Front]
regions: [Middle East & North Africa]
themes: [Terrorism, US NATO War Agenda]
reports: [SYRIA]
publisher: Global Research
source:
  name: South Front
  url: null
  date: 2017-09-01
copyright: South Front, 2017
summary: "Pro-government forces have liberated the strategic al-Bishri Mountain ..."
slug: video-syrian-army-advances
draft: false
curator_note: checked against the original
---

Pro-government forces, led by the Syrian Republican Guard, have liberated the mountain.

Second paragraph.
"""

# A valid article whose front matter lines are, in the file: 2 title, 3 date, 4 source,
# 5 copyright; extra lines go after them.
MINIMAL = 'title: "A title"\ndate: 2017-09-02\nsource: {name: South Front}\n' \
          'copyright: "South Front, 2017"\n'


def article_file(front: str, body: str = "Body text.\n") -> str:
    return f"---\n{front}---\n{body}"


def with_front(**changes: str | None) -> str:
    """MINIMAL with some keys replaced (a YAML value) or removed (None), plus new keys."""
    lines = dict(line.split(": ", 1) for line in MINIMAL.splitlines())
    for key, value in changes.items():
        if value is None:
            lines.pop(key, None)
        else:
            lines[key] = value
    return article_file("".join(f"{k}: {v}\n" for k, v in lines.items()))


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    return for_test(tmp_path)


def parse_ok(text: str, config: SiteConfig) -> Article:
    parsed = parse_article(text, PATH, config)
    assert parsed.problems == ()
    assert isinstance(parsed.item, Article)
    return parsed.item


def parse_bad(text: str, config: SiteConfig) -> tuple[Problem, ...]:
    parsed = parse_article(text, PATH, config)
    assert parsed.item is None
    assert parsed.problems
    return parsed.problems


def by_key(problems: tuple[Problem, ...], key: str) -> Problem:
    matches = [p for p in problems if p.key == key]
    assert matches, f"no problem names {key!r}: {problems}"
    return matches[0]


# --- a good file ---------------------------------------------------------------------------

def test_contract_example_parses_every_field(config: SiteConfig) -> None:
    article = parse_ok(CONTRACT_EXAMPLE, config)
    assert article.title.startswith("Video: Syrian Army Advances")
    assert article.date == dt.date(2017, 9, 2)
    assert article.names == {
        "authors": ("South Front",),
        "regions": ("Middle East & North Africa",),
        "themes": ("Terrorism", "US NATO War Agenda"),
        "reports": ("SYRIA",),
        "sources": ("South Front",),  # provenance pages come from the attribution
        "publishers": ("Global Research",),
    }
    assert article.publisher == "Global Research"
    assert article.source == Source(name="South Front", url=None, date=dt.date(2017, 9, 1))
    assert article.copyright == "South Front, 2017"
    assert article.summary.startswith("Pro-government forces have liberated")
    assert article.slug == "video-syrian-army-advances"
    assert article.draft is False
    assert article.has_attribution
    assert article.extra == {"curator_note": "checked against the original"}
    assert article.body_html.count("<p>") == 2
    assert article.word_count == 14


def test_source_url_is_kept(config: SiteConfig) -> None:
    article = parse_ok(with_front(source="{name: S, url: 'https://southfront.org/a'}"), config)
    assert article.source.url == "https://southfront.org/a"


def test_summary_defaults_to_the_first_paragraph(tmp_path: Path) -> None:
    config = for_test(tmp_path, summary_words=3)
    article = parse_ok(article_file(MINIMAL, "## Heading\n\nOne two three four.\n\nNext.\n"),
                       config)
    assert article.summary == "One two three…"


def test_names_are_tidied_and_deduplicated(config: SiteConfig) -> None:
    article = parse_ok(with_front(authors="['  Jiří   Dvořák ', Jiří Dvořák, 1984]"), config)
    assert article.names["authors"] == ("Jiří Dvořák", "1984")
    assert article.names["regions"] == ()


def test_custom_taxonomy_is_read_and_not_extra(tmp_path: Path) -> None:
    config = for_test(tmp_path, taxonomies=(*for_test(tmp_path).taxonomies,
                                            _taxonomy_config("countries")))
    article = parse_ok(with_front(countries="[Syria, Iraq]"), config)
    assert article.names["countries"] == ("Syria", "Iraq")
    assert "countries" not in article.extra


def _taxonomy_config(key: str) -> TaxonomyConfig:
    return TaxonomyConfig(key, key.title(), key.title(), f"/{key}/{{slug}}/", f"/{key}/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-09-02", dt.date(2017, 9, 2)),
        ('"2017-09-02"', dt.date(2017, 9, 2)),
        ("2017-09-02T10:30:00", dt.datetime(2017, 9, 2, 10, 30)),
        ('"2017-09-02 10:30"', dt.datetime(2017, 9, 2, 10, 30)),
    ],
)
def test_dates(config: SiteConfig, value: str, expected: dt.date) -> None:
    article = parse_ok(with_front(date=value), config)
    assert article.date == expected
    assert type(article.date) is type(expected)


@pytest.mark.parametrize("value", ['"02/09/2017"', '"September 2, 2017"', "2017", '"2017-13-01"'])
def test_dates_that_are_not_iso(config: SiteConfig, value: str) -> None:
    problem = by_key(parse_bad(with_front(date=value), config), "date")
    assert problem.line == 3
    assert "YYYY-MM-DD" in (problem.hint or "")


def test_bom_and_crlf_parse_like_plain_lf(config: SiteConfig) -> None:
    windows = "\ufeff" + CONTRACT_EXAMPLE.replace("\n", "\r\n")
    plain = parse_ok(CONTRACT_EXAMPLE, config)
    article = parse_ok(windows, config)
    assert replace(article, digest="") == replace(plain, digest="")  # the bytes differ
    assert article.digest != plain.digest
    assert "\r" not in article.body_html


def test_bom_and_crlf_keep_problem_lines(config: SiteConfig) -> None:
    windows = "\ufeff" + with_front(date='"soon"').replace("\n", "\r\n")
    assert by_key(parse_bad(windows, config), "date").line == 3


# --- missing and malformed ----------------------------------------------------------------------

@pytest.mark.parametrize("key", ["title", "date"])
def test_missing_required_key(config: SiteConfig, key: str) -> None:
    problems = parse_bad(with_front(**{key: None}), config)
    assert [p.key for p in problems] == [key]
    assert by_key(problems, key).message == "is missing"


def test_empty_title_and_date_are_missing(config: SiteConfig) -> None:
    problems = parse_bad(with_front(title='""', date='""'), config)
    assert {p.key for p in problems} == {"title", "date"}


@pytest.mark.parametrize("title", ['"   "', '"\\t"'])
def test_blank_title_is_missing(config: SiteConfig, title: str) -> None:
    problem = by_key(parse_bad(with_front(title=title), config), "title")
    assert problem.message == "is missing"


@pytest.mark.parametrize(
    ("bad_line", "front"),
    [
        (2, 'title: a: b\ndate: 2017-09-02\n'),
        (4, 'title: T\ndate: 2017-09-02\nsummary: a: b\ncopyright: X\n'),
        (3, 'title: T\n- x\ndate: 2017-09-02\n'),
        (3, 'title: T\n\tdate: 2017-09-02\n'),
    ],
)
def test_yaml_error_gives_the_file_line(config: SiteConfig, bad_line: int, front: str) -> None:
    (problem,) = parse_bad(article_file(front), config)
    assert "not valid YAML" in problem.message
    assert problem.line == bad_line
    assert problem.path == PATH


def test_no_front_matter(config: SiteConfig) -> None:
    (problem,) = parse_bad("Just a body.\n", config)
    assert problem.line == 1
    assert "no front matter" in problem.message


def test_unclosed_front_matter(config: SiteConfig) -> None:
    (problem,) = parse_bad("---\ntitle: x\nBody\n", config)
    assert "not closed" in problem.message


def test_front_matter_must_be_a_mapping(config: SiteConfig) -> None:
    (problem,) = parse_bad(article_file("- a\n- b\n"), config)
    assert "mapping" in problem.message


@pytest.mark.parametrize("key", ["authors", "regions", "themes", "reports"])
def test_a_string_instead_of_a_list_is_an_error_with_a_hint(config: SiteConfig,
                                                            key: str) -> None:
    problem = by_key(parse_bad(with_front(**{key: "Middle East"}), config), key)
    assert problem.line == 6
    assert "must be a list" in problem.message
    assert problem.hint == f"write `{key}: [Middle East]`"


@pytest.mark.parametrize(
    ("value", "key"),
    [("[Europe, [Asia]]", "regions[1]"), ("[true]", "regions[0]"), ('["!!"]', "regions[0]")],
)
def test_list_items_must_be_names(config: SiteConfig, value: str, key: str) -> None:
    by_key(parse_bad(with_front(regions=value), config), key)


def test_contract_lists_are_checked_even_when_not_a_taxonomy(tmp_path: Path) -> None:
    config = for_test(tmp_path, taxonomies=())
    by_key(parse_bad(with_front(regions="Europe"), config), "regions")


# --- attribution ----------------------------------------------------------------------------------

MISSING_ATTRIBUTION = [
    pytest.param("source", None, "source.name", id="no-source"),
    pytest.param("source", "{url: 'https://x.org/'}", "source.name", id="no-source-name"),
    pytest.param("copyright", None, "copyright", id="no-copyright"),
    pytest.param("copyright", '"Copyright ©"', "copyright", id="copyright-prefix-only"),
]


@pytest.mark.parametrize(("field", "value", "key"), MISSING_ATTRIBUTION)
def test_missing_attribution_is_a_problem_naming_the_key(
    config: SiteConfig, field: str, value: str | None, key: str
) -> None:
    problem = by_key(parse_bad(with_front(**{field: value}), config), key)
    assert "never published without its attribution" in problem.message


def test_missing_source_and_copyright_are_two_problems(config: SiteConfig) -> None:
    problems = parse_bad(with_front(source=None, copyright=None), config)
    assert [p.key for p in problems] == ["source.name", "copyright"]


DRAFT_MISSING = [
    pytest.param("source", None, "source.name", id="no-source"),
    pytest.param("source", "{url: 'https://x.org/'}", "source.name", id="no-source-name"),
    pytest.param("copyright", None, "copyright", id="no-copyright"),
]


@pytest.mark.parametrize(("field", "value", "key"), DRAFT_MISSING)
def test_draft_missing_attribution_is_a_warning(
    config: SiteConfig, field: str, value: str | None, key: str
) -> None:
    parsed = parse_article(with_front(draft="true", **{field: value}), PATH, config)
    assert parsed.problems == ()
    assert isinstance(parsed.item, Article)
    assert parsed.item.draft is True
    assert not parsed.item.has_attribution
    assert [w.key for w in parsed.warnings] == [key]


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ('"Copyright © South Front, 2017"', "South Front, 2017"),
        ('"Copyright South Front, 2017"', "South Front, 2017"),
        ('"© South Front, 2017"', "South Front, 2017"),
        ('"  South Front, 2017 "', "South Front, 2017"),
        ('"South Front, 2017"', "South Front, 2017"),
        ('"copyright © South Front, 2017"', "South Front, 2017"),
        ('"(c) South Front, 2017"', "South Front, 2017"),
        ('"Copyright (C) South Front, 2017"', "South Front, 2017"),
        ('"Copyrighted Works Ltd, 2017"', "Copyrighted Works Ltd, 2017"),
    ],
)
def test_copyright_prefix_is_stripped(config: SiteConfig, written: str, kept: str) -> None:
    assert parse_ok(with_front(copyright=written), config).copyright == kept


@pytest.mark.parametrize("url", ["https://southfront.org/x", "http://example.org"])
def test_source_url_http_is_accepted(config: SiteConfig, url: str) -> None:
    assert parse_ok(with_front(source=f"{{name: S, url: '{url}'}}"), config).source.url == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)",
                                 "data:text/html,x", "southfront.org/x", "ftp://example.org/",
                                 "https://"])
def test_source_url_must_be_http(config: SiteConfig, url: str) -> None:
    problem = by_key(parse_bad(with_front(source=f"{{name: S, url: '{url}'}}"), config),
                     "source.url")
    assert problem.line == 4


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ('"South Front"', "source"),
        ("[South Front]", "source"),
        ("{name: S, link: 'https://x.org'}", "source.link"),
        ("{name: S, date: 'soon'}", "source.date"),
        ("{name: [a, b]}", "source.name"),
    ],
)
def test_malformed_source(config: SiteConfig, value: str, key: str) -> None:
    by_key(parse_bad(with_front(source=value), config), key)


def test_source_as_string_suggests_the_mapping(config: SiteConfig) -> None:
    problem = by_key(parse_bad(with_front(source='"South Front"'), config), "source")
    assert problem.hint is not None and "name: South Front" in problem.hint


@pytest.mark.parametrize("value", ['"yes"', "1", '"false"'])
def test_draft_must_be_boolean(config: SiteConfig, value: str) -> None:
    problem = by_key(parse_bad(with_front(draft=value), config), "draft")
    assert "true or false" in problem.message


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False),
                                                 ("null", False)])
def test_draft_values(config: SiteConfig, value: str, expected: bool) -> None:
    assert parse_ok(with_front(draft=value), config).draft is expected


# --- slugs ------------------------------------------------------------------------------------

ARTICLES = Path("content/articles")


@pytest.mark.parametrize(
    ("file_name", "front", "slug"),
    [
        ("Jiří Dvořák on Women's Rights.md", {}, "jiri-dvorak-on-womens-rights"),
        ("Москва.md", {}, "moskva"),
        # the file name, not the title: editing a title keeps the URL
        ("video-syrian-army-advances.md", {"title": '"Edited: A New Title"'},
         "video-syrian-army-advances"),
        ("a.md", {"slug": '"My Own Slug"'}, "my-own-slug"),
        ("a.md", {"slug": "2017"}, "2017"),
        # a file name with nothing to slug falls back to the title
        ("---.md", {"title": '"Jiří Dvořák: Middle East & North Africa"'},
         "jiri-dvorak-middle-east-north-africa"),
    ],
)
def test_slug(config: SiteConfig, file_name: str, front: dict[str, str], slug: str) -> None:
    parsed = parse_article(with_front(**front), ARTICLES / file_name, config)
    assert isinstance(parsed.item, Article), parsed.problems
    assert parsed.item.slug == slug


@pytest.mark.parametrize(("file_name", "front"), [("!!!.md", {"title": '"???"'}),
                                                  ("a.md", {"slug": '"???"'})])
def test_empty_slug_is_a_problem(config: SiteConfig, file_name: str,
                                 front: dict[str, str]) -> None:
    parsed = parse_article(with_front(**front), ARTICLES / file_name, config)
    assert parsed.item is None
    by_key(parsed.problems, "slug")


def test_every_problem_in_a_file_is_reported(config: SiteConfig) -> None:
    text = article_file(
        'date: "last week"\n'  # 2
        "regions: Europe\n"  # 3
        'draft: "no"\n'  # 4
        "source: {url: 'javascript:alert(1)'}\n"  # 5
        "publisher: [a]\n"  # 6
    )
    problems = parse_bad(text, config)
    assert {(p.key, p.line) for p in problems} == {
        ("title", None), ("date", 2), ("regions", 3), ("draft", 4), ("source.url", 5),
        ("source.name", 5), ("copyright", None), ("publisher", 6)}
    assert all(p.path == PATH for p in problems)


# --- pages --------------------------------------------------------------------------------------

def page_path(config: SiteConfig, relative: str) -> Path:
    return config.content_path / "pages" / relative


@pytest.mark.parametrize(
    ("menu", "expected"),
    [("2", 2), ("true", 0), ("false", None), (None, None)],
)
def test_page_menu(config: SiteConfig, menu: str | None, expected: int | None) -> None:
    front = "title: About\n" + (f"menu: {menu}\n" if menu is not None else "")
    parsed = parse_page(article_file(front, "We *collect* articles.\n"),
                        page_path(config, "about.md"), config)
    assert isinstance(parsed.item, Page)
    assert parsed.item.menu == expected
    assert parsed.item.slug == "about"
    assert parsed.item.summary == "We collect articles."


@pytest.mark.parametrize("menu", ['"first"', "1.5"])
def test_page_menu_must_be_a_number(config: SiteConfig, menu: str) -> None:
    parsed = parse_page(article_file(f"title: About\nmenu: {menu}\n"),
                        page_path(config, "about.md"), config)
    assert parsed.item is None
    assert by_key(parsed.problems, "menu").line == 3


def test_page_needs_no_attribution_and_keeps_extra(config: SiteConfig) -> None:
    parsed = parse_page(article_file("title: Our Team\nlayout: wide\n"),
                        page_path(config, "Team/Our People.md"), config)
    assert parsed.problems == ()
    assert isinstance(parsed.item, Page)
    assert parsed.item.slug == "team/our-people"
    assert parsed.item.extra == {"layout": "wide"}


def test_page_slug_and_title(config: SiteConfig) -> None:
    parsed = parse_page(article_file("slug: Über uns\n"), page_path(config, "about.md"), config)
    assert parsed.item is None
    assert [p.key for p in parsed.problems] == ["title"]
    parsed = parse_page(article_file("title: X\nslug: Über uns\n"),
                        page_path(config, "about.md"), config)
    assert isinstance(parsed.item, Page)
    assert parsed.item.slug == "uber-uns"


# --- files ---------------------------------------------------------------------------------------

def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_discover_skips_hidden_and_editor_files_and_finds_pages(tmp_path: Path) -> None:
    write(tmp_path, {name: "x" for name in [
        "content/articles/2017/a.md", "content/b.md",
        "content/.hidden.md", "content/.#lock.md", "content/#autosave.md",
        "content/_drafts/c.md", "content/.git/d.md", "content/notes.txt", "content/e.md~",
        "content/pages/about.md", "content/pages/team/people.md", "content/pages/_x.md",
        "elsewhere.md",
    ]})
    config = for_test(tmp_path)
    found = {(s.path.relative_to(config.content_path).as_posix(), s.kind)
             for s in discover(config)}
    assert found == {("articles/2017/a.md", "article"), ("b.md", "article"),
                     ("pages/about.md", "page"), ("pages/team/people.md", "page")}


def test_discover_is_sorted_and_tolerates_no_content(tmp_path: Path) -> None:
    config = for_test(tmp_path)
    assert discover(config) == []
    write(tmp_path, {"content/b.md": "", "content/a.md": "", "content/c/a.md": ""})
    paths = [s.path for s in discover(config)]
    assert paths == sorted(paths)


def test_read_source_reports_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    parsed = read_source(SourceFile(path, "article"), for_test(tmp_path))
    assert parsed.item is None
    assert "UTF-8" in parsed.problems[0].message


def test_read_source_dispatches_on_kind(tmp_path: Path) -> None:
    config = for_test(tmp_path)
    write(tmp_path, {"content/pages/about.md": article_file("title: About\n"),
                     "content/a.md": with_front()})
    page = read_source(SourceFile(config.content_path / "pages/about.md", "page"), config)
    article = read_source(SourceFile(config.content_path / "a.md", "article"), config)
    assert isinstance(page.item, Page)
    assert isinstance(article.item, Article)
    assert article.item.source_path == config.content_path / "a.md"


def test_an_unchanged_body_keeps_its_rendering_and_a_changed_one_is_rendered(
        config: SiteConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.content

    first = parse_article(CONTRACT_EXAMPLE, PATH, config)
    retitled = CONTRACT_EXAMPLE.replace('title: "Video:', 'title: "Now:', 1)
    with monkeypatch.context() as patched:
        patched.setattr(generator.content, "render", _not_rendered)
        again = parse_article(retitled, PATH, config, reuse=first)
    assert again.item == replace(first.item, title=again.item.title, digest=again.item.digest,
                                 meta_digest=again.item.meta_digest)
    assert again.item.title.startswith("Now:") and again.lead == first.lead
    edited = parse_article(retitled + "\nOne more paragraph.\n", PATH, config, reuse=first)
    assert "One more paragraph." in edited.item.body_html
    assert edited.body_digest != first.body_digest


def _not_rendered(*args: object, **kwargs: object) -> None:
    raise AssertionError("the body was rendered again")


# --- dates YAML reads but the calendar has not; misspelt keys (issue 13) -------------------

@pytest.mark.parametrize(("value", "reason"), [
    ("2020-13-45", "month must be in 1..12"),
    ("2021-02-30", "day is out of range for month"),
    ("2021-02-03 25:61:00", "hour must be in 0..23"),
    ("0000-01-01", "year 0 is out of range"),
])
def test_impossible_calendar_dates_are_problems_on_their_line(
        config: SiteConfig, value: str, reason: str) -> None:
    problem = by_key(parse_bad(with_front(date=value), config), "date")
    assert problem.line == 3 and problem.path == PATH
    assert value in problem.message and reason in problem.message


def test_an_impossible_source_date_is_a_problem_of_source_date(config: SiteConfig) -> None:
    text = with_front(source="{name: South Front, date: 2021-02-30}")
    problem = by_key(parse_bad(text, config), "source.date")
    assert problem.line == 4 and "2021-02-30" in problem.message


@pytest.mark.parametrize(("written", "meant"), [
    ("region", "regions"), ("Author", "authors"), ("theme", "themes"), ("summery", "summary"),
    ("reprots", "reports"), ("Title2", None), ("curator_note", None), ("subtitle", None),
])
def test_a_near_miss_of_a_contract_key_is_a_warning_naming_the_key_meant(
        config: SiteConfig, written: str, meant: str | None) -> None:
    value = '"A summary"' if meant == "summary" else "[Europe]"
    parsed = parse_article(with_front(**{written: value}), PATH, config)
    assert isinstance(parsed.item, Article)  # extra keys stay allowed
    assert parsed.item.extra[written] in (["Europe"], "A summary")
    found = [w for w in parsed.warnings if w.key == written]
    if meant is None:
        assert found == []
    else:
        [warning] = found
        assert warning.line == 6 and warning.path == PATH
        assert f"did you mean '{meant}'" in warning.message


def test_a_near_miss_of_a_key_the_article_has_is_the_curators_own(config: SiteConfig) -> None:
    parsed = parse_article(with_front(publisher="GR", published='"2020"'), PATH, config)
    assert parsed.warnings == ()


@pytest.mark.parametrize(("written", "value"), [
    ("published", "2020-01-01"), ("published", "true"), ("reporter", "Jane Roe"),
    ("resource", "https://example.org/"), ("authored", "Jane Roe"), ("drafted", "2020-01-02"),
])
def test_a_near_miss_whose_value_could_not_be_meant_for_the_key_is_not_warned(
        config: SiteConfig, written: str, value: str) -> None:
    parsed = parse_article(with_front(**{written: value}), PATH, config)
    assert isinstance(parsed.item, Article) and parsed.warnings == ()


def test_a_near_miss_of_a_configured_taxonomy_is_a_warning(tmp_path: Path) -> None:
    config = for_test(tmp_path, taxonomies=(_taxonomy_config("countries"),))
    parsed = parse_article(with_front(country="[Chile]"), PATH, config)
    assert [w.key for w in parsed.warnings] == ["country"]
    assert "'countries'" in parsed.warnings[0].message


def test_a_misspelling_explains_the_missing_key_it_was_meant_for(config: SiteConfig) -> None:
    text = with_front(copyright=None, copyrigth='"South Front, 2017"')
    problem = by_key(parse_bad(text, config), "copyright")
    assert "is missing" in problem.message
    assert "line 5 has 'copyrigth'" in (problem.hint or "")
    assert "did you mean 'copyright'" in (problem.hint or "")
    draft = parse_article(with_front(copyright=None, copyrigth='"X"', draft="true"), PATH, config)
    assert "'copyrigth'" in (by_key(draft.warnings, "copyright").hint or "")


# --- what parsing reads of the configuration (issue 14) ------------------------------------

def test_parsing_reads_only_the_parse_settings(tmp_path: Path) -> None:
    """parse_article and parse_page see the configuration through ParseSettings alone, so its
    digest (the cache key of every parse) covers all they read."""
    from types import SimpleNamespace

    from generator.content import ParseSettings

    config = for_test(tmp_path)
    narrow = SimpleNamespace(allow_html=config.allow_html, typographer=config.typographer,
                             summary_words=config.summary_words,
                             taxonomies=config.taxonomies, content_path=config.content_path)
    wide = parse_article(CONTRACT_EXAMPLE, PATH, config)
    assert parse_article(CONTRACT_EXAMPLE, PATH, narrow) == wide  # type: ignore[arg-type]
    page = config.content_path / "pages/about.md"
    assert parse_page("---\ntitle: About\n---\nUs.\n", page, narrow) == parse_page(  # type: ignore[arg-type]
        "---\ntitle: About\n---\nUs.\n", page, config)
    digests = {ParseSettings.of(c).digest() for c in (
        config, replace(config, allow_html=not config.allow_html),
        replace(config, typographer=not config.typographer),
        replace(config, summary_words=config.summary_words + 1),
        replace(config, taxonomies=config.taxonomies[:1]),
        replace(config, content_dir="elsewhere"))}
    assert len(digests) == 6


# --- metadata: updated and image ------------------------------------------------------------

def test_updated_and_image_are_fields_not_extra(config: SiteConfig) -> None:
    article = parse_ok(with_front(updated="2017-09-05 14:30",
                                  image="images/mountain.jpg"), config)
    assert article.updated == dt.datetime(2017, 9, 5, 14, 30)
    assert article.image == "images/mountain.jpg"
    assert "updated" not in article.extra and "image" not in article.extra
    plain = parse_ok(with_front(), config)
    assert plain.updated is None and plain.image is None


def test_updated_is_a_date_like_date(config: SiteConfig) -> None:
    assert parse_ok(with_front(updated="2017-09-05"), config).updated == dt.date(2017, 9, 5)
    problem = by_key(parse_bad(with_front(updated="last week"), config), "updated")
    assert problem.path == PATH and "ISO date" in problem.message


@pytest.mark.parametrize("value", ["[a.jpg, b.jpg]", "{src: a.jpg}", "42", "true"])
def test_an_image_that_is_not_text_names_the_file_and_the_fix(config: SiteConfig,
                                                              value: str) -> None:
    problem = by_key(parse_bad(with_front(image=value), config), "image")
    assert problem.path == PATH and problem.line == 6
    assert problem.message.startswith("must be an image's URL or path, not ")
    assert problem.hint and "image: images/photo.jpg" in problem.hint


@pytest.mark.parametrize("value", ["javascript:alert(1)", "ftp://host/a.jpg",
                                   "../../secret.png", "//cdn.example/a.jpg"])
def test_an_image_that_is_no_url_or_static_path_is_a_problem(config: SiteConfig,
                                                            value: str) -> None:
    problem = by_key(parse_bad(with_front(image=f'"{value}"'), config), "image")
    assert value in problem.message


def test_a_misspelt_updated_is_a_warning(config: SiteConfig) -> None:
    parsed = parse_article(with_front(update="2017-09-05"), PATH, config)
    assert parsed.item is not None
    assert any(w.key == "update" and "'updated'" in w.message for w in parsed.warnings)
