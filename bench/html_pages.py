"""Time and memory of the HTML reader on 20 MB pages (issue 16: "a 20 MB page imports or is
refused within 10 s with bounded memory").

    python bench/html_pages.py [--size-mb 20] [--write bench/HTML_PAGES.md]

Each page is made here (no download) and read in a fresh process by `convert`, as `folio
import` reads one input; the table gives the outcome, the wall time and the process's peak RSS
(VmHWM, which includes the interpreter, lxml and trafilatura: see the short article's row).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HEAD = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Water Wars | The "
        "Daily Planet</title><link rel='canonical' href='https://planet.example/2021/03/04/w/'>"
        "<meta property='og:site_name' content='The Daily Planet'><script type='application/"
        "ld+json'>" + json.dumps({"@type": "NewsArticle", "headline": "Water Wars",
                                  "datePublished": "2021-03-04T09:30:00+01:00",
                                  "author": {"@type": "Person", "name": "Lois Lane"},
                                  "copyrightHolder": "The Daily Planet",
                                  "copyrightYear": 2021}) + "</script></head><body>")
WORDS = ["water", "river", "farm", "law", "court", "valley", "the", "of", "and", "dam"]


def _paragraph(rng: random.Random, words: int = 60) -> str:
    return "<p>" + " ".join(rng.choice(WORDS) for _ in range(words)) + ".</p>\n"


def _article(rng: random.Random, paragraphs: int, words: int = 60) -> str:
    return ("<article><h1>Water Wars</h1>" + "".join(_paragraph(rng, words)
                                                     for _ in range(paragraphs)) + "</article>")


def pages(size: int) -> dict[str, str]:
    """Pages of about `size` characters, each the worst of its kind that we know of."""
    rng = random.Random(1)
    article = _article(rng, 40)
    filler = {
        "saved with its images and scripts inlined": lambda: (
            f"<img src='data:image/png;base64,{base64.b64encode(os.urandom(size // 2)).decode()}'>"
            f"<script>var bundle = '{'x' * (size // 4)}';</script>" + article),
        "one article of 20 MB of text": lambda: _article(rng, size // 315),
        "a sidebar of 396,000 tags beside the article": lambda: (
            article + "<aside>" + f"<div><a href='/x'>{'link text ' * 18}</a></div>" * 99_000
            + "</aside>"),
        "a table of 20 MB": lambda: (
            article + "<table>" + "<tr><td>a</td><td>b</td></tr>" * (size // 30) + "</table>"),
        "nested 100,000 deep": lambda: "<div>" * 100_000 + article + "</div>" * 100_000,
        "a 25,000-element article in a page of 150,000": lambda: (
            "<div class='c'><span>x</span></div>" * 60_000 + _article(rng, 24_000, 8)),
        "a short article (for comparison)": lambda: article,
    }
    return {name: HEAD + make() + "</body></html>" for name, make in filler.items()}


CHILD = """
import sys, time
from pathlib import Path
from generator.importer.convert import convert
from generator.importer.record import ArticleImportError
path = Path(sys.argv[1])
data = path.read_bytes()
start = time.perf_counter()
try:
    article = convert(data, path)
    outcome = f"imported ({len(article.body):,} characters of Markdown)"
except ArticleImportError as error:
    outcome = f"refused: {error.category}"
seconds = time.perf_counter() - start
# VmHWM: this process image's peak (ru_maxrss would include the parent's RSS at the fork)
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM")) / 1024
print(f"{outcome}\\t{seconds:.2f}\\t{peak:.0f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=20)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    size = int(args.size_mb * 1024 * 1024)
    rows = ["| page | bytes | outcome | time | peak RSS |", "|---|---:|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as folder:
        for number, (name, text) in enumerate(pages(size).items()):
            path = Path(folder, f"page{number}.html")
            path.write_text(text, "utf-8")
            done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                                  text=True, check=True, cwd=Path(__file__).parent.parent)
            outcome, seconds, peak = done.stdout.strip().split("\t")
            rows.append(f"| {name} | {path.stat().st_size:,} | {outcome} | {seconds} s | "
                        f"{peak} MiB |")
            print(rows[-1], flush=True)
    if args.write:
        args.write.write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
