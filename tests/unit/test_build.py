"""build.py: each change takes the path plan_rebuild decides, and says why."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import Builder, _parse_key, build
from generator.cache import BuildCache
from generator.config import load_config
from generator.errors import ContentError
from tests.sitekit import article_text, write_tree

A = "content/articles/2021/a.md"
B = "content/articles/2021/b.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"folio.toml": 'title = "T"\nsearch = false\n',
                          A: article_text(title="Alpha", date="2021-01-02", summary="S"),
                          B: article_text(title="Beta", date="2021-01-03", summary="S")})
    old = 1_600_000_000_000_000_000  # files far older than the scans: their stats are proof
    for path in tmp_path.rglob("*"):
        os.utime(path, ns=(old, old))
    build(load_config(tmp_path), workers=1)
    return tmp_path


def edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text().replace(old, new, 1))
    return change


def delete(relative: str) -> Callable[[Path], None]:
    return lambda root: (root / relative).unlink()


def template(root: Path) -> None:
    write_tree(root, {"templates/404.html": "gone"})


@pytest.mark.parametrize(("change", "path", "words"), [
    (lambda root: None, "unchanged", "no input changed"),
    (edit(A, "Body", "Text"), "edit-from-cache", "1 article(s) edited in place"),
    (edit(A, "title: Alpha", "title: Alef"), "edit-from-cache", "edited in place"),
    (edit(A, "2021-01-02", "2021-01-05"), "full", "the edit moves the article"),
    (delete(B), "full", "added or removed"),
    (template, "full", "a template, theme or static file changed"),
    (delete("output/index.html"), "full", "an output file was changed or removed"),
    (lambda root: shutil.rmtree(root / "output"), "full", "output folder"),
    (edit("folio.toml", '"T"', '"U"'), "full", "configuration changed"),
])
def test_each_change_takes_its_path(site: Path, change: Callable[[Path], None], path: str,
                                    words: str) -> None:
    change(site)
    report = build(load_config(site), workers=1)
    assert report.path == path and words in report.reason, report.reason
    again = build(load_config(site), workers=1)  # and the output is current
    assert (again.rendered, again.written, again.removed) == (0, 0, 0)


def test_a_failed_build_is_never_the_ground_of_the_next(site: Path) -> None:
    good = (site / A).read_text()
    (site / A).write_text("---\ntitle: [broken\n---\n")
    with pytest.raises(ContentError):
        build(load_config(site), workers=1)
    (site / A).write_text(good)
    report = build(load_config(site), workers=1)
    assert (report.path, report.reason) == ("full", "the last build did not finish")


def test_serve_edits_from_memory_with_the_paths_it_was_told(site: Path) -> None:
    builder = Builder(load_config(site), workers=1)
    builder.build(remember=True)
    edit(A, "Body", "Text")(site)
    report = builder.build([site / A, (site / A).parent])
    assert (report.path, report.parsed, report.rendered) == ("edit-in-memory", 1, 1)
    assert report.changed == ("2021/01/a/index.html",)
    assert builder.build([site / "templates"]).path == "full"  # told: not an article


def test_a_folder_a_file_came_and_went_in_is_looked_at_again_once(site: Path) -> None:
    folder = (site / A).parent
    (folder / ".a.md.swp").write_text("x")
    (folder / ".a.md.swp").unlink()  # the folder's mtime changed: its files are listed
    old = 1_600_000_000_000_000_000
    os.utime(folder, ns=(old + 1, old + 1))
    assert build(load_config(site), workers=1).path == "unchanged"
    with BuildCache(site / ".folio-cache/build.sqlite", _parse_key(load_config(site))) as cache:
        last = cache.last_build()
    assert last is not None and last.folders[str(folder)] == old + 1  # not listed next time
