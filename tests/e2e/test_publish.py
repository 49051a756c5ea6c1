"""What a built archive offers feed readers, crawlers and search engines, read the way they
read it: feedparser for Atom, extruct for JSON-LD and Open Graph, ElementTree for sitemaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import extruct
import feedparser
import pytest

from tests.sitekit import article_text, build_site, page

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/archive/"


def archive(make_site, config: str = "") -> Path:
    files = {}
    for n in range(1, 26):
        files[f"content/articles/2020/{1 + n % 12:02d}/piece-{n}.md"] = article_text(
            f"Body {n} with a [link](/archive/about/).", title=f"Piece {n}",
            date=f"2020-{1 + n % 12:02d}-{1 + n % 27:02d}",
            authors=["Amara Okafor", "South Front"] if n % 5 == 0 else ["Li Wei"],
            regions=["Europe"] if n % 2 else ["Asia"],
            source={"name": "South Front" if n % 3 else "Meridian Weekly",
                    "url": f"https://original.example/{n}" if n % 4 else None,
                    "date": "2019-12-31"},
            copyright=f"Original Outlet {n}, 2020", summary=f"Summary of piece {n}.")
    files["content/pages/about.md"] = "---\ntitle: About\n---\n\nAbout."
    return make_site(files, config=f'base_url = "{BASE}"\n' + config)


def feed(output: Path, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((output / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_archive_feed_has_the_newest_entries_with_their_attribution(make_site) -> None:
    site = archive(make_site)
    build_site(site)
    parsed = feed(site / "output", "atom.xml")
    entries = parsed.entries
    assert len(entries) == 20  # bounded by feed_entries
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    first = entries[0]
    assert first.link.startswith(BASE)
    assert first.rights.startswith("© Original Outlet")
    assert first.source.title in ("South Front", "Meridian Weekly")
    assert [a.name for a in first.authors]
    assert parsed.feed.links[0].href == BASE + "atom.xml"


def test_every_term_has_a_feed_linked_from_its_page(make_site) -> None:
    site = archive(make_site)
    build_site(site)
    output = site / "output"
    term_page = page(output, "/regions/europe/")
    link = term_page.select_one('link[rel="alternate"][type="application/atom+xml"]'
                                '[href$="regions/europe/atom.xml"]')
    assert link is not None
    europe = feed(output, "regions/europe/atom.xml")
    assert europe.entries and all(
        any(t.term == "europe" for t in e.tags) for e in europe.entries)
    for folder in ("themes/global-economy", "authors/amara-okafor", "authors/li-wei",
                   "sources/south-front", "publishers/test-publisher"):
        assert feed(output, f"{folder}/atom.xml").entries, folder


def test_entry_ids_survive_edits(make_site) -> None:
    site = archive(make_site)
    build_site(site)
    before = {e.link: e.id for e in feed(site / "output", "atom.xml").entries}
    target = site / "content/articles/2020/12/piece-11.md"
    target.write_text(target.read_text().replace("title: Piece 11", "title: Piece 11, revised")
                      + "\nMore.\n")
    build_site(site)
    after = {e.link: (e.id, e.title) for e in feed(site / "output", "atom.xml").entries}
    link = next(link for link, (_, title) in after.items() if title.endswith("revised"))
    assert after[link][0] == before[link]


def test_full_content_feeds_carry_the_body(make_site) -> None:
    site = archive(make_site, 'feed_content = "full"\n')
    build_site(site)
    entry = feed(site / "output", "atom.xml").entries[0]
    assert "Body" in entry.content[0].value


def test_sitemap_and_robots(make_site) -> None:
    site = archive(make_site)
    report = build_site(site)
    output = site / "output"
    root = ET.parse(output / "sitemap.xml").getroot()
    locs = {u.find(f"{SM}loc").text: u.find(f"{SM}lastmod") for u in root.iter(f"{SM}url")}
    assert BASE in locs and BASE + "about/" in locs
    assert all(loc.startswith(BASE) for loc in locs)
    assert BASE + "404.html" not in locs
    article = next(loc for loc in locs if "/piece-" in loc)
    assert locs[article] is not None and locs[article].text.startswith("2020-")
    assert all(lastmod is not None for lastmod in locs.values())
    # under a sub-path, where crawlers never read it: no robots.txt, but a warning
    assert not (output / "robots.txt").exists()
    assert any(w.key == "base_url" and f"Sitemap: {BASE}sitemap.xml" in (w.hint or "")
               for w in report.warnings)
    build_site(site, base_url="https://example.org/")  # at the host's root
    robots = (output / "robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots


def test_sitemap_index_above_the_limit(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.pages.SITEMAP_LIMIT", 10)
    site = archive(make_site)
    build_site(site)
    root = ET.parse(site / "output/sitemap.xml").getroot()
    assert root.tag == f"{SM}sitemapindex"
    parts = [s.find(f"{SM}loc").text for s in root.iter(f"{SM}sitemap")]
    assert len(parts) > 1
    first = ET.parse(site / "output" / parts[0].removeprefix(BASE)).getroot()
    assert len(list(first.iter(f"{SM}url"))) == 10


def metadata(output: Path, url_path: str) -> dict:
    html = (output / url_path.strip("/") / "index.html").read_text()
    return extruct.extract(html, base_url=BASE + url_path.strip("/") + "/",
                           syntaxes=["json-ld", "opengraph"], uniform=True)


def test_article_pages_carry_json_ld_and_open_graph(make_site) -> None:
    site = archive(make_site)
    build_site(site)
    data = metadata(site / "output", "2020/06/piece-5")
    (news,) = [d for d in data["json-ld"] if d["@type"] == "NewsArticle"]
    assert news["headline"] == "Piece 5"
    assert news["datePublished"] == news["dateModified"] == "2020-06-06T00:00:00Z"
    assert [(a["@type"], a["name"]) for a in news["author"]] == [
        ("Person", "Amara Okafor"), ("Organization", "South Front")]
    assert news["publisher"]["name"] == "Test Publisher"
    assert news["isBasedOn"]["name"] == "Piece 5"  # the original work, not its outlet
    assert news["isBasedOn"]["publisher"] == {"@type": "Organization", "name": "South Front"}
    assert news["isBasedOn"]["url"] == "https://original.example/5"
    assert news["copyrightNotice"] == "© Original Outlet 5, 2020"
    (og,) = data["opengraph"]
    assert og["@type"] == "article" and og["og:title"] == "Piece 5"  # extruct: og:type
    assert og["og:url"] == BASE + "2020/06/piece-5/"
    doc = page(site / "output", "/2020/06/piece-5/")
    assert doc.select_one('link[rel="canonical"]')["href"] == BASE + "2020/06/piece-5/"


def test_syndication_policies(make_site) -> None:
    site = archive(make_site, '[syndication]\npolicy = "original"\n'
                              '[syndication.sources]\n"Meridian Weekly" = "noindex"\n')
    report = build_site(site)
    output = site / "output"
    with_url = page(output, "/2020/06/piece-5/")  # South Front, url known
    assert with_url.select_one('link[rel="canonical"]')["href"] == "https://original.example/5"
    assert with_url.select_one(".attribution-canonical") is not None
    news = metadata(output, "2020/06/piece-5")["json-ld"][0]
    assert news["mainEntityOfPage"] == "https://original.example/5"
    without_url = page(output, "/2020/05/piece-4/")  # no source.url: falls back, warns
    assert without_url.select_one('link[rel="canonical"]')["href"] == BASE + "2020/05/piece-4/"
    assert any("piece-4.md" in str(w.path) and w.key == "source.url" for w in report.warnings)
    hidden = page(output, "/2020/04/piece-3/")  # Meridian Weekly: noindex
    assert hidden.select_one('meta[name="robots"]')["content"] == "noindex"
    sitemap = (output / "sitemap.xml").read_text()
    assert "piece-3/" not in sitemap and "piece-5/" in sitemap


def test_provenance_pages_list_each_sources_articles(make_site) -> None:
    site = archive(make_site)
    build_site(site)
    output = site / "output"
    index = page(output, "/sources/")
    names = [a.get_text() for a in index.select(".term-index a")]
    assert names == ["Meridian Weekly", "South Front"]
    meridian = page(output, "/sources/meridian-weekly/")
    count = meridian.select_one(".count").get_text()
    assert count.startswith("8 articles, 2020")
    assert page(output, "/publishers/test-publisher/").select(".card")


def test_provenance_can_be_switched_off(make_site) -> None:
    site = archive(make_site, "provenance = false\n")
    build_site(site)
    assert not (site / "output/sources").exists()
    assert not (site / "output/publishers").exists()
