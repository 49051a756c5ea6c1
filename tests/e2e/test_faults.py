"""Faults of the machine as `folio build` meets them: a full disk, a read-only output or site
folder, a damaged build cache, a build killed at any moment (issue 13).

Each ends in one plain line and the last good output as it was, or in a build equal to a
clean one; never in a Python traceback. As root the disks are real (a small tmpfs, full or
remounted read-only); otherwise a full disk is a patched write and a read-only folder one
without write permission. Random trials are seeded: a failure names its trial.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import generator.search
from generator.build import build
from generator.cli import main
from generator.config import load_config
from tests.sitekit import REPO, article_text, comparable_tree, copy_demo

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NO_SPACE = os.strerror(errno.ENOSPC)


# -- helpers ---------------------------------------------------------------------------------
def folio(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def corpus(site: Path, articles: int) -> Path:
    """A synthetic archive (bench/corpus.py): search on, a few dozen articles."""
    subprocess.run([sys.executable, str(REPO / "bench/corpus.py"), "--n", str(articles),
                    "--seed", "3", "--out", str(site)], check=True, capture_output=True)
    return site


class Disk:
    """A folder on a file system of its own: a small tmpfs when running as root (so full
    and read-only are real), else a plain folder (read-only by its permissions, where they
    are enforced)."""

    def __init__(self, folder: Path, size: str) -> None:
        self.folder, self.size, self.mounted = folder, size, False

    def __enter__(self) -> Disk:
        self.folder.mkdir(parents=True, exist_ok=True)
        if ROOT:
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size}", "tmpfs",
                                   str(self.folder)], capture_output=True)
            self.mounted = done.returncode == 0
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], capture_output=True)
        else:
            self.writable()

    def require_mount(self) -> None:
        if not self.mounted:
            pytest.skip("needs root and a tmpfs mount")

    def read_only(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)
            return
        _chmod_tree(self.folder, 0o555)
        try:
            (self.folder / "probe").touch()
        except PermissionError:
            return
        (self.folder / "probe").unlink()
        pytest.skip("permissions are not enforced here (root), and no tmpfs was mounted")

    def writable(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,rw", str(self.folder)], check=True)
        else:
            _chmod_tree(self.folder, 0o755)

    def fill(self, leave: int = 0) -> Path:
        """Take all the free space but `leave` bytes."""
        filler = self.folder / "filler"
        with filler.open("ab") as file:
            file.write(b"\0" * max(0, shutil.disk_usage(self.folder).free - leave))
        return filler


def _chmod_tree(folder: Path, mode: int) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(mode)
        elif path.is_file():
            path.chmod(mode & 0o644)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: what "unchanged" means."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def stagings(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.glob(f".{output.name}.staging-*"))


def one_error(stderr: str) -> str:
    """The one `error:` line of a failed build (and no traceback)."""
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    return errors[0]


def cache_warnings(stderr: str) -> list[str]:
    """The lines about the build cache; every line of stderr must be a warning."""
    assert all(line.startswith("warning: ") for line in stderr.splitlines()), stderr
    return [line for line in stderr.splitlines() if "build cache" in line]


def edit_body(site: Path, text: str = "An added paragraph.", which: int = 0) -> Path:
    article = sorted((site / "content/articles").rglob("*.md"))[which]
    article.write_text(article.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    return article


_CLEAN: dict[str, dict[str, bytes]] = {}


def clean_tree(site: Path, work: Path) -> dict[str, bytes]:
    """comparable_tree of a clean build (in `work`) of the site's sources as they are now;
    once per state of the sources."""
    sources = [site / "folio.toml", *sorted((site / "content").rglob("*"))]
    key = hashlib.sha256(b"".join(p.relative_to(site).as_posix().encode() + b"\0" +
                                  p.read_bytes() for p in sources if p.is_file())).hexdigest()
    if key not in _CLEAN:
        clean = work / f"clean-{key[:12]}"
        shutil.copytree(site / "content", clean / "content")
        shutil.copy(site / "folio.toml", clean / "folio.toml")
        build(load_config(clean), use_cache=False)
        _CLEAN[key] = comparable_tree(clean / "output")
    return _CLEAN[key]


# -- a full disk -----------------------------------------------------------------------------
def test_a_full_disk_is_one_line_naming_the_output(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "site")
    with Disk(tmp_path / "disk", "300k") as disk:
        disk.require_mount()
        out = disk.folder / "out"
        result = folio("build", site, "--output", out)
        assert result.returncode == 1
        error = one_error(result.stderr)
        assert error.startswith(f"error: {out}: cannot write ") and NO_SPACE in error, error
        assert "(the disk is full: free some space" in error
        assert list(disk.folder.iterdir()) == []  # no half output, no staging folder


def test_a_change_that_outgrows_the_disk_leaves_the_last_output(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "site")
    with Disk(tmp_path / "disk", "4m") as disk:
        disk.require_mount()
        out = disk.folder / "out"
        assert folio("build", site, "--output", out).returncode == 0
        before = snapshot(out)
        words = shutil.disk_usage(disk.folder).free // 10 + 50_000  # a page the disk lacks
        edit_body(site, "lorem ipsum " * words)
        result = folio("build", site, "--output", out)
        assert result.returncode == 1
        error = one_error(result.stderr)
        assert error.startswith(f"error: {out}: cannot write ") and NO_SPACE in error, error
        assert "(the disk is full" in error
        assert snapshot(out) == before
        assert sorted(p.name for p in disk.folder.iterdir()) == ["out"]


def test_writes_that_fail_for_space_leave_the_last_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same without root: every write into the staging folder fails as on a full disk
    (no file named, as when write() itself fails)."""
    site = copy_demo(tmp_path / "site")
    out = tmp_path / "out"
    assert main(["build", str(site), "--output", str(out), "-q"]) == 0
    before = snapshot(out)
    edit_body(site)
    real = Path.write_bytes

    def full(path: Path, data: Any) -> int:
        if ".staging-" in str(path):
            raise OSError(errno.ENOSPC, NO_SPACE)
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    capsys.readouterr()
    assert main(["build", str(site), "--output", str(out), "--jobs", "1"]) == 1
    error = one_error(capsys.readouterr().err)
    assert error.startswith(f"error: {out}: cannot write ") and NO_SPACE in error, error
    assert snapshot(out) == before and stagings(out) == []


