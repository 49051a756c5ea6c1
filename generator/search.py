"""Full-text search: after a build, Pagefind indexes the built pages into `output/pagefind/`,
in parts (generator/searchparts.py decides which), for the theme's search page.

The output's `pagefind/` folder holds:
- the **directory** bundle at its root, with Pagefind's scripts and WebAssembly: one page per
  thousand words of each base part's vocabulary;
- `parts/<name>/`: one bundle per base part (its pages in a date range);
- `delta/`: the pages changed since their part was indexed, and the vocabulary of all base
  parts as pages of their own;
- `folio-search.js`, the browser side (copied from this package), and `folio-search.json`:
  the part names, the ids of the vocabulary pages, the ids of superseded pages, facet counts.

Why the vocabulary: Pagefind answers a word it does not have with the longest shorter word it
has, so a part without the word would answer with near matches. The browser asks the
directory which parts have each word, and searches only those (folio-search.js says how).

Pagefind reads the HTML as written; a part is given its pages through a folder of hard links
(copies where links fail), so it reads only them. Bundles are written into the writer's
staging folder and moved in like any output: files whose bytes did not change are not
rewritten, stale ones removed, and a run that fails or is stopped leaves the index as it was.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import json
import os
import shutil
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OutputError, Problem, fault_hint
from generator.searchparts import (
    IndexedPage,
    IndexPlan,
    SearchState,
    after_index,
    facet_counts,
)
from generator.writer import OutputWriter

SEARCH_DIR = "pagefind"  # the bundles' folder in the output; the theme loads them from there
MANIFEST = f"{SEARCH_DIR}/folio-search.json"  # written last: the index is whole
CLIENT = f"{SEARCH_DIR}/folio-search.js"
VOCAB_URL = "/_folio_vocab/"  # where the vocabulary pages claim to be (never linked)
WORDS_PER_PAGE = 1000  # Pagefind slows down sharply on pages of many thousands of words
RUNTIME = ("pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css",
           "pagefind-highlight.js", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css")


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """What indexing produced: the bundles' output paths, and what it cost."""

    files: tuple[str, ...]  # "pagefind/…", sorted
    written: int  # files new or changed
    removed: int
    seconds: float
    reason: str = ""  # which parts were indexed, and why
    bundles: int = 0  # Pagefind runs


@dataclass(frozen=True, slots=True)
class Indexed:
    """A finished indexing: what the output shows, the new state, the parts' vocabularies."""

    index: SearchIndex
    state: SearchState
    words: dict[str, list[str]]  # base part -> its vocabulary (lower-case words)


