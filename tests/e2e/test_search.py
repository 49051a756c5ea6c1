"""End-to-end: the search page and its Pagefind index, as `folio build` writes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.errors import FolioError
from tests.sitekit import article_text, build_site, comparable_tree, page


def test_the_demo_gets_a_search_page_and_an_index_of_its_articles(demo: Path) -> None:
    report = build_site(demo, base_url="https://example.org/archive/")
    output = demo / "output"
    assert (output / "pagefind/pagefind.js").is_file()
    assert (output / "pagefind/pagefind-ui.js").is_file()
    entry = json.loads((output / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == report.articles  # articles, no lists
    assert len(list((output / "pagefind/fragment").iterdir())) == report.articles
    assert len(list((output / "pagefind/filter").iterdir())) == 3  # region, theme, author

    search = page(output, "/search/")
    assert search.h1.get_text() == "Search the archive"
    scripts = [s.get("src") for s in search.select("script[src]")]
    assert "/archive/pagefind/pagefind-ui.js" in scripts
    assert search.select_one('link[href="/archive/pagefind/pagefind-ui.css"]') is not None
    inline = search.select("script:not([src])")[-1].get_text()
    assert '"/archive/pagefind/"' in inline and '"/archive/"' in inline  # bundle and base
    home = page(output, "/")
    assert home.select_one('nav.site-nav a[href="/archive/search/"]').get_text() == "Search"


def test_article_pages_are_marked_for_the_index_and_lists_are_not(demo: Path) -> None:
    build_site(demo)
    output = demo / "output"
    article = page(output, "/2021/05/who-owns-the-water-under-the-vineyards/")
    body = article.select("[data-pagefind-body]")
    assert len(body) == 1 and body[0].name == "article"
    assert body[0].select_one("aside.attribution") is not None  # attribution is indexed, shown
    assert article.select_one("h1[data-pagefind-meta=title]") is not None
    assert article.select_one("time[data-pagefind-meta^='date:']") is not None
    assert article.select_one("[data-pagefind-meta=source]").get_text() == \
        "The Harbour Review"
    filters = {(a["data-pagefind-filter"], a.get_text())
               for a in article.select("[data-pagefind-filter]")}
    assert ("region", "Europe") in filters
    assert {kind for kind, _ in filters} == {"region", "theme", "author"}
    assert article.select_one(".article-nav [data-pagefind-body]") is None
    for url in ("/", "/regions/europe/", "/archives/", "/search/", "/about/"):
        assert page(output, url).select("[data-pagefind-body]") == [], url


def test_search_off_writes_no_index_no_page_and_no_link(demo: Path) -> None:
    build_site(demo)
    assert (demo / "output/pagefind").is_dir()
    config = demo / "folio.toml"
    config.write_text(config.read_text() + "search = false\n")
    report = build_site(demo)
    output = demo / "output"
    assert report.index is None
    assert not (output / "pagefind").exists()  # the earlier index is removed as stale
    assert not (output / "search").exists()
    assert page(output, "/").select_one('a[href="/search/"]') is None
    assert "Search" not in page(output, "/").select_one("nav.site-nav").get_text()


def test_two_clean_builds_give_the_same_index(demo: Path, tmp_path: Path) -> None:
    build_site(demo)
    again = tmp_path / "again"
    shutil.copytree(demo, again, ignore=shutil.ignore_patterns("output", ".folio-cache"))
    build_site(again)
    first, second = comparable_tree(demo / "output"), comparable_tree(again / "output")
    assert first == second
    stable = [p for p in first if p.startswith(("pagefind/fragment/", "pagefind/index/"))]
    assert stable and all((demo / "output" / p).read_bytes() ==
                          (again / "output" / p).read_bytes() for p in stable)


def test_nothing_may_be_written_into_the_index_folder(make_site) -> None:
    site = make_site({"content/articles/a.md": article_text(),
                      "static/pagefind/pagefind.js": "// mine"})
    with pytest.raises(FolioError, match="search index's folder"):
        build_site(site)
    (site / "folio.toml").write_text("search = false\n")
    build_site(site)
    assert (site / "output/pagefind/pagefind.js").read_text() == "// mine"
