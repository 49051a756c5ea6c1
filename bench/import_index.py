"""Time the importer's index of an archive (issue 16): one pass over content/ per batch.

    python bench/import_index.py [--sizes 10000,100000] [--runs 3] [--work DIR]

For each size, the synthetic archive of `bench/corpus.py` is written three ways and indexed
(`generator.importer.archive.load_archive`, medians of `--runs`, page cache warm):

- hand-written: the corpus as it is (no `imported_from`: each file's front matter is read
  and passed over);
- imported: each file with the `imported_from` block the importer writes, identity included
  (the fast path: a few lines matched, no YAML);
- legacy: `imported_from` without the identity (files imported before it was recorded: the
  front matter is parsed as YAML).

Then a dry-run batch of the test fixtures' dumps against the imported archive, end to end.
The `body` fingerprints written here are stand-ins (a hash of the body's start): indexing
reads them as text and does not depend on their value.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpus  # noqa: E402  (bench/corpus.py)

from generator.config import for_test  # noqa: E402
from generator.importer.archive import load_archive, markdown_files  # noqa: E402
from generator.importer.batch import run_batch  # noqa: E402

FIXTURES = ROOT / "tests/unit/importer/fixtures/cases"


def imported_from(text: str, number: int, *, identity: bool) -> str:
    """The file with an `imported_from` block at the end of its front matter."""
    end = text.index("\n---\n", 4)
    stand_in = hashlib.blake2b(text[end:end + 400].encode(), digest_size=8).hexdigest()
    lines = ["imported_from:", f"  file: dump-{number:06d}.txt",
             f"  digest: sha256:{hashlib.sha256(text.encode()).hexdigest()}",
             "  reader: globalresearch"]
    if identity:
        lines += [f"  address: example.org/articles/{number}",
                  f"  byline: {hashlib.sha256(text[:end].encode()).hexdigest()[:16]}",
                  f"  body: {stand_in}"]
    lines.append(f"  output_digest: sha256:{'0' * 64}")
    return text[:end] + "\n" + "\n".join(lines) + text[end:]


def variant(source: Path, target: Path, kind: str) -> None:
    """A copy of the site at `source` whose articles are of one kind (see the docstring)."""
    if target.exists():
        return
    shutil.copytree(source, target)
    if kind == "hand-written":
        return
    for number, (_, name) in enumerate(markdown_files(target / "content")):
        path = Path(name)
        text = path.read_text("utf-8")
        path.write_text(imported_from(text, number, identity=kind == "imported"), "utf-8")


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(size: int, runs: int, work: Path) -> None:
    base = work / f"corpus-{size}"
    if not (base / "content").exists():
        corpus.generate(size, 1, base, force=True)
    for kind in ("hand-written", "imported", "legacy"):
        site = work / f"{kind}-{size}"
        variant(base, site, kind)
        seconds, archive = timed(lambda s=site: load_archive(s, "content"), runs)
        print(f"{size:>7} {kind:<13} index {seconds:6.2f} s  "
              f"({len(archive.entries):,} imported files indexed)", flush=True)
    site = work / f"imported-{size}"
    seconds, report = timed(lambda: run_batch([FIXTURES], for_test(site), dry_run=True), runs)
    print(f"{size:>7} batch of {len(report.outcomes)} dumps (dry run) {seconds:6.2f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="keep the archives here (default: a temp folder)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="folio-import-index-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            measure(size, args.runs, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
