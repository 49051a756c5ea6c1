"""End-to-end: build small sites in a temporary folder and read the HTML they produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import FolioError
from tests.e2e.links import broken_links
from tests.sitekit import article_text, build_site, page


def articles(count: int, **fields: object) -> dict[str, str]:
    files = {}
    for n in range(1, count + 1):
        day = f"2021-03-{n:02d}"
        files[f"content/articles/2021/03/article-number-{n}.md"] = article_text(
            f"Body of article {n}.", title=f"Article number {n}", date=day, **fields)
    return files



def test_demo_archive_builds_with_every_link_resolving(demo: Path) -> None:
    report = build_site(demo)
    output = demo / "output"
    assert report.articles >= 13
    assert broken_links(output, "/") == []
    home = page(output, "/")
    assert home.html["lang"] == "en"
    assert len(home.select("main article.card")) == 5  # per_page in the demo config
    assert (output / "404.html").is_file()
    assert (output / "assets/folio.css").is_file()


def test_article_page_shows_attribution_and_links_terms(make_site) -> None:
    site = make_site({
        "content/articles/2017/09/video-army-advances.md": article_text(
            "Para one.\n\nPara two.", title="Video: Army Advances", date="2017-09-02",
            authors=["South Front", "Jiří Dvořák"], regions=["Middle East & North Africa"],
            themes=["Terrorism", "US NATO War Agenda"], reports=["SYRIA"],
            publisher="Global Research",
            source={"name": "South Front", "url": "https://southfront.example/x",
                    "date": "2017-09-01"},
            copyright="South Front, 2017"),
    })
    build_site(site)
    doc = page(site / "output", "/2017/09/video-army-advances/")
    assert doc.h1.get_text() == "Video: Army Advances"
    box = doc.select_one("aside.attribution")
    source_link = box.select_one(".attribution-source a")
    assert source_link["href"] == "https://southfront.example/x"
    assert source_link.get_text() == "South Front"
    assert "1 September 2017" in box.select_one(".attribution-source").get_text()
    assert "Global Research" in box.select_one(".attribution-publisher").get_text()
    assert box.select_one(".attribution-copyright dd").get_text() == "© South Front, 2017"
    term_hrefs = {a["href"] for a in doc.select(".article-terms a")}
    assert {"/regions/middle-east-north-africa/", "/themes/terrorism/",
            "/themes/us-nato-war-agenda/", "/reports/syria/", "/authors/jiri-dvorak/",
            "/authors/south-front/"} <= term_hrefs
    assert [a.get_text() for a in doc.select(".meta a.author")] == ["South Front", "Jiří Dvořák"]


def test_lists_are_paginated_with_numbered_links(make_site) -> None:
    site = make_site(articles(12), config="per_page = 5\n")
    build_site(site)
    output = site / "output"
    first = page(output, "/regions/europe/")
    titles = [a.get_text() for a in first.select(".card-title a")]
    assert titles == [f"Article number {n}" for n in range(12, 7, -1)]  # newest first
    numbered = [a["href"] for a in first.select(".pagination li a:not([rel])")]
    assert numbered == ["/regions/europe/", "/regions/europe/page/2/", "/regions/europe/page/3/"]
    assert first.select_one('.pagination a[rel="next"]')["href"] == "/regions/europe/page/2/"
    assert first.select_one('.pagination a[rel="prev"]') is None
    third = page(output, "/regions/europe/page/3/")
    assert [a.get_text() for a in third.select(".card-title a")] == ["Article number 2",
                                                                      "Article number 1"]
    assert third.select_one('.pagination a[rel="prev"]')["href"] == "/regions/europe/page/2/"
    assert third.select_one('.pagination a[aria-current="page"]').get_text(strip=True) == "3"
    assert (output / "page/3/index.html").is_file()  # the home page paginates too
    assert not (output / "page/4").exists()


def test_article_pages_link_to_older_and_newer(make_site) -> None:
    site = make_site(articles(3))
    build_site(site)
    middle = page(site / "output", "/2021/03/article-number-2/")
    assert middle.select_one('.article-nav a[rel="prev"]')["href"] == \
        "/2021/03/article-number-1/"
    assert middle.select_one('.article-nav a[rel="next"]')["href"] == \
        "/2021/03/article-number-3/"
    newest = page(site / "output", "/2021/03/article-number-3/")
    assert newest.select_one('.article-nav a[rel="next"]') is None


def test_taxonomy_index_lists_terms_with_counts(make_site) -> None:
    files = articles(3)
    files["content/articles/x.md"] = article_text(title="Other", regions=["Asia", "Europe"])
    site = make_site(files)
    build_site(site)
    doc = page(site / "output", "/regions/")
    rows = {li.a.get_text(): li.select_one(".term-count").get_text(" ", strip=True)
            for li in doc.select(".term-index li")}
    assert rows == {"Asia": "1 articles", "Europe": "4 articles"}


def test_year_archives(make_site) -> None:
    files = articles(2)
    files["content/articles/old.md"] = article_text(title="Old one", date="2016-05-05")
    site = make_site(files)
    build_site(site)
    output = site / "output"
    years = page(output, "/archives/")
    assert [a.get_text() for a in years.select(".term-index a")] == ["2021", "2016"]
    y2016 = page(output, "/2016/")
    assert [a.get_text() for a in y2016.select(".card-title a")] == ["Old one"]


def test_spellings_that_differ_in_case_or_punctuation_are_one_term(make_site) -> None:
    site = make_site({
        "content/articles/a.md": article_text(title="A", themes=["Global Economy"]),
        "content/articles/b.md": article_text(title="B", themes=["Global Economy"]),
        "content/articles/c.md": article_text(title="C", themes=["global economy!"]),
    })
    report = build_site(site)
    doc = page(site / "output", "/themes/")
    assert [a.get_text() for a in doc.select(".term-index a")] == ["Global Economy"]
    assert any("merged into 'Global Economy'" in w.message for w in report.warnings)
    term = page(site / "output", "/themes/global-economy/")
    assert len(term.select(".card")) == 3


def test_sub_path_hosting_prefixes_every_internal_link(demo: Path) -> None:
    build_site(demo, base_url="https://example.org/archive/")
    output = demo / "output"
    assert broken_links(output, "/archive/", origin="https://example.org") == []
    home = page(output, "/")
    hrefs = [a["href"] for a in home.select("a[href]")]
    internal = [h for h in hrefs if not h.startswith(("http", "#", "mailto:"))]
    assert internal and all(h.startswith("/archive/") for h in internal)
    assert home.select_one('link[rel="stylesheet"]')["href"] == "/archive/assets/folio.css"
    assert home.select_one('link[rel="canonical"]')["href"] == "https://example.org/archive/"


def test_drafts_are_left_out_unless_asked_for(make_site) -> None:
    site = make_site({
        "content/articles/a.md": article_text(title="Published"),
        "content/articles/work-in-progress.md": article_text(title="Work in progress", draft=True,
                                              copyright=None),
    })
    build_site(site)
    assert not (site / "output/2020/01/work-in-progress").exists()
    build_site(site, drafts=True)
    draft = page(site / "output", "/2020/01/work-in-progress/")
    assert draft.select_one(".attribution-missing") is not None


def test_untrusted_html_in_bodies_is_escaped(make_site) -> None:
    site = make_site({"content/articles/scraped.md": article_text(
        "Before\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\nAfter",
        title="Scraped")})
    build_site(site)
    body = page(site / "output", "/2020/01/scraped/").select_one(".article-body")
    assert body.find("script") is None and body.find("img") is None
    assert "<script>alert(1)</script>" in body.get_text()


def test_allow_html_sanitises_instead_of_escaping(make_site) -> None:
    site = make_site({"content/articles/scraped.md": article_text(
        '<p class="lead">Kept <b onclick="steal()">bold</b></p>\n\n<script>alert(1)</script>',
        title="Scraped")}, config="allow_html = true\n")
    build_site(site)
    body = page(site / "output", "/2020/01/scraped/").select_one(".article-body")
    assert body.find("b").get_text() == "bold"
    assert body.find("b").get("onclick") is None
    assert body.find("script") is None


def test_second_build_rewrites_nothing_and_stale_files_go(make_site) -> None:
    site = make_site(articles(3))
    build_site(site)
    output = site / "output"
    stamp = (output / "index.html").stat().st_mtime_ns
    again = build_site(site)
    assert again.written == 0 and again.removed == 0
    assert (output / "index.html").stat().st_mtime_ns == stamp
    (site / "content/articles/2021/03/article-number-1.md").unlink()
    after = build_site(site)
    assert not (output / "2021/03/article-number-1").exists()
    assert after.removed == 1


def test_failed_build_leaves_previous_output_untouched(make_site) -> None:
    site = make_site(articles(2))
    build_site(site)
    output = site / "output"
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (site / "content/articles/2021/03/new.md").write_text(
        article_text(title="New", copyright=None))
    with pytest.raises(FolioError):
        build_site(site)
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not list(site.glob(".output.staging-*"))


def test_template_error_mid_build_leaves_output_untouched(make_site) -> None:
    site = make_site(articles(2))
    build_site(site)
    before = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    (site / "templates").mkdir()
    (site / "templates/year.html").write_text("{{ no_such_thing.attr }}")
    with pytest.raises(FolioError) as caught:
        build_site(site)
    assert "year.html" in str(caught.value)
    after = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    assert after == before


def test_site_template_overrides_one_theme_template(make_site) -> None:
    site = make_site(articles(1))
    (site / "themes/default/templates").mkdir(parents=True)
    (site / "themes/default/templates/page.html").write_text("unused")
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        '{% extends "default:article.html" %}{% block title %}OVERRIDE {{ article.title }}'
        "{% endblock %}")
    build_site(site)
    doc = page(site / "output", "/2021/03/article-number-1/")
    assert doc.title.get_text() == "OVERRIDE Article number 1"
    assert doc.select_one("aside.attribution") is not None  # the rest is the theme's
    assert page(site / "output", "/").select_one(".card") is not None


def test_theme_extending_the_default(make_site) -> None:
    site = make_site(articles(1), config='theme = "sober"\n')
    write = {
        "themes/sober/theme.toml": 'extends = "default"\n',
        "themes/sober/templates/index.html": "<p id=sober>{{ paginator.total }}</p>",
        "themes/sober/static/assets/extra.css": "body{}",
    }
    for relative, text in write.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text)
    build_site(site)
    output = site / "output"
    assert page(output, "/").select_one("#sober").get_text() == "1"
    assert page(output, "/2021/03/article-number-1/").select_one("aside.attribution")
    assert (output / "assets/extra.css").is_file() and (output / "assets/folio.css").is_file()


def test_site_static_files_are_copied_and_win(make_site) -> None:
    site = make_site({**articles(1), "static/assets/folio.css": "/* mine */",
                      "static/CNAME": "archive.example.org"})
    build_site(site)
    assert (site / "output/assets/folio.css").read_text() == "/* mine */"
    assert (site / "output/CNAME").read_text() == "archive.example.org"


def test_custom_taxonomy(make_site) -> None:
    config = 'taxonomies = ["regions", "countries"]\n'
    text = article_text(title="A", countries=["Côte d'Ivoire"])
    site = make_site({"content/articles/a.md": text}, config=config)
    build_site(site)
    output = site / "output"
    doc = page(output, "/countries/cote-divoire/")
    assert doc.h1.get_text() == "Côte d'Ivoire"
    assert not (output / "themes").exists()
    art = page(output, "/2020/01/a/")
    assert "/countries/cote-divoire/" in {a["href"] for a in art.select(".article-terms a")}


def test_plain_pages_are_built_and_in_the_menu(make_site) -> None:
    site = make_site({**articles(1),
                      "content/pages/about.md": "---\ntitle: About us\nmenu: 1\n---\n\nHello."})
    build_site(site)
    about = page(site / "output", "/about/")
    assert about.h1.get_text() == "About us"
    assert "/about/" in [a["href"] for a in about.select(".site-nav a")]


def test_output_folder_not_written_by_folio_is_refused(make_site, tmp_path: Path) -> None:
    site = make_site(articles(1))
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    from dataclasses import replace

    from generator.build import build
    from generator.config import load_config

    with pytest.raises(FolioError, match="not written by Folio"):
        build(replace(load_config(site), output_dir=str(precious)))
    assert (precious / "thesis.txt").read_text() == "years of work"
