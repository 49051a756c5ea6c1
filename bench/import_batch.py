"""Time and memory of `folio import` on a batch of saved web pages (issue 16: "1,000 saved
pages import in under 60 s on 2 cores (parallel), memory flat").

    python bench/import_batch.py [--pages 1000] [--jobs 1,2] [--write FILE]

The pages are made here (no download), each 60-120 KB like a real saved article page: a
menu of 120 links, a sidebar, scripts, JSON-LD or Open Graph metadata and an article of
500-1,500 words; a quarter are Global Research pages in its layout. Each run imports them
into a fresh site with `python -m generator import`, timed from outside, with the peak
resident memory of the whole process tree (the importer and its workers, summed, sampled
every 50 ms) and of its largest process.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GR_PAGE = REPO / "tests/unit/importer/fixtures/html_gr/seed_south_front.html"
SYLLABLES = ["ka", "ri", "to", "ma", "ne", "lu", "sa", "vo", "de", "ba", "mo", "ti", "len",
             "gor", "pan", "dus", "vek", "hal", "mir", "sto", "nel", "rup", "fa", "zi"]
# a vocabulary of made-up words: pages of it are as unlike each other as real articles
WORDS = sorted({"".join(random.Random(i).choices(SYLLABLES, k=1 + i % 3)) for i in range(6000)})


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, words: int) -> list[str]:
    paragraphs, count = [], 0
    while count < words:
        text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(text)
        count += len(text.split())
    return paragraphs


def generic_page(n: int, rng: random.Random) -> str:
    title = f"{_sentence(rng)[:-1]} {n}"
    meta = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
            "datePublished": f"20{10 + n % 14}-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00Z",
            "author": [{"@type": "Person", "name": f"Writer {n % 37}"}],
            "publisher": {"@type": "Organization", "name": "The Harbour Review"},
            "copyrightHolder": "The Harbour Review", "copyrightYear": 2010 + n % 14}
    menu = "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(120))
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(rng, rng.randint(500, 1500)))
    side = "".join(f"<li><a href='/story/{rng.randint(1, 99999)}'>{_sentence(rng)}</a></li>"
                   for _ in range(25))
    script = "<script>" + "var x=1;" * 2000 + "</script>"
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} | "
            f"The Harbour Review</title><link rel='canonical' href='https://harbour.example/"
            f"{n}/'><meta property='og:site_name' content='The Harbour Review'>"
            f"<script type='application/ld+json'>{json.dumps(meta)}</script>{script}</head>"
            f"<body><nav><ul>{menu}</ul></nav><main><article><h1>{title}</h1>"
            f"<p class='byline'>By Writer {n % 37}</p>{body}</article></main>"
            f"<aside class='sidebar'><h2>Most read</h2><ul>{side}</ul></aside>"
            f"<footer><p>© The Harbour Review</p></footer></body></html>")


def gr_page(n: int, rng: random.Random, template: str) -> str:
    start = template.index("<p>Pro-government")
    end = template.index("<p>If you're able")
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(rng, rng.randint(500, 1500)))
    title = "Video: Syrian Army Advances Deep Inside Deir Ezzor Province Besieged by ISIS"
    page = (template[:start] + body + template[end:]).replace(title, f"{_sentence(rng)} {n}")
    return page.replace("syrian-army-advances-deep-inside-deir-ezzor-province", f"story-{n}")


def make_pages(folder: Path, count: int) -> None:
    rng = random.Random(16)
    template = GR_PAGE.read_text(encoding="utf-8")
    for n in range(count):
        text = gr_page(n, rng, template) if n % 4 == 3 else generic_page(n, rng)
        (folder / f"page-{n:05d}.html").write_text(text, encoding="utf-8")


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum, largest) resident KiB of a process and its descendants."""
    pids, sizes = [pid], []
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pids += [int(c) for c in children]
        sizes += [int(line.split()[1]) for line in status.splitlines()
                  if line.startswith("VmRSS:")]
    return sum(sizes), max(sizes, default=0)


def run(pages: Path, jobs: int) -> tuple[float, int, int, str]:
    site = Path(tempfile.mkdtemp(prefix="folio-import-"))
    (site / "folio.toml").write_text('title = "Bench"\nbase_url = "https://example.org/"\n')
    command = [sys.executable, "-m", "generator", "import", str(pages), "--site", str(site),
               "--jobs", str(jobs)]
    log = site.with_suffix(".log")
    start = time.perf_counter()
    with log.open("w") as out:  # (a pipe would fill up and stop the importer)
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=REPO)
        peak_sum, peak_one = _watch(process)
    seconds = time.perf_counter() - start
    summary = log.read_text().strip().splitlines()[-1]
    log.unlink()
    shutil.rmtree(site, ignore_errors=True)
    return seconds, peak_sum // 1024, peak_one // 1024, summary


def _watch(process: subprocess.Popen[bytes]) -> tuple[int, int]:
    """The peak (sum, largest) resident KiB of the process tree until it ends."""
    peak_sum = peak_one = 0
    while process.poll() is None:
        total, largest = _tree_rss(process.pid)
        peak_sum, peak_one = max(peak_sum, total), max(peak_one, largest)
        time.sleep(0.05)
    return peak_sum, peak_one


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="folio-pages-"))
    make_pages(folder, args.pages)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    rows = [f"{args.pages:,} saved pages ({size:.0f} MB), `folio import --jobs N` into an "
            "empty site:", "", "| jobs | time | peak RSS, process tree | largest process "
            "| summary |", "|---:|---:|---:|---:|---|"]
    for jobs in (int(j) for j in args.jobs.split(",")):
        seconds, tree, one, summary = run(folder, jobs)
        rows.append(f"| {jobs} | {seconds:.1f} s | {tree} MiB | {one} MiB | {summary} |")
        print(rows[-1], flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    if args.write:
        args.write.write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
