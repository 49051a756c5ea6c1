"""Themes: the Jinja environment over the template chain, and the static files to copy.

Lookup order for a template: the site's `templates/`, then for each theme from the chosen one
up through the themes it extends: the site's `themes/<name>/` (its `templates/` folder or the
folder itself) before the built-in theme. `{% extends "default:base.html" %}` reaches a named
theme's own template, so an override can extend the template it replaces.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from generator.config import SiteConfig
from generator.dates import rfc3339
from generator.errors import Problem, ThemeError
from generator.metadata import article_description, image_url, news_article
from generator.model import Article
from generator.tracking import TrackingEnvironment
from generator.urls import absolute, slugify

BUILTIN_THEMES = Path(__file__).parent / "themes"
if not BUILTIN_THEMES.is_dir():  # running from a source checkout
    BUILTIN_THEMES = Path(__file__).parent.parent / "themes"
THEME_FILE = "theme.toml"
_PUBLIC_DOTFILES = {".nojekyll", ".well-known", ".htaccess"}


@dataclass(frozen=True, slots=True)
class ThemeLayer:
    """One theme of the chain and the folders that provide it, most specific first."""

    name: str
    folders: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class Theme:
    """A loaded theme chain: where templates and static files come from."""

    layers: tuple[ThemeLayer, ...]  # the chosen theme first, then what it extends
    template_dirs: tuple[Path, ...]
    env: TrackingEnvironment

    def static_files(self, config: SiteConfig) -> dict[str, Path]:
        """Output path -> source file; the site's static/ wins over the theme's."""
        roots = [folder / "static" for layer in reversed(self.layers)
                 for folder in reversed(layer.folders)]
        roots.append(config.static_path)
        files: dict[str, Path] = {}
        for root in roots:
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(root)
                hidden = any(p.startswith(".") and p not in _PUBLIC_DOTFILES
                             for p in relative.parts)
                if path.is_file() and not hidden and not path.name.endswith("~"):
                    files[relative.as_posix()] = path
        return files


def theme_chain(config: SiteConfig) -> tuple[ThemeLayer, ...]:
    """The chosen theme and every theme it extends, each with its folders."""
    layers: list[ThemeLayer] = []
    name: str | None = config.theme
    while name is not None:
        if any(layer.name == name for layer in layers):
            raise ThemeError(f"theme {name!r} extends itself through "
                             + " -> ".join(layer.name for layer in layers))
        folders = tuple(p for p in (config.root / "themes" / name, BUILTIN_THEMES / name)
                        if p.is_dir())
        if not folders:
            looked = f"{config.root / 'themes' / name} and {BUILTIN_THEMES / name}"
            raise ThemeError(Problem(f"theme {name!r} not found (looked in {looked})",
                                     path=config.root / "folio.toml", key="theme",
                                     hint="set `theme` to a folder under themes/"))
        layers.append(ThemeLayer(name, folders))
        name = _extends(folders)
    return tuple(layers)


def _extends(folders: tuple[Path, ...]) -> str | None:
    for folder in folders:
        path = folder / THEME_FILE
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ThemeError(Problem(f"not valid TOML: {exc}", path=path)) from None
            parent = data.get("extends")
            if parent is not None and not isinstance(parent, str):
                raise ThemeError(Problem("must be a theme name", path=path, key="extends"))
            return parent
    return None


def load_theme(config: SiteConfig, bytecode_cache: Path | None = None) -> Theme:
    """Build the Jinja environment for the site's theme chain."""
    layers = theme_chain(config)
    dirs: list[Path] = [config.root / "templates"]
    for layer in layers:
        for folder in layer.folders:
            dirs.append(folder / "templates")
            if folder.is_relative_to(config.root):
                dirs.append(folder)  # an override file put straight in themes/<name>/
    dirs = [d for d in dirs if d.is_dir()]
    # "name:x.html" is the theme's own template (its last folder: the built-in one when the
    # site only overlays it), so an override can extend the template it replaces.
    named = {layer.name: jinja2.FileSystemLoader(str(layer.folders[-1] / "templates"))
             for layer in layers}
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(d) for d in dirs]),
        jinja2.PrefixLoader(named, delimiter=":"),
    ])
    env = TrackingEnvironment(
        loader=loader,
        autoescape=jinja2.select_autoescape(("html", "htm", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(bytecode_cache),
    )
    host = urlsplit(config.base_url).hostname or "localhost"
    zone = config.zone
    env.filters.update(
        rfc3339=lambda value: rfc3339(value, zone),
        entry_id=lambda article: f"tag:{host},{article.date:%Y-%m-%d}:{article.url}",
        source_id=lambda article: source_id(article, host),
        description=lambda article: article_description(article, config.title),
        image_url=lambda article: image_url(article, config) or "",
        date=lambda value, fmt=None: format_date(value, fmt or config.date_format),
        isodate=lambda value: value.isoformat() if value else "",
        abs_url=lambda url: absolute(config.base_url, url),
        number=lambda value: f"{value:,}",
        reading_time=reading_time,
        month_name=lambda number: dt.date(2000, number, 1).strftime("%B"),
    )
    env.globals.update(
        static_url=lambda path: config.base_path + path.lstrip("/"),
        news_article=lambda article: news_article(article, config),
    )
    return Theme(layers, tuple(dirs), env)


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by each template's source checksum)."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def source_id(article: Article, host: str) -> str:
    """The Atom id of an entry's original source: its address, else a tag: URI of its name
    (stable while the name is)."""
    if article.source.url:
        return article.source.url
    return f"tag:{host},2000:source/{slugify(article.source.name or '') or 'unnamed'}"


WORDS_PER_MINUTE = 230


def reading_time(words: int) -> int:
    """Minutes a reader takes for this many words (at least one)."""
    return max(1, round(words / WORDS_PER_MINUTE))


def format_date(value: Any, fmt: str) -> str:
    """strftime, with %-d and %-m working everywhere (no leading zero)."""
    if not isinstance(value, dt.date):
        return str(value)
    return _strftime(value, fmt)


@functools.lru_cache(maxsize=8192)  # a date is shown on many pages: lists, neighbours
def _strftime(value: dt.date, fmt: str) -> str:
    fmt = fmt.replace("%-d", str(value.day)).replace("%-m", str(value.month))
    return value.strftime(fmt)