def binary() -> Path | None:
    """The Pagefind executable: $PAGEFIND_BINARY_PATH, else the one a package ships."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        with contextlib.suppress(ImportError, FileNotFoundError):
            module = __import__(package)
            return Path(module.get_executable())
    return None


def index_key(pages: Iterable[tuple[str, str]]) -> str:
    """What the index is made from: every page (output path, what stands for its bytes) and
    the Pagefind binary. The same key means the same index: no need to plan it again. The
    pages' part is a sum of their hashes, so an edit can update it (`updated_key`) without
    going over every page."""
    return f"{_binary_tag()}:{sum(map(_page_hash, pages)) % _MODULUS:032x}"


def updated_key(key: object, gone: Iterable[tuple[str, str]],
                new: Iterable[tuple[str, str]]) -> str | None:
    """`key` with some pages' stamps replaced (`gone` by `new`); None when `key` is not a
    key of this Pagefind binary."""
    tag, _, total = key.partition(":") if isinstance(key, str) else ("", "", "")
    if tag != _binary_tag() or len(total) != 32:
        return None
    value = int(total, 16) - sum(map(_page_hash, gone)) + sum(map(_page_hash, new))
    return f"{tag}:{value % _MODULUS:032x}"


_MODULUS = 2 ** 128


def _page_hash(page: tuple[str, str]) -> int:
    return int.from_bytes(hashlib.blake2b(f"{page[0]} {page[1]}".encode(),
                                          digest_size=16).digest(), "big")


def _binary_tag() -> str:
    found = binary()
    stat = found.stat() if found is not None and found.exists() else None
    return hashlib.sha256(f"{found}:{stat and (stat.st_size, stat.st_mtime_ns)}".encode()
                          ).hexdigest()[:16]


def bundle_files(output_dir: Path, manifest: Iterable[str] | None) -> list[str]:
    """The search bundles' files: those in the last build's list of its outputs, or (when
    that is not known) those in the output folder."""
    if manifest is not None:
        return [path for path in manifest if path.startswith(SEARCH_DIR + "/")]
    root = output_dir / SEARCH_DIR
    return sorted(os.path.relpath(os.path.join(folder, name), output_dir).replace(os.sep, "/")
                  for folder, _, names in os.walk(root) for name in names)


def check_reserved(claims: Iterable[tuple[str, str]]) -> None:
    """No page or static file may be written where the search bundles go."""
    problems = [Problem(f"{origin} wants {path}, in the search index's folder {SEARCH_DIR}/",
                        hint="give it another URL or name, or set search = false")
                for path, origin in claims if path.startswith(SEARCH_DIR + "/")]
    if problems:
        raise OutputError(problems, title="Two outputs at one path")


def intact(output_dir: Path, files: Collection[str]) -> bool:
    """The bundles are in the output as the last indexing left them: the manifest, the
    scripts and each bundle's entry and metadata are there (the fragments and word chunks,
    a hundred thousand files on a large archive, are not looked at one by one)."""
    return MANIFEST in files and all(
        os.path.exists(os.path.join(output_dir, f)) for f in files
        if f.count("/") <= 3 and not f.endswith(".pf_fragment"))


class Interrupted(Exception):
    """Indexing was stopped (newer changes wait to be built); the previous index stays."""


def reading_digest(data: bytes) -> str:
    """What Pagefind reads of a page: its language and its elements marked
    data-pagefind-body (a digest of them), or "" for a page with none (Pagefind skips it).
    A page re-written with other navigation, counts or links outside those elements keeps
    its digest, so it is not indexed again."""
    import re

    digest = hashlib.sha256()
    end = 0
    while (at := data.find(b"data-pagefind-body", end)) >= 0:
        start = data.rfind(b"<", 0, at)
        name = re.match(rb"<([A-Za-z][\w-]*)", data[start:start + 40])
        if name is None:
            break
        tags = re.compile(rb"<(/?)" + re.escape(name.group(1)) + rb"[\s>/]", re.IGNORECASE)
        depth, end = 0, len(data)
        for tag in tags.finditer(data, start):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        digest.update(data[start:end])
    if end == 0:
        return ""
    lang = re.search(rb"<html[^>]*?\blang=[\"']?([^\"'\s>]*)", data[:4096])
    digest.update(b"\0" + (lang.group(1) if lang else b""))
    return digest.hexdigest()[:20]


def page_url(output_path: str) -> str:
    """The URL Pagefind gives a page it read at `output_path` (relative to the site)."""
    return "/" + (output_path[:-len("index.html")] if output_path.endswith("index.html")
                  else output_path)


def index_site(output_dir: Path, plan: IndexPlan, state: SearchState | None,
               words: Mapping[str, list[str]], previous: Collection[str], *, language: str,
               lock: contextlib.AbstractContextManager[object] | None = None,
               stop: Callable[[], bool] | None = None, jobs: int = 1) -> Indexed:
    """Carry out `plan` on the built site in `output_dir`, replacing `previous` (the bundles'
    files from the last indexing). `words` holds the kept parts' vocabularies. Raises
    OutputError when Pagefind is missing or fails, and Interrupted when `stop()` turns
    true while it runs; the output's index is then left as it was."""
    started = time.perf_counter()
    program = _program()
    with _named_faults(output_dir), OutputWriter(output_dir) as writer:
        # (the folders of pages Pagefind reads go with the writer's staging folder)
        runner = _Runner(program, writer.staging / ".search-farms", stop, jobs)
        staged = writer.staging / SEARCH_DIR
        for name, _, pages in plan.parts:  # (an empty page marked for search in each)
            runner.add(name, staged / "parts" / name, lambda farm, pages=pages: (
                _link_pages(output_dir, farm, pages),
                _write_vocab(farm, VOCAB_URL, [], language)))
        runner.run()
        indexed = {name: _read_bundle(staged / "parts" / name, pages, plan.stamps,
                                     plan.files)
                   for name, _, pages in plan.parts}
        all_words = {**{name: words[name] if name in words else _read_bundle(
                         output_dir / SEARCH_DIR / "parts" / name, (), {}, {})[1]
                         for name in plan.keep},
                     **{k: v[1] for k, v in indexed.items()}}
        union = sorted(set().union(*all_words.values())) if all_words else []
        runner.add("delta", staged / "delta", lambda farm: (
            _link_pages(output_dir, farm, plan.delta),
            _write_vocab(farm, VOCAB_URL, union, language)))
        directory_changed = state is None or plan.parts or \
            set(plan.keep) != {part.name for part in state.parts}
        if directory_changed:
            runner.add("directory", staged, lambda farm: [
                _write_vocab(farm, f"{VOCAB_URL}{name}/", all_words.get(name, []),
                             language) for name in ["", *sorted(all_words)]])
        runner.run()
        if directory_changed:  # one run's scripts, whole, are the other's
            _check_scripts(staged, staged / "delta")
        delta_pages, _ = _read_bundle(staged / "delta", plan.delta, plan.stamps,
                                       plan.files)
        new_state = after_index(state, plan, {k: v[0] for k, v in indexed.items()},
                                delta_pages)
        directory = staged if directory_changed else output_dir / SEARCH_DIR
        manifest = _manifest(new_state, plan, directory, staged / "delta")
        shutil.rmtree(runner.farms, ignore_errors=True)  # never moved in with the bundles
        report = _commit(writer, output_dir, plan, manifest, previous, lock)
    files, written, removed = report
    return Indexed(SearchIndex(files, written, removed, time.perf_counter() - started,
                               plan.reason, runner.runs), new_state, all_words)


