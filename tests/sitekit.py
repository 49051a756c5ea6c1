"""Helpers to write small sites as data: a dict of files becomes a folder."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path, PurePosixPath
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
    """Every file under root with its bytes, for comparing two builds. Pagefind's filter
    index, metadata index and entry file vary in order (so in bytes and names) from run to
    run (generator/search.py): they are compared by their decompressed bytes, sorted, with
    the filter files' names left out."""
    files = {p.relative_to(root).as_posix(): p.read_bytes()
             for p in sorted(root.rglob("*")) if p.is_file()}
    filters = [path for path in files if path.startswith("pagefind/filter/")]
    metas = [path for path in files if re.fullmatch(r"pagefind/pagefind\.[^/]*\.pf_meta", path)]

    def unordered(data: bytes) -> bytes:
        data = gzip.decompress(data)
        for path in filters:
            data = data.replace(PurePosixPath(path).stem.encode(), b"filter")
        return bytes(sorted(data))

    for group, paths in (("pagefind/filter/*", filters), ("pagefind/*.pf_meta", metas)):
        if paths:
            files[group] = b"\n".join(sorted(unordered(files.pop(path)) for path in paths))
    if "pagefind/pagefind-entry.json" in files:
        entry = json.loads(files["pagefind/pagefind-entry.json"])
        for language in entry["languages"].values():
            language.pop("hash")
        files["pagefind/pagefind-entry.json"] = json.dumps(entry, sort_keys=True).encode()
    return files


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
