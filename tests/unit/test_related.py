"""What pages show beside their own content: lead story, home sections, related articles and
terms, a year's months."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator.config import SiteConfig, for_test
from generator.model import Article, Site, Source
from generator.pages import plan
from generator.related import (
    RELATED_ARTICLES,
    home_sections,
    lead_story,
    months,
    related_articles,
    related_terms,
)
from generator.site import assemble, shape


def article(slug: str, day: int, month: int = 1, year: int = 2017, featured: object = None,
            **names: list[str]) -> Article:
    extra = {} if featured is None else {"featured": featured}
    return Article(
        source_path=Path(f"content/{slug}.md"), title=slug.title(),
        date=dt.date(year, month, day), slug=slug, body_html="<p>x</p>", summary="x",
        names={key: tuple(value) for key, value in names.items()},
        source=Source("S"), publisher=None, copyright="C", extra=extra,
    )


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    return for_test(tmp_path)


def site_of(config: SiteConfig, *articles: Article) -> Site:
    return assemble(config, list(articles), [])


def test_the_lead_is_the_newest_unless_one_is_featured(config: SiteConfig) -> None:
    site = site_of(config, article("old", 1), article("new", 9))
    assert lead_story(site.articles).slug == "new"
    site = site_of(config, article("old", 1, featured=True), article("new", 9),
                   article("older", 1, year=2016, featured=True))
    assert lead_story(site.articles).slug == "old"  # the newest featured one
    # only `true` features an article: a string such as "no" does not
    site = site_of(config, article("old", 1, featured="no"), article("new", 9))
    assert lead_story(site.articles).slug == "new"
    assert lead_story(()) is None


def test_featuring_an_article_changes_the_shape_of_the_site(config: SiteConfig) -> None:
    """(an edit that features an article takes the full build: the home page changes)"""
    plain = article("a", 1)
    assert shape(plain) != shape(dataclasses.replace(plain, extra={"featured": True}))


def test_sections_are_the_busiest_regions_and_themes_with_their_newest(
        config: SiteConfig) -> None:
    site = site_of(config,
                   article("a", 1, regions=["Asia"], themes=["Trade"]),
                   article("b", 2, regions=["Asia"]),
                   article("c", 3, regions=["Asia", "Europe"]),
                   article("d", 4, regions=["Europe"], themes=["Energy"]),
                   article("e", 5, regions=["Africa"], authors=["Z"]))
    sections = home_sections(site)
    names = [(s.title, s.term.name) for s in sections]
    # regions by count, then name; no authors or other taxonomies
    assert names[:3] == [("Region", "Asia"), ("Region", "Europe"), ("Region", "Africa")]
    assert {title for title, _ in names} == {"Region", "Theme"}
    asia = sections[0]
    assert [a.slug for a in asia.latest] == ["c", "b", "a"]  # newest first


def test_related_articles_share_a_report_first_then_themes_then_regions(
        config: SiteConfig) -> None:
    site = site_of(config,
                   article("me", 10, reports=["Dossier"], themes=["Trade"], regions=["Asia"]),
                   article("report", 1, reports=["Dossier"]),
                   article("theme", 11, themes=["Trade"]),
                   article("region", 9, regions=["Asia"]),
                   article("other", 10, regions=["Europe"]))
    related = related_articles(site)
    assert [a.slug for a in related["content/me.md"]] == ["report", "theme", "region"]
    assert all(a.slug != "other" for a in related["content/me.md"])
    assert related["content/other.md"] == ()  # nothing shared, nothing related


def test_related_articles_are_the_nearest_in_date_never_itself(config: SiteConfig) -> None:
    articles = [article(f"a{day:02d}", day, themes=["Trade"]) for day in range(1, 21)]
    related = related_articles(site_of(config, *articles))
    mine = [a.slug for a in related["content/a10.md"]]
    assert len(mine) == RELATED_ARTICLES and "a10" not in mine
    assert set(mine) <= {"a08", "a09", "a11", "a12"}
    assert len(set(mine)) == len(mine)


def test_related_terms_are_the_most_often_together(config: SiteConfig) -> None:
    site = site_of(config,
                   article("a", 1, regions=["Asia", "Europe"]),
                   article("b", 2, regions=["Asia", "Europe"]),
                   article("c", 3, regions=["Asia", "Africa"]),
                   article("d", 4, regions=["Oceania"]))
    regions = next(t for t in site.taxonomies if t.key == "regions")
    companions = related_terms(regions)
    assert [t.name for t in companions["asia"]] == ["Europe", "Africa"]
    assert [t.name for t in companions["europe"]] == ["Asia"]
    assert companions["oceania"] == ()


def test_months_count_the_whole_year_newest_first(config: SiteConfig) -> None:
    site = site_of(config, article("a", 1, month=3), article("b", 2, month=3),
                   article("c", 5, month=11), article("d", 1, month=1, year=2016))
    year = next(y for y in site.years if y.year == 2017)
    assert [(m.number, m.count) for m in months(year)] == [(11, 1), (3, 2)]


def test_plan_puts_them_in_the_pages_contexts(config: SiteConfig) -> None:
    site = site_of(config, article("a", 1, regions=["Asia"]), article("b", 2, regions=["Asia"]),
                   article("c", 3, year=2018, regions=["Asia"]))
    jobs = plan(site)
    homes = [job for job in jobs if job.kind == "home"]
    assert homes[0].context["lead"].slug == "c" and homes[0].context["sections"]
    assert all(job.context["lead"] is None for job in homes[1:])
    years = {job.context["year"].year: job for job in jobs if job.kind == "year"}
    assert years[2018].context["older_year"].year == 2017
    assert years[2018].context["newer_year"] is None
    assert years[2017].context["newer_year"].year == 2018
    page = next(job for job in jobs if job.kind == "article" and job.context["article"].slug == "a")
    assert [a.slug for a in page.context["related"]] == ["b", "c"]
