"""Plan the pages of a site: each a template, a route and its context. Pure data, no I/O."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.config import SiteConfig
from generator.errors import OutputError, Problem
from generator.metadata import page_description
from generator.model import Article, Site, Taxonomy, Term, YearArchive, as_datetime
from generator.related import home_sections, lead_story, months, related_articles, related_terms
from generator.site import robots_warning
from generator.urls import Route, absolute, asset_url, page_route, route, route_for


@dataclass(frozen=True, slots=True)
class PageLink:
    """One numbered link of a paginator; `number` is None for a gap (…)."""

    number: int | None
    url: str | None
    current: bool = False


@dataclass(frozen=True, slots=True)
class Paginator:
    """One page of a list: its items and the links to the others."""

    number: int
    count: int  # number of pages
    total: int  # number of items across all pages
    per_page: int
    items: Sequence[Any]
    urls: tuple[str, ...]

    @property
    def url(self) -> str:
        return self.urls[self.number - 1]

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    @property
    def first_index(self) -> int:
        """1-based position of the first item on this page within the whole list."""
        return (self.number - 1) * self.per_page + 1

    def links(self, window: int = 2) -> list[PageLink]:
        """Numbered links: first, last, and `window` pages either side of this one."""
        shown = {1, self.count, *range(self.number - window, self.number + window + 1)}
        shown |= {n for n in range(2, self.count) if n - 1 in shown and n + 1 in shown}
        # (a gap of one page shows that page instead of "…")
        links: list[PageLink] = []
        for n in range(1, self.count + 1):
            if n in shown:
                links.append(PageLink(n, self.urls[n - 1], n == self.number))
            elif links and links[-1].number is not None:
                links.append(PageLink(None, None))
        return links


@dataclass(frozen=True, slots=True)
class Feed:
    """An Atom feed: the newest entries of the archive or of one term."""

    title: str
    url: str  # the feed's own URL
    page_url: str  # the HTML page it follows
    id: str
    entries: tuple[Article, ...]

    @property
    def updated(self) -> object:
        """The latest of its entries' `updated` or dates: a rebuild with no new or updated
        entry keeps the feed's bytes."""
        return max((a.updated or a.date for a in self.entries), key=as_datetime, default=None)


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What every template sees as `site`: settings and navigation, not the whole archive."""

    title: str
    description: str
    language: str
    base_url: str
    base_path: str
    params: dict[str, Any]
    home_url: str
    years_url: str
    taxonomies: tuple[tuple[str, str, str], ...]  # (key, title, url)
    menu: tuple[tuple[str, str], ...]  # (title, url) of plain pages in the menu
    article_count: int
    search_url: str | None = None  # the search page, when search is on
    feed_url: str | None = None  # the archive's Atom feed, when feeds are on
    image: str | None = None  # absolute URL of the pages' default image (`image`)
    logo: str | None = None  # absolute URL of the site's logo (`logo`)

    def abs_url(self, url: str) -> str:
        return absolute(self.base_url, url)


@dataclass(frozen=True, slots=True)
class Job:
    """One page to render: which template (first that exists), where, and with what."""

    templates: tuple[str, ...]
    route: Route
    context: dict[str, Any] = field(default_factory=dict)
    origin: str = ""
    kind: str = "special"  # one of KINDS


# what a page is: its kind decides what it shows (and what the incremental build watches)
KINDS = ("article", "page", "home", "taxonomy", "term", "years", "year", "feed", "sitemap",
         "special")


def site_info(site: Site) -> SiteInfo:
    config = site.config
    menu_pages = sorted((p for p in site.pages if p.menu is not None),
                        key=lambda p: (p.menu, p.title))
    return SiteInfo(
        title=config.title, description=config.description, language=config.language,
        base_url=config.base_url, base_path=config.base_path, params=config.params,
        home_url=config.base_path,
        years_url=route(config.urls.years, config.base_path).url,
        taxonomies=tuple((t.key, t.title, t.url) for t in site.taxonomies),
        menu=tuple((p.title, p.url) for p in menu_pages),
        article_count=len(site.articles),
        search_url=search_route(config).url if config.search else None,
        feed_url=config.base_path + FEED_NAME if config.feeds else None,
        image=asset_url(config.image, config.base_url) if config.image else None,
        logo=asset_url(config.logo, config.base_url) if config.logo else None,
    )


def search_route(config: SiteConfig) -> Route:
    """The search page (its index is made after the build: generator/search.py)."""
    return route_for("/search/", config.base_path)


def plan(site: Site) -> list[Job]:
    """Every page of the site, as jobs in a stable order."""
    config = site.config
    jobs: list[Job] = []
    jobs += _article_jobs(site.articles, related_articles(site))
    jobs += _home_jobs(site)
    for taxonomy in site.taxonomies:
        jobs += _taxonomy_jobs(taxonomy, config)
    jobs += _list_jobs(("years.html",), route(config.urls.years, config.base_path), site.years,
                       config.terms_per_page, config, {}, "the year archive index", "years")
    for index, year in enumerate(site.years):
        newer = site.years[index - 1] if index > 0 else None
        older = site.years[index + 1] if index + 1 < len(site.years) else None
        jobs += _year_jobs(year, config, newer, older)
    jobs += [Job(("page.html",), Route(p.url, p.output_path), {"page": p}, str(p.source_path),
                 "page") for p in site.pages]
    jobs.append(Job(("404.html",), Route(config.base_path + "404.html", "404.html"), {},
                    NOT_FOUND))
    if config.search:
        jobs.append(Job(("search.html",), search_route(config), {}, "the search page"))
    jobs = _described(jobs, site)
    if config.feeds:
        jobs += _feed_jobs(site)
    if config.sitemap:
        jobs += _sitemap_jobs(jobs, site)
    return jobs


def _described(jobs: list[Job], site: Site) -> list[Job]:
    """Every page but articles with its meta description in its context (`description`);
    an article's is made from the article as its page renders (the `description` filter),
    so it follows an edit of the article on the incremental build's edit paths too."""
    count = len(site.articles)
    return [job if job.kind == "article" else replace(job, context={
        **job.context, "description": page_description(job.kind, job.context, site.config,
                                                       count)}) for job in jobs]


