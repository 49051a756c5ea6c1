"""search.py: Pagefind indexes the built pages into output/pagefind/, only when pages changed,
and a failed run leaves the previous index in place."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from generator import search
from generator.build import Builder
from generator.config import load_config
from generator.errors import OutputError
from generator.searchparts import SearchPage, SearchState, plan_index
from generator.writer import MARKER
from tests.sitekit import article_text, searchable, write_tree

PAGE = """<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>
<nav>Menu words everywhere</nav>
<article data-pagefind-body><h1 data-pagefind-meta="title">{title}</h1><p>{body}</p>
<a data-pagefind-filter="region" href="/r/">{region}</a></article></body></html>"""


def output_with(tmp_path: Path, pages: dict[str, tuple[str, str, str]]) -> Path:
    output = tmp_path / "output"
    write_tree(output, {path: PAGE.format(title=t, body=b, region=r)
                        for path, (t, b, r) in pages.items()})
    (output / "list").mkdir(parents=True)
    (output / MARKER).write_text("")
    (output / "list/index.html").write_text("<html lang='en'><body>No marker here: "
                                            "quagmire</body></html>")
    return output


def manifest(output: Path) -> dict[str, object]:
    return json.loads((output / search.MANIFEST).read_text())


def mtimes(output: Path, under: str = search.SEARCH_DIR) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_mtime_ns
            for p in (output / under).rglob("*") if p.is_file()}


def stamp(output: Path, path: str) -> str:
    stat = (output / path).stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def index(output: Path, paths: list[str], state: SearchState | None = None,
          done: search.Indexed | None = None, **options: object) -> search.Indexed:
    """Plan and index `paths` (sorted by path), after `done` (the last indexing)."""
    state = done.state if done is not None else state
    previous = list(done.index.files) if done is not None else []
    now = [SearchPage(p, p, stamp(output, p)) for p in paths]
    plan = plan_index(state, now, part_size=1, bundles_intact=search.intact(output, previous))
    words = done.words if done is not None else {}
    return search.index_site(output, plan, state, words, previous, language="en",
                             **options)  # type: ignore[arg-type]


TWO = {"a/index.html": ("Alpha", "aquifer talk", "Europe"),
       "b/index.html": ("Beta", "other talk", "Asia")}


def test_index_site_writes_a_bundle_per_part_a_delta_and_a_directory(tmp_path: Path) -> None:
    output = output_with(tmp_path, TWO)
    done = index(output, ["a/index.html", "b/index.html", "list/index.html"])
    files = set(done.index.files)
    assert {search.MANIFEST, search.CLIENT, "pagefind/pagefind.js",
            "pagefind/pagefind-entry.json", "pagefind/delta/pagefind-entry.json"} <= files
    assert done.index.written == len(files) and done.index.removed == 0
    parts = manifest(output)["parts"]
    assert len(parts) == 3 and [p.name for p in done.state.parts] == parts  # one page each
    for name in parts:
        assert f"pagefind/parts/{name}/pagefind-entry.json" in files
        assert not [f for f in files if f.startswith(f"pagefind/parts/{name}/")
                    and f.endswith(".js")]  # the scripts are at the root only
    ids = {path: page.id for part in done.state.parts for path, page in part.pages.items()}
    assert ids["a/index.html"] and ids["b/index.html"]
    assert ids["list/index.html"] == ""  # not marked for search: not indexed
    assert search.bundle_files(output, None) == sorted(files)
    assert not list(tmp_path.glob(".output.*"))  # the work folders are gone


def test_the_manifest_maps_vocabulary_pages_to_parts_and_counts_facets(tmp_path: Path) -> None:
    output = output_with(tmp_path, TWO)
    done = index(output, ["a/index.html", "b/index.html"])
    data = manifest(output)
    assert set(data["vocab"].values()) == set(data["parts"])
    assert data["old"]  # the base parts' vocabulary, in the delta
    assert data["filters"] == {"region": {"Asia": 1, "Europe": 1}}
    owner = next(p.name for p in done.state.parts if "a/index.html" in p.pages)
    assert "aquifer" in done.words[owner] and "aquifer" not in done.words[
        next(p.name for p in done.state.parts if "b/index.html" in p.pages)]


def test_an_edited_page_is_indexed_into_the_delta_and_its_part_stays(tmp_path: Path) -> None:
    output = output_with(tmp_path, TWO)
    first = index(output, ["a/index.html", "b/index.html"])
    parts_before = mtimes(output, "pagefind/parts")
    old_id = next(p.pages["a/index.html"].id for p in first.state.parts
                  if "a/index.html" in p.pages)
    (output / "a/index.html").write_text(PAGE.format(title="Alpha", body="moraine",
                                                     region="Oceania"))
    second = index(output, ["a/index.html", "b/index.html"], done=first)
    assert second.index.bundles == 1  # the delta alone
    assert mtimes(output, "pagefind/parts") == parts_before
    data = manifest(output)
    assert data["superseded"] == {old_id: {"region": ["Europe"]}}
    assert data["filters"] == {"region": {"Asia": 1, "Oceania": 1}}
    assert "a/index.html" in second.state.delta
    assert search.bundle_files(output, None) == list(second.index.files)


def test_a_failing_pagefind_leaves_the_previous_index(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    output = output_with(tmp_path, {"a/index.html": ("Alpha", "aquifer talk", "Europe")})
    first = index(output, ["a/index.html"])
    before = mtimes(output)
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: out of cheese' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    (output / "a/index.html").write_text(PAGE.format(title="A", body="moraine", region="X"))
    with pytest.raises(OutputError) as caught:
        index(output, ["a/index.html"], done=first)
    assert "exit status 3" in str(caught.value) and "out of cheese" in str(caught.value)
    assert mtimes(output) == before
    assert not list(tmp_path.glob(".output.*"))


def test_a_missing_pagefind_is_an_error_with_a_fix(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere"))
    with pytest.raises(OutputError, match="not installed") as caught:
        index(output_with(tmp_path, {}), [])
    assert "search = false" in caught.value.format()


def slow_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put a Pagefind in place that takes 30 s (and writes nothing)."""
    program = tmp_path / "slow-pagefind"
    program.write_text("#!/bin/sh\nexec sleep 30\n")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))


