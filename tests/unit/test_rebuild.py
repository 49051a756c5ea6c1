"""rebuild.py: the one place a build's path is decided, from what the last build left and
what changed since."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from generator.pages import SiteInfo
from generator.rebuild import (
    MAX_EDITS,
    PATHS,
    Changes,
    Kept,
    LastBuild,
    compare_stats,
    plan_rebuild,
    told_changes,
)

INFO = SiteInfo("T", "", "en", "https://x.test/", "/", {}, "/", "/years/", (), (), 3)
LAST = LastBuild("/site/output", "config", "rest", {"/site/content": 1}, ("index.html",), 3, 9,
                 kept=Kept(INFO, {}, {}))
EDIT = Changes(edited=("/site/content/a.md",))


@pytest.mark.parametrize(("last", "changes", "path", "words"), [
    (None, EDIT, "full", "no last build"),
    (replace(LAST, finished=False), EDIT, "full", "did not finish"),
    (LAST, replace(EDIT, config=True), "full", "configuration changed"),
    (LAST, replace(EDIT, output_gone=True), "full", "output folder"),
    (LAST, replace(EDIT, rest=True), "full", "template, theme or static file"),
    (LAST, replace(EDIT, added=("/site/content/b.md",)), "full", "added or removed"),
    (LAST, replace(EDIT, removed=("/site/content/a.md",)), "full", "added or removed"),
    (LAST, Changes(), "unchanged", "no input changed"),
    (LAST, Changes(rest_racy=True), "full", "its stat proves nothing"),
    (LAST, replace(EDIT, rest_racy=True), "edit-from-cache", "1 content file"),
    (LAST, replace(EDIT, search_behind=True), "full", "search index is still to be made"),
    (replace(LAST, kept=None), EDIT, "full", "kept no pages"),
    (LAST, EDIT, "edit-from-cache", "1 content file(s) changed"),
    (LAST, Changes(edited=tuple(f"/c/{n}.md" for n in range(MAX_EDITS + 1))), "full",
     f"{MAX_EDITS + 1} content files changed"),
])
def test_each_path_is_decided_with_its_reason(last: LastBuild | None, changes: Changes,
                                              path: str, words: str) -> None:
    decision = plan_rebuild(last, changes)
    assert decision.path == path and path in PATHS
    assert words in decision.reason
    assert decision.edited == (changes.edited if path.startswith("edit") else ())


def test_folio_serve_edits_from_memory_and_its_first_build_loads_everything() -> None:
    assert plan_rebuild(LAST, EDIT, in_memory=True).path == "edit-in-memory"
    behind = replace(EDIT, search_behind=True)  # its memory knows every page to index
    assert plan_rebuild(LAST, behind, in_memory=True).path == "edit-in-memory"
    first = plan_rebuild(LAST, Changes(), in_memory=True, remember=True)
    assert (first.path, first.reason) == ("full", "folio serve's first build loads the whole site")


def stat(size: int, mtime_ns: int) -> os.stat_result:
    return os.stat_result((0o100644, 0, 0, 1, 0, 0, size, 0, 0, 0, 0, 0, 0, 0, mtime_ns))  # type: ignore[arg-type]


def test_stats_tell_added_removed_and_edited_files_and_distrust_racy_ones() -> None:
    known = {"a": (10, 100), "b": (20, 200), "c": (30, 300), "d": (40, 900)}
    now = {"a": stat(10, 100), "b": stat(21, 200), "d": stat(40, 900), "e": stat(5, 5)}
    added, removed, edited = compare_stats(known, now, lambda mtime: mtime < 500)
    assert (added, removed, edited) == (("e",), ("c",), ("b", "d"))  # d: too near the scan


def test_what_serve_was_told_says_enough_or_defers_to_the_stats(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    kept, gone = content / "sub/a.md", content / "sub/gone.md"
    kept.write_text("x")
    known = {str(kept), str(gone)}
    assert told_changes([kept, content / "sub"], content, known) == Changes(
        edited=(str(kept),))  # the folder's own event comes with a save
    assert told_changes([gone], content, known) == Changes(removed=(str(gone),))
    assert told_changes([tmp_path / "templates/x.html"], content, known) == Changes(rest=True)
    (content / "sub/new.md").write_text("x")
    assert told_changes([content / "sub/new.md"], content, known) is None  # stats tell
    assert told_changes([content / "sub"], content, known) is None  # a folder, unexplained
