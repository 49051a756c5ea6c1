"""Slugs, and URL patterns paired with the files they are written to."""

from __future__ import annotations

import pytest

from generator.urls import MAX_SLUG, Route, absolute, page_route, route, route_for, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Jiří Dvořák", "jiri-dvorak"),
        ("Middle East & North Africa", "middle-east-north-africa"),
        ("Women's Rights", "womens-rights"),
        ("Women\u2019s Rights", "womens-rights"),
        ("US NATO War Agenda", "us-nato-war-agenda"),
        ("SYRIA", "syria"),
        ("Москва", "moskva"),
        ("Dr. Martin Luther King, Jr.", "dr-martin-luther-king-jr"),
        ("  padded  ", "padded"),
        ("2017", "2017"),
        ("", ""),
        ("---", ""),
        ("!!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("spelling", ["Global Economy", "global economy", "GLOBAL  ECONOMY",
                                      "Global Economy!", "global-economy"])
def test_spellings_differing_in_case_or_punctuation_share_a_slug(spelling: str) -> None:
    assert slugify(spelling) == "global-economy"


def test_long_slugs_are_cut_at_a_word_boundary() -> None:
    slug = slugify("word " * 60)
    assert 0 < len(slug) <= MAX_SLUG
    assert slug.endswith("word")
    assert not slug.endswith("-")


@pytest.mark.parametrize(
    ("site_url", "base_path", "url", "output_path"),
    [
        ("/", "/", "/", "index.html"),
        ("", "/", "/", "index.html"),
        ("/", "/archive/", "/archive/", "index.html"),
        ("/regions/europe/", "/", "/regions/europe/", "regions/europe/index.html"),
        ("/regions/europe/", "/archive/", "/archive/regions/europe/",
         "regions/europe/index.html"),
        ("/2017/09/a.html", "/", "/2017/09/a.html", "2017/09/a.html"),
        ("/404.html", "/archive/", "/archive/404.html", "404.html"),
        ("/a//b/", "/", "/a/b/", "a/b/index.html"),
        ("/ä/", "/", "/%C3%A4/", "ä/index.html"),
    ],
)
def test_route_for(site_url: str, base_path: str, url: str, output_path: str) -> None:
    assert route_for(site_url, base_path) == Route(url, output_path)


@pytest.mark.parametrize("site_url", ["/a/../b/", "/../etc/passwd", "..", "/x/../../y.html"])
def test_route_for_rejects_parent_folders(site_url: str) -> None:
    with pytest.raises(ValueError, match="leaves the site"):
        route_for(site_url, "/")


@pytest.mark.parametrize(
    ("pattern", "values", "url", "output_path"),
    [
        ("/{year}/{month}/{slug}/", {"year": "2017", "month": "09", "slug": "a"},
         "/archive/2017/09/a/", "2017/09/a/index.html"),
        ("/{year}/{slug}.html", {"year": "2017", "slug": "a"},
         "/archive/2017/a.html", "2017/a.html"),
        ("/archives/", {}, "/archive/archives/", "archives/index.html"),
    ],
)
def test_route_expands_the_pattern(pattern: str, values: dict[str, str], url: str,
                                   output_path: str) -> None:
    assert route(pattern, "/archive/", **values) == Route(url, output_path)


def test_route_rejects_a_slug_that_climbs_out() -> None:
    with pytest.raises(ValueError):
        route("/{slug}/", "/", slug="../../etc")


@pytest.mark.parametrize("base_path", ["/", "/archive/"])
def test_page_route(base_path: str) -> None:
    first = route("/regions/{slug}/", base_path, slug="europe")
    assert page_route(first, 1, base_path) is first
    assert page_route(first, 2, base_path) == Route(
        f"{base_path}regions/europe/page/2/", "regions/europe/page/2/index.html")
    assert page_route(first, 10, base_path).output_path == "regions/europe/page/10/index.html"


@pytest.mark.parametrize("base_path", ["/", "/archive/"])
def test_page_route_of_the_home_page(base_path: str) -> None:
    home = route_for("/", base_path)
    assert page_route(home, 3, base_path) == Route(f"{base_path}page/3/", "page/3/index.html")


@pytest.mark.parametrize(
    ("base_url", "url", "expected"),
    [
        ("https://example.org/archive/", "/archive/a/", "https://example.org/archive/a/"),
        ("http://localhost:8000/", "/", "http://localhost:8000/"),
    ],
)
def test_absolute(base_url: str, url: str, expected: str) -> None:
    assert absolute(base_url, url) == expected
