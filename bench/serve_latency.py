"""Time `folio serve` from saving an article to the browser showing the change.

    python bench/serve_latency.py [--sizes demo,10000] [--edits 10] [--write FILE]

For each archive (the repository's demo archive, or a synthetic one of N articles from
bench/corpus.py) a preview is started in this process, headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright) opens one article, and the edits take turns:
one appends a paragraph to that article's Markdown file, the next changes its title (which
the lists it is in show too). The time is taken from just before the write to
the moment the reloaded page finished loading (the new document's DOMContentLoaded, read
from the Navigation Timing entry, on the same clock), so Playwright's polling is not counted.
The medians, and what the server printed for its rebuilds, are reported.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from corpus import generate  # noqa: E402

from generator.server.serve import Session  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
LOADED = ("performance.timeOrigin + "
          "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")


def make_site(size: str, work: Path) -> Path:
    site = work / f"site-{size}"
    if size == "demo":
        shutil.copytree(REPO / "content", site / "content")
        shutil.copy(REPO / "folio.toml", site / "folio.toml")
    else:
        generate(int(size), 1, site)
    return site


def measure(site: Path, edits: int, browser: object
            ) -> tuple[dict[str, list[float]], float, str]:
    """Save-to-loaded samples (ms) by kind of edit, `edits` of each, taking turns: "body"
    appends a paragraph, "title" changes the title (which the article's lists show too);
    the preview's start-up (s); the last rebuild line the server printed."""
    started = time.perf_counter()
    session = Session(site, drafts=False, host="127.0.0.1", port=0, exact_port=True,
                      poll=False, out=io.StringIO(), err=io.StringIO())
    session.start()
    startup = time.perf_counter() - started
    try:
        builder = session.builder
        assert builder.last is not None
        article = builder.last.site.articles[len(builder.last.site.articles) // 2]
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(session.url.removesuffix(session.preview.base_path) + article.url)
        samples: dict[str, list[float]] = {"body": [], "title": []}
        for number in range(edits):
            for kind, kept in samples.items():
                page.wait_for_function("window.__folioReady === true", timeout=30000)
                marker = f"Edit number {number} of the latency benchmark"
                text = article.source_path.read_text()
                if kind == "body":
                    text += f"\n{marker}.\n"
                else:  # the title line as the corpus writes it: title: "…"
                    text = re.sub(r"(?m)^title: .*$", f'title: "{marker}, a new title"', text,
                                  count=1)
                    marker += ", a new title"
                before = time.time() * 1000
                article.source_path.write_text(text)
                page.get_by_text(marker).first.wait_for(timeout=30000)
                kept.append(page.evaluate(LOADED) - before)
        page.close()
        log = session.out.getvalue()  # type: ignore[attr-defined]
    finally:
        session.stop()
    return samples, startup, log.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="demo,10000")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = ["| archive | edit | edits | median save → page loaded (ms) | min | max | "
            "preview start-up (s) | last rebuild as the server printed it |",
            "|---|---|---:|---:|---:|---:|---:|---|"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size in args.sizes.split(","):
            site = make_site(size, Path(tmp))
            by_kind, startup, last = measure(site, args.edits, browser)
            name = "demo" if size == "demo" else f"{int(size):,} articles"
            for kind, samples in by_kind.items():
                rows.append(f"| {name} | {kind} | {len(samples)} | "
                            f"{statistics.median(samples):.0f} | {min(samples):.0f} | "
                            f"{max(samples):.0f} | {startup:.1f} | {last} |")
                print(rows[-1], flush=True)
        browser.close()
    text = "\n".join(rows) + "\n"
    print(text)
    if args.write:
        args.write.write_text("# folio serve: save-to-page latency\n\n" + __doc__.split(
            "\n\n", 1)[1] + "\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
