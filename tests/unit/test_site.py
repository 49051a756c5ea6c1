"""assemble(): routes, terms, years and drafts, into one frozen Site."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator.config import UrlConfig, for_test
from generator.errors import Problem
from generator.model import Article, Page, Source, TermRef
from generator.site import AssemblyMemo, assemble


def make_article(slug: str, date: dt.date, draft: bool = False, **names: list[str]) -> Article:
    return Article(
        source_path=Path(f"content/{slug}.md"), title=slug.title(), date=date, slug=slug,
        body_html="<p>x</p>", summary="x",
        names={key: tuple(value) for key, value in names.items()},
        source=Source("S"), publisher=None, copyright="C", draft=draft,
    )


def make_page(slug: str, draft: bool = False, menu: int | None = None) -> Page:
    return Page(source_path=Path(f"content/pages/{slug}.md"), title=slug.title(), slug=slug,
                body_html="", summary="", menu=menu, draft=draft)


D = dt.date


def test_articles_are_newest_first_whatever_the_input_order(tmp_path: Path) -> None:
    articles = [make_article("b", D(2018, 5, 1)), make_article("a", D(2019, 1, 1)),
                make_article("c", D(2017, 3, 1))]
    config = for_test(tmp_path)
    site = assemble(config, articles, [])
    assert [a.slug for a in site.articles] == ["a", "b", "c"]
    again = assemble(config, list(reversed(articles)), [])
    assert [a.slug for a in again.articles] == ["a", "b", "c"]


def test_same_day_order_is_stable_and_a_time_is_later_than_the_date(tmp_path: Path) -> None:
    articles = [make_article("x", D(2017, 1, 1)), make_article("y", D(2017, 1, 1)),
                make_article("timed", dt.datetime(2017, 1, 1, 9, 30))]
    config = for_test(tmp_path)
    first = [a.slug for a in assemble(config, articles, []).articles]
    second = [a.slug for a in assemble(config, articles[::-1], []).articles]
    assert first == second
    assert first[0] == "timed"


def test_aware_datetimes_are_ordered_by_instant(tmp_path: Path) -> None:
    plus5 = dt.timezone(dt.timedelta(hours=5))
    articles = [make_article("early", dt.datetime(2017, 1, 1, 12, 0, tzinfo=plus5)),  # 07:00Z
                make_article("late", dt.datetime(2017, 1, 1, 8, 0))]
    assert [a.slug for a in assemble(for_test(tmp_path), articles, []).articles] == [
        "late", "early"]


@pytest.mark.parametrize(
    ("base_url", "pattern", "url", "output_path"),
    [
        ("http://localhost:8000/", "/{year}/{month}/{slug}/", "/2017/09/a/",
         "2017/09/a/index.html"),
        ("https://example.org/archive/", "/{year}/{month}/{slug}/", "/archive/2017/09/a/",
         "2017/09/a/index.html"),
        ("http://localhost:8000/", "/{year}/{month}/{day}/{slug}.html", "/2017/09/02/a.html",
         "2017/09/02/a.html"),
    ],
)
def test_article_routes(tmp_path: Path, base_url: str, pattern: str, url: str,
                        output_path: str) -> None:
    config = for_test(tmp_path, base_url=base_url, urls=UrlConfig(article=pattern))
    (article,) = assemble(config, [make_article("a", D(2017, 9, 2))], []).articles
    assert (article.url, article.output_path) == (url, output_path)


@pytest.mark.parametrize(("drafts", "shown"), [(False, ["published"]),
                                                (True, ["draft", "published"])])
def test_drafts_are_left_out_unless_asked_for(tmp_path: Path, drafts: bool,
                                              shown: list[str]) -> None:
    articles = [make_article("published", D(2017, 1, 1), regions=["Europe"]),
                make_article("draft", D(2018, 1, 1), draft=True, regions=["Asia"])]
    pages = [make_page("about"), make_page("wip", draft=True)]
    site = assemble(for_test(tmp_path, drafts=drafts), articles, pages)
    assert [a.slug for a in site.articles] == shown
    (regions,) = [t for t in site.taxonomies if t.key == "regions"]
    assert {t.name for t in regions.terms} == ({"Europe", "Asia"} if drafts else {"Europe"})
    assert [y.year for y in site.years] == ([2018, 2017] if drafts else [2017])
    assert [p.slug for p in site.pages] == (["about", "wip"] if drafts else ["about"])


def test_a_draft_spelling_does_not_cause_a_merge(tmp_path: Path) -> None:
    articles = [make_article("a", D(2017, 1, 1), regions=["Europe"]),
                make_article("b", D(2017, 1, 2), draft=True, regions=["EUROPE"])]
    assert assemble(for_test(tmp_path), articles, []).warnings == ()


def test_articles_get_their_term_refs(tmp_path: Path) -> None:
    articles = [make_article("a", D(2017, 1, 1), regions=["Middle East & North Africa"],
                             authors=["Jiří Dvořák"]),
                make_article("b", D(2017, 1, 2), regions=["middle east & north africa"],
                             authors=["Jiří Dvořák"])]
    site = assemble(for_test(tmp_path), articles, [])
    newest = site.articles[0]
    assert newest.terms["regions"] == (TermRef(
        "Middle East & North Africa", "middle-east-north-africa",
        "/regions/middle-east-north-africa/"),)
    assert newest.authors == (TermRef("Jiří Dvořák", "jiri-dvorak", "/authors/jiri-dvorak/"),)
    assert newest.terms["themes"] == ()
    assert set(newest.terms) == {"regions", "themes", "authors", "reports", "sources",
                                 "publishers"}


def test_taxonomies_follow_the_config_with_terms_and_urls(tmp_path: Path) -> None:
    config = for_test(tmp_path, base_url="https://example.org/archive/")
    articles = [make_article("a", D(2017, 1, 1), themes=["Terrorism", "Economy"]),
                make_article("b", D(2017, 1, 2), themes=["economy"])]
    site = assemble(config, articles, [])
    assert [t.key for t in site.taxonomies] == [t.key for t in config.taxonomies]
    themes = next(t for t in site.taxonomies if t.key == "themes")
    assert themes.url == "/archive/themes/"
    assert [(t.name, t.count, t.url) for t in themes.terms] == [
        ("Economy", 2, "/archive/themes/economy/"), ("Terrorism", 1, "/archive/themes/terrorism/")]
    assert [a.slug for a in themes.terms[0].articles] == ["b", "a"]


def test_merge_warnings_follow_the_given_warnings(tmp_path: Path) -> None:
    given = Problem("an earlier warning")
    articles = [make_article("a", D(2017, 1, 1), regions=["Europe"]),
                make_article("b", D(2017, 1, 2), regions=["europe"])]
    site = assemble(for_test(tmp_path), articles, [], [given])
    assert site.warnings[0] is given
    assert len(site.warnings) == 2
    assert "merged" in site.warnings[1].message


def test_years_group_articles_newest_first(tmp_path: Path) -> None:
    articles = [make_article("a", D(2017, 3, 1)), make_article("b", D(2019, 1, 5)),
                make_article("c", D(2019, 12, 31)), make_article("d", D(2017, 1, 1))]
    config = for_test(tmp_path, base_url="https://example.org/archive/")
    site = assemble(config, articles, [])
    assert [(y.year, y.name, y.url, y.count) for y in site.years] == [
        (2019, "2019", "/archive/2019/", 2), (2017, "2017", "/archive/2017/", 2)]
    assert [[a.slug for a in y.articles] for y in site.years] == [["c", "b"], ["a", "d"]]


def test_plain_pages_are_routed_and_sorted(tmp_path: Path) -> None:
    config = for_test(tmp_path, urls=UrlConfig(page="/pages/{slug}/"))
    site = assemble(config, [], [make_page("team/people"), make_page("about")])
    assert [(p.slug, p.url, p.output_path) for p in site.pages] == [
        ("about", "/pages/about/", "pages/about/index.html"),
        ("team/people", "/pages/team/people/", "pages/team/people/index.html")]


def test_the_site_is_frozen(tmp_path: Path) -> None:
    site = assemble(for_test(tmp_path), [make_article("a", D(2017, 1, 1))], [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        site.articles = ()  # type: ignore[misc]


def test_an_empty_site(tmp_path: Path) -> None:
    site = assemble(for_test(tmp_path), [], [])
    assert site.articles == () and site.years == () and site.pages == ()
    assert all(t.terms == () for t in site.taxonomies)


def test_each_year_is_one_archive_with_aware_times(tmp_path: Path) -> None:
    plus5 = dt.timezone(dt.timedelta(hours=5))
    articles = [make_article("new-year-east", dt.datetime(2018, 1, 1, 1, 0, tzinfo=plus5)),
                make_article("old-year", dt.datetime(2017, 12, 31, 22, 0)),
                make_article("new-year", dt.datetime(2018, 1, 1, 10, 0))]
    site = assemble(for_test(tmp_path), articles, [])
    years = [y.year for y in site.years]
    assert years == [2018, 2017]
    assert sum(y.count for y in site.years) == 3


# -- assembling again with a memo (folio serve) ---------------------------------------------
def memo_articles() -> list[Article]:
    return [make_article("a", D(2019, 1, 1), regions=["Europe"], themes=["Water"]),
            make_article("b", D(2020, 2, 2), regions=["Asia", "Europe"]),
            make_article("c", D(2021, 3, 3), themes=["water"])]


def test_a_memo_reuses_unchanged_articles_and_gives_the_same_site(tmp_path: Path) -> None:
    config = dataclasses.replace(for_test(tmp_path), syndication="original")  # warns: no url
    articles = memo_articles()
    memo = AssemblyMemo()
    first = assemble(config, articles, [], memo=memo)
    again = assemble(config, articles, [], memo=memo)
    assert again == first == assemble(config, articles, [])
    assert all(a is b for a, b in zip(again.articles, first.articles, strict=True))
    assert len(again.warnings) == len(first.warnings) == 4  # 3 policy warnings + 1 merge

    edited = [dataclasses.replace(articles[0], title="A, revised"), *articles[1:]]
    third = assemble(config, edited, [], memo=memo)
    assert third == assemble(config, edited, [])
    by_slug = {a.slug: a for a in third.articles}
    before = {a.slug: a for a in again.articles}
    assert by_slug["a"].title == "A, revised" and by_slug["a"] is not before["a"]
    assert by_slug["b"] is before["b"] and by_slug["c"] is before["c"]


def test_a_memo_is_not_used_when_terms_or_the_configuration_change(tmp_path: Path) -> None:
    config = for_test(tmp_path)
    articles = memo_articles()
    memo = AssemblyMemo()
    first = assemble(config, articles, [], memo=memo)
    # "Water" is now outnumbered by "water": every article naming the theme shows it so
    renamed = [*articles, make_article("d", D(2022, 4, 4), themes=["water"])]
    second = assemble(config, renamed, [], memo=memo)
    assert second == assemble(config, renamed, [])
    a = next(x for x in second.articles if x.slug == "a")
    assert [ref.name for ref in a.terms["themes"]] == ["water"]
    assert a is not next(x for x in first.articles if x.slug == "a")

    moved = dataclasses.replace(config, base_url="https://example.org/archive/")
    third = assemble(moved, renamed, [], memo=memo)
    assert third == assemble(moved, renamed, [])
    assert third.articles[0].url.startswith("/archive/")


def test_a_declared_taxonomy_no_article_uses_is_a_warning_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "folio.toml").write_text('title = "T"\n\n[taxonomies.regions]\ntitle = "R"\n\n'
                                         '[taxonomies.countries]\ntitle = "Countries"\n')
    from generator.config import load_config

    config = load_config(tmp_path)
    site = assemble(config, [make_article("a", D(2020, 1, 1), regions=["Europe"])], [])
    [warning] = [w for w in site.warnings if w.key == "taxonomies.countries"]
    assert warning.path == tmp_path / "folio.toml" and warning.line == 6
    assert not [w for w in site.warnings if w.key == "taxonomies.regions"]  # it is used
    assert assemble(config, [], []).warnings == ()  # no article yet: nothing to say
    with_draft = [make_article("a", D(2020, 1, 1), regions=["Europe"]),
                  make_article("b", D(2020, 1, 1), draft=True, countries=["Chile"])]
    assert [w.key for w in assemble(config, with_draft, []).warnings] == [
        "taxonomies.countries"]  # a draft is not published


def test_default_taxonomies_unused_are_not_warned_about(tmp_path: Path) -> None:
    config = for_test(tmp_path)  # no folio.toml: the default taxonomies
    site = assemble(config, [make_article("a", D(2020, 1, 1))], [])
    assert site.warnings == ()


def test_a_sub_path_site_is_warned_that_robots_txt_is_not_written(tmp_path: Path) -> None:
    config = for_test(tmp_path, base_url="https://user.github.io/archive/")
    site = assemble(config, [make_article("a", D(2020, 1, 1))], [])
    (warning,) = [w for w in site.warnings if w.key == "base_url"]
    assert "robots.txt is not written" in warning.message
    assert "https://user.github.io/robots.txt" in warning.message
    assert warning.hint and \
        "`Sitemap: https://user.github.io/archive/sitemap.xml`" in warning.hint


@pytest.mark.parametrize("overrides", [{"base_url": "https://example.org/"},
                                       {"base_url": "https://x.io/archive/", "sitemap": False}])
def test_no_robots_warning_at_the_root_or_without_a_sitemap(tmp_path: Path,
                                                            overrides: dict) -> None:
    site = assemble(for_test(tmp_path, **overrides), [make_article("a", D(2020, 1, 1))], [])
    assert not [w for w in site.warnings if w.key == "base_url"]