@contextlib.contextmanager
def _named_faults(output_dir: Path) -> Iterator[None]:
    """An OS error while indexing (a full disk) as one line that says where the build
    stands: the pages are written, the previous index stays."""
    try:
        yield
    except OSError as exc:
        raise OutputError(Problem(
            f"the pages were written, but not the search index: {exc.strerror or exc}",
            path=output_dir, hint=fault_hint(exc.errno) or "the previous index stays; fix "
            "the problem and build again")) from None


def _check_whole(bundle: Path) -> None:
    """Pagefind exits 0 when it cannot write (a full disk), leaving files empty or cut
    short: each file it wrote into `bundle` (not the bundles of other runs inside it) must
    be whole: not empty, its compressed files complete, its entry JSON."""
    for folder, dirs, names in os.walk(bundle):
        if folder == str(bundle):
            dirs[:] = [name for name in dirs if name not in ("parts", "delta")]
        for name in names:
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as file:
                    data = file.read()
                if not data:
                    raise ValueError("empty")
                if name.endswith(".json"):
                    json.loads(data)
                elif ".pf_" in name or name.endswith(".pagefind"):
                    gzip.decompress(data)
            except (ValueError, EOFError, OSError, zlib.error):
                raise _cut_short(bundle, path) from None


def _check_scripts(directory: Path, other: Path) -> None:
    """The scripts Pagefind wrote into two bundles of one run are the same bytes (a file cut
    short by a full disk differs; the other bundle's copy is not kept)."""
    for name in RUNTIME:
        try:
            same = (directory / name).read_bytes() == (other / name).read_bytes()
        except OSError:
            same = False
        if not same:
            raise _cut_short(directory, str(directory / name))


def _cut_short(bundle: Path, path: str) -> Exception:
    """The error for a file Pagefind left incomplete: a full disk, when it is (nearly) full."""
    if shutil.disk_usage(bundle).free < 1 << 20:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
    return OutputError(Problem(
        f"Pagefind could not write the search index ({os.path.relpath(path, bundle)} is "
        "incomplete)", hint="the pages were written; the search index is the previous one. "
        "Check the disk, and build again"), title="Search index not built")


def _program() -> Path:
    program = binary()
    if program is None or not program.exists():
        raise OutputError(Problem(
            "Pagefind, which builds the search index, is not installed",
            hint="pip install 'pagefind[extended]' (Folio depends on it), or set "
                 "search = false in folio.toml"))
    return program


