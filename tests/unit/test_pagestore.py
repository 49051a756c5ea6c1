"""pagestore.py: page jobs kept with their articles and shared lists by reference."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import for_test
from generator.model import Article, Site
from generator.pages import Job, plan
from generator.pagestore import head, keep_page, load_page, shared_objects, substitute
from tests.unit.test_pages import small_site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return small_site(for_test(tmp_path))


def by_url(jobs: list[Job], url: str) -> Job:
    return next(job for job in jobs if job.route.url == url)


def kept_again(job: Job, site: Site, whole: bool = False) -> tuple[Job, tuple[str, ...]]:
    """The job as the cache gives it back: articles from their heads (bodies for an article
    page's own article come from its parse), shared objects from their own pickles."""
    jobs = plan(site)
    kept = keep_page(job, whole)
    shared = {key: pickle.loads(blob) for key, blob in shared_objects(site, jobs)}
    heads = {str(a.source_path): head(a) for a in site.articles}
    return load_page(kept.blob, heads, shared.__getitem__), kept.refs


def test_a_list_page_shows_its_items_and_keeps_only_references(site: Site) -> None:
    jobs = plan(site)
    europe = by_url(jobs, "/regions/europe/")
    again, refs = kept_again(europe, site)
    shown = [str(a.source_path) for a in europe.context["paginator"].items]
    assert list(refs) == shown
    assert again.context["paginator"].items == tuple(head(a) for a in
                                                     europe.context["paginator"].items)
    term = again.context["term"]  # kept without its articles, its count and years kept
    assert (term.articles, term.count, term.first_year, term.last_year) == ((), 2, 2017, 2017)
    assert again.context["taxonomy"].terms[0].count > 0


def test_a_template_walking_whole_lists_keeps_them_whole(site: Site) -> None:
    europe = by_url(plan(site), "/regions/europe/")
    again, refs = kept_again(europe, site, whole=True)
    assert [a.title for a in again.context["term"].articles] == ["B", "A"]
    assert all(t.articles for t in again.context["taxonomy"].terms)
    assert set(refs) == {str(a.source_path) for a in site.articles}  # every term's articles


def test_an_article_page_refers_to_itself_and_its_neighbours(site: Site) -> None:
    page = by_url(plan(site), "/2017/01/b/")
    kept = keep_page(page, False)
    assert set(kept.refs) == {"content/b.md", "content/a.md", "content/c.md"}
    assert kept.own == "content/b.md"
    assert pickle.loads(kept.head or b"") == head(page.context["article"])


def test_a_missing_article_or_shared_object_is_a_key_error(site: Site) -> None:
    europe = by_url(plan(site), "/regions/europe/")
    kept = keep_page(europe, True)
    with pytest.raises(KeyError):
        load_page(kept.blob, {}, {}.__getitem__)


def test_substitute_puts_the_edited_article_wherever_the_page_shows_it(site: Site) -> None:
    jobs = plan(site)
    home = by_url(jobs, "/")
    edited: Article = replace(site.articles[1], title="Edited")
    key = str(edited.source_path)
    again = substitute(home, False, {key: edited})
    items = again.context["paginator"].items
    assert [a.title for a in items] == [a.title if str(a.source_path) != key else "Edited"
                                        for a in home.context["paginator"].items]
    assert again.context["paginator"].urls is home.context["paginator"].urls  # shared stays
    assert again.route == home.route and again.templates == home.templates