@pytest.mark.parametrize(("where", "leave"), [("vocabulary", 0), ("pagefind", 0),
                                              ("pagefind", 24_000)])
def test_a_disk_that_fills_while_indexing_keeps_the_last_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        where: str, leave: int) -> None:
    """The disk fills up once the pages are written: as Folio writes the pages Pagefind
    reads, or as Pagefind starts (it leaves files empty or cut short, and exits 0). The
    pages are written (README: a failed index keeps the last one); the index is as it was,
    and once there is space again the next build equals a clean one."""
    site = copy_demo(tmp_path / "site")
    with Disk(tmp_path / "disk", "8m") as disk:
        disk.require_mount()
        out = disk.folder / "out"
        assert main(["build", str(site), "--output", str(out), "-q"]) == 0
        index = {k: v for k, v in snapshot(out).items() if k.startswith("pagefind/")}
        edit_body(site)
        _fill_when(monkeypatch, disk, where, leave)
        capsys.readouterr()
        assert main(["build", str(site), "--output", str(out), "-q"]) == 1
        error = one_error(capsys.readouterr().err)
        assert error.startswith(f"error: {out}: the pages were written, but not the search "
                                f"index: {NO_SPACE} (the disk is full"), error
        assert {k: v for k, v in snapshot(out).items() if k.startswith("pagefind/")} == index
        assert stagings(out) == []
        monkeypatch.undo()
        (disk.folder / "filler").unlink()
        assert main(["build", str(site), "--output", str(out), "-q"]) == 0
        assert comparable_tree(out) == clean_tree(site, tmp_path)


def _fill_when(monkeypatch: pytest.MonkeyPatch, disk: Disk, where: str, leave: int) -> None:
    """Fill the disk just before Folio writes Pagefind's pages, or Pagefind starts."""
    if where == "vocabulary":
        real = generator.search._write_vocab

        def filling(*args: Any, **kwargs: Any) -> None:
            disk.fill(leave)
            real(*args, **kwargs)

        monkeypatch.setattr(generator.search, "_write_vocab", filling)
        return

    class Filling(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            disk.fill(leave)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Filling)


# -- read-only folders -----------------------------------------------------------------------
def test_a_read_only_output_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "site")
    with Disk(tmp_path / "disk", "8m") as disk:
        out = disk.folder / "out"
        assert folio("build", site, "--output", out).returncode == 0
        before = snapshot(out)
        edit_body(site)
        disk.read_only()
        result = folio("build", site, "--output", out)
        assert result.returncode == 1
        error = one_error(result.stderr)
        reason, hint = ("Read-only file system", "(that file system is read-only") \
            if disk.mounted else ("Permission denied", "(you may not write there")
        assert error.startswith(f"error: {out}: ") and reason in error and hint in error
        assert snapshot(out) == before and stagings(out) == []


