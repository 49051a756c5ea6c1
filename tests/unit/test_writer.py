"""OutputWriter: only changed files are written, stale ones removed, failures change nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.writer import MARKER, OutputWriter, check_output_dir, safe_relative

OLD = 1_000_000_000  # an mtime long before any test runs


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and mtime."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


def build(output: Path, files: dict[str, bytes]):
    with OutputWriter(output) as writer:
        for output_path, data in files.items():
            writer.put(output_path, data)
        return writer.commit()


def age(path: Path) -> None:
    os.utime(path, (OLD, OLD))


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return tmp_path / "output"


def test_first_build_writes_everything_and_the_marker(output: Path) -> None:
    report = build(output, {"index.html": b"home", "2017/a/index.html": b"a"})
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    assert (output / "index.html").read_bytes() == b"home"
    assert (output / "2017/a/index.html").read_bytes() == b"a"
    assert (output / MARKER).is_file()


def test_unchanged_files_are_not_rewritten(output: Path) -> None:
    build(output, {"index.html": b"home", "a/index.html": b"a"})
    age(output / "index.html")
    age(output / "a/index.html")
    report = build(output, {"index.html": b"home", "a/index.html": b"changed"})
    assert (report.written, report.unchanged) == (1, 1)
    assert (output / "index.html").stat().st_mtime == OLD
    assert (output / "a/index.html").stat().st_mtime != OLD
    assert (output / "a/index.html").read_bytes() == b"changed"


def test_same_size_different_bytes_is_rewritten(output: Path) -> None:
    build(output, {"a.html": b"abc"})
    build(output, {"a.html": b"xyz"})
    assert (output / "a.html").read_bytes() == b"xyz"


def test_stale_files_and_empty_folders_are_removed(output: Path) -> None:
    build(output, {"index.html": b"home", "old/deep/index.html": b"old", "keep/x.html": b"x"})
    (output / "leftover.txt").write_text("x")
    report = build(output, {"index.html": b"home", "keep/x.html": b"x"})
    assert report.removed == 2
    assert sorted(snapshot(output)) == [MARKER, "index.html", "keep/x.html"]
    assert not (output / "old").exists()


def test_a_stale_file_in_the_way_of_a_folder_is_replaced(output: Path) -> None:
    build(output, {"about": b"file"})
    build(output, {"about/index.html": b"page"})
    assert (output / "about/index.html").read_bytes() == b"page"


def test_a_folder_in_the_way_of_a_file_is_replaced(output: Path) -> None:
    build(output, {"feed/index.html": b"page"})
    build(output, {"feed": b"file"})
    assert (output / "feed").read_bytes() == b"file"


def test_nothing_changes_when_the_build_fails_before_commit(output: Path) -> None:
    build(output, {"index.html": b"home", "a/index.html": b"a"})
    before = snapshot(output)
    with pytest.raises(RuntimeError), OutputWriter(output) as writer:
        writer.put("index.html", b"half-built")
        writer.put("new/index.html", b"new")
        raise RuntimeError("a template failed")
    assert snapshot(output) == before
    assert not writer.staging.exists()
    assert [p.name for p in output.parent.iterdir()] == ["output"]


def test_nothing_is_created_when_the_first_build_fails(output: Path) -> None:
    with pytest.raises(RuntimeError), OutputWriter(output) as writer:
        writer.put("index.html", b"x")
        raise RuntimeError
    assert not output.exists()


def test_staging_is_outside_the_output_and_cleaned_up(output: Path) -> None:
    with OutputWriter(output) as writer:
        writer.put("index.html", b"x")
        staging = writer.staging
        assert staging.is_dir()
        assert not staging.is_relative_to(output)
        writer.commit()
    assert not staging.exists()


def test_static_copies_are_skipped_when_identical(output: Path, tmp_path: Path) -> None:
    source = tmp_path / "style.css"
    source.write_bytes(b"body{}")
    with OutputWriter(output) as writer:
        assert writer.copy("assets/style.css", source) is True
        writer.commit()
    age(output / "assets/style.css")
    with OutputWriter(output) as writer:
        assert writer.copy("assets/style.css", source) is False
        report = writer.commit()
    assert (report.written, report.unchanged, report.removed) == (0, 1, 0)
    assert (output / "assets/style.css").stat().st_mtime == OLD


def test_put_reports_whether_it_staged(output: Path) -> None:
    build(output, {"a.html": b"a"})
    with OutputWriter(output) as writer:
        assert writer.put("a.html", b"a") is False
        assert writer.put("b.html", b"b") is True


@pytest.mark.parametrize("bad", ["/etc/passwd", "../outside.html", "a/../../x.html", "a/..",
                                 "", ".", "a\\..\\b.html"])
def test_safe_relative_rejects_paths_that_leave_the_output(bad: str) -> None:
    with pytest.raises(ValueError):
        safe_relative(bad)


@pytest.mark.parametrize("good", ["index.html", "a/b/index.html", "assets/x.y.css", ".nojekyll"])
def test_safe_relative_accepts_paths_inside(good: str) -> None:
    assert safe_relative(good) == good
    assert safe_relative("./" + good.replace("/", "//")) == good  # normalised


def test_put_refuses_an_unsafe_path(output: Path, tmp_path: Path) -> None:
    with OutputWriter(output) as writer, pytest.raises(ValueError):
        writer.put("../escape.html", b"x")
    assert not (tmp_path / "escape.html").exists()


# --- check_output_dir ---------------------------------------------------------------------------

def test_missing_or_empty_output_folder_is_fine(tmp_path: Path) -> None:
    check_output_dir(tmp_path / "output", tmp_path, [tmp_path / "content"])
    (tmp_path / "output").mkdir()
    check_output_dir(tmp_path / "output", tmp_path, [tmp_path / "content"])


def test_a_folder_written_by_folio_is_fine(output: Path, tmp_path: Path) -> None:
    build(output, {"index.html": b"x"})
    check_output_dir(output, tmp_path, [tmp_path / "content"])


def test_refuses_a_non_empty_folder_without_the_marker(output: Path, tmp_path: Path) -> None:
    output.mkdir()
    (output / "thesis.docx").write_text("someone's work")
    with pytest.raises(OutputError, match="not empty and was not written by Folio"):
        check_output_dir(output, tmp_path, [tmp_path / "content"])


@pytest.mark.parametrize(("output_relative", "message"), [
    (".", "would contain the site"), ("..", "would contain the site"),
    ("../site", "would contain the site"), ("content", "overlaps"),
    ("content/built", "overlaps"), ("static/out", "overlaps"),
])
def test_refuses_an_output_folder_that_holds_or_overlaps_the_sources(
        tmp_path: Path, output_relative: str, message: str) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    output = root / output_relative
    with pytest.raises(OutputError, match=message):
        check_output_dir(output, root, [root / "content", root / "static"])


def test_a_git_folder_at_the_output_root_is_never_removed(output: Path) -> None:
    build(output, {"index.html": b"x"})
    (output / ".git/objects").mkdir(parents=True)
    (output / ".git/HEAD").write_text("ref: refs/heads/main")
    (output / "stale.html").write_text("old")
    report = build(output, {"index.html": b"x"})
    assert (output / ".git/HEAD").read_text() == "ref: refs/heads/main"
    assert (output / ".git/objects").is_dir()
    assert not (output / "stale.html").exists()
    assert report.removed == 1


def test_a_rebuild_with_the_same_files_touches_nothing(output: Path) -> None:
    build(output, {"index.html": b"x", "a/index.html": b"y"})
    for path in output.rglob("*"):
        if path.is_file():
            age(path)
    report = build(output, {"index.html": b"x", "a/index.html": b"y"})
    assert report.written == 0
    assert all(p.stat().st_mtime == OLD for p in output.rglob("*") if p.is_file())


def test_stale_files_of_a_known_previous_build_are_removed_without_a_walk(
        output: Path) -> None:
    build(output, {"a/index.html": b"a", "b/c/index.html": b"b", "keep.html": b"k"})
    (output / "not-ours.txt").write_text("dropped here by hand")
    with OutputWriter(output) as writer:
        writer.put("a/index.html", b"a")
        writer.put("keep.html", b"k")
        report = writer.commit(previous=["a/index.html", "b/c/index.html", "keep.html"])
    assert report.removed == 1
    assert not (output / "b").exists()  # emptied folders go too
    assert (output / "not-ours.txt").exists()  # only what the last build wrote is removed


def test_a_killed_build_s_staging_folder_is_removed_by_the_next_write(tmp_path: Path) -> None:
    import subprocess
    import sys

    output = tmp_path / "output"
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    orphan = tmp_path / f".output.staging-{finished.stdout.strip()}"  # its process is gone
    (orphan / "a").mkdir(parents=True)
    (orphan / "a/index.html").write_text("half a build")
    living = tmp_path / f".output.staging-{os.getppid()}"  # a build still running
    living.mkdir()
    with OutputWriter(output) as writer:
        writer.put("index.html", b"x")
        writer.commit()
    assert not orphan.exists() and living.exists()
    assert (output / "index.html").read_bytes() == b"x"
