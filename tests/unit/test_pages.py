"""plan(): every page of a site as data, with pagination and article neighbours."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator.config import SiteConfig, for_test
from generator.model import Article, Page, Site, Source
from generator.pages import Job, PageLink, Paginator, plan, site_info
from generator.site import assemble


def make_article(slug: str, day: int, year: int = 2017, **names: list[str]) -> Article:
    return Article(
        source_path=Path(f"content/{slug}.md"), title=slug.title(),
        date=dt.date(year, 1, day), slug=slug, body_html="<p>x</p>", summary="x",
        names={key: tuple(value) for key, value in names.items()},
        source=Source("S"), publisher=None, copyright="C",
    )


def make_page(slug: str, title: str, menu: int | None = None) -> Page:
    return Page(source_path=Path(f"content/pages/{slug}.md"), title=title, slug=slug,
                body_html="", summary="", menu=menu)


def small_site(config: SiteConfig) -> Site:
    articles = [make_article("a", 1, regions=["Europe"]),
                make_article("b", 2, regions=["Europe", "Asia"], themes=["Economy"]),
                make_article("c", 3, year=2018, regions=["Asia"])]
    return assemble(config, articles, [make_page("about", "About", menu=1)])


def jobs_by_url(jobs: list[Job]) -> dict[str, Job]:
    return {job.route.url: job for job in jobs}


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    return for_test(tmp_path)


def test_plan_has_every_page_once(config: SiteConfig) -> None:
    jobs = plan(small_site(config))
    paths = [job.route.output_path for job in jobs]
    assert len(paths) == len(set(paths))
    assert set(jobs_by_url(jobs)) == {
        "/", "/2017/01/a/", "/2017/01/b/", "/2018/01/c/",
        "/regions/", "/regions/europe/", "/regions/asia/",
        "/themes/", "/themes/economy/", "/authors/", "/reports/", "/sources/", "/publishers/",
        "/archives/", "/2017/", "/2018/", "/about/", "/404.html", "/search/",
        # feeds: the archive's and one per term; the sitemap and robots.txt
        "/atom.xml", "/regions/europe/atom.xml", "/regions/asia/atom.xml",
        "/themes/economy/atom.xml", "/sitemap.xml", "/robots.txt",
    }


def test_feeds_and_sitemap_can_be_switched_off(tmp_path: Path) -> None:
    config = for_test(tmp_path, feeds=False, sitemap=False)
    urls = set(jobs_by_url(plan(small_site(config))))
    assert not {u for u in urls if u.endswith((".xml", ".txt"))}


def test_feed_entries_are_the_newest_n(tmp_path: Path) -> None:
    config = for_test(tmp_path, feed_entries=2)
    feed = jobs_by_url(plan(small_site(config)))["/atom.xml"].context["feed"]
    assert [a.slug for a in feed.entries] == ["c", "b"]
    assert feed.updated == feed.entries[0].date


def test_sitemap_lists_html_pages_with_lastmod_but_not_the_404(config: SiteConfig) -> None:
    jobs = jobs_by_url(plan(small_site(config)))
    entries = dict(jobs["/sitemap.xml"].context["entries"])
    assert "/404.html" not in entries and "/atom.xml" not in entries
    assert entries["/2017/01/a/"] is not None and entries["/"] is not None
    assert jobs["/robots.txt"].context["sitemap_url"] == "/sitemap.xml"


def test_home_page(config: SiteConfig) -> None:
    home = jobs_by_url(plan(small_site(config)))["/"]
    assert home.templates == ("index.html",)
    assert home.route.output_path == "index.html"
    assert [a.slug for a in home.context["paginator"].items] == ["c", "b", "a"]


def test_home_page_under_a_sub_path(tmp_path: Path) -> None:
    config = for_test(tmp_path, base_url="https://example.org/archive/")
    jobs = jobs_by_url(plan(small_site(config)))
    assert jobs["/archive/"].route.output_path == "index.html"
    assert jobs["/archive/regions/europe/"].route.output_path == "regions/europe/index.html"
    assert jobs["/archive/404.html"].route.output_path == "404.html"


def test_taxonomy_index_and_term_pages(config: SiteConfig) -> None:
    jobs = jobs_by_url(plan(small_site(config)))
    index = jobs["/regions/"]
    assert index.templates == ("taxonomy-regions.html", "taxonomy.html")
    assert index.route.output_path == "regions/index.html"
    assert [t.name for t in index.context["paginator"].items] == ["Asia", "Europe"]
    term = jobs["/regions/europe/"]
    assert term.templates == ("term-regions.html", "term.html")
    assert term.context["term"].name == "Europe"
    assert term.context["taxonomy"].key == "regions"
    assert [a.slug for a in term.context["paginator"].items] == ["b", "a"]
    assert "Europe" in term.origin


def test_year_pages(config: SiteConfig) -> None:
    jobs = jobs_by_url(plan(small_site(config)))
    years = jobs["/archives/"]
    assert years.templates == ("years.html",)
    assert [y.year for y in years.context["paginator"].items] == [2018, 2017]
    year = jobs["/2017/"]
    assert year.templates == ("year.html",)
    assert year.context["year"].year == 2017
    assert [a.slug for a in year.context["paginator"].items] == ["b", "a"]


def test_article_pages_link_newer_and_older(config: SiteConfig) -> None:
    jobs = jobs_by_url(plan(small_site(config)))
    neighbours = {url: (job.context["newer"], job.context["older"])
                  for url, job in jobs.items() if "article" in job.context}
    slugs = {url: tuple(a.slug if a else None for a in pair) for url, pair in neighbours.items()}
    assert slugs == {"/2018/01/c/": (None, "b"), "/2017/01/b/": ("c", "a"),
                     "/2017/01/a/": ("b", None)}
    article_job = jobs["/2017/01/b/"]
    assert article_job.templates == ("article.html",)
    assert article_job.route.output_path == "2017/01/b/index.html"
    assert article_job.origin == str(Path("content/b.md"))


def test_plain_pages_and_404(config: SiteConfig) -> None:
    jobs = jobs_by_url(plan(small_site(config)))
    assert jobs["/about/"].templates == ("page.html",)
    assert jobs["/about/"].context["page"].title == "About"
    assert jobs["/404.html"].templates == ("404.html",)


def test_an_empty_site_still_has_a_home_page(config: SiteConfig) -> None:
    jobs = jobs_by_url(plan(assemble(config, [], [])))
    paginator = jobs["/"].context["paginator"]
    assert (paginator.count, paginator.total, list(paginator.items)) == (1, 0, [])
    assert "/regions/" in jobs


# --- pagination -----------------------------------------------------------------------------

def paginated_site(tmp_path: Path, base_url: str = "http://localhost:8000/") -> Site:
    config = for_test(tmp_path, per_page=2, base_url=base_url)
    articles = [make_article(f"a{day}", day, regions=["Europe"]) for day in range(1, 6)]
    return assemble(config, articles, [])


@pytest.mark.parametrize("base_path", ["/", "/archive/"])
def test_term_pages_are_paginated(tmp_path: Path, base_path: str) -> None:
    site = paginated_site(tmp_path, f"https://example.org{base_path}")
    jobs = jobs_by_url(plan(site))
    first = f"{base_path}regions/europe/"
    urls = [first, f"{first}page/2/", f"{first}page/3/"]
    assert all(url in jobs for url in urls)
    assert f"{first}page/4/" not in jobs
    assert jobs[urls[1]].route.output_path == "regions/europe/page/2/index.html"
    pages = [jobs[url].context["paginator"] for url in urls]
    assert [[a.slug for a in p.items] for p in pages] == [["a5", "a4"], ["a3", "a2"], ["a1"]]
    assert [(p.prev_url, p.url, p.next_url) for p in pages] == [
        (None, urls[0], urls[1]), (urls[0], urls[1], urls[2]), (urls[1], urls[2], None)]
    assert [p.first_index for p in pages] == [1, 3, 5]
    assert {p.total for p in pages} == {5}
    assert jobs[urls[1]].origin.endswith("page 2")


def test_home_page_is_paginated_below_the_root(tmp_path: Path) -> None:
    jobs = jobs_by_url(plan(paginated_site(tmp_path)))
    assert jobs["/page/2/"].route.output_path == "page/2/index.html"
    assert jobs["/page/3/"].context["paginator"].prev_url == "/page/2/"


def make_paginator(number: int, count: int) -> Paginator:
    urls = tuple(f"/p/{n}/" for n in range(1, count + 1))
    return Paginator(number, count, count * 10, 10, (), urls)


def link_numbers(links: list[PageLink]) -> list[int | None]:
    return [link.number for link in links]


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 1, [1]),
        (3, 5, [1, 2, 3, 4, 5]),
        (1, 20, [1, 2, 3, None, 20]),
        (10, 20, [1, None, 8, 9, 10, 11, 12, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
        (4, 20, [1, 2, 3, 4, 5, 6, None, 20]),
        (5, 20, [1, 2, 3, 4, 5, 6, 7, None, 20]),  # a one-page gap shows the page, not "…"
        (16, 20, [1, None, 14, 15, 16, 17, 18, 19, 20]),
    ],
)
def test_paginator_links_have_gaps(number: int, count: int, shown: list[int | None]) -> None:
    links = make_paginator(number, count).links()
    assert link_numbers(links) == shown
    assert [link.number for link in links if link.current] == [number]
    for link in links:
        assert link.url == (f"/p/{link.number}/" if link.number is not None else None)


def test_paginator_window() -> None:
    assert link_numbers(make_paginator(10, 20).links(window=0)) == [1, None, 10, None, 20]


# --- site info ----------------------------------------------------------------------------------

def test_site_info_menu_and_navigation(tmp_path: Path) -> None:
    config = for_test(tmp_path, base_url="https://example.org/archive/", title="Archive")
    pages = [make_page("contact", "Contact", menu=2), make_page("about", "About", menu=1),
             make_page("legal", "Legal"), make_page("b", "Zeta", menu=1)]
    site = assemble(config, [make_article("a", 1)], pages)
    info = site_info(site)
    assert info.menu == (("About", "/archive/about/"), ("Zeta", "/archive/b/"),
                         ("Contact", "/archive/contact/"))
    assert info.home_url == "/archive/"
    assert info.years_url == "/archive/archives/"
    assert info.taxonomies[0] == ("regions", "Regions", "/archive/regions/")
    assert info.article_count == 1
    assert info.abs_url("/archive/x/") == "https://example.org/archive/x/"
    assert info.search_url == "/archive/search/"


def test_search_off_plans_no_search_page(tmp_path: Path) -> None:
    site = assemble(for_test(tmp_path, search=False), [make_article("a", 1)], [])
    assert site_info(site).search_url is None
    assert not [job for job in plan(site) if job.templates == ("search.html",)]


# --- metadata: lastmod, robots.txt, descriptions (issue 15) ---------------------------------

def test_every_sitemap_url_has_a_lastmod_from_what_the_page_shows(config: SiteConfig) -> None:
    site = small_site(config)
    b = next(a for a in site.articles if a.slug == "b")
    updated = dataclasses.replace(b, updated=dt.datetime(2019, 5, 1, 12, 0))
    site = dataclasses.replace(site, articles=tuple(updated if a is b else a
                                                    for a in site.articles))
    entries = dict(jobs_by_url(plan(site))["/sitemap.xml"].context["entries"])
    assert all(lastmod is not None for lastmod in entries.values()), entries
    assert entries["/2017/01/b/"] == dt.datetime(2019, 5, 1, 12, 0)  # its `updated`
    assert entries["/2017/01/a/"] == dt.date(2017, 1, 1)  # its date
    assert entries["/regions/europe/"] == dt.date(2017, 1, 2)  # its newest article's
    assert entries["/regions/"] == dt.date(2018, 1, 3)  # the newest of its terms' articles
    assert entries["/themes/"] == dt.date(2017, 1, 2)
    assert entries["/archives/"] == entries["/"] == dt.date(2018, 1, 3)
    assert entries["/2017/"] == dt.date(2017, 1, 2)
    assert entries["/about/"] == entries["/search/"] == dt.date(2018, 1, 3)  # the newest


def test_robots_txt_only_at_the_host_root(tmp_path: Path) -> None:
    at_root = jobs_by_url(plan(small_site(for_test(tmp_path, base_url="https://x.org/"))))
    assert at_root["/robots.txt"].context["sitemap_url"] == "/sitemap.xml"
    under = jobs_by_url(plan(small_site(for_test(tmp_path,
                                                 base_url="https://x.org/archive/"))))
    assert "/archive/sitemap.xml" in under
    assert not any(url.endswith("robots.txt") for url in under)


def test_feed_updated_is_the_latest_change_of_its_entries(tmp_path: Path) -> None:
    site = small_site(for_test(tmp_path))
    a = next(x for x in site.articles if x.slug == "a")
    changed = dataclasses.replace(a, updated=dt.date(2019, 2, 2))
    site = dataclasses.replace(site, articles=tuple(changed if x is a else x
                                                    for x in site.articles))
    feed = jobs_by_url(plan(site))["/atom.xml"].context["feed"]
    assert feed.updated == dt.date(2019, 2, 2)


def test_every_page_but_articles_has_a_description(config: SiteConfig) -> None:
    jobs = [job for job in plan(small_site(config)) if job.route.output_path.endswith(".html")]
    for job in jobs:
        assert ("description" in job.context) == (job.kind != "article"), job.route.url
        if job.kind != "article":
            assert job.context["description"], job.route.url
    by_url = jobs_by_url(jobs)
    assert by_url["/regions/europe/"].context["description"] == \
        "Articles filed under Region: Europe in Folio archive."
    assert by_url["/"].context["description"] == "Folio archive: an archive of 3 republished " \
        "articles."
