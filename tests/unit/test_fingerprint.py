"""fingerprint.py: a page's fingerprint changes exactly when something it may show changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import SiteConfig, for_test
from generator.fingerprint import Fingerprinter
from generator.model import Article, Site
from generator.pages import Job, plan, site_info
from generator.site import assemble
from generator.theme import load_theme
from generator.tracking import BODIES, LISTS
from tests.unit.test_pages import make_article, make_page


def site_of(config: SiteConfig, **edits: dict[str, object]) -> Site:
    """A small site; `edits` (by slug) change fields of its articles before assembly (with
    the digests parsing gives: `digest` of the whole file, `meta_digest` of all but the
    body)."""
    articles = [make_article("a", 1, regions=["Europe"]),
                make_article("b", 2, regions=["Europe", "Asia"]),
                make_article("c", 3, regions=["Europe"])]
    articles = [replace(a, **edits.get(a.slug, {})) for a in articles]  # type: ignore[arg-type]
    return assemble(config, articles, [make_page("about", "About")])


def prints(config: SiteConfig, site: Site, url: str, reads: int = 0) -> str:
    job: Job = next(job for job in plan(site) if job.route.url == url)
    return Fingerprinter(load_theme(config), site_info(site), repr(config)).job(job, reads)


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    return for_test(tmp_path, per_page=2)


def test_the_same_inputs_give_the_same_fingerprint(config: SiteConfig) -> None:
    assert prints(config, site_of(config), "/") == prints(config, site_of(config), "/")


def test_a_list_follows_what_it_shows_of_its_articles_not_their_bodies(
        config: SiteConfig) -> None:
    base = prints(config, site_of(config), "/")
    retitled = site_of(config, c={"title": "New", "meta_digest": "m2", "digest": "d2"})
    assert prints(config, retitled, "/") != base
    body = site_of(config, c={"body_html": "<p>other</p>", "digest": "d2"})
    assert prints(config, body, "/") == base  # the default lists show no bodies
    assert prints(config, body, "/", BODIES) != prints(config, site_of(config), "/", BODIES)


def test_a_term_page_follows_its_whole_list_only_when_it_reads_it(config: SiteConfig) -> None:
    # Europe shows c and b on its first page: a is on page two only
    edited = site_of(config, a={"title": "Renamed", "meta_digest": "m2", "digest": "d2"})
    assert prints(config, edited, "/regions/europe/") == \
        prints(config, site_of(config), "/regions/europe/")
    assert prints(config, edited, "/regions/europe/", LISTS) != \
        prints(config, site_of(config), "/regions/europe/", LISTS)


def test_an_article_page_counts_its_own_body_and_its_neighbours_heads(
        config: SiteConfig) -> None:
    base = prints(config, site_of(config), "/2017/01/b/")
    own = site_of(config, b={"body_html": "<p>new</p>", "digest": "d2"})
    assert prints(config, own, "/2017/01/b/") != base
    neighbour = site_of(config, a={"body_html": "<p>new</p>", "digest": "d2"})
    assert prints(config, neighbour, "/2017/01/b/") == base
    assert prints(config, neighbour, "/2017/01/b/", BODIES) != \
        prints(config, site_of(config), "/2017/01/b/", BODIES)


def test_a_template_edit_changes_the_pages_it_renders(config: SiteConfig) -> None:
    base = prints(config, site_of(config), "/2017/01/b/")
    home = prints(config, site_of(config), "/")
    (config.root / "templates").mkdir()
    (config.root / "templates/article.html").write_text("{{ article.title }}")
    assert prints(config, site_of(config), "/2017/01/b/") != base
    assert prints(config, site_of(config), "/") == home


def test_what_a_template_shows_is_read_from_it_and_all_it_pulls_in(
        config: SiteConfig) -> None:
    folder = config.root / "templates"
    folder.mkdir()
    (folder / "part.html").write_text("{{ x.body_html }}")
    (folder / "article.html").write_text("{{ article.body_html }}")
    (folder / "index.html").write_text("{% include 'part.html' %}")
    site = site_of(config)
    fingerprints = Fingerprinter(load_theme(config), site_info(site), repr(config))
    assert fingerprints.template(("article.html",), own=True)[1] is False  # its own body
    assert fingerprints.template(("article.html",))[1] is True  # a list's
    assert fingerprints.template(("index.html",))[1] is True  # through the partial
    assert isinstance(site.articles[0], Article)


@pytest.mark.parametrize("setting", [{"image": "cover.png"}, {"logo": "logo.png"},
                                     {"timezone": "Europe/Paris"},
                                     {"description": "Republished news."}])
def test_every_page_follows_the_sites_metadata_settings(config: SiteConfig,
                                                        setting: dict[str, str]) -> None:
    changed = replace(config, **setting)
    for url in ("/", "/2017/01/a/", "/regions/", "/about/", "/sitemap.xml", "/atom.xml"):
        assert prints(changed, site_of(changed), url) != \
            prints(config, site_of(config), url), (setting, url)


def test_a_list_page_follows_its_description(config: SiteConfig) -> None:
    """A term's description names it: a page whose context says otherwise is another page."""
    site = site_of(config)
    job = next(job for job in plan(site) if job.route.url == "/regions/europe/")
    fingerprints = Fingerprinter(load_theme(config), site_info(site), repr(config))
    other = replace(job, context={**job.context, "description": "Something else."})
    assert fingerprints.job(other) != fingerprints.job(job)
