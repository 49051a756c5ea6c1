"""Slugs, URLs and output paths: a URL pattern always comes paired with the file it writes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit

from slugify import slugify as _slugify

MAX_SLUG = 100
_APOSTROPHES = [["'", ""], ["\u2019", ""]]  # "Women's Rights" -> womens-rights


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """ASCII, lowercase, hyphenated; non-Latin text is transliterated (Jiří → jiri)."""
    return _slugify(text, max_length=MAX_SLUG, word_boundary=True, save_order=True,
                    replacements=_APOSTROPHES)


@dataclass(frozen=True, slots=True)
class Route:
    """Where one page lives: `url` is its href (with the site's sub-path), `output_path`
    the file it is written to, relative to the output folder."""

    url: str
    output_path: str


def route(pattern: str, base_path: str, **values: object) -> Route:
    """Expand a URL pattern like "/{year}/{month}/{slug}/" into a Route."""
    site_url = pattern.format(**values)
    return route_for(site_url, base_path)


def route_for(site_url: str, base_path: str) -> Route:
    """Pair a site-relative URL ("/regions/europe/") with its output file."""
    parts = [part for part in site_url.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"URL leaves the site: {site_url!r}")
    relative = "/".join(parts)
    if site_url.endswith("/") or not relative:
        output_path = f"{relative}/index.html" if relative else "index.html"
        relative = f"{relative}/" if relative else ""
    else:
        output_path = relative
    return Route(url=base_path + quote(relative), output_path=output_path)


def page_route(first: Route, number: int, base_path: str) -> Route:
    """Page `number` of a paginated list whose first page is `first` (…/page/2/)."""
    if number == 1:
        return first
    site_url = first.url[len(base_path) - 1:] if first.url.startswith(base_path) else first.url
    return route_for(f"{site_url.rstrip('/')}/page/{number}/", base_path)


def absolute(base_url: str, url: str) -> str:
    """The absolute form of an href produced by `route_for` (which already has the sub-path)."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}{url}"


def asset_problem(reference: str) -> str | None:
    """Why an image reference (an http(s) URL, or the path of a static file of the site) is
    not one, or None."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        if parts.scheme in ("http", "https") and parts.netloc:
            return None
        return f"must be an http(s) URL or the path of a static file, not {reference!r}"
    if ".." in parts.path.split("/"):
        return f"must not leave the site ('..'): {reference!r}"
    if not parts.path.strip("/"):
        return "must name a file"
    return None


def asset_url(reference: str, base_url: str) -> str:
    """The absolute URL of an image reference: an http(s) URL as it is; a static file's path
    ("images/a.jpg" or "/images/a.jpg", from the output root) under the base URL."""
    if urlsplit(reference).scheme:
        return reference
    return base_url + quote(reference.lstrip("/"), safe="/%?=&#~+,;:@!$'()*")
