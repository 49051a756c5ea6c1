"""What pages tell machines: the NewsArticle JSON-LD, images, descriptions, and times with
the site's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import SiteConfig, for_test
from generator.dates import rfc3339, site_zone, zone_problem
from generator.metadata import article_description, image_url, news_article, page_description
from generator.model import Article, Page, Source, TermRef
from generator.site import assemble

BASE = "https://example.org/archive/"


def make_article(**changes: object) -> Article:
    article = Article(
        source_path=Path("content/a.md"), title="Bread Prices Climb", date=dt.date(2020, 6, 6),
        slug="bread", body_html="<p>x</p>", summary="Prices rose again.", names={},
        source=Source("South Front", "https://original.example/bread", dt.date(2020, 6, 1)),
        publisher=None, copyright="South Front, 2020", url="/archive/2020/06/bread/",
        terms={"authors": (TermRef("Li Wei", "li-wei", "/archive/authors/li-wei/"),)})
    return replace(article, **changes)  # type: ignore[arg-type]


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    return for_test(tmp_path, base_url=BASE, title="The Archive")


# --- times ---------------------------------------------------------------------------------

PARIS = "Europe/Paris"


@pytest.mark.parametrize(("value", "zone", "expected"), [
    (dt.date(2020, 1, 2), "UTC", "2020-01-02T00:00:00Z"),
    (dt.date(2020, 1, 2), PARIS, "2020-01-02T00:00:00+01:00"),  # winter
    (dt.date(2020, 7, 2), PARIS, "2020-07-02T00:00:00+02:00"),  # summer time
    (dt.datetime(2020, 7, 2, 9, 30), PARIS, "2020-07-02T09:30:00+02:00"),  # naive: the site's
    (dt.datetime(2020, 7, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))), PARIS,
     "2020-07-02T09:30:00-05:00"),  # written with an offset: kept
    (dt.date(2020, 7, 2), "America/New_York", "2020-07-02T00:00:00-04:00"),
])
def test_rfc3339_reads_dates_without_a_zone_in_the_sites(value: dt.date, zone: str,
                                                        expected: str) -> None:
    assert rfc3339(value, site_zone(zone)) == expected


def test_rfc3339_of_no_date_is_the_epoch() -> None:
    assert rfc3339(None) == "1970-01-01T00:00:00Z"


@pytest.mark.parametrize("name", ["Europe/Pariss", "Europe", "utc", "", "../etc/passwd",
                                  "/etc/localtime", "Mars/Olympus"])
def test_names_that_are_no_time_zone(name: str) -> None:
    assert zone_problem(name) == f"unknown time zone {name!r}"


def test_utc_needs_no_zone_database() -> None:
    assert site_zone("UTC") is dt.UTC and zone_problem("UTC") is None


# --- JSON-LD -------------------------------------------------------------------------------

def test_news_article_has_what_schema_org_expects(config: SiteConfig) -> None:
    data = news_article(make_article(image="images/bread.jpg"), config)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Bread Prices Climb"
    assert data["image"] == BASE + "images/bread.jpg"
    assert data["datePublished"] == data["dateModified"] == "2020-06-06T00:00:00Z"
    assert data["author"] == [{"@type": "Person", "name": "Li Wei",
                               "url": "https://example.org/archive/authors/li-wei/"}]
    assert data["description"] == "Prices rose again."
    assert data["url"] == data["mainEntityOfPage"] == BASE + "2020/06/bread/"


def test_updated_is_date_modified_with_the_sites_offset(tmp_path: Path) -> None:
    config = for_test(tmp_path, base_url=BASE, timezone="Asia/Tokyo")
    data = news_article(make_article(updated=dt.datetime(2021, 3, 4, 8, 15)), config)
    assert data["datePublished"] == "2020-06-06T00:00:00+09:00"
    assert data["dateModified"] == "2021-03-04T08:15:00+09:00"


def test_is_based_on_names_the_original_work_and_its_publisher(config: SiteConfig) -> None:
    original = news_article(make_article(), config)["isBasedOn"]
    assert original == {
        "@type": "CreativeWork", "name": "Bread Prices Climb",
        "url": "https://original.example/bread", "datePublished": "2020-06-01",
        "publisher": {"@type": "Organization", "name": "South Front"}}


def test_is_based_on_without_url_or_date(config: SiteConfig) -> None:
    original = news_article(make_article(source=Source("South Front")), config)["isBasedOn"]
    assert set(original) == {"@type", "name", "publisher"}


def test_publisher_is_the_outlet_collected_from(config: SiteConfig) -> None:
    data = news_article(make_article(publisher="Global Research"), config)
    assert data["publisher"] == {"@type": "Organization", "name": "Global Research"}


def test_publisher_is_the_site_with_its_url_and_logo(config: SiteConfig) -> None:
    assert news_article(make_article(), config)["publisher"] == {
        "@type": "Organization", "name": "The Archive", "url": BASE}
    with_logo = replace(config, logo="/assets/logo.png")
    named_as_site = make_article(publisher="The Archive")
    assert news_article(named_as_site, with_logo)["publisher"] == {
        "@type": "Organization", "name": "The Archive", "url": BASE,
        "logo": {"@type": "ImageObject", "url": BASE + "assets/logo.png"}}


def test_no_image_anywhere_leaves_it_out(config: SiteConfig) -> None:
    assert "image" not in news_article(make_article(), config)


# --- images --------------------------------------------------------------------------------

@pytest.mark.parametrize(("article_image", "site_image", "expected"), [
    ("images/a b.jpg", "", BASE + "images/a%20b.jpg"),  # a static path, under the sub-path
    ("/images/a.jpg", "", BASE + "images/a.jpg"),  # from the output root either way
    ("https://cdn.example/a.jpg?w=1200", "x.png", "https://cdn.example/a.jpg?w=1200"),
    (None, "cover.png", BASE + "cover.png"),  # the site's default
    (None, "", None),
])
def test_image_url(config: SiteConfig, article_image: str | None, site_image: str,
                   expected: str | None) -> None:
    site = replace(config, image=site_image)
    assert image_url(make_article(image=article_image), site) == expected


# --- descriptions --------------------------------------------------------------------------

def test_article_description_is_its_summary_else_a_sentence() -> None:
    assert article_description(make_article(), "The Archive") == "Prices rose again."
    assert article_description(make_article(summary=""), "The Archive") == \
        "Bread Prices Climb, from South Front, republished in The Archive."
    nameless = make_article(summary="", source=Source(None), publisher=None)
    assert article_description(nameless, "The Archive") == \
        "Bread Prices Climb, republished in The Archive."


def _contexts(config: SiteConfig) -> dict[str, dict[str, object]]:
    site = assemble(config, [replace(make_article(), names={"regions": ("Europe",)})], [])
    regions = next(t for t in site.taxonomies if t.key == "regions")
    return {"term": {"taxonomy": regions, "term": regions.terms[0]},
            "taxonomy": {"taxonomy": regions}, "year": {"year": site.years[0]},
            "years": {}, "home": {}, "special": {}}


def test_list_pages_say_what_they_are_when_the_site_has_no_description(
        config: SiteConfig) -> None:
    described = {kind: page_description(kind, context, config, 1234)
                 for kind, context in _contexts(config).items()}
    assert described == {
        "term": "Articles filed under Region: Europe in The Archive.",
        "taxonomy": "Regions of The Archive, each with its articles.",
        "year": "Articles of 2020 in The Archive.",
        "years": "The Archive: its 1,234 republished articles, year by year.",
        "home": "The Archive: an archive of 1,234 republished articles.",
        "special": "The Archive: an archive of 1,234 republished articles.",
    }


def test_the_site_description_comes_first_and_a_pages_summary_before_it(
        config: SiteConfig) -> None:
    described = replace(config, description="Republished news.")
    for kind, context in _contexts(config).items():
        assert page_description(kind, context, described, 3) == "Republished news."
    about = Page(Path("content/pages/about.md"), "About", "about", "", "Who we are.")
    assert page_description("page", {"page": about}, described, 3) == "Who we are."
    empty = replace(about, summary="")
    assert page_description("page", {"page": empty}, config, 3) == \
        "About: a page of The Archive."
    assert page_description("home", {}, config, 1) == \
        "The Archive: an archive of 1 republished article."