FEED_NAME = "atom.xml"
NOT_FOUND = "the not-found page"
SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as sitemaps.org allows


def _feed_jobs(site: Site) -> list[Job]:
    """The archive's feed and one per term, each with its newest entries."""
    config = site.config
    template = ("atom-full.xml",) if config.feed_content == "full" else ("atom.xml",)
    host = urlsplit(config.base_url).hostname or "localhost"
    jobs = [Job(template, route_for("/" + FEED_NAME, config.base_path),
                {"feed": Feed(config.title, config.base_path + FEED_NAME, config.base_path,
                              f"tag:{host},2000:{config.base_path}",
                              site.articles[:config.feed_entries])}, "the archive's feed",
                "feed")]
    for taxonomy in site.taxonomies:
        for term in taxonomy.terms:
            url = term.url + FEED_NAME
            jobs.append(Job(template, Route(url, url[len(config.base_path):]), {"feed": Feed(
                f"{config.title}: {term.name}", url, term.url,
                f"tag:{host},2000:{term.url}", term.articles[:config.feed_entries])},
                f"the feed of {taxonomy.key} term {term.name!r}", "feed"))
    return jobs


def _sitemap_jobs(jobs: list[Job], site: Site) -> list[Job]:
    """sitemap.xml (an index of several above 50,000 URLs) with a lastmod for every page
    (one that shows no article: the newest article's date, which its footer counts), and
    robots.txt naming it when the site is at its host's root (`site.robots_warning`)."""
    config = site.config
    newest = site.articles[0].date if site.articles else None
    entries = [(job.route.url, _lastmod(job) or newest) for job in jobs
               if job.route.output_path.endswith(".html") and job.origin != NOT_FOUND
               and not (job.kind == "article" and job.context["article"].noindex)]
    parts = [entries[i:i + SITEMAP_LIMIT] for i in range(0, len(entries), SITEMAP_LIMIT)]
    sitemap = route_for("/sitemap.xml", config.base_path)
    planned = []
    if len(parts) <= 1:
        planned.append(Job(("sitemap.xml",), sitemap, {"entries": tuple(entries)}, "the sitemap",
                           "sitemap"))
    else:
        routes = [route_for(f"/sitemap-{n}.xml", config.base_path)
                  for n in range(1, len(parts) + 1)]
        planned.append(Job(("sitemap-index.xml",), sitemap,
                           {"sitemaps": tuple(r.url for r in routes)}, "the sitemap index",
                           "sitemap"))
        planned += [Job(("sitemap.xml",), r, {"entries": tuple(part)}, f"sitemap {n}", "sitemap")
                    for n, (r, part) in enumerate(zip(routes, parts, strict=True), 1)]
    if robots_warning(config) is None:
        planned.append(Job(("robots.txt",), route_for("/robots.txt", config.base_path),
                           {"sitemap_url": sitemap.url}, "robots.txt", "sitemap"))
    return planned


