"""Site configuration: `folio.toml`, validated into a frozen `SiteConfig`.

Every problem in the file is reported at once, naming the key; unknown keys are errors
(with a suggestion) so that a typo never silently does nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.dates import UTC_NAME, site_zone, zone_problem
from generator.errors import ConfigError, Problem
from generator.urls import asset_problem, slugify

CONFIG_NAME = "folio.toml"


@dataclass(frozen=True, slots=True)
class TaxonomyConfig:
    """A way of grouping articles: the front matter key, its names, and where its pages live."""

    key: str
    title: str
    singular: str
    term_url: str  # pattern with {slug}, e.g. "/regions/{slug}/"
    index_url: str  # e.g. "/regions/"


@dataclass(frozen=True, slots=True)
class UrlConfig:
    """URL patterns; each page's output path is derived from its URL (pretty URLs)."""

    article: str = "/{year}/{month}/{slug}/"
    page: str = "/{slug}/"
    year: str = "/{year}/"
    years: str = "/archives/"


DEFAULT_TAXONOMIES: dict[str, tuple[str, str]] = {
    "regions": ("Regions", "Region"),
    "themes": ("Themes", "Theme"),
    "authors": ("Authors", "Author"),
    "reports": ("In-depth reports", "In-depth report"),
    "sources": ("Original sources", "Original source"),
    "publishers": ("Publishers", "Publisher"),
}
# taxonomies filled from each article's attribution, not from a front matter list
PROVENANCE = ("sources", "publishers")


def _default_taxonomies() -> tuple[TaxonomyConfig, ...]:
    return tuple(_taxonomy(key, {}, "/{taxonomy}/{slug}/") for key in DEFAULT_TAXONOMIES)


_FRONT_MATTER_TAXONOMIES = ("regions", "themes", "authors", "reports")


def _taxonomy(key: str, table: dict[str, Any], term_pattern: str) -> TaxonomyConfig:
    title, singular = DEFAULT_TAXONOMIES.get(key, (key.replace("_", " ").title(), ""))
    title = table.get("title", title)
    singular = table.get("singular", singular or title)
    term_url = table.get("url", term_pattern.replace("{taxonomy}", key))
    index_url = table.get("index_url", f"/{key}/")
    return TaxonomyConfig(key, title, singular, term_url, index_url)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything a build needs to know about a site, read once and never mutated."""

    root: Path
    title: str = "Folio archive"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    theme: str = "default"
    language: str = "en"
    per_page: int = 10
    terms_per_page: int = 100
    taxonomies: tuple[TaxonomyConfig, ...] = field(default_factory=_default_taxonomies)
    urls: UrlConfig = field(default_factory=UrlConfig)
    allow_html: bool = False
    typographer: bool = True
    date_format: str = "%-d %B %Y"
    summary_words: int = 40
    content_dir: str = "content"
    static_dir: str = "static"
    output_dir: str = "output"
    params: dict[str, Any] = field(default_factory=dict)
    search: bool = True  # a search page, with the index Pagefind makes of the built pages
    search_part_size: int = 0  # pages per part of the search index; 0: automatic
    feeds: bool = True  # an Atom feed for the archive and for every term
    feed_entries: int = 20  # newest entries per feed
    feed_content: str = "summary"  # or "full"
    sitemap: bool = True
    provenance: bool = True  # pages per original source and per publisher
    syndication: str = "self"  # where canonical points: "self", "original" or "noindex"
    syndication_sources: dict[str, str] = field(default_factory=dict)  # source slug -> policy
    drafts: bool = False
    timezone: str = UTC_NAME  # IANA name: the zone of dates written without one
    image: str = ""  # the default image of pages (og:image): an http(s) URL or a static path
    logo: str = ""  # the site's logo (JSON-LD publisher): an http(s) URL or a static path

    @property
    def zone(self) -> dt.tzinfo:
        """The site's time zone (validated when the configuration was read)."""
        return site_zone(self.timezone)

    @property
    def base_path(self) -> str:
        """The sub-path the site is hosted under, e.g. "/archive/" (always ends with "/")."""
        return urlsplit(self.base_url).path or "/"

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def static_path(self) -> Path:
        return self.root / self.static_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    def taxonomy(self, key: str) -> TaxonomyConfig | None:
        return next((t for t in self.taxonomies if t.key == key), None)