class _Runner:
    """Runs Pagefind over folders of pages, `jobs` at a time, stopping all when asked."""

    def __init__(self, program: Path, farms: Path, stop: Callable[[], bool] | None,
                 jobs: int) -> None:
        self.program, self.farms, self.stop, self.jobs = program, farms, stop, max(1, jobs)
        self.queue: list[tuple[str, Path, Callable[[Path], object]]] = []
        self.runs = 0

    def add(self, name: str, bundle: Path, fill: Callable[[Path], object]) -> None:
        self.queue.append((name, bundle, fill))

    def run(self) -> None:
        import subprocess  # here: most builds never run Pagefind

        running: list[tuple[str, Path, subprocess.Popen[str]]] = []
        queue, self.queue = self.queue, []
        # the working folder and the environment are Pagefind's config sources: keep them
        # from changing the index
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        try:
            while queue or running:
                while queue and len(running) < self.jobs:
                    name, bundle, fill = queue.pop(0)
                    farm = self.farms / name
                    farm.mkdir(parents=True)
                    fill(farm)
                    bundle.parent.mkdir(parents=True, exist_ok=True)
                    running.append((name, bundle, subprocess.Popen(
                        [str(self.program), "--site", str(farm), "--output-path", str(bundle),
                         "--quiet"], cwd=farm, env=env, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)))
                    self.runs += 1
                running = self._wait(running)
        finally:
            for _, _, process in running:
                process.kill()
                process.communicate()

    def _wait(self, running: list[tuple[str, Path, object]]
              ) -> list[tuple[str, Path, object]]:
        """Wait up to 50 ms for the first run to finish; check it; the runs still going."""
        import subprocess

        name, bundle, process = running[0]
        assert isinstance(process, subprocess.Popen)
        try:
            stdout, stderr = process.communicate(timeout=0.05)
        except subprocess.TimeoutExpired:
            if self.stop is not None and self.stop():
                raise Interrupted() from None
            return running[1:] + running[:1]
        shutil.rmtree(self.farms / name, ignore_errors=True)
        if process.returncode != 0:
            lines = (stderr.strip() or stdout.strip()).splitlines()[-5:]
            raise OutputError(Problem(
                f"Pagefind could not index the site ({name}, exit status "
                f"{process.returncode}): " + (" / ".join(lines) or "no message"),
                hint="the pages were written; the search index is the previous one. Fix the "
                     "problem and build again, or set search = false in folio.toml"),
                title="Search index not built")
        _check_whole(bundle)
        return running[1:]


def _link_pages(output_dir: Path, farm: Path, pages: Iterable[str]) -> None:
    """Put the pages into `farm` at their output paths: hard links, or copies."""
    for page in pages:
        target = farm / page
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(output_dir / page, target)
        except OSError:
            shutil.copyfile(output_dir / page, target)


def _write_vocab(farm: Path, url: str, words: list[str], language: str) -> None:
    """Pages of at most WORDS_PER_PAGE of `words` each, at `url`1/, `url`2/, … in `farm`,
    and an empty one at `url`0/: every bundle has a page marked data-pagefind-body (so
    Pagefind ignores unmarked pages) and Pagefind is never given an empty folder."""
    import html

    chunks = [words[start:start + WORDS_PER_PAGE]
              for start in range(0, len(words), WORDS_PER_PAGE)]
    for number, chunk in enumerate([[], *chunks]):
        folder = farm / url.strip("/") / str(number)
        folder.mkdir(parents=True, exist_ok=True)
        # the empty page: no words (it never matches), a filter (an index may not be empty)
        text = html.escape(" ".join(chunk)) if chunk else \
            '<i data-pagefind-filter="folio_empty">1</i>'
        (folder / "index.html").write_text(
            f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f'<title>-</title></head><body><main data-pagefind-body><p>{text}</p>'
            f"</main></body></html>", encoding="utf-8")


def _read_bundle(bundle: Path, pages: Iterable[str], stamps: Mapping[str, str],
                 files: Mapping[str, str]) -> tuple[dict[str, IndexedPage], list[str]]:
    """Each page as the bundle indexed it (its id and filters; no id for a page the theme
    does not mark for search), and the vocabulary of its pages (all of them when `pages`
    is empty: a kept part whose vocabulary the cache lost)."""
    by_url = {page_url(page): page for page in pages}
    found = {page: IndexedPage(stamps[page], "", file=files[page]) for page in by_url.values()}
    words: set[str] = set()
    for fragment in _fragments(bundle):
        page = by_url.get(str(fragment["url"]))
        if page is None:
            if not by_url and not str(fragment["url"]).startswith(VOCAB_URL):
                words.update(str(fragment.get("content", "")).lower().split())
            continue
        filters = fragment.get("filters") or {}
        assert isinstance(filters, dict)
        found[page] = IndexedPage(stamps[page], str(fragment["id"]), {
            key: tuple(values) for key, values in sorted(filters.items())}, files[page])
        words.update(str(fragment.get("content", "")).lower().split())
    return found, sorted(words)


