"""What pages show beside their own content, decided from the assembled site: the home page's
lead story and sections, an article's related articles, a term's related terms, a year's
months. Pure functions over the frozen model; `pages.plan` puts their values in the pages'
contexts (and the fingerprints count them like any other context value)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator.model import Article, Site, Taxonomy, Term, YearArchive

SECTION_TAXONOMIES = ("regions", "themes")  # the home page's sections, busiest terms first
SECTIONS_PER_TAXONOMY = 3
SECTION_ARTICLES = 4
RELATED_ARTICLES = 3
RELATED_BY = ("reports", "themes", "regions")  # an article's related ones share these first
RELATED_TERMS = 6


@dataclass(frozen=True, slots=True)
class Section:
    """A block of the home page: a busy term with its newest articles."""

    title: str  # the taxonomy's singular name, e.g. "Region"
    term: Term
    latest: tuple[Article, ...]  # (not `articles`: a template that reads `.articles` is
    # taken to walk whole term lists, see generator/fingerprint.py)


@dataclass(frozen=True, slots=True)
class Month:
    """A month of a year's archive, with how many articles the whole year has in it."""

    number: int  # 1-12
    count: int


def is_featured(article: Article) -> bool:
    """Whether the curator marked the article as the home page's lead (`featured: true`)."""
    return article.extra.get("featured") is True


def lead_story(articles: Sequence[Article]) -> Article | None:
    """The newest featured article, else the newest."""
    return next((a for a in articles if is_featured(a)), articles[0] if articles else None)


def home_sections(site: Site) -> tuple[Section, ...]:
    """The busiest regions and themes, each with its newest articles."""
    sections = []
    for taxonomy in site.taxonomies:
        if taxonomy.key not in SECTION_TAXONOMIES:
            continue
        busiest = sorted(taxonomy.terms, key=lambda t: (-t.count, t.name))
        sections += [Section(taxonomy.singular, term, term.articles[:SECTION_ARTICLES])
                     for term in busiest[:SECTIONS_PER_TAXONOMY] if term.count]
    return tuple(sections)


def related_articles(site: Site) -> dict[str, tuple[Article, ...]]:
    """Each article's related ones (by source path): those sharing its in-depth reports,
    then its themes, then its regions, nearest in date first."""
    positions = _positions(site.taxonomies)
    terms = {(t.taxonomy, t.slug): t for taxonomy in site.taxonomies for t in taxonomy.terms}
    related = {}
    for article in site.articles:
        key = str(article.source_path)
        chosen: dict[str, Article] = {}
        for taxonomy in RELATED_BY:
            for ref in article.terms.get(taxonomy, ()):
                term = terms.get((taxonomy, ref.slug))
                if term is not None:
                    _nearest(term, positions[taxonomy, ref.slug].get(key), key, chosen)
                if len(chosen) >= RELATED_ARTICLES:
                    break
            if len(chosen) >= RELATED_ARTICLES:
                break
        related[key] = tuple(chosen.values())[:RELATED_ARTICLES]
    return related


def _positions(taxonomies: Sequence[Taxonomy]) -> dict[tuple[str, str], dict[str, int]]:
    """For each related-by term, where each of its articles is in its list."""
    return {(t.taxonomy, t.slug): {str(a.source_path): i for i, a in enumerate(t.articles)}
            for taxonomy in taxonomies if taxonomy.key in RELATED_BY for t in taxonomy.terms}


def _nearest(term: Term, index: int | None, own: str, chosen: dict[str, Article]) -> None:
    """Add the term's articles nearest to position `index` (newer first on a tie)."""
    if index is None:
        return
    for distance in range(1, len(term.articles)):
        if len(chosen) >= RELATED_ARTICLES:
            return
        newer, older = index - distance, index + distance
        if newer < 0 and older >= len(term.articles):
            return
        for position in (newer, older):
            if 0 <= position < len(term.articles):
                other = term.articles[position]
                path = str(other.source_path)
                if path != own and path not in chosen and len(chosen) < RELATED_ARTICLES:
                    chosen[path] = other


def related_terms(taxonomy: Taxonomy) -> dict[str, tuple[Term, ...]]:
    """Each term's most frequent companions in the same taxonomy (by slug), most shared
    first."""
    by_slug = {term.slug: term for term in taxonomy.terms}
    together: dict[str, Counter[str]] = {term.slug: Counter() for term in taxonomy.terms}
    seen: set[str] = set()
    for term in taxonomy.terms:
        for article in term.articles:
            key = str(article.source_path)
            if key in seen:
                continue
            seen.add(key)
            slugs = [ref.slug for ref in article.terms.get(taxonomy.key, ())]
            for slug in slugs:
                if slug in together:
                    together[slug].update(s for s in slugs if s != slug and s in by_slug)
    return {slug: tuple(by_slug[s] for s, _ in sorted(counts.items(),
                                                      key=lambda i: (-i[1], i[0]))[:RELATED_TERMS])
            for slug, counts in together.items()}


def months(year: YearArchive) -> tuple[Month, ...]:
    """The months of a year that have articles, newest first, with their counts."""
    counts = Counter(article.date.month for article in year.articles)
    return tuple(Month(number, counts[number]) for number in sorted(counts, reverse=True))