# key -> (expected Python types, human name)
_SCALARS: dict[str, tuple[tuple[type, ...], str]] = {
    "title": ((str,), "a string"),
    "description": ((str,), "a string"),
    "base_url": ((str,), "a URL string"),
    "theme": ((str,), "a theme name"),
    "language": ((str,), "a language code such as \"en\""),
    "per_page": ((int,), "a whole number"),
    "terms_per_page": ((int,), "a whole number"),
    "allow_html": ((bool,), "true or false"),
    "typographer": ((bool,), "true or false"),
    "date_format": ((str,), "a strftime format such as \"%-d %B %Y\""),
    "summary_words": ((int,), "a whole number"),
    "content_dir": ((str,), "a folder name"),
    "static_dir": ((str,), "a folder name"),
    "output_dir": ((str,), "a folder name"),
    "search": ((bool,), "true or false"),
    "search_part_size": ((int,), "a whole number of pages (0: automatic)"),
    "feeds": ((bool,), "true or false"),
    "feed_entries": ((int,), "a whole number"),
    "feed_content": ((str,), '"summary" or "full"'),
    "sitemap": ((bool,), "true or false"),
    "provenance": ((bool,), "true or false"),
    "timezone": ((str,), 'an IANA time zone name such as "Europe/Paris"'),
    "image": ((str,), "an image's http(s) URL or the path of a static file"),
    "logo": ((str,), "an image's http(s) URL or the path of a static file"),
}
_TABLES = {"taxonomies", "urls", "params", "syndication"}
POLICIES = ("self", "original", "noindex")
_TAXONOMY_KEYS = {"title", "singular", "url", "index_url"}
_URL_FIELDS = {"article", "page", "year", "years", "term"}
_URL_PLACEHOLDERS: dict[str, set[str]] = {
    "article": {"year", "month", "day", "slug"},
    "page": {"slug"},
    "year": {"year"},
    "years": set(),
    "term": {"taxonomy", "slug"},
    "taxonomy.url": {"slug"},
    "taxonomy.index_url": set(),
}
_LIST_PATTERNS = {"year", "years", "term", "taxonomy.url", "taxonomy.index_url"}
_TAXONOMY_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED_KEYS = {"title", "date", "publisher", "source", "copyright", "summary", "slug",
                  "draft", "url", "extra", "names", "terms", "updated", "image"}


def load_config(
    site_dir: Path, *, base_url: str | None = None, drafts: bool = False
) -> SiteConfig:
    """Read `folio.toml` from `site_dir` (defaults when absent) and validate all of it."""
    site_dir = site_dir.resolve()  # content paths are absolute: the watcher reports them so
    path = site_dir / CONFIG_NAME
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            line = int(match.group(1)) if match else None
            raise ConfigError(
                Problem(f"not valid TOML: {exc}", path=path, line=line,
                        hint="fix the syntax; strings need quotes"),
                title="Cannot read the configuration",
            ) from None
        except UnicodeDecodeError:
            raise ConfigError(Problem("not UTF-8 text", path=path)) from None
    if base_url is not None:
        data["base_url"] = base_url
    return parse_config(data, site_dir, path=path, drafts=drafts)


def parse_config(
    data: dict[str, Any], site_dir: Path, *, path: Path | None = None, drafts: bool = False
) -> SiteConfig:
    """Validate a decoded config table; raise ConfigError listing every problem."""
    problems: list[Problem] = []

    def problem(key: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(message, path=path, line=_key_line(path, key), key=key,
                                hint=hint))

    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SCALARS:
            types, name = _SCALARS[key]
            if not isinstance(value, types) or (int in types and isinstance(value, bool)):
                problem(key, f"must be {name}, not {_describe(value)}")
            else:
                values[key] = value
        elif key not in _TABLES:
            problem(key, "unknown key", _suggest(key, [*_SCALARS, *_TABLES]))

    _check_values(values, problem)
    urls, term_pattern = _parse_urls(data.get("urls", {}), problem)
    taxonomies = _parse_taxonomies(data.get("taxonomies"), term_pattern, problem)
    syndication = _parse_syndication(data.get("syndication", {}), problem)
    params = data.get("params", {})
    if not isinstance(params, dict):
        problem("params", f"must be a table, not {_describe(params)}")
        params = {}

    if values.get("provenance", True):
        taxonomies += tuple(_taxonomy(key, {}, term_pattern) for key in PROVENANCE
                            if all(t.key != key for t in taxonomies))
    if problems:
        raise ConfigError(problems, title="Invalid configuration")
    return SiteConfig(root=site_dir, urls=urls, taxonomies=taxonomies, params=params,
                      drafts=drafts, syndication=syndication[0],
                      syndication_sources=syndication[1], **values)


