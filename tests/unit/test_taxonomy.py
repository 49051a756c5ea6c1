"""Terms: one per slug, the most used spelling shown, a warning for each merge."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import SiteConfig, for_test
from generator.model import Article, Source, TermRef
from generator.taxonomy import build_terms, plan_terms, term_refs


def make_article(slug: str, day: int, **names: list[str]) -> Article:
    return Article(
        source_path=Path(f"content/{slug}.md"), title=slug.title(),
        date=dt.date(2017, 1, day), slug=slug, body_html="<p>x</p>", summary="x",
        names={key: tuple(value) for key, value in names.items()},
        source=Source("S"), publisher=None, copyright="C",
    )


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    return for_test(tmp_path)


def regions(config: SiteConfig):
    taxonomy = config.taxonomy("regions")
    assert taxonomy is not None
    return taxonomy


def test_one_term_per_slug_named_by_the_most_used_spelling(config: SiteConfig) -> None:
    oldest_first = [make_article("a", 1, regions=["Global Economy"]),
                    make_article("b", 2, regions=["global economy"]),
                    make_article("c", 3, regions=["Global economy!", "Europe"]),
                    make_article("d", 4, regions=["global economy"])]
    plans, warnings = plan_terms(config, regions(config), oldest_first)
    assert set(plans) == {"global-economy", "europe"}
    plan = plans["global-economy"]
    assert plan.name == "global economy"
    assert plan.spellings == ("global economy", "Global Economy", "Global economy!")
    assert plan.route.url == "/regions/global-economy/"
    assert plan.route.output_path == "regions/global-economy/index.html"
    (warning,) = warnings
    assert "'Global Economy' (1)" in warning.message
    assert "'Global economy!' (1)" in warning.message
    assert "merged into 'global economy' (2)" in warning.message


@pytest.mark.parametrize(
    ("oldest", "newest", "shown"),
    [("Europe", "EUROPE", "Europe"), ("EUROPE", "Europe", "EUROPE")],
)
def test_a_tie_goes_to_the_oldest_articles_spelling(
    config: SiteConfig, oldest: str, newest: str, shown: str
) -> None:
    articles = [make_article("a", 1, regions=[oldest]), make_article("b", 2, regions=[newest])]
    plans, warnings = plan_terms(config, regions(config), articles)
    assert plans["europe"].name == shown
    assert len(warnings) == 1


def test_one_warning_per_merged_term_and_none_without_merges(config: SiteConfig) -> None:
    articles = [make_article("a", 1, regions=["Europe", "Asia"]),
                make_article("b", 2, regions=["europe", "Asia", "Africa"]),
                make_article("c", 3, regions=["ASIA"])]
    _, warnings = plan_terms(config, regions(config), articles)
    assert len(warnings) == 2
    assert all(w.message.startswith("regions: ") for w in warnings)
    _, none = plan_terms(config, regions(config), articles[:1])
    assert none == []


def test_a_merge_warning_names_the_files_of_each_other_spelling(config: SiteConfig) -> None:
    def at(article: Article, relative: str) -> Article:
        return replace(article, source_path=config.root / relative)

    oldest_first = [at(make_article("a", 1, regions=["Global Economy"]), "content/2017/a.md"),
                    at(make_article("b", 2, regions=["global economy"]), "content/2017/b.md"),
                    at(make_article("c", 3, regions=["Global economy!"]), "content/2017/c.md"),
                    at(make_article("d", 4, regions=["global economy"]), "content/2017/d.md")]
    (warning,) = plan_terms(config, regions(config), oldest_first)[1]
    assert warning.message.endswith(
        ": 'Global Economy' in content/2017/a.md; 'Global economy!' in content/2017/c.md")
    assert "b.md" not in warning.message and "d.md" not in warning.message
    assert str(config.root) not in warning.message


def test_a_merge_warning_names_five_files_sorted_and_counts_the_rest(
        config: SiteConfig) -> None:
    minority = [make_article(f"m{n}", n + 1, regions=["EUROPE"]) for n in (8, 3, 6, 1, 7, 2, 5, 4)]
    majority = [make_article(f"e{n}", 20 + n, regions=["Europe"]) for n in range(9)]
    (warning,) = plan_terms(config, regions(config), minority + majority)[1]
    assert warning.message.endswith("'EUROPE' in content/m1.md, content/m2.md, content/m3.md, "
                                    "content/m4.md, content/m5.md and 3 more")
    assert "m6.md" not in warning.message and "e0.md" not in warning.message


def test_term_routes_use_the_sites_sub_path_and_pattern(tmp_path: Path) -> None:
    config = for_test(tmp_path, base_url="https://example.org/archive/")
    plans, _ = plan_terms(config, regions(config), [make_article("a", 1, regions=["Europe"])])
    assert plans["europe"].route.url == "/archive/regions/europe/"
    assert plans["europe"].route.output_path == "regions/europe/index.html"


def test_other_taxonomies_are_ignored(config: SiteConfig) -> None:
    plans, _ = plan_terms(config, regions(config), [make_article("a", 1, themes=["Economy"])])
    assert plans == {}


def test_term_refs_follow_the_written_order_with_the_terms_name(config: SiteConfig) -> None:
    articles = [make_article("a", 1, regions=["Europe"]),
                make_article("b", 2, regions=["Europe"]),
                make_article("c", 3, regions=["Asia", "EUROPE", "europe"])]
    plans, _ = plan_terms(config, regions(config), articles)
    refs = term_refs(articles[2], plans, "regions")
    assert refs == (TermRef("Asia", "asia", "/regions/asia/"),
                    TermRef("Europe", "europe", "/regions/europe/"))
    assert term_refs(articles[0], plans, "themes") == ()


def test_build_terms_sorted_by_name_with_articles_newest_first(config: SiteConfig) -> None:
    articles = [make_article("a", 1, regions=["beta", "Alpha"]),
                make_article("b", 2, regions=["gamma", "Alpha"]),
                make_article("c", 3, regions=["Beta"])]
    plans, _ = plan_terms(config, regions(config), articles)
    with_terms = [replace(a, terms={"regions": term_refs(a, plans, "regions")})
                  for a in articles]
    terms = build_terms(plans, tuple(reversed(with_terms)), "regions")
    assert [t.name for t in terms] == ["Alpha", "beta", "gamma"]
    assert [[a.slug for a in t.articles] for t in terms] == [["b", "a"], ["c", "a"], ["b"]]
    assert [t.count for t in terms] == [2, 2, 1]
    assert {t.taxonomy for t in terms} == {"regions"}
    assert terms[1].spellings == ("beta", "Beta")
