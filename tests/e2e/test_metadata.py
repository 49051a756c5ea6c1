"""What a built site tells machines (issue 15), read from its files: descriptions, social
cards and JSON-LD from the HTML, times and source ids from the Atom feed, lastmods from the
sitemap, and robots.txt only where crawlers read it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from tests.sitekit import article_text, build_site, page, soup

BASE = "https://example.org/archive/"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CONFIG = (f'title = "Test Archive"\nbase_url = "{BASE}"\ntimezone = "Europe/Paris"\n'
          'image = "images/default.png"\nlogo = "/images/logo.png"\n')


def files() -> dict[str, str]:
    return {
        "content/articles/pictured.md": article_text(
            "First paragraph. Second sentence.", title="Pictured", date="2021-07-01",
            updated="2021-08-02 09:30", image="images/photo one.jpg", publisher=None,
            summary="A summary.",
            source={"name": "South Front", "url": "https://original.example/p",
                    "date": "2021-06-30"}),
        "content/articles/plain.md": article_text(
            "- only a list, no paragraph", title="Plain", date="2021-01-15", summary=None,
            source={"name": "Meridian Weekly", "url": None, "date": None}),
        "content/pages/about.md": "---\ntitle: About\n---\n",
        "static/images/default.png": "png",
        "static/images/logo.png": "png",
    }


@pytest.fixture
def built(make_site) -> tuple[Path, list]:
    site = make_site(files(), config=CONFIG)
    report = build_site(site)
    return site / "output", list(report.warnings)


def meta(doc: BeautifulSoup, name: str) -> str | None:
    tag = doc.select_one(f'meta[name="{name}"], meta[property="{name}"]')
    return tag["content"] if tag is not None else None


def json_ld(doc: BeautifulSoup) -> dict:
    (script,) = doc.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def test_every_page_has_a_meta_description(built) -> None:
    output, _ = built
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        descriptions = soup(path).select('meta[name="description"]')
        assert len(descriptions) == 1 and descriptions[0]["content"].strip(), path
    assert meta(page(output, "/2021/"), "description") == "Articles of 2021 in Test Archive."
    assert meta(page(output, "/"), "description") == \
        "Test Archive: an archive of 2 republished articles."
    assert meta(page(output, "/about/"), "description") == "About: a page of Test Archive."
    assert meta(page(output, "/2021/07/pictured/"), "description") == "A summary."
    assert meta(page(output, "/2021/01/plain/"), "description") == \
        "Plain, from Meridian Weekly, republished in Test Archive."


def test_article_social_card_and_times(built) -> None:
    output, _ = built
    doc = page(output, "/2021/07/pictured/")
    image = BASE + "images/photo%20one.jpg"
    assert meta(doc, "og:image") == meta(doc, "twitter:image") == image
    assert meta(doc, "twitter:card") == "summary_large_image"
    assert meta(doc, "twitter:title") == "Pictured"
    assert meta(doc, "twitter:description") == meta(doc, "og:description") == "A summary."
    assert meta(doc, "article:published_time") == "2021-07-01T00:00:00+02:00"
    assert meta(doc, "article:modified_time") == "2021-08-02T09:30:00+02:00"
    assert len(doc.select('meta[property="og:type"]')) == 1  # the article's, not the site's
    visible = doc.select_one(".article-header time")
    assert visible["datetime"] == "2021-07-01"  # what readers see is as it was


def test_article_json_ld(built) -> None:
    output, _ = built
    news = json_ld(page(output, "/2021/07/pictured/"))
    assert news["@type"] == "NewsArticle" and news["headline"] == "Pictured"
    assert news["image"] == BASE + "images/photo%20one.jpg"
    assert news["datePublished"] == "2021-07-01T00:00:00+02:00"
    assert news["dateModified"] == "2021-08-02T09:30:00+02:00"
    assert news["publisher"] == {"@type": "Organization", "name": "Test Archive", "url": BASE,
                                 "logo": {"@type": "ImageObject",
                                          "url": BASE + "images/logo.png"}}
    assert news["isBasedOn"] == {
        "@type": "CreativeWork", "name": "Pictured", "url": "https://original.example/p",
        "datePublished": "2021-06-30",
        "publisher": {"@type": "Organization", "name": "South Front"}}
    plain = json_ld(page(output, "/2021/01/plain/"))
    assert plain["image"] == BASE + "images/default.png"  # the site's default
    assert plain["dateModified"] == plain["datePublished"] == "2021-01-15T00:00:00+01:00"
    assert plain["publisher"] == {"@type": "Organization", "name": "Test Publisher"}
    assert plain["description"] == "Plain, from Meridian Weekly, republished in Test Archive."


def test_list_pages_carry_the_default_image(built) -> None:
    output, _ = built
    for url in ("/", "/regions/", "/regions/europe/", "/2021/", "/archives/", "/about/"):
        doc = page(output, url)
        assert meta(doc, "og:image") == BASE + "images/default.png", url
        assert meta(doc, "twitter:card") == "summary_large_image", url
        assert meta(doc, "og:url") == BASE + url.lstrip("/"), url
        assert meta(doc, "og:type") == "website", url


def test_atom_dates_carry_the_offset_and_sources_have_ids(built) -> None:
    output, _ = built
    feed = ET.parse(output / "atom.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "2021-08-02T09:30:00+02:00"  # the latest change
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    pictured, plain = entries["Pictured"], entries["Plain"]
    assert pictured.findtext(f"{ATOM}published") == "2021-07-01T00:00:00+02:00"
    assert pictured.findtext(f"{ATOM}updated") == "2021-08-02T09:30:00+02:00"
    assert plain.findtext(f"{ATOM}updated") == "2021-01-15T00:00:00+01:00"
    assert pictured.find(f"{ATOM}source").findtext(f"{ATOM}id") == \
        "https://original.example/p"
    assert plain.find(f"{ATOM}source").findtext(f"{ATOM}id") == \
        "tag:example.org,2000:source/meridian-weekly"
    for path in output.rglob("atom.xml"):  # every feed: no <source> without its <id>
        for source in ET.parse(path).getroot().iter(f"{ATOM}source"):
            assert source.findtext(f"{ATOM}id"), path


def test_every_sitemap_url_has_a_lastmod(built) -> None:
    output, _ = built
    urls = ET.parse(output / "sitemap.xml").getroot().findall(f"{SM}url")
    lastmods = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in urls}
    assert len(lastmods) > 10 and all(lastmods.values()), lastmods
    assert lastmods[BASE + "2021/07/pictured/"] == "2021-08-02T09:30:00+02:00"
    assert lastmods[BASE + "2021/01/plain/"] == "2021-01-15T00:00:00+01:00"
    assert lastmods[BASE] == lastmods[BASE + "regions/"] == "2021-07-01T00:00:00+02:00"


def test_no_robots_txt_under_a_sub_path_and_a_warning_saying_what_to_do(built) -> None:
    output, warnings = built
    assert not (output / "robots.txt").exists()
    (warning,) = [w for w in warnings if w.key == "base_url"]
    assert "https://example.org/robots.txt" in warning.message
    assert f"Sitemap: {BASE}sitemap.xml" in (warning.hint or "")


def test_folio_build_prints_the_robots_warning(make_site, capsys) -> None:
    site = make_site(files(), config=CONFIG)
    assert main(["build", str(site), "--quiet"]) == 0
    printed = capsys.readouterr().err
    assert "warning: 'base_url': robots.txt is not written" in printed
    assert f"`Sitemap: {BASE}sitemap.xml`" in printed


def test_a_root_site_without_images_writes_robots_txt_and_summary_cards(make_site) -> None:
    site = make_site(files(), config='base_url = "https://example.org/"\n')
    report = build_site(site)
    output = site / "output"
    assert (output / "robots.txt").read_text().splitlines()[-1] == \
        "Sitemap: https://example.org/sitemap.xml"
    assert not [w for w in report.warnings if w.key == "base_url"]
    plain = page(output, "/2021/01/plain/")
    assert meta(plain, "twitter:card") == "summary" and meta(plain, "og:image") is None
    assert "image" not in json_ld(plain)
    assert json_ld(plain)["datePublished"] == "2021-01-15T00:00:00Z"  # UTC by default
    home = page(output, "/")
    assert meta(home, "twitter:card") == "summary" and meta(home, "og:image") is None


def test_a_theme_that_includes_the_article_tags_in_head_gets_them_once(make_site) -> None:
    """Article templates written for the earlier default theme include
    partials/article-meta.html in `head`: the base's site-wide tags must not double them."""
    old = ('{% extends "base.html" %}{% block head %}{% include "partials/article-meta.html" %}'
           "{% endblock %}{% block content %}<h1>{{ article.title }}</h1>{% endblock %}")
    site = make_site({**files(), "templates/article.html": old}, config=CONFIG)
    build_site(site)
    doc = soup(next((site / "output").rglob("pictured/index.html")))
    for name in ("og:type", "og:title", "og:description", "twitter:card"):
        assert len(doc.select(f'meta[name="{name}"], meta[property="{name}"]')) == 1, name
    assert meta(doc, "og:type") == "article"
