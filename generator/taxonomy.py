"""Group articles into terms: one term per slug, so case and punctuation never split a term.

When spellings differ ("Global Economy", "global economy"), the term shows the spelling most
articles use; on a tie, the one its oldest article uses. Each merge is reported, naming the
files that use the other spellings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generator.config import SiteConfig, TaxonomyConfig
from generator.errors import Problem, display_path
from generator.model import Article, Term, TermRef
from generator.urls import Route, route, slugify


@dataclass(frozen=True, slots=True)
class TermPlan:
    """A term before its articles are final: name, slug and route."""

    taxonomy: TaxonomyConfig
    name: str
    slug: str
    route: Route
    spellings: tuple[str, ...]


def plan_terms(
    config: SiteConfig, taxonomy: TaxonomyConfig, articles_oldest_first: list[Article]
) -> tuple[dict[str, TermPlan], list[Problem]]:
    """Every term of one taxonomy, keyed by slug, and a warning for each merged spelling."""
    spellings: dict[str, Counter[str]] = {}
    first_seen: dict[str, dict[str, int]] = {}
    files: dict[str, dict[str, set[Path]]] = {}
    for index, article in enumerate(articles_oldest_first):
        for name in article.names.get(taxonomy.key, ()):
            slug = slugify(name)
            spellings.setdefault(slug, Counter())[name] += 1
            first_seen.setdefault(slug, {}).setdefault(name, index)
            files.setdefault(slug, {}).setdefault(name, set()).add(article.source_path)
    plans: dict[str, TermPlan] = {}
    warnings = []
    for slug, counts in spellings.items():
        ranked = sorted(counts, key=lambda n: (-counts[n], first_seen[slug][n]))
        plans[slug] = TermPlan(taxonomy, ranked[0], slug,
                               route(taxonomy.term_url, config.base_path, slug=slug),
                               tuple(ranked))
        if len(ranked) > 1:
            warnings.append(_merge_warning(taxonomy.key, ranked, counts, files[slug],
                                           config.root))
    return plans, warnings


FILES_NAMED = 5  # files named per minority spelling; the rest are counted


def _merge_warning(key: str, ranked: list[str], counts: Counter[str],
                   files: dict[str, set[Path]], root: Path) -> Problem:
    """The warning for one merged term: the spellings, their counts, and the files that use
    each spelling but the one shown (so the user knows which articles to edit)."""
    name = ranked[0]
    others = ", ".join(f"{n!r} ({counts[n]})" for n in ranked[1:])
    where = "; ".join(f"{n!r} in {_file_list(files[n], root)}" for n in ranked[1:])
    return Problem(f"{key}: {others} merged into {name!r} ({counts[name]}): {where}",
                   hint="spellings that differ only in case or punctuation are one term; "
                        "edit the articles to make them agree")


def _file_list(paths: set[Path], root: Path) -> str:
    """The paths relative to the site, sorted; past FILES_NAMED, the rest as a count."""
    names = sorted(display_path(path, root) for path in paths)
    shown = ", ".join(names[:FILES_NAMED])
    rest = len(names) - FILES_NAMED
    return f"{shown} and {rest} more" if rest > 0 else shown


def term_refs(article: Article, plans: dict[str, TermPlan], key: str) -> tuple[TermRef, ...]:
    """An article's links to its terms, in the order written, shown with the term's name."""
    refs = []
    for name in article.names.get(key, ()):
        plan = plans[slugify(name)]
        ref = TermRef(plan.name, plan.slug, plan.route.url)
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)


def build_terms(plans: dict[str, TermPlan], articles_newest_first: tuple[Article, ...],
                key: str) -> tuple[Term, ...]:
    """Terms with their articles newest first, sorted by name (case-insensitive)."""
    members: dict[str, list[Article]] = {slug: [] for slug in plans}
    for article in articles_newest_first:
        for ref in article.terms.get(key, ()):
            members[ref.slug].append(article)
    terms = [Term.of(key, p.name, p.slug, p.route.url, tuple(members[slug]), p.spellings)
             for slug, p in plans.items()]
    return tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.slug)))