def test_a_site_folder_that_cannot_hold_the_cache_builds_without_it(tmp_path: Path) -> None:
    """A read-only site folder (a mounted archive, a CI checkout) builds elsewhere: the
    cache that cannot be made, or written, is one warning; the build is a clean one."""
    with Disk(tmp_path / "disk", "8m") as disk:
        site = copy_demo(disk.folder / "site")
        disk.read_only()
        for trial, out in enumerate([tmp_path / "out", tmp_path / "out2"]):
            result = folio("build", site, "--output", out)
            assert result.returncode == 0, result.stderr
            [warning] = cache_warnings(result.stderr)
            assert warning.startswith("warning: .folio-cache: the build cache cannot be used ")
            assert "the site was built without it" in warning
            assert comparable_tree(out) == clean_tree(site, tmp_path)
            if trial == 0:  # again with a cache the folder held before it became read-only
                disk.writable()
                assert folio("build", site, "--output", tmp_path / "out0").returncode == 0
                edit_body(site)
                disk.read_only()


# -- a damaged cache -------------------------------------------------------------------------
DAMAGES = ("bytes", "few bytes", "truncated", "wal", "text", "garbage")
TEXTS = [("outputs", "fingerprint"), ("sources", "path"), ("sources", "digest"),
         ("pages", "refs"), ("pages", "own")]


def damage(cache: Path, how: str, rng: random.Random) -> str:
    """Damage the cache file as a crash, a bad disk or a sync tool might; what was done."""
    size = cache.stat().st_size
    if how == "truncated":
        keep = rng.randrange(size)
        os.truncate(cache, keep)
        return f"truncated to {keep} of {size} bytes"
    if how == "garbage":
        cache.write_bytes(rng.randbytes(rng.randint(1, 65536)))
        return "replaced with garbage"
    if how == "text":
        return _bad_text(cache, rng)
    target = cache
    if how == "wal":
        target = _with_wal(cache)
        size = target.stat().st_size
    count = rng.randint(1, 8 if how == "few bytes" else 4096)
    offset = rng.randrange(size)
    with target.open("r+b") as file:
        file.seek(offset)
        file.write(rng.randbytes(count))
    return f"{count} random bytes at {offset} of {target.name} ({size} bytes)"


def _bad_text(cache: Path, rng: random.Random) -> str:
    """A text in the cache that is not UTF-8 (Python's sqlite3 cannot read it back, and
    says so quoting it: a line break in it must not break the warning's one line)."""
    table, column = rng.choice(TEXTS)
    db = sqlite3.connect(cache)
    rowid = rng.choice([row for (row,) in db.execute(f"SELECT rowid FROM {table}")])
    db.execute(f"UPDATE {table} SET {column} = CAST(? AS TEXT) WHERE rowid = ?",
               (rng.randbytes(6) + b"\n\xff", rowid))
    db.commit()
    db.close()
    return f"{table}.{column} of row {rowid} not UTF-8"


def _with_wal(cache: Path) -> Path:
    """Leave the cache as a crash leaves it: its last transaction still in the -wal file
    (every content file's stat moved, so a build that reads it parses them all again)."""
    db = sqlite3.connect(cache)
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("UPDATE sources SET mtime_ns = mtime_ns + 1")
    db.commit()
    kept = {suffix: Path(f"{cache}{suffix}").read_bytes() for suffix in ("", "-wal")}
    db.close()  # (which moves the transaction into the file and removes the -wal)
    for suffix, data in kept.items():
        Path(f"{cache}{suffix}").write_bytes(data)
    return Path(f"{cache}-wal")


def edit(site: Path, rng: random.Random, trial: int) -> str:
    """Leave the sources as they are, touch an article, or edit its body or its title."""
    how = rng.choice(["none", "touch", "body", "title"])
    article = rng.choice(sorted((site / "content/articles").rglob("*.md")))
    text = article.read_text(encoding="utf-8")
    if how == "touch":
        os.utime(article)
    elif how == "body":
        article.write_text(f"{text}\nParagraph {trial}.\n", encoding="utf-8")
    elif how == "title":
        article.write_text(re.sub(r'^title: "', f'title: "{trial} ', text, count=1,
                                  flags=re.MULTILINE), encoding="utf-8")
    return f"{how} {article.name}"