def _check_values(values: dict[str, Any], problem: Any) -> None:
    """Check the values whose type is right but not every value of it is (and put the base
    URL in its one form); a wrong one is reported and dropped."""
    if values.get("feed_content", "summary") not in ("summary", "full"):
        problem("feed_content", f'must be "summary" or "full", not {values["feed_content"]!r}')
        del values["feed_content"]
    for key in ("per_page", "terms_per_page", "summary_words", "feed_entries"):
        if key in values and values[key] < 1:
            problem(key, "must be 1 or more")
            del values[key]
    if values.get("search_part_size", 0) < 0:
        problem("search_part_size", "must be 0 (automatic) or more")
        del values["search_part_size"]
    if "base_url" in values:
        url = values["base_url"]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problem("base_url", f"must be an absolute http(s) URL, not {url!r}",
                    "e.g. \"https://example.org/archive/\"")
            del values["base_url"]
        elif parts.query or parts.fragment:
            problem("base_url", f"must not have a query or fragment: {url!r}")
            del values["base_url"]
        else:  # one trailing slash: "…/archive", "…/archive/" and "…/archive//" alike
            values["base_url"] = url.rstrip("/") + "/"
    if "theme" in values and not re.fullmatch(r"[\w.-]+", values["theme"]):
        problem("theme", "must be a theme folder name")
        del values["theme"]
    _check_metadata(values, problem)


def _check_metadata(values: dict[str, Any], problem: Any) -> None:
    """The time zone is one the zone database knows; images are URLs or static paths."""
    if "timezone" in values:
        reason = zone_problem(values["timezone"])
        if reason is not None:
            problem("timezone", reason, _zone_hint(values.pop("timezone")))
    for key in ("image", "logo"):
        if values.get(key):
            reason = asset_problem(values[key])
            if reason is not None:
                problem(key, reason, 'e.g. "images/cover.jpg" (in static/) or "https://…"')
                del values[key]


def _zone_hint(name: str) -> str:
    """A near IANA name, or how to write one."""
    import zoneinfo

    known = {zone.casefold(): zone for zone in zoneinfo.available_timezones() | {UTC_NAME}}
    close = difflib.get_close_matches(name.casefold(), sorted(known), n=1, cutoff=0.8)
    if close:
        return f"did you mean {known[close[0]]!r}?"
    return 'an IANA name such as "Europe/Paris", "America/New_York" or "UTC"'


def _parse_syndication(table: Any, problem: Any) -> tuple[str, dict[str, str]]:
    """[syndication] policy = "self" | "original" | "noindex", and [syndication.sources]
    "Original Source Name" = policy, overriding it for one source."""
    if not isinstance(table, dict):
        problem("syndication", f"must be a table, not {_describe(table)}")
        return "self", {}
    policy, sources = "self", {}
    for key, value in table.items():
        if key == "policy":
            if value in POLICIES:
                policy = value
            else:
                problem("syndication.policy", f"must be one of {', '.join(POLICIES)}, "
                        f"not {value!r}")
        elif key == "sources" and isinstance(value, dict):
            for name, source_policy in value.items():
                if source_policy in POLICIES:
                    sources[slugify(name)] = source_policy
                else:
                    problem(f"syndication.sources.{name}",
                            f"must be one of {', '.join(POLICIES)}, not {source_policy!r}")
        else:
            problem(f"syndication.{key}", "unknown key" if key != "sources" else
                    "must be a table of source names", 'e.g. [syndication.sources] '
                    '"South Front" = "original"')
    return policy, sources


def _parse_urls(table: Any, problem: Any) -> tuple[UrlConfig, str]:
    """The URL patterns, and the default pattern for term pages."""
    term_pattern = "/{taxonomy}/{slug}/"
    if not isinstance(table, dict):
        problem("urls", f"must be a table, not {_describe(table)}")
        return UrlConfig(), term_pattern
    values = {}
    for key, pattern in table.items():
        if key not in _URL_FIELDS:
            problem(f"urls.{key}", "unknown key", _suggest(key, _URL_FIELDS))
        elif not _check_pattern(f"urls.{key}", key, pattern, problem):
            continue
        elif key == "term":
            term_pattern = pattern
        else:
            values[key] = pattern
    return UrlConfig(**values), term_pattern


