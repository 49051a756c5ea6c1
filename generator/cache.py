"""What survives between builds, in one SQLite file under the site's `.folio-cache/`:

- every content file's stat, digest and parse result (so only changed files are parsed);
- every output's fingerprint (so only pages whose inputs changed are rendered);
- the fingerprint of all inputs of the last good build (so a build with nothing changed
  stops early);
- every page's job, its articles by reference, and every article's head (so `folio build`
  re-renders the pages an article's edit reaches without loading the site).

A cache from another Folio version or another parse configuration is discarded: the build
then starts clean, never from wrong data. Every value kept as bytes carries a checksum; a
cache whose file or values are damaged raises `CacheDamaged`, and the builder sets the file
aside (`set_aside`) and builds again from scratch. A cache that cannot be created or
written (`is_unwritable`: a read-only site folder, a full disk) is a warning too: the
builder goes on without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.errors import CacheFault
from generator.rebuild import LastBuild

if TYPE_CHECKING:
    from generator.pagestore import KeptPage

SCHEMA = 13  # 13: Article.updated and .image; SiteInfo.image and .logo
CACHE_DIR = ".folio-cache"
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,
    digest TEXT, parsed BLOB);
CREATE INDEX IF NOT EXISTS sources_stat ON sources (path, size, mtime_ns);
CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, fingerprint TEXT, size INTEGER,
    mtime_ns INTEGER, reads INTEGER);
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, own TEXT, tags TEXT, refs TEXT,
    job BLOB);
CREATE INDEX IF NOT EXISTS pages_tags ON pages (tags, path);
CREATE TABLE IF NOT EXISTS heads (source TEXT PRIMARY KEY, article BLOB);
CREATE TABLE IF NOT EXISTS shared (key TEXT PRIMARY KEY, value BLOB);
"""
_UNWRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_IOERR",
               "SQLITE_PERM")  # (and their extended codes)
_SEAL = 8  # bytes of blake2b before each kept value
RACY_NS = 2_000_000_000  # a file changed this close to the cache's write may share its stat


@dataclass(frozen=True, slots=True)
class SourceRecord:
    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True, slots=True)
class OutputRecord:
    fingerprint: str
    size: int
    mtime_ns: int
    reads: int = 0  # what rendering saw the page read (generator/tracking.py)


def trusted_before(scanned_at: int) -> Callable[[int], bool]:
    """Whether a file's mtime proves it unchanged since a scan at `scanned_at`: a matching
    stat proves nothing for a file changed right around the time it was taken (a second
    change within the file system's clock tick keeps the same mtime)."""
    return lambda mtime_ns: mtime_ns < scanned_at - RACY_NS


class CacheDamaged(CacheFault):
    """The cache file, or a value in it, is damaged (a crash, a bad disk, a sync tool)."""


