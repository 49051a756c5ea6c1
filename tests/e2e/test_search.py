"""End-to-end: the search page and its Pagefind index, as `folio build` writes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.errors import FolioError
from tests.sitekit import article_text, build_site, comparable_tree, page, searchable


def test_the_demo_gets_a_search_page_and_an_index_of_its_articles(demo: Path) -> None:
    report = build_site(demo, base_url="https://example.org/archive/")
    output = demo / "output"
    for script in ("pagefind.js", "pagefind-worker.js", "folio-search.js", "wasm.en.pagefind"):
        assert (output / "pagefind" / script).is_file()
    found = searchable(output)
    assert len(found) == report.articles  # every published article once, no lists
    assert all(url.count("/") == 4 for url, *_ in found)  # /YYYY/MM/slug/
    manifest = json.loads((output / "pagefind/folio-search.json").read_text())
    assert manifest["parts"] and not manifest["superseded"]
    assert sum(manifest["filters"]["region"].values()) >= report.articles

    search = page(output, "/search/")
    assert search.h1.get_text() == "Search the archive"
    assert "/archive/assets/search.js" in [s.get("src") for s in search.select("script[src]")]
    box = search.select_one("#search")
    assert box["data-bundle"] == "/archive/pagefind/" and box["data-base-url"] == "/archive/"
    form = search.select_one("form[role=search]")
    assert form["action"] == "/archive/search/" and form.select_one("input[name=q]")
    home = page(output, "/")
    assert home.select_one('nav.site-nav a[href="/archive/search/"]').get_text() == "Search"


def test_article_pages_are_marked_for_the_index_and_lists_are_not(demo: Path) -> None:
    build_site(demo)
    output = demo / "output"
    url = next(url for url, *_ in searchable(output))
    article = page(output, url)
    body = article.select("[data-pagefind-body]")
    assert len(body) == 1 and body[0].name == "article"
    ignored = body[0].select("[data-pagefind-ignore]")
    assert any(node.select_one("aside.attribution") for node in ignored)  # not in excerpts
    assert any("meta" in (node.get("class") or []) for node in ignored)  # the byline
    terms = body[0].select_one(".article-terms")
    assert terms is not None and terms.find_parent("footer") is None  # indexed as words
    assert article.select_one("h1[data-pagefind-meta=title]") is not None
    assert article.select_one("time[data-pagefind-meta^='date:']") is not None
    assert article.select_one("[data-pagefind-meta=source]") is not None
    filters = {a["data-pagefind-filter"] for a in article.select("[data-pagefind-filter]")}
    assert filters == {"region", "theme", "author"}
    assert article.select_one(".article-nav [data-pagefind-body]") is None
    for url in ("/", "/regions/europe/", "/archives/", "/search/", "/about/"):
        assert page(output, url).select("[data-pagefind-body]") == [], url


def test_the_index_holds_article_text_and_term_names_not_the_attribution(demo: Path) -> None:
    build_site(demo)
    for url, content, filters, meta in searchable(demo / "output"):
        assert "Source and copyright" not in content, url  # the attribution block
        assert "Originally published by" not in content, url  # nor the credit line
        assert not content.split(". ")[1].startswith("By "), url  # the byline
        for names in filters.values():  # each facet value is also a word of the page
            assert all(name in content for name in names), (url, names)
        assert meta["title"] in content


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
    stable = [p.relative_to(demo / "output").as_posix()
              for p in (demo / "output/pagefind").rglob("*")
              if p.parent.name in ("fragment", "index")]
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
