"""Resolve every internal link of a built site to a file (and its #fragment to an id)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def target_file(output: Path, base_path: str, href: str) -> Path | None:
    """The file an internal href points to, or None when it points outside the site."""
    path = unquote(urlsplit(href).path)
    if not path.startswith(base_path):
        return None
    relative = path[len(base_path):]
    target = output / relative
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(output: Path, base_path: str, origin: str = "http://localhost:8000") -> list[str]:
    """Every internal link or asset reference that does not resolve, as 'page -> href'."""
    problems = []
    pages = {p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
             for p in output.rglob("*.html")}
    for page_path, doc in pages.items():
        for tag in doc.find_all(["a", "link", "img", "script"]):
            href = tag.get("href") or tag.get("src")
            if not href or href.startswith(("mailto:", "#")):
                continue
            parts = urlsplit(href)
            if parts.scheme and f"{parts.scheme}://{parts.netloc}" != origin:
                continue  # external
            if parts.scheme:
                href = parts.path + (f"#{parts.fragment}" if parts.fragment else "")
            target = target_file(output, base_path, href)
            where = f"{page_path.relative_to(output)} -> {href}"
            if target is None:
                problems.append(f"{where} (outside {base_path})")
            elif not target.is_file():
                problems.append(f"{where} (no file)")
            elif parts.fragment and target.suffix == ".html":
                target_doc = pages.get(target) or BeautifulSoup(target.read_text(), "html.parser")
                if target_doc.find(id=parts.fragment) is None:
                    problems.append(f"{where} (no #{parts.fragment})")
    return problems
