"""The contract file: fixed key order, reproducible bytes, parsed back to the same record."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path, PurePosixPath

import frontmatter

from generator.config import for_test
from generator.content import parse_article
from generator.importer import convert, read_back, render
from generator.importer.writer import is_untouched, recorded_origin, relative_path
from tests.unit.importer.dumps import SEED, dump

KEY_ORDER = ["title", "date", "authors", "regions", "themes", "reports", "publisher", "source",
             "copyright", "summary", "slug", "imported_from"]


def seed_article():
    return convert(SEED.read_bytes(), SEED)


def test_keys_in_contract_order_and_draft_only_when_true() -> None:
    article = seed_article()
    meta = frontmatter.loads(render(article)).metadata
    assert list(meta) == KEY_ORDER
    assert list(meta["source"]) == ["name", "url", "date"]
    assert list(meta["imported_from"]) == ["file", "digest", "reader", "address", "byline",
                                           "body", "output_digest"]
    draft = frontmatter.loads(render(replace(article, draft=True))).metadata
    assert list(draft) == [*KEY_ORDER[:-1], "draft", "imported_from"] and draft["draft"] is True


def test_render_is_reproducible_and_reads_back() -> None:
    article = seed_article()
    text = render(article)
    assert text == render(seed_article())
    assert read_back(text) == article
    assert text.startswith("---\ntitle: 'Video: Syrian Army") and text.endswith("available now.\n")
    assert "&id" not in text and "*id" not in text  # no YAML aliases for repeated dates


def test_quoting_where_yaml_needs_it() -> None:
    article = replace(seed_article(), title="2019-01-05", authors=("null", "yes", "#1: A"),
                      copyright="South Front: 2017 # not a comment", summary="'quoted' \"too\"")
    assert read_back(render(article)) == article


def test_output_path() -> None:
    assert relative_path(seed_article()) == PurePosixPath(
        "articles/2017/09/video-syrian-army-advances-deep-inside-deir-ezzor-province-besieged-by-"
        "isis.md")
    article = replace(seed_article(), date=dt.date(2019, 1, 5), slug="x")
    assert relative_path(article) == PurePosixPath("articles/2019/01/x.md")


def test_untouched_until_a_curator_edits_anything() -> None:
    text = render(seed_article())
    assert is_untouched(text)
    assert not is_untouched(text.replace("copyright: South Front, 2017", "copyright: SF, 2017"))
    assert not is_untouched(text.replace("available now.", "available now!"))
    assert not is_untouched(text.replace("\n", "\r\n"))
    assert not is_untouched("---\ntitle: x\n---\nbody\n")
    assert not is_untouched("no front matter")


def test_recorded_origin() -> None:
    article = seed_article()
    assert recorded_origin(render(article)) == article.origin
    assert recorded_origin("---\ntitle: [unclosed\n---\n") is None
    assert recorded_origin("---\nimported_from: somewhere\n---\n") is None


def test_written_files_are_valid_articles_for_the_builder(tmp_path: Path) -> None:
    config = for_test(tmp_path)
    for text in (SEED.read_text("utf-8"), dump(), dump(copyright_line=None)):
        article = convert(text.encode(), Path("in.txt"))
        path = tmp_path / "content" / relative_path(article)
        parsed = parse_article(render(article), path, config)
        assert parsed.problems == (), parsed.problems
        assert parsed.item is not None and parsed.item.title == article.title
        assert parsed.item.draft == article.draft
        assert parsed.item.source.name == article.source.name