def test_a_stopped_index_leaves_the_previous_one_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = output_with(tmp_path, {"a/index.html": ("Alpha", "aquifer talk", "Europe")})
    first = index(output, ["a/index.html"])
    before = mtimes(output)
    slow_pagefind(tmp_path, monkeypatch)
    asked = []
    started = time.monotonic()
    (output / "a/index.html").write_text(PAGE.format(title="A", body="moraine", region="X"))
    with pytest.raises(search.Interrupted):
        index(output, ["a/index.html"], done=first,
              stop=lambda: asked.append(1) or len(asked) > 2)
    assert time.monotonic() - started < 5  # not the 30 s Pagefind would take
    assert mtimes(output) == before
    assert not list(tmp_path.glob(".output.*"))  # nothing half-written is left


def test_index_key_follows_pages_and_their_fingerprints() -> None:
    pages = [("a/index.html", "1"), ("b/index.html", "2")]
    key = search.index_key(pages)
    assert search.index_key(reversed(pages)) == key
    assert search.index_key([("a/index.html", "1"), ("b/index.html", "3")]) != key
    assert search.index_key(pages[:1]) != key
    edited = [("a/index.html", "1"), ("b/index.html", "3")]  # an edit updates the key
    assert search.updated_key(key, [pages[1]], [edited[1]]) == search.index_key(edited)
    assert search.updated_key("another kind of key", [], []) is None


def test_bundle_files_come_from_the_manifest_when_it_is_known(tmp_path: Path) -> None:
    manifest = ["index.html", "pagefind/pagefind.js", "pagefind/index/en_1.pf_index",
                "pagefinder/index.html"]
    assert search.bundle_files(tmp_path, manifest) == manifest[1:3]
    assert search.bundle_files(tmp_path, None) == []  # no folder, no files


def test_no_page_or_static_file_may_claim_the_bundle_folder() -> None:
    search.check_reserved([("pagefinder/index.html", "page"), ("search/index.html", "x")])
    with pytest.raises(OutputError) as caught:
        search.check_reserved([("pagefind/index.html", "content/pages/pagefind.md"),
                               ("pagefind/x.js", "static file static/pagefind/x.js")])
    text = caught.value.format()
    assert "content/pages/pagefind.md" in text and "static/pagefind/x.js" in text


# -- in the build ---------------------------------------------------------------------------
def small_site(root: Path, config: str = "") -> Path:
    files = {f"content/articles/2021/03/a{n}.md": article_text(
        f"Body {n} mentions the aquifer.", title=f"A{n}", date=f"2021-03-0{n}",
        summary="Water underground.")
        for n in (1, 2)}
    write_tree(root, {**files, "folio.toml": config, "static/robots-extra.txt": "x"})
    for path in root.rglob("*"):  # older than the racy window: a build trusts their stats
        os.utime(path, (1_000_000_000, 1_000_000_000))
    return root