def is_damage(error: BaseException) -> bool:
    """Whether an error from SQLite says the file itself is damaged or not a database (or a
    text in it is not UTF-8: Python's sqlite3 says so without an SQLite error code)."""
    return isinstance(error, CacheDamaged) or (
        isinstance(error, sqlite3.DatabaseError)
        and getattr(error, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        isinstance(error, sqlite3.OperationalError)
        and str(error).startswith("Could not decode to UTF-8"))


class CacheUnwritable(CacheFault):
    """The cache's folder or file cannot be created or written (a read-only site folder,
    missing permissions, a full disk): the builder goes on without a cache."""


def is_unwritable(error: BaseException) -> bool:
    """Whether an error says the cache cannot be created, opened or written."""
    if isinstance(error, CacheUnwritable):
        return True
    return isinstance(error, sqlite3.OperationalError) and getattr(
        error, "sqlite_errorname", "").startswith(_UNWRITABLE)


def set_aside(path: Path) -> Path:
    """Move a damaged cache file (and its journals) out of the way; returns the new name."""
    aside = path.with_name(path.name + ".damaged")
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").replace(f"{aside}{suffix}")
    return aside


def seal(blob: bytes) -> bytes:
    """A value as kept: its checksum, then its bytes."""
    return hashlib.blake2b(blob, digest_size=_SEAL).digest() + blob


def unseal(kept: bytes) -> bytes:
    """A kept value's bytes; CacheDamaged when they are not what was kept."""
    blob = bytes(kept[_SEAL:])
    if hashlib.blake2b(blob, digest_size=_SEAL).digest() != kept[:_SEAL]:
        raise CacheDamaged("a value in the cache does not match its checksum")
    return blob


def _loads(kept: bytes) -> object:
    try:
        return pickle.loads(unseal(kept))
    except CacheDamaged:
        raise
    except Exception as exc:  # sealed yet unreadable: written by a broken build
        raise CacheDamaged(f"a value in the cache cannot be read ({exc})") from None


class BuildCache:
    """A connection to the cache file, or an in-memory stand-in when caching is off."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path
        self.key = f"{SCHEMA}:{__version__}:{sys.version_info[:2]}:{key}"
        self.db = self._open()
        self.scanned_at = self._meta_int("scanned_at")

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._connect(":memory:")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheUnwritable(f"{exc.filename}: {exc.strerror or exc}") from None
        try:
            db = self._connect(str(self.path))
            stored = db.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
            if stored is not None and stored[0] == self.key:
                return db
            db.close()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            raise CacheDamaged(str(exc)) from None
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{self.path}{suffix}").unlink()
        except OSError as exc:
            raise CacheUnwritable(f"{exc.filename}: {exc.strerror or exc}") from None
        db = self._connect(str(self.path))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (self.key,))
        db.commit()
        return db

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=30)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.executescript(_TABLES)
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- records kept whole: the last build, the search index's state ---------------------
    def last_build(self) -> LastBuild | None:
        """What the last build left (generator/rebuild.py), if anything; not `finished`
        while a build that started from it has not."""
        value = self._get("last")
        if not isinstance(value, LastBuild):
            return None
        return replace(value, finished=False) if self._get("unfinished") else value

    def record_last_build(self, last: LastBuild) -> None:
        self._put("last", replace(last, finished=True))
        self._put("unfinished", not last.finished)

    def mark_unfinished(self, unfinished: bool = True) -> None:
        """Say (cheaply: the record holds the whole manifest) that a build is changing the
        output, or that it finished and the record stands."""
        self._put("unfinished", unfinished)

    def search_marker(self) -> str | None:
        """The key of the pages the search index was made from (None: it is behind them)."""
        value = self._get("search")
        return value if isinstance(value, str) else None

    def mark_search(self, key: str | None) -> None:
        self._put("search", key)

    def search_words(self) -> dict[str, Any]:
        value = self._get("search_words")
        return value if isinstance(value, dict) else {}

    def store_search_words(self, words: dict[str, Any]) -> None:
        self._put("search_words", words)

    def search_state(self) -> tuple[object, object, object]:
        """The search index's parts (with their serial), delta and keys, as kept (checked
        by generator/searchindex.py)."""
        return self._get("search_parts"), self._get("search_delta"), self._get("search_keys")

    def store_search_state(self, parts: object | None, delta: object,
                           keys: object | None) -> None:
        """Keep the search state; parts or keys None: as they were."""
        if parts is not None:
            self._put("search_parts", parts)
        if keys is not None:
            self._put("search_keys", keys)
        self._put("search_delta", delta)

    def _get(self, key: str) -> object | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else _loads(row[0])

    def _put(self, key: str, value: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                        (key, seal(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))))

    def _meta_int(self, key: str) -> int:
        value = self._get(key)
        return value if isinstance(value, int) else 0

    # -- sources ---------------------------------------------------------------------------
    def source_records(self) -> dict[str, SourceRecord]:
        rows = self.db.execute("SELECT path, size, mtime_ns, digest FROM sources")
        return {path: SourceRecord(size, mtime, digest) for path, size, mtime, digest in rows}

    def source_stats(self) -> dict[str, tuple[int, int]]:
        """Path -> (size, mtime_ns) of every content file the cache knows: the quick check."""
        return {path: (size, mtime) for path, size, mtime in
                self.db.execute("SELECT path, size, mtime_ns FROM sources")}

    def parsed(self, paths: Iterable[str]) -> dict[str, object]:
        """Cached parse results for these paths (missing or unreadable ones left out)."""
        found: dict[str, object] = {}
        wanted = list(paths)
        for start in range(0, len(wanted), 500):
            batch = wanted[start:start + 500]
            marks = ",".join("?" * len(batch))
            for path, blob in self.db.execute(
                    f"SELECT path, parsed FROM sources WHERE path IN ({marks})", batch):
                if blob is not None:
                    found[path] = _loads(blob)
        return found

    def store_sources(self, entries: Iterable[tuple[str, SourceRecord, object | None]]) -> None:
        """Record stats (and, where given, parse results, or their pickles) of content
        files. Nothing is kept when caching is off: the builder holds parses in memory."""
        if self.path is None:
            return
        for path, record, parsed in entries:
            if parsed is None:
                self.db.execute("UPDATE sources SET size = ?, mtime_ns = ? WHERE path = ?",
                                (record.size, record.mtime_ns, path))
            else:
                blob = seal(parsed if isinstance(parsed, bytes) else
                            pickle.dumps(parsed, pickle.HIGHEST_PROTOCOL))
                self.db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)",
                                (path, record.size, record.mtime_ns, record.digest, blob))

    def forget_sources(self, paths: Iterable[str]) -> None:
        if self.path is not None:
            self.db.executemany("DELETE FROM sources WHERE path = ?", ((p,) for p in paths))

    # -- outputs ---------------------------------------------------------------------------
    def output_records(self) -> dict[str, OutputRecord]:
        rows = self.db.execute("SELECT path, fingerprint, size, mtime_ns, reads FROM outputs")
        return {path: OutputRecord(fp, size, mtime, reads)
                for path, fp, size, mtime, reads in rows}

    def output_record(self, path: str) -> OutputRecord | None:
        row = self.db.execute("SELECT fingerprint, size, mtime_ns, reads FROM outputs "
                              "WHERE path = ?", (path,)).fetchone()
        return OutputRecord(*row) if row is not None else None

    def replace_outputs(self, records: dict[str, OutputRecord]) -> None:
        self.db.execute("DELETE FROM outputs")
        self.db.executemany("INSERT INTO outputs VALUES (?, ?, ?, ?, ?)",
                            ((p, r.fingerprint, r.size, r.mtime_ns, r.reads)
                             for p, r in records.items()))

    def update_outputs(self, records: dict[str, OutputRecord]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)",
                            ((p, r.fingerprint, r.size, r.mtime_ns, r.reads)
                             for p, r in records.items()))

    def mark_scanned(self, scanned_at: int) -> None:
        """Record when the stats just stored were taken."""
        self._put("scanned_at", scanned_at)

    # -- kept pages (generator/pagestore.py), for re-rendering what an edit reaches ----------
    def store_pages(self, pages: Iterable[KeptPage]) -> None:
        """Keep pages (replacing what was kept at their paths) and their own articles' heads."""
        pages = list(pages)
        self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                            ((p.output_path, p.own, _tags(p.refs), json.dumps(p.refs),
                              seal(p.blob)) for p in pages))
        self.store_heads((p.own, p.head) for p in pages if p.own is not None and p.head)

    def store_heads(self, heads: Iterable[tuple[str, bytes]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO heads VALUES (?, ?)",
                            ((source, seal(blob)) for source, blob in heads))

    def store_shared(self, objects: Iterable[tuple[str, bytes]]) -> None:
        self.db.execute("DELETE FROM shared")
        self.db.executemany("INSERT INTO shared VALUES (?, ?)",
                            ((key, seal(blob)) for key, blob in objects))

    def kept_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])

    def kept_refs(self) -> Iterable[tuple[str, tuple[str, ...]]]:
        """(path, the articles it shows) of every kept page."""
        for path, refs in self.db.execute("SELECT path, refs FROM pages"):
            yield path, _refs(refs)

    def kept_paths(self) -> set[str]:
        return {path for (path,) in self.db.execute("SELECT path FROM pages")}

    def forget_pages(self, gone: set[str], keep_heads: set[str]) -> None:
        """Drop the kept pages at these paths (gone from the site), and the heads of
        articles not in `keep_heads`."""
        self.db.executemany("DELETE FROM pages WHERE path = ?", ((p,) for p in gone))
        heads = {source for (source,) in self.db.execute("SELECT source FROM heads")}
        self.db.executemany("DELETE FROM heads WHERE source = ?",
                            ((s,) for s in heads - keep_heads))

    def forget_all_pages(self) -> None:
        self.db.execute("DELETE FROM pages")
        self.db.execute("DELETE FROM heads")
        self.db.execute("DELETE FROM shared")

    def pages_showing(self, sources: Iterable[str]) -> list[tuple[str, str | None,
                                                                  tuple[str, ...], bytes]]:
        """(path, own, refs, job blob) of every kept page that shows one of these articles."""
        found: dict[str, tuple[str, str | None, tuple[str, ...], bytes]] = {}
        for source in sources:  # (the index holds the tags: no need to read the pages)
            paths = self.db.execute("SELECT path FROM pages INDEXED BY pages_tags "
                                    "WHERE instr(tags, ?)", (_tags((source,)),)).fetchall()
            for (path,) in paths:
                own, refs, job = self.db.execute("SELECT own, refs, job FROM pages WHERE "
                                                 "path = ?", (path,)).fetchone()
                shown = _refs(refs)  # (any character may be in a path)
                if source in shown:  # not just a tag alike
                    found[path] = (path, own, shown, unseal(job))
        return list(found.values())

    def heads(self, sources: Iterable[str]) -> dict[str, object]:
        """Kept article heads by source path (missing or unreadable ones left out)."""
        found: dict[str, object] = {}
        sources = list(sources)
        for start in range(0, len(sources), 500):
            batch = sources[start:start + 500]
            rows = self.db.execute(
                f"SELECT source, article FROM heads WHERE source IN ({','.join('?' * len(batch))})",
                batch)
            for source, blob in rows:
                found[source] = _loads(blob)
        return found

    def shared(self, key: str) -> object:
        """A shared object kept pages refer to; KeyError when it is not kept."""
        row = self.db.execute("SELECT value FROM shared WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return _loads(row[0])

    def commit(self) -> None:
        self.db.commit()


def _refs(text: str) -> tuple[str, ...]:
    try:
        refs = json.loads(text)
    except ValueError:
        raise CacheDamaged("a kept page's list of articles cannot be read") from None
    if not isinstance(refs, list) or not all(isinstance(ref, str) for ref in refs):
        raise CacheDamaged("a kept page's list of articles cannot be read")
    return tuple(refs)


def _tags(sources: Iterable[str]) -> str:
    """Short digests of source paths, space-separated, for a quick scan of the kept pages
    (a tenth of the paths' length; a page whose tag matches is checked by its paths)."""
    return " " + " ".join(hashlib.blake2b(s.encode(), digest_size=5).hexdigest()
                          for s in sources) + " "


def last_reads(record: OutputRecord | None) -> int:
    """What rendering the page read last time (nothing known: 0, it is rendered anyway)."""
    return record.reads if record is not None else 0


def output_intact(record: OutputRecord | None, fingerprint: str, path: str) -> bool:
    """The output exists as the last build left it, made from the same inputs."""
    if record is None or record.fingerprint != fingerprint:
        return False
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return stat.st_size == record.size and stat.st_mtime_ns == record.mtime_ns


def record_output(path: str, fingerprint: str, reads: int = 0) -> OutputRecord:
    """The record of an output file just written from inputs with this fingerprint (and
    whose rendering read `reads`, generator/tracking.py)."""
    stat = os.stat(path)
    return OutputRecord(fingerprint, stat.st_size, stat.st_mtime_ns, reads)
