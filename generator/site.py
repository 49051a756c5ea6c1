"""Assemble parsed content into the frozen Site: routes, terms, years, validation."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from generator.config import CONFIG_NAME, PROVENANCE, SiteConfig, declared_line
from generator.content import Parsed
from generator.errors import Problem
from generator.model import Article, Page, Site, Taxonomy, YearArchive
from generator.related import is_featured
from generator.taxonomy import TermPlan, build_terms, plan_terms, term_refs
from generator.urls import absolute, route, slugify


@dataclass(slots=True)
class AssemblyMemo:
    """What the last assembly made of each parsed article, for a site assembled again and
    again in one process (`folio serve`): an article parsed to the same object, under the
    same configuration and the same term plans, is assembled to the same object again (so
    fingerprints computed for it stay valid too)."""

    config: SiteConfig | None = None
    plans: dict[str, dict[str, TermPlan]] = field(default_factory=dict)
    # id(parsed article) -> (parsed article, assembled article, its warnings)
    articles: dict[int, tuple[Article, Article, tuple[Problem, ...]]] = field(
        default_factory=dict)


def assemble(
    config: SiteConfig, articles: list[Article], pages: list[Page],
    warnings: list[Problem] | None = None, memo: AssemblyMemo | None = None,
) -> Site:
    """Give every article and page its URL and terms; group into taxonomies and years.
    With a memo, articles unchanged since the last assembly are not assembled again."""
    warnings = list(warnings or ())
    base = config.base_path
    published = [a for a in articles if config.drafts or not a.draft]
    published.sort(key=lambda a: (a.sort_key, str(a.source_path)))
    plans = {}
    for taxonomy in config.taxonomies:
        plans[taxonomy.key], merged = plan_terms(config, taxonomy, published)
        warnings.extend(merged)
    warnings.extend(unused_taxonomies(config, plans, bool(published)))
    robots = robots_warning(config)
    if robots is not None:
        warnings.append(robots)
    known = memo.articles if memo is not None and memo.config == config and \
        memo.plans == plans else {}
    made: dict[int, tuple[Article, Article, tuple[Problem, ...]]] = {}
    assembled = []
    for article in published:
        before = known.get(id(article))
        if before is not None and before[0] is article:
            made[id(article)] = before
            assembled.append(before[1])
            warnings.extend(before[2])
            continue
        r = route(config.urls.article, base, year=f"{article.date.year:04d}",
                  month=f"{article.date.month:02d}", day=f"{article.date.day:02d}",
                  slug=article.slug)
        terms = {key: term_refs(article, plans[key], key) for key in plans}
        own: list[Problem] = []
        canonical, noindex = syndication(config, article, r.url, own)
        warnings.extend(own)
        made[id(article)] = (article, replace(
            article, url=r.url, output_path=r.output_path, terms=terms,
            canonical_url=canonical, noindex=noindex), tuple(own))
        assembled.append(made[id(article)][1])
    if memo is not None:
        memo.config, memo.plans, memo.articles = config, plans, made
    newest_first = tuple(reversed(assembled))

    taxonomies = tuple(
        Taxonomy(t, route(t.index_url, base).url, build_terms(plans[t.key], newest_first, t.key))
        for t in config.taxonomies
    )
    return Site(config=config, articles=newest_first, pages=_placed_pages(config, pages),
                taxonomies=taxonomies, years=_years(config, newest_first),
                warnings=tuple(warnings))


def _years(config: SiteConfig, newest_first: tuple[Article, ...]) -> tuple[YearArchive, ...]:
    """The year archives, newest first, each with its articles newest first."""
    by_year: dict[int, list[Article]] = {}
    for article in newest_first:  # by the year as written, whatever the time zone
        by_year.setdefault(article.year, []).append(article)
    return tuple(
        YearArchive.of(year, route(config.urls.year, config.base_path, year=f"{year:04d}").url,
                       tuple(by_year[year]))
        for year in sorted(by_year, reverse=True))


def _placed_pages(config: SiteConfig, pages: list[Page]) -> tuple[Page, ...]:
    """The plain pages that are published, by slug, each with its URL."""
    placed = []
    for page in sorted(pages, key=lambda p: p.slug):
        if page.draft and not config.drafts:
            continue
        r = route(config.urls.page, config.base_path, slug=page.slug)
        placed.append(replace(page, url=r.url, output_path=r.output_path))
    return tuple(placed)


def unused_taxonomies(config: SiteConfig, plans: dict[str, dict[str, TermPlan]],
                      any_published: bool) -> list[Problem]:
    """A warning for each taxonomy folio.toml declares that no published article uses (a
    misspelt key in folio.toml or in every article): its index page would be empty."""
    found = []
    for taxonomy in config.taxonomies if any_published else ():
        if taxonomy.key in PROVENANCE or plans[taxonomy.key]:
            continue
        line = declared_line(config, f"taxonomies.{taxonomy.key}")
        if line is not None:
            found.append(Problem(
                f"no published article has `{taxonomy.key}:`, so its pages are empty",
                path=config.root / CONFIG_NAME, line=line, key=f"taxonomies.{taxonomy.key}",
                hint=f"add `{taxonomy.key}: [...]` to articles, or remove the taxonomy"))
    return found


def robots_warning(config: SiteConfig) -> Problem | None:
    """Why robots.txt is not written, or None when it is (or there is no sitemap for it to
    name): crawlers read it only at the root of the host, so under a sub-path it would do
    nothing, and the warning says what to put in the host root's own robots.txt instead."""
    if not config.sitemap or config.base_path == "/":
        return None
    parts = urlsplit(config.base_url)
    root = f"{parts.scheme}://{parts.netloc}/robots.txt"
    sitemap = absolute(config.base_url, config.base_path + "sitemap.xml")
    return Problem(
        f"robots.txt is not written: the site is under {config.base_path}, and crawlers read "
        f"robots.txt only at the host's root ({root})", key="base_url",
        hint=f"to point crawlers at the sitemap, add the line `Sitemap: {sitemap}` to the "
             "host root's robots.txt, or submit the sitemap to the search engines yourself")


def syndication(config: SiteConfig, article: Article, url: str,
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


def reassemble(config: SiteConfig, before: Parsed, parsed: Parsed,
                 kept: Article) -> Article | None:
    """An edited article assembled as the whole site's assembly would, from what it was
    (`kept`, its head); None when the edit changes the site's shape: where the article
    goes or in which lists (date, slug, draft, the names it is filed under), its canonical
    URL, or the site's warnings (problems of its own)."""
    item, was = parsed.item, before.item
    if parsed.problems or not isinstance(item, Article) or not isinstance(was, Article):
        return None
    if shape(item) != shape(was) or parsed.warnings != before.warnings:
        return None
    if item.updated != was.updated:  # the sitemap gives its page's lastmod
        return None
    own: list[Problem] = []
    canonical, noindex = syndication(config, item, kept.url, own)
    then: list[Problem] = []
    syndication(config, was, kept.url, then)
    if own != then or (canonical, noindex) != (kept.canonical_url, kept.noindex):
        return None
    return replace(item, url=kept.url, output_path=kept.output_path, terms=kept.terms,
                   canonical_url=canonical, noindex=noindex)


def shape(article: Article) -> tuple[object, ...]:
    """What decides an article's place in the site: its route, its lists, their order."""
    return (repr(article.date), article.slug, article.draft, repr(article.names),
            is_featured(article))