def _manifest(state: SearchState, plan: IndexPlan, directory: Path, delta: Path
              ) -> dict[str, object]:
    """What the browser needs besides the bundles (generator/folio-search.js reads it)."""
    vocab, old = {}, []
    for fragment in _fragments(directory):
        url = str(fragment["url"])
        if url.startswith(VOCAB_URL) and url.count("/") == 4:  # /_folio_vocab/<part>/<n>/
            vocab[str(fragment["id"])] = url.split("/")[2]
    for fragment in _fragments(delta):
        if str(fragment["url"]).startswith(VOCAB_URL):
            old.append(str(fragment["id"]))
    superseded: dict[str, dict[str, object]] = {}
    twins: dict[str, dict[str, object]] = {}  # in a part and, the same, in the delta
    totals: dict[str, dict[str, int]] = {}
    for part in state.parts:  # what each part counts, less what the delta replaced
        _count(totals, part.counts, 1)
        for path in plan.superseded.get(part.name, ()):
            page, now = part.pages[path], state.delta.get(path)
            if not page.id:
                continue
            filters = {k: list(v) for k, v in page.filters.items()}
            if now is not None and now.id == page.id:
                twins[page.id] = filters  # its bytes changed, not what search reads of it
            else:
                superseded[page.id] = filters
            _count(totals, facet_counts([page]), -1)
    _count(totals, facet_counts(p for p in state.delta.values() if p.id), 1)
    return {"version": 1, "parts": [part.name for part in state.parts], "vocab": vocab,
            "old": sorted(old), "superseded": superseded, "twins": twins,
            "filters": {key: {value: count for value, count in sorted(values.items()) if count}
                        for key, values in sorted(totals.items())}}


def _count(totals: dict[str, dict[str, int]], counts: Mapping[str, Mapping[str, int]],
           sign: int) -> None:
    for key, values in counts.items():
        facet = totals.setdefault(key, {})
        for value, count in values.items():
            facet[value] = facet.get(value, 0) + sign * count


def _commit(writer: OutputWriter, output_dir: Path, plan: IndexPlan,
            manifest: dict[str, object], previous: Collection[str],
            lock: contextlib.AbstractContextManager[object] | None
            ) -> tuple[tuple[str, ...], int, int]:
    """Move the new bundles in (the manifest last), keep the kept bundles' files and remove
    the rest of the previous index; the index's files, how many written and removed."""
    kept_bundles = {f"parts/{name}" for name in plan.keep}
    if not (writer.staging / SEARCH_DIR / "pagefind-entry.json").exists():
        kept_bundles.add("")  # the directory was not indexed again
    kept = [path for path in previous if path.startswith(SEARCH_DIR + "/") and
            path not in (CLIENT, MANIFEST) and _bundle_of(path) in kept_bundles]
    files = set(kept)
    for path in sorted(_staged_files(writer.staging)):
        name = path.rsplit("/", 1)[-1]
        if _bundle_of(path) and (name in RUNTIME or name.startswith("wasm.")):
            (writer.staging / path).unlink()  # the scripts are needed once, at the root
            continue
        writer.take(path)
        files.add(path)
    writer.adopt(kept)
    writer.put(CLIENT, Path(__file__).with_name("folio-search.js").read_bytes())
    writer.put(MANIFEST, json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode())
    files.update((CLIENT, MANIFEST))
    with lock if lock is not None else contextlib.nullcontext():
        report = writer.commit(previous=previous)
    return tuple(sorted(files)), report.written, report.removed


def _bundle_of(path: str) -> str:
    """Which bundle an index file belongs to: "parts/<name>", "delta", or "" (the root)."""
    parts = path.split("/")
    if len(parts) > 3 and parts[1] == "parts":
        return f"parts/{parts[2]}"
    return "delta" if len(parts) > 2 and parts[1] == "delta" else ""


def _staged_files(staging: Path) -> Iterable[str]:
    root = staging / SEARCH_DIR
    for folder, _, names in os.walk(root):
        for name in names:
            yield os.path.relpath(os.path.join(folder, name), staging).replace(os.sep, "/")


def _fragments(bundle: Path) -> Iterable[dict[str, object]]:
    """Pagefind's fragments (one per page: url, content, filters), with their ids."""
    folder = bundle / "fragment"
    for name in sorted(os.listdir(folder)) if folder.is_dir() else ():
        data = gzip.decompress((folder / name).read_bytes())
        if data.startswith(b"pagefind_dcd"):
            data = data[len(b"pagefind_dcd"):]
        fragment = json.loads(data)
        fragment["id"] = name.removesuffix(".pf_fragment")
        yield fragment
