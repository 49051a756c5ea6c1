"""Shared fixtures: sites written from dicts into a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sitekit import copy_demo, write_tree


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({"content/articles/a.md": text, ...}, config="title = 'x'") -> site folder."""

    def make(files: dict[str, str], config: str | None = None, name: str = "site") -> Path:
        root = tmp_path / name
        root.mkdir()
        if config is not None:
            (root / "folio.toml").write_text(config, encoding="utf-8")
        return write_tree(root, files)

    return make


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the repository's demo archive."""
    return copy_demo(tmp_path / "demo")
