"""Time `folio build` on synthetic archives of several sizes.

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--big] [--write bench/RESULTS.md]

For each size the corpus is generated once (cached under the temp folder, keyed by size,
seed and the generator's source), then timed as child processes: cold builds (output folder
removed before each) and no-op rebuilds (nothing changed, output kept). Peak memory is the
child's own maximum resident set size, from `os.wait4`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CORPUS_SCRIPT = BENCH_DIR / "corpus.py"
DEFAULT_COMMAND = [sys.executable, "-m", "generator", "build", "{site}", "--output", "{out}"]
BIG_SIZE = 100_000
CACHE_DIRS = (".folio-cache",)  # build caches inside the site, removed before cold builds


class BuildFailed(RuntimeError):
    """A timed build exited with a non-zero status."""


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_kib: int


@dataclass(frozen=True, slots=True)
class Result:
    n: int
    cold: list[Run]
    noop: list[Run]
    pages: int
    noop_rewritten: int

    @property
    def cold_median(self) -> float:
        return statistics.median(r.seconds for r in self.cold)

    @property
    def noop_median(self) -> float:
        return statistics.median(r.seconds for r in self.noop)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_kib for r in self.cold) / 1024


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def corpus(n: int, seed: int, cache: Path) -> Path:
    """Return the site folder for (n, seed), generating it unless already cached."""
    digest = hashlib.sha256(CORPUS_SCRIPT.read_bytes()).hexdigest()[:10]
    folder = cache / f"corpus-n{n}-s{seed}-{digest}"
    site, done = folder / "site", folder / "complete"
    if done.exists():
        log(f"N={n}: using cached corpus {site}")
        return site
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log(f"N={n}: generating corpus in {site} ...")
    start = time.perf_counter()
    cmd = [sys.executable, str(CORPUS_SCRIPT), "--n", str(n), "--seed", str(seed)]
    subprocess.run([*cmd, "--out", str(site)], check=True)
    log(f"N={n}: corpus generated in {time.perf_counter() - start:.1f} s")
    done.write_text("ok\n")
    return site


def timed(cmd: Sequence[str], log_path: Path, timeout: float) -> Run:
    """Run `cmd` in the repo, output to `log_path`; return its wall time and peak RSS."""
    with open(log_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        deadline = start + timeout
        while True:  # wait4 reports this child's own rusage (ru_maxrss in KiB on Linux)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise BuildFailed(f"timed out after {timeout:.0f} s: {shlex.join(cmd)}")
            time.sleep(0.002)
        seconds = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log_path.read_text(errors="replace").splitlines()[-20:]
        raise BuildFailed(f"exit status {code}: {shlex.join(cmd)}\n" + "\n".join(tail))
    return Run(seconds, usage.ru_maxrss)


def snapshot(folder: Path) -> dict[str, int]:
    """Modification times (ns) of every file under `folder`."""
    found: dict[str, int] = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            found[path] = os.stat(path).st_mtime_ns
    return found


def bench_size(n: int, args: argparse.Namespace, template: list[str]) -> Result:
    site = corpus(n, args.seed, args.cache_dir)
    out = args.cache_dir / f"out-n{n}"
    log_path = args.cache_dir / f"build-n{n}.log"
    cmd = [part.format(site=site, out=out) for part in template]
    log(f"N={n}: {shlex.join(cmd)}")
    cold: list[Run] = []
    for i in range(args.runs):
        shutil.rmtree(out, ignore_errors=True)
        for name in CACHE_DIRS:
            shutil.rmtree(site / name, ignore_errors=True)
        cold.append(timed(cmd, log_path, args.timeout))
        log(
            f"N={n}: cold {i + 1}/{args.runs}: {cold[-1].seconds:.2f} s, "
            f"{cold[-1].peak_kib / 1024:.0f} MiB"
        )
    before = snapshot(out)
    pages = sum(1 for path in before if path.endswith(".html"))
    noop: list[Run] = []
    for i in range(args.runs):
        noop.append(timed(cmd, log_path, args.timeout))
        log(f"N={n}: no-op {i + 1}/{args.runs}: {noop[-1].seconds:.2f} s")
    after = snapshot(out)
    rewritten = sum(1 for path, mtime in after.items() if before.get(path) != mtime)
    if not args.keep_output:
        shutil.rmtree(out, ignore_errors=True)
    return Result(n, cold, noop, pages, rewritten)


def table(results: Sequence[Result]) -> str:
    rows = [
        "| N | cold build median (s) | per-article ms | peak MB | no-op rebuild median (s) "
        "| pages written | files changed by no-op |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r.n:,} | {r.cold_median:.2f} | {1000 * r.cold_median / r.n:.2f} "
            f"| {r.peak_mib:.0f} | {r.noop_median:.2f} | {r.pages:,} | {r.noop_rewritten:,} |"
        )
    return "\n".join(rows) + "\n"


def machine(load: tuple[float, float, float]) -> list[str]:
    """Describe this machine, one Markdown list item per fact."""

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
    commit = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return [
        f"- CPU: {first('/proc/cpuinfo', 'model name')} ({nproc} available)",
        f"- Memory: {memory}",
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
        f"- OS: {platform.platform()}",
        f"- Load average before the run: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Commit: {commit or 'none'}",
    ]


def report(
    results: Sequence[Result],
    args: argparse.Namespace,
    template: list[str],
    load: tuple[float, float, float],
) -> str:
    names = {sys.executable: "python", "{site}": "SITE", "{out}": "OUT"}
    command = shlex.join(names.get(part, part) for part in template)
    lines = [
        "# Folio build benchmark",
        "",
        f"Corpus: `bench/corpus.py --seed {args.seed}`. Command: `{command}`. "
        f"Medians of {args.runs} runs; cold = output folder removed first; no-op = "
        "nothing changed, output kept. Peak MB is the build's max RSS in MiB.",
        "",
        table(results),
        "Machine:",
        "",
        *machine(load),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--big", action="store_true", help=f"also run N={BIG_SIZE:,}")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--write", type=Path, metavar="FILE", help="also write a report here")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "folio-bench",
        help="where corpora and outputs go (default: TMPDIR/folio-bench)",
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

    load = os.getloadavg()  # a busy machine makes slower, noisier figures
    results: list[Result] = []
    for n in sizes:
        try:
            results.append(bench_size(n, args, template))
        except BuildFailed as exc:
            log(f"N={n}: build failed: {exc}")
            break
    if results:
        print(table(results), end="")
    if results and args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(report(results, args, template, load), encoding="utf-8")
        log(f"wrote {args.write}")
    return 0 if len(results) == len(sizes) else 1


if __name__ == "__main__":
    sys.exit(main())
