"""Helpers to write small sites as data: a dict of files becomes a folder."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


def comparable_tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, for comparing two builds; the search index
    as what it answers (`searchable`): its files depend on the edits since the last
    compaction (generator/searchparts.py), what it finds does not."""
    files = {p.relative_to(root).as_posix(): p.read_bytes()
             for p in sorted(root.rglob("*")) if p.is_file()}
    if "pagefind/folio-search.json" in files:
        files = {path: data for path, data in files.items() if not path.startswith("pagefind/")}
        files["pagefind (searchable)"] = json.dumps(searchable(root), sort_keys=True).encode()
    return files


def fragments(bundle: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's fragments of a bundle by id: url, content, filters, meta of each page."""
    found = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        found[path.stem] = json.loads(data)
    return found


def searchable(root: Path) -> list[tuple[str, str, Any, Any]]:
    """What a reader's search can find in the output at `root`: every page of the base
    parts not superseded, and of the delta (not the vocabulary pages), as (url, content,
    filters, meta), sorted, as generator/folio-search.js shows them. Each page must be
    found once."""
    manifest = json.loads((root / "pagefind/folio-search.json").read_text())
    bundles = [root / "pagefind/parts" / name for name in manifest["parts"]]
    pages, seen = [], set()
    for bundle in [*bundles, root / "pagefind/delta"]:
        for page_id, fragment in fragments(bundle).items():
            if page_id in manifest["superseded"] or fragment["url"].startswith("/_folio_") \
                    or page_id in seen:  # in a part and in the delta alike: shown once
                continue
            seen.add(page_id)
            pages.append((fragment["url"], fragment["content"], fragment["filters"],
                          fragment["meta"]))
    assert len({page[0] for page in pages}) == len(pages), "a page is indexed twice"
    return sorted(pages)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(output: Path, url_path: str) -> BeautifulSoup:
    """Parse the built page served at url_path (relative to the site root)."""
    target = output / url_path.strip("/")
    if url_path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return soup(target)


def copy_demo(site: Path) -> Path:
    """A copy of the repository's demo archive (content and config) at `site`."""
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "folio.toml", site / "folio.toml")
    return site


def host_demo(work: Path, base_url: str = "https://example.org/archive/") -> Path:
    """The demo archive built for `base_url`, placed where a file server at work/root serves
    it under the URL's sub-path (as GitHub Pages serves a project site)."""
    site = copy_demo(work / "site")
    build_site(site, base_url=base_url)
    root = work / "root"
    target = root / urlsplit(base_url).path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site / "output", target)
    return root
