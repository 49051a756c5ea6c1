"""loading.py: stat every input, parse only what changed, assemble with every problem."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from generator.cache import SourceRecord
from generator.config import load_config
from generator.content import Parsed
from generator.errors import ContentError
from generator.loading import (
    assemble_parsed,
    content_stats,
    load_content,
    rest_state,
    scan_inputs,
)
from tests.sitekit import article_text, write_tree


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_tree(tmp_path, {
        "folio.toml": 'title = "T"\n',
        "content/articles/a.md": article_text(title="A"),
        "content/articles/sub/b.md": article_text(title="B", date="2021-02-03"),
        "content/articles/_hidden/c.md": article_text(title="C"),
        "content/articles/.d.md": article_text(title="D"),
        "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    })
    return tmp_path


def keys(root: Path, *names: str) -> set[str]:
    return {str(root / "content" / name) for name in names}


def test_the_scan_finds_every_content_file_and_only_those(site: Path) -> None:
    inputs = scan_inputs(load_config(site))
    found = {str(source.path): source.kind for source, _ in inputs.sources}
    assert set(found) == keys(site, "articles/a.md", "articles/sub/b.md", "pages/about.md")
    assert found[str(site / "content/pages/about.md")] == "page"
    assert set(content_stats(load_config(site))) == set(found)
    assert str(site / "content/articles/sub") in inputs.folders


def test_the_rest_follows_templates_static_files_and_config_not_content(site: Path) -> None:
    config = load_config(site)
    first = scan_inputs(config)
    os.utime(site / "content/articles/a.md", ns=(1, 1))
    assert scan_inputs(config).rest == first.rest
    (site / "templates").mkdir()
    (site / "templates/base.html").write_text("x")
    later = 4_000_000_000_000_000_000  # newer than any file of the built-in theme
    os.utime(site / "templates/base.html", ns=(later, later))
    assert rest_state(config) == (scan_inputs(config).rest, later)  # the newest input's
    assert scan_inputs(config).rest != first.rest
    assert rest_state(replace(config, title="Other"))[0] != rest_state(config)[0]


def test_only_changed_files_are_parsed_and_the_rest_fetched(site: Path) -> None:
    config = load_config(site)
    inputs = scan_inputs(config)
    first = load_content(config, inputs, {}, lambda keys: {}, lambda record: True)
    assert first.fresh == frozenset(first.parsed)
    edited = site / "content/articles/a.md"
    edited.write_text(article_text(title="A again"))
    asked: list[str] = []

    def fetch(wanted: Iterable[str]) -> dict[str, Parsed]:
        wanted = list(wanted)
        asked.extend(wanted)
        return {key: first.parsed[key] for key in wanted}

    again = load_content(config, scan_inputs(config), first.records, fetch, lambda record: True)
    assert again.fresh == {str(edited)}
    assert set(asked) == set(first.parsed) - {str(edited)}
    assert again.parsed[str(edited)].item.title == "A again"  # type: ignore[union-attr]


def test_a_file_touched_but_not_changed_is_not_parsed_again(site: Path) -> None:
    config = load_config(site)
    first = load_content(config, scan_inputs(config), {}, lambda keys: {}, lambda r: True)
    touched = site / "content/articles/a.md"
    os.utime(touched, ns=(5, 5))
    records = dict(first.records)
    again = load_content(config, scan_inputs(config), records,
                         lambda wanted: {k: first.parsed[k] for k in wanted}, lambda r: True)
    assert again.fresh == frozenset() and again.restat == {str(touched)}
    assert again.records[str(touched)] == SourceRecord(
        touched.stat().st_size, 5, first.records[str(touched)].digest)


def test_a_stat_that_proves_nothing_is_checked_by_the_bytes(site: Path) -> None:
    config = load_config(site)
    first = load_content(config, scan_inputs(config), {}, lambda keys: {}, lambda r: True)
    again = load_content(config, scan_inputs(config), first.records,
                         lambda wanted: {k: first.parsed[k] for k in wanted},
                         lambda record: False)  # every stat too near the last scan
    assert again.fresh == frozenset()  # the bytes are the same: nothing is parsed


def test_every_problem_of_every_file_is_reported_at_once(site: Path) -> None:
    write_tree(site, {"content/articles/x.md": "---\ntitle: [x\n---\n",
                      "content/articles/y.md": "---\ndate: 2020-01-01\n---\n"})
    config = load_config(site)
    content = load_content(config, scan_inputs(config), {}, lambda keys: {}, lambda r: True)
    with pytest.raises(ContentError) as raised:
        assemble_parsed(config, content.parsed.values())
    named = {problem.path.name for problem in raised.value.problems if problem.path}
    assert {"x.md", "y.md"} <= named