def test_search_off_runs_no_indexing_and_writes_no_bundle(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", "search = false\n")
    report = Builder(load_config(site), workers=1).build()
    assert report.index is None
    assert not (site / "output/pagefind").exists()
    assert not (site / "output/search").exists()


def test_the_index_is_made_again_only_when_pages_changed(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    first = Builder(load_config(site), workers=1).build()
    assert first.index is not None and (site / "output" / search.MANIFEST).is_file()
    before = mtimes(site / "output")

    assert Builder(load_config(site), workers=1).build().index is None  # nothing changed
    (site / "static/robots-extra.txt").write_text("y")  # a static file is not a page
    static_only = Builder(load_config(site), workers=1).build()
    assert static_only.written == 1 and static_only.index is None
    assert mtimes(site / "output") == before

    body = site / "content/articles/2021/03/a1.md"
    body.write_text(body.read_text().replace("aquifer", "moraine"))
    edited = Builder(load_config(site), workers=1).build()  # the body-edit shortcut
    assert edited.index is not None and edited.index.written > 0
    assert edited.index.bundles == 1 and "delta" in edited.index.reason
    assert edited.path == "edit-from-cache"  # the index's key, updated for the pages the
    from generator.build import _parse_key  # edit wrote, is the key of every page's record
    from generator.cache import BuildCache
    from generator.searchindex import _pages_key

    with BuildCache(site / ".folio-cache/build.sqlite", _parse_key(load_config(site))) as cache:
        assert cache.search_marker() == _pages_key(cache.output_records())

    (site / "content/articles/2021/03/a2.md").unlink()
    removed = Builder(load_config(site), workers=1).build()
    assert removed.index is not None
    data = manifest(site / "output")
    assert len(data["superseded"]) == 2  # a1's first version and a2
    assert sum(data["filters"]["region"].values()) == 1


def test_a_template_edit_re_indexes_only_when_what_search_reads_changes(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    Builder(load_config(site), workers=1).build()
    template = site / "templates/article.html"
    template.parent.mkdir()
    template.write_text('{% extends "default:article.html" %}{# a note #}')
    same_bytes = Builder(load_config(site), workers=1).build()
    assert same_bytes.rendered == 2 and same_bytes.written == 0
    assert same_bytes.index is None  # Pagefind would read the same pages again

    template.write_text('{% extends "default:article.html" %}'
                        '{% block content %}<p>Moved</p>{{ super() }}{% endblock %}')
    outside = Builder(load_config(site), workers=1).build()  # not in the indexed element
    assert outside.written == 2 and outside.index is None

    template.write_text('{% extends "default:article.html" %}{% block content %}'
                        '{{ super()|replace(\'<div class="article-body">\', '
                        '\'<div class="article-body"><p>Preface</p>\') }}{% endblock %}')
    inside = Builder(load_config(site), workers=1).build()
    assert inside.written == 2 and inside.index is not None
    assert all("Preface" in content for _, content, _, _ in searchable(site / "output"))


def test_an_index_left_for_later_stays_due_when_it_is_stopped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site")
    builder = Builder(load_config(site), workers=1)
    builder.build(remember=True)
    builder.index_later = True
    body = site / "content/articles/2021/03/a1.md"
    body.write_text(body.read_text().replace("aquifer", "moraine"))
    report = builder.build([body])
    assert report.index is None and builder.index_due  # the page is shown first

    with monkeypatch.context() as patch:
        slow_pagefind(tmp_path, patch)
        assert builder.index_pending(stop=lambda: True) is None
    assert builder.index_due  # still to do: newer changes were built first
    index = builder.index_pending()
    assert index is not None and not builder.index_due
    assert builder.index_pending() is None


def test_a_failed_index_is_made_on_the_next_build(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site")
    Builder(load_config(site), workers=1).build()
    body = site / "content/articles/2021/03/a1.md"
    body.write_text(body.read_text().replace("aquifer", "moraine"))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(OutputError):
        Builder(load_config(site), workers=1).build()
    assert "moraine" in (site / "output/2021/03/a1/index.html").read_text()  # pages are in
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    again = Builder(load_config(site), workers=1).build()
    assert again.index is not None and again.written == 0


def test_a_deleted_bundle_is_made_again(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    Builder(load_config(site), workers=1).build()
    for path in (site / "output/pagefind/parts").rglob("*.pf_meta"):
        os.unlink(path)
    assert Builder(load_config(site), workers=1).build().index is not None
    (site / "output" / search.MANIFEST).unlink()
    assert Builder(load_config(site), workers=1).build().index is not None


def test_a_search_state_the_cache_holds_in_another_shape_means_indexing_anew(
        tmp_path: Path) -> None:
    from generator.build import _parse_key
    from generator.cache import BuildCache

    site = small_site(tmp_path / "site")
    config = load_config(site)
    Builder(config, workers=1).build()
    body = site / "content/articles/2021/03/a1.md"
    for number, damaged in enumerate(((1, 2), ("x",), ((3,), 1))):
        with BuildCache(site / ".folio-cache/build.sqlite", _parse_key(config)) as cache:
            cache.store_search_state(damaged, {}, None)
            cache.commit()
        body.write_text(body.read_text() + f"\nMore {number}.\n")
        report = Builder(load_config(site), workers=1).build()
        assert report.index is not None and report.index.reason.startswith("no index yet")
        assert any(f"More {number}" in content for _, content, _, _ in searchable(
            site / "output"))
