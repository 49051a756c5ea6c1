"""Assemble parsed content into the frozen Site: routes, terms, years, validation."""

from __future__ import annotations

from dataclasses import replace

from generator.config import SiteConfig
from generator.errors import Problem
from generator.model import Article, Page, Site, Taxonomy, YearArchive
from generator.taxonomy import build_terms, plan_terms, term_refs
from generator.urls import absolute, route, slugify


def assemble(
    config: SiteConfig, articles: list[Article], pages: list[Page],
    warnings: list[Problem] | None = None,
) -> Site:
    """Give every article and page its URL and terms; group into taxonomies and years."""
    warnings = list(warnings or ())
    base = config.base_path
    published = [a for a in articles if config.drafts or not a.draft]
    published.sort(key=lambda a: (a.sort_key, str(a.source_path)))
    plans = {}
    for taxonomy in config.taxonomies:
        plans[taxonomy.key], merged = plan_terms(config, taxonomy, published)
        warnings.extend(merged)
    assembled = []
    for article in published:
        r = route(config.urls.article, base, year=f"{article.date.year:04d}",
                  month=f"{article.date.month:02d}", day=f"{article.date.day:02d}",
                  slug=article.slug)
        terms = {key: term_refs(article, plans[key], key) for key in plans}
        canonical, noindex = _syndication(config, article, r.url, warnings)
        assembled.append(replace(article, url=r.url, output_path=r.output_path, terms=terms,
                                 canonical_url=canonical, noindex=noindex))
    newest_first = tuple(reversed(assembled))

    taxonomies = tuple(
        Taxonomy(t, route(t.index_url, base).url, build_terms(plans[t.key], newest_first, t.key))
        for t in config.taxonomies
    )
    by_year: dict[int, list[Article]] = {}
    for article in newest_first:  # by the year as written, whatever the time zone
        by_year.setdefault(article.year, []).append(article)
    years = tuple(
        YearArchive(year, route(config.urls.year, base, year=f"{year:04d}").url,
                    tuple(by_year[year]))
        for year in sorted(by_year, reverse=True)
    )
    shown_pages = []
    for page in sorted(pages, key=lambda p: p.slug):
        if page.draft and not config.drafts:
            continue
        r = route(config.urls.page, base, slug=page.slug)
        shown_pages.append(replace(page, url=r.url, output_path=r.output_path))
    return Site(config=config, articles=newest_first, pages=tuple(shown_pages),
                taxonomies=taxonomies, years=years, warnings=tuple(warnings))


def _syndication(config: SiteConfig, article: Article, url: str,
                 warnings: list[Problem]) -> tuple[str, bool]:
    """(canonical URL, noindex) by the site's syndication policy for the article's source."""
    policy = config.syndication_sources.get(slugify(article.source.name or ""),
                                            config.syndication)
    own = absolute(config.base_url, url)
    if policy == "original":
        if article.source.url:
            return article.source.url, False
        warnings.append(Problem("syndication policy 'original' but no source.url: the "
                                "canonical URL stays this archive's page",
                                path=article.source_path, key="source.url",
                                hint="add the original's address"))
    return own, policy == "noindex"