def _parse_taxonomies(table: Any, term_pattern: str, problem: Any) -> tuple[TaxonomyConfig, ...]:
    if table is None:
        return tuple(_taxonomy(key, {}, term_pattern) for key in _FRONT_MATTER_TAXONOMIES)
    if isinstance(table, list):
        table = {name: {} for name in table} if all(isinstance(n, str) for n in table) else None
    if not isinstance(table, dict):
        problem("taxonomies", "must be a list of names or a table of tables",
                'e.g. taxonomies = ["regions", "themes", "authors", "reports", "countries"]')
        return _default_taxonomies()
    result = []
    for key, entry in table.items():
        name = f"taxonomies.{key}"
        if not _TAXONOMY_KEY_RE.match(key):
            problem(name, "taxonomy names are lowercase front matter keys such as 'countries'")
            continue
        if key in _RESERVED_KEYS or key in PROVENANCE:
            problem(name, f"'{key}' is an article field (or made from one), not a taxonomy",
                    "choose another name; original sources and publishers have pages of "
                    "their own (provenance = true)")
            continue
        if not isinstance(entry, dict):
            problem(name, f"must be a table, not {_describe(entry)}",
                    f'e.g. [taxonomies.{key}] title = "{key.title()}"')
            continue
        ok = True
        for sub, value in entry.items():
            if sub not in _TAXONOMY_KEYS:
                problem(f"{name}.{sub}", "unknown key", _suggest(sub, _TAXONOMY_KEYS))
                ok = False
            elif not isinstance(value, str):
                problem(f"{name}.{sub}", f"must be a string, not {_describe(value)}")
                ok = False
            elif sub in ("url", "index_url"):
                ok = _check_pattern(f"{name}.{sub}", f"taxonomy.{sub}", value, problem) and ok
        if ok:
            result.append(_taxonomy(key, entry, term_pattern))
    return tuple(result)


def _check_pattern(name: str, kind: str, pattern: Any, problem: Any) -> bool:
    if not isinstance(pattern, str):
        problem(name, f"must be a string, not {_describe(pattern)}")
        return False
    allowed = _URL_PLACEHOLDERS[kind]
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None}
    except ValueError as exc:
        problem(name, f"is not a valid pattern: {exc}")
        return False
    if not pattern.startswith("/"):
        problem(name, f"must start with '/': {pattern!r}")
        return False
    if kind in _LIST_PATTERNS and not pattern.endswith("/"):
        problem(name, f"must end with '/' (list pages are paginated below it): {pattern!r}")
        return False
    if not (pattern.endswith("/") or pattern.endswith(".html")):
        problem(name, f"must end with '/' or '.html': {pattern!r}")
        return False
    unknown = used - allowed
    if unknown:
        names = ", ".join("{" + u + "}" for u in sorted(allowed)) or "none"
        problem(name, f"unknown placeholder {{{sorted(unknown)[0]}}}", f"allowed: {names}")
        return False
    if kind == "term" and "taxonomy" not in used:
        problem(name, "must contain {taxonomy}, or the taxonomies would share one URL",
                'e.g. "/{taxonomy}/{slug}/"')
        return False
    if "slug" in allowed and "slug" not in used and kind != "taxonomy.index_url":
        problem(name, "must contain {slug}, or every page would share one URL")
        return False
    return True


def _describe(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__) + f" ({value!r})"


def _suggest(key: str, known: Any) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known keys: " + ", ".join(sorted(known))


def _key_line(path: Path | None, dotted: str) -> int | None:
    """Best-effort line of a dotted key in the TOML file (under its [table] header, as a
    dotted key, or inside an inline table on its parent's line), for error messages."""
    if path is None or not path.is_file():
        return None
    wanted = dotted.replace(" ", "")
    table = ""
    fallback = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.strip("[] ").replace(" ", "").replace('"', "")
            if table == wanted:
                return number
            continue
        if "=" not in stripped or stripped.startswith("#"):
            continue
        key = stripped.split("=", 1)[0].strip().replace(" ", "").replace('"', "")
        full = f"{table}.{key}" if table else key
        if full == wanted:
            return number
        if fallback is None and wanted.startswith(full + "."):
            fallback = number  # e.g. an inline table holding the key
    return fallback


def declared_line(config: SiteConfig, dotted: str) -> int | None:
    """The line of folio.toml that declares this dotted key, or None when the file does not
    (a default applies)."""
    return _key_line(config.root / CONFIG_NAME, dotted)


def for_test(root: Path, **overrides: Any) -> SiteConfig:
    """A SiteConfig for tests: defaults with a few fields replaced."""
    return replace(SiteConfig(root=root), **overrides)


def site_folder(given: str, example: str) -> Path:
    """The site folder the user named; an error saying how to start when it is not one
    (`example` shows the command with a site folder)."""
    site_dir = Path(given)
    if not site_dir.is_dir():
        raise ConfigError(f"{site_dir}: no such site folder")
    if not (site_dir / CONFIG_NAME).is_file() and not (site_dir / "content").is_dir():
        shown = "this folder" if given == "." else str(site_dir)
        raise ConfigError(Problem(
            f"{shown} is not a Folio site: it has no {CONFIG_NAME} and no content/ folder",
            hint=f"run it in the site's folder, or name it (`{example}`); start a new site "
                 "with `folio init my-archive`"))
    return site_dir