def test_a_cache_damaged_at_random_offsets_is_set_aside_and_the_build_is_clean(
        tmp_path: Path) -> None:
    site = corpus(tmp_path / "site", 40)
    assert folio("build", site, "-q").returncode == 0
    cache = site / ".folio-cache/build.sqlite"
    rng = random.Random(13)
    for trial in range(8):
        note = f"trial {trial}: {damage(cache, DAMAGES[trial % len(DAMAGES)], rng)}, " \
               f"edit: {edit(site, rng, trial)}"
        result = folio("build", site, "-q")
        assert result.returncode == 0, f"{note}\n{result.stderr}"
        assert len(cache_warnings(result.stderr)) <= 1, note
        assert comparable_tree(site / "output") == clean_tree(site, tmp_path), note
        again = folio("build", site, "-q")
        assert again.returncode == 0 and cache_warnings(again.stderr) == [], note
        assert comparable_tree(site / "output") == clean_tree(site, tmp_path), note


# -- a build killed at any moment ------------------------------------------------------------
def change(site: Path, how: str, trial: int) -> None:
    """Give the next build work: none left from before (a cold build), an edit, an
    article added or removed, a setting that re-renders the lists."""
    added = site / "content/articles/2030/01/added.md"
    if how == "cold":
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".folio-cache", ignore_errors=True)
    elif how == "added":
        added.parent.mkdir(parents=True, exist_ok=True)
        added.write_text(article_text(f"Added in trial {trial}.", title=f"Added {trial}",
                                      date="2030-01-02"), encoding="utf-8")
    elif how == "removed":
        added.unlink()
    elif how == "config":
        config = site / "folio.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("per_page = 7\n", "") if "per_page" in text
                          else text + "per_page = 7\n", encoding="utf-8")
    elif how == "body":
        edit_body(site, f"Paragraph {trial}.", which=trial)
    else:
        edit(site, random.Random(trial), trial)


def kill_build(site: Path, delay: float | None) -> str:
    """Start `folio build SITE` and SIGKILL it (with its workers and Pagefind) after
    `delay` seconds, or (None) once Pagefind runs; when it was killed, or that it ended."""
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", str(site), "-q"],
                               cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    farms = site / f".output.staging-{process.pid}" / ".search-farms"
    while process.poll() is None:
        waited = time.perf_counter() - started
        if (delay is not None and waited >= delay) or (delay is None and farms.exists()):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return f"killed after {waited:.3f} s" + (" (indexing)" if delay is None else "")
        time.sleep(0.002)
    return f"ended by itself ({process.returncode}) after {time.perf_counter() - started:.3f} s"


KILLS = [("cold", "any time"), ("body", "any time"), ("added", "indexing"),
         ("title", "any time"), ("removed", "any time"), ("config", "any time"),
         ("cold", "indexing"), ("body", "indexing"), ("added", "any time"),
         ("removed", "indexing")]


def test_a_build_killed_at_any_moment_leaves_a_site_whose_next_build_is_clean(
        tmp_path: Path) -> None:
    site = corpus(tmp_path / "site", 40)
    started = time.perf_counter()
    assert folio("build", site, "-q").returncode == 0
    cold = time.perf_counter() - started
    rng = random.Random(5)
    for trial, (how, when) in enumerate(KILLS):
        change(site, how, trial)
        delay = rng.uniform(0.15, cold if how == "cold" else 0.5)  # (0.2 s start Python)
        note = f"trial {trial}: {how}, {kill_build(site, delay if when == 'any time' else None)}"
        result = folio("build", site, "-q")
        assert result.returncode == 0 and "Traceback" not in result.stderr, \
            f"{note}\n{result.stderr}"
        assert cache_warnings(result.stderr) == [], note
        assert comparable_tree(site / "output") == clean_tree(site, tmp_path), note
        assert stagings(site / "output") == [], note


KILLED_WHEN_MOVED = """
import os, signal, sys
from generator.cli import main
real, wanted = os.replace, sys.argv[2]
def replace(source, target):  # SIGKILL just after `wanted` is moved into the output
    real(source, target)
    if str(target).endswith(wanted):
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
sys.exit(main(["build", sys.argv[1], "-q"]))
"""


def test_a_build_killed_while_moving_its_pages_in_leaves_no_stale_page(
        tmp_path: Path) -> None:
    """Killed after it moved a new article's page into the output, before it recorded that:
    once the article is gone again, the next build removes its page."""
    site = copy_demo(tmp_path / "site")
    assert folio("build", site, "-q").returncode == 0
    added = site / "content/articles/2030/01/added.md"
    added.parent.mkdir(parents=True)
    added.write_text(article_text("Added.", title="Added", date="2030-01-02"), encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_WHEN_MOVED, str(site),
                             "2030/01/added/index.html"], cwd=REPO, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert (site / "output/2030/01/added/index.html").exists()
    added.unlink()
    result = folio("build", site, "-q")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert comparable_tree(site / "output") == clean_tree(site, tmp_path)
    assert stagings(site / "output") == []
