"""Helpers to write small sites as data: a dict of files becomes a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

from generator.build import BuildReport, build
from generator.config import load_config

REPO = Path(__file__).resolve().parent.parent


def article_text(body: str = "Body text.", **fields: Any) -> str:
    """A contract article with sensible defaults; pass a field as None to leave it out."""
    meta: dict[str, Any] = {
        "title": "An article",
        "date": "2020-01-02",
        "authors": ["Ann Author"],
        "regions": ["Europe"],
        "themes": ["Global Economy"],
        "reports": [],
        "publisher": "Test Publisher",
        "source": {"name": "Original Outlet", "url": None, "date": "2020-01-01"},
        "copyright": "Original Outlet, 2020",
    }
    meta.update(fields)
    meta = {k: v for k, v in meta.items() if v is not None}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{body}\n"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root and return root."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build_site(site: Path, *, base_url: str | None = None, drafts: bool = False) -> BuildReport:
    return build(load_config(site, base_url=base_url, drafts=drafts))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(output: Path, url_path: str) -> BeautifulSoup:
    """Parse the built page served at url_path (relative to the site root)."""
    target = output / url_path.strip("/")
    if url_path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return soup(target)
