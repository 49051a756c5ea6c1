"""The build cache: values kept with checksums, damage found and set aside, never trusted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from generator.build import Builder
from generator.cache import (
    BuildCache,
    CacheDamaged,
    OutputRecord,
    SourceRecord,
    is_damage,
    seal,
    set_aside,
    unseal,
)
from generator.config import load_config
from generator.rebuild import LastBuild
from tests.sitekit import article_text, comparable_tree, write_tree


def test_a_sealed_value_comes_back_and_any_changed_byte_is_damage() -> None:
    blob = b"\x80\x05a pickled value" * 10
    assert unseal(seal(blob)) == blob
    kept = bytearray(seal(blob))
    for at in (0, 7, 8, len(kept) - 1):  # in the checksum, and in the value
        damaged = bytearray(kept)
        damaged[at] ^= 0x01
        with pytest.raises(CacheDamaged):
            unseal(bytes(damaged))


def test_values_read_back_from_a_damaged_row_raise(tmp_path: Path) -> None:
    path = tmp_path / "build.sqlite"
    last = LastBuild("/out", "config", "rest", {"/c": 1}, ("index.html",), 3, 4)
    with BuildCache(path, "k") as cache:
        cache.record_last_build(last)
        cache.commit()
        assert cache.last_build() == last
        (value,) = cache.db.execute("SELECT value FROM meta WHERE key = 'last'").fetchone()
        cache.db.execute("UPDATE meta SET value = ? WHERE key = 'last'",
                         (value[:-1] + bytes([value[-1] ^ 1]),))
        with pytest.raises(CacheDamaged):
            cache.last_build()


def test_a_file_that_is_not_a_database_is_damage_and_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "build.sqlite"
    path.write_bytes(b"not a database at all" * 400)
    with pytest.raises(CacheDamaged):
        BuildCache(path, "k")
    aside = set_aside(path)
    assert not path.exists() and aside.read_bytes().startswith(b"not a database")
    assert is_damage(sqlite3.DatabaseError("x")) is False  # not every SQLite error is damage
    BuildCache(path, "k").close()  # a new one starts


def test_a_build_with_a_damaged_cache_warns_once_and_equals_a_clean_build(tmp_path: Path) -> None:
    files = {"folio.toml": 'title = "T"\nsearch = false\n',
             **{f"content/articles/2020/0{n}/a{n}.md": article_text(f"Body {n}.", title=f"A{n}")
                for n in range(1, 6)}}
    site, clean = write_tree(tmp_path / "site", files), write_tree(tmp_path / "clean", files)
    Builder(load_config(clean)).build()
    Builder(load_config(site)).build()
    cache = site / ".folio-cache/build.sqlite"
    db = sqlite3.connect(cache)
    path, blob = db.execute("SELECT path, parsed FROM sources WHERE path LIKE '%a3.md'").fetchone()
    assert b"Body 3." in blob  # a change that still unpickles: only the checksum sees it
    db.execute("UPDATE sources SET parsed = ? WHERE path = ?",
               (blob.replace(b"Body 3.", b"Body 9."), path))
    db.commit()
    db.close()
    edited = site / "content/articles/2020/01/a1.md"
    edited.write_text(edited.read_text().replace("Body 1.", "Body one."))
    clean_file = clean / "content/articles/2020/01/a1.md"
    clean_file.write_text(edited.read_text())
    Builder(load_config(clean)).build()
    report = Builder(load_config(site)).build()
    [warning] = [w for w in report.warnings if "build cache" in w.message]
    assert "build.sqlite.damaged" in warning.message
    assert comparable_tree(site / "output") == comparable_tree(clean / "output")
    again = Builder(load_config(site)).build()
    assert not [w for w in again.warnings if "build cache" in w.message]


def test_records_read_back_as_they_were_kept(tmp_path: Path) -> None:
    path = tmp_path / "build.sqlite"
    outputs = {"a/index.html": OutputRecord("f1", 10, 20, reads=3), "b.xml": OutputRecord(
        "f2", 1, 2)}
    with BuildCache(path, "k") as cache:
        cache.replace_outputs(outputs)
        cache.update_outputs({"c.html": OutputRecord("f3", 5, 6, reads=1)})
        cache.store_sources([("/c/a.md", SourceRecord(7, 8, "d"), {"parsed": True})])
        cache.mark_search("key")
        cache.commit()
    with BuildCache(path, "k") as cache:
        assert cache.output_records() == {**outputs, "c.html": OutputRecord("f3", 5, 6, 1)}
        assert cache.output_record("a/index.html") == outputs["a/index.html"]
        assert cache.source_stats() == {"/c/a.md": (7, 8)}
        assert cache.parsed(["/c/a.md", "/c/none.md"]) == {"/c/a.md": {"parsed": True}}
        assert cache.search_marker() == "key" and cache.last_build() is None
    with BuildCache(path, "another parse configuration") as cache:  # starts empty
        assert cache.output_records() == {} and cache.search_marker() is None