def _lastmod(job: Job) -> Any:
    """When a page last changed, as far as its content tells: its article's `updated` or
    date; for a list, the date of the newest article it lists (or its terms or years do)."""
    article = job.context.get("article")
    if isinstance(article, Article):
        return article.updated or article.date
    paginator = job.context.get("paginator")
    if not isinstance(paginator, Paginator):
        return None
    shown = [a for a in map(_newest_in, paginator.items) if a is not None]
    return max(shown, key=lambda a: a.sort_key).date if shown else None


def _newest_in(item: object) -> Article | None:
    """The newest article a list's item is or holds (a term's or a year's first)."""
    if isinstance(item, Article):
        return item
    if isinstance(item, Term | YearArchive) and item.articles:
        return item.articles[0]
    return None


def _article_jobs(articles: tuple[Article, ...],
                  related: dict[str, tuple[Article, ...]]) -> list[Job]:
    jobs = []
    for index, article in enumerate(articles):
        newer = articles[index - 1] if index > 0 else None
        older = articles[index + 1] if index + 1 < len(articles) else None
        key = str(article.source_path)
        jobs.append(Job(("article.html",), Route(article.url, article.output_path),
                        {"article": article, "newer": newer, "older": older,
                         "related": related.get(key, ())}, key, "article"))
    return jobs


def _home_jobs(site: Site) -> list[Job]:
    """The home page: its first page leads with a story and has sections, then all articles
    newest first."""
    config = site.config
    jobs = _list_jobs(("index.html",), route_for("/", config.base_path), site.articles,
                      config.per_page, config, {"lead": None, "sections": ()}, "the home page",
                      "home")
    first = jobs[0]
    jobs[0] = Job(first.templates, first.route, {**first.context, "lead": lead_story(
        site.articles), "sections": home_sections(site)}, first.origin, first.kind)
    return jobs


def _taxonomy_jobs(taxonomy: Taxonomy, config: SiteConfig) -> list[Job]:
    index = route(taxonomy.config.index_url, config.base_path)
    jobs = _list_jobs((f"taxonomy-{taxonomy.key}.html", "taxonomy.html"), index,
                      taxonomy.terms, config.terms_per_page, config, {"taxonomy": taxonomy},
                      f"the {taxonomy.key} index", "taxonomy")
    companions = related_terms(taxonomy)
    for term in taxonomy.terms:
        jobs += _term_jobs(taxonomy, term, config, companions.get(term.slug, ()))
    return jobs


def _term_jobs(taxonomy: Taxonomy, term: Term, config: SiteConfig,
               companions: tuple[Term, ...]) -> list[Job]:
    first = route(taxonomy.config.term_url, config.base_path, slug=term.slug)
    return _list_jobs((f"term-{taxonomy.key}.html", "term.html"), first, term.articles,
                      config.per_page, config,
                      {"taxonomy": taxonomy, "term": term, "related_terms": companions},
                      f"{taxonomy.key} term {term.name!r}", "term")


def _year_jobs(year: YearArchive, config: SiteConfig, newer: YearArchive | None,
               older: YearArchive | None) -> list[Job]:
    first = route(config.urls.year, config.base_path, year=f"{year.year:04d}")
    return _list_jobs(("year.html",), first, year.articles, config.per_page, config,
                      {"year": year, "months": months(year), "newer_year": newer,
                       "older_year": older}, f"the {year.year} archive", "year")


def _list_jobs(templates: tuple[str, ...], first: Route, items: Sequence[Any], per_page: int,
               config: SiteConfig, context: dict[str, Any], origin: str, kind: str
               ) -> list[Job]:
    """A paginated list: page 1 at `first`, page N at …/page/N/."""
    count = max(1, math.ceil(len(items) / per_page))
    routes = [page_route(first, n, config.base_path) for n in range(1, count + 1)]
    urls = tuple(r.url for r in routes)
    jobs = []
    for number, page_route_ in enumerate(routes, 1):
        chunk = items[(number - 1) * per_page: number * per_page]
        paginator = Paginator(number, count, len(items), per_page, chunk, urls)
        label = origin if number == 1 else f"{origin}, page {number}"
        jobs.append(Job(templates, page_route_, {**context, "paginator": paginator}, label,
                        kind))
    return jobs


def check_collisions(jobs: list[Job], static: dict[str, Path]) -> None:
    """Two outputs at one path are an error that names both."""
    claimed: dict[str, str] = {}
    problems = []
    for job in jobs:
        path = job.route.output_path
        if path in claimed:
            problems.append(Problem(f"{job.origin} and {claimed[path]} both want {path}",
                                    hint="give one of them another slug or URL pattern"))
        else:
            claimed[path] = job.origin
    for path, source in static.items():
        if path in claimed:
            problems.append(Problem(f"static file {source} and {claimed[path]} both want "
                                    f"{path}", hint="rename or remove the static file"))
    if problems:
        raise OutputError(problems, title="Two outputs at one path")
