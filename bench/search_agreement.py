"""Check that Folio's parted search finds what one single Pagefind index finds.

    python bench/search_agreement.py [--n 10000] [--part-size 0] [--queries 300] [--json F]

Builds a synthetic archive (bench/corpus.py) with Folio and indexes its article pages again
as one Pagefind bundle (the oracle); runs queries drawn from the pages' words through both in
headless Chromium, one after another in one page, and compares the sets of result URLs. As
Pagefind matches a prefix only against index chunks it has loaded, each disagreement is run
again with every chunk loaded. Also times a fresh browser's first search, in requests and bytes.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import gzip
import json
import os
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

BENCH = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
KINDS = ("rare", "2-5 pages", "common", "prefix", "two words")
WORD = re.compile(r"[a-z]{4,}")
PUNCTUATION = string.punctuation + "\u201c\u201d\u2018\u2019"

SETUP = """async () => {
  const {open} = await import("/pagefind/folio-search.js");
  window.folio = await open({baseUrl: "/", excerptLength: 30});
  window.oracle = await import("/oracle/pagefind.js");
  await window.oracle.options({basePath: "/oracle/", baseUrl: "/"});
}"""
# each query on both sides: the result ids, the URLs data() gives for the first two, times
RUN = """async (batch) => {
  const first = (found) => Promise.all(found.results.slice(0, 2).map(
    async (r) => [r.id, (await r.data()).url]));
  const out = [];
  for (const [query, filters] of batch) {
    const wanted = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, {any: v}]));
    const t0 = performance.now();
    const mine = await window.folio.search(query, filters, {withCounts: false});
    const t1 = performance.now();
    const theirs = await window.oracle.search(query, {filters: wanted});
    out.push({folio: mine.results.map((r) => r.id), parts: mine.parts.length, folioMs: t1 - t0,
              oracle: theirs.results.map((r) => r.id), oracleMs: performance.now() - t1,
              checks: [...await first(mine), ...await first(theirs)]});
  }
  return out;
}"""
# loads every index chunk: searches each chunk's end words, in every bundle (all parts merged)
COMPLETE = """async ([folioWords, oracleWords]) => {
  await window.folio.merge(window.folio.manifest.parts);
  for (const word of folioWords) await window.folio.pagefind.search(word);
  for (const word of oracleWords) await window.oracle.search(word);
}"""
# the moment the search page shows its first results, noted by a MutationObserver
SHOWN = """addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("#search-status");
  new MutationObserver(() => {
    if (!window.shown && /(results? for|No results)/.test(status.textContent)
        && (document.querySelector("#search-results li") || /^No/.test(status.textContent)))
      window.shown = [performance.now(), status.textContent, performance.timeOrigin];
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
});"""
ORACLE_FIRST = """async (word) => {
  const pf = await import("/oracle/pagefind.js");
  await pf.options({basePath: "/oracle/", baseUrl: "/"});
  const found = await pf.search(word);
  await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  return [performance.now(), `${found.results.length} results`, performance.timeOrigin];
}"""


class Handler(SimpleHTTPRequestHandler):
    """The built site, with the oracle bundle under /oracle/; notes what it sends."""

    site = oracle = Path()
    sent: ClassVar[list[tuple[float, int]]] = []  # (epoch ms the request came, bytes)
    lock = threading.Lock()

    def translate_path(self, path: str) -> str:  # the first thing send_head does
        self.started = time.time() * 1000
        inside = path.startswith("/oracle/")
        self.directory = str(self.oracle if inside else self.site)
        return super().translate_path(path.removeprefix("/oracle") if inside else path)

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        outputfile.write(data)
        with self.lock:
            self.sent.append((self.started, len(data)))

    def log_message(self, format: str, *args: Any) -> None:
        pass


def build(args: argparse.Namespace, work: Path) -> tuple[Path, Path, dict[str, float]]:
    """The corpus built by Folio (OUT) and the oracle bundle (ORACLE), reused if asked."""
    import pagefind_bin_extended  # type: ignore[import-untyped]

    site, out, oracle, stamp = work / "site", work / "out", work / "oracle", work / "params.json"
    params = {"n": args.n, "seed": args.seed, "part_size": args.part_size}
    if args.reuse and stamp.exists() and json.loads(stamp.read_text()) == params:
        print(f"reusing the site built in {work}", file=sys.stderr)
        return out, oracle, json.loads((work / "times.json").read_text())

    def timed(command: list[str], **options: Any) -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True, **options)
        return round(time.perf_counter() - started, 1)

    stamp.unlink(missing_ok=True)
    for folder in (site, out, oracle):  # a cold build: no .folio-cache either
        shutil.rmtree(folder, ignore_errors=True)
    timed([sys.executable, str(BENCH / "corpus.py"), "--n", str(args.n), "--seed",
           str(args.seed), "--out", str(site), "--force"])
    with (site / "folio.toml").open("a") as config:
        config.write(f"search_part_size = {args.part_size}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    times = {"folio_build_s": timed([sys.executable, "-m", "generator", "build", str(site),
                                     "--output", str(out), "-q"]),
             "oracle_index_s": timed([pagefind_bin_extended.get_executable(), "--site", str(out),
                                      "--output-path", str(oracle), "--quiet"], cwd=work, env=env)}
    (work / "times.json").write_text(json.dumps(times))
    stamp.write_text(json.dumps(params))
    return out, oracle, times


def unpack(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")


def fragments(bundle: Path) -> list[dict[str, Any]]:
    """A bundle's fragments (url, content, filters, id); ids are the fragments' names."""
    return [{**json.loads(unpack(path)), "id": path.name.removesuffix(".pf_fragment")}
            for path in sorted((bundle / "fragment").glob("*.pf_fragment"))]


def cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """The CBOR item at `at` (what a Pagefind .pf_meta holds) and where it ends."""
    major, value, at = data[at] >> 5, data[at] & 31, at + 1
    if 24 <= value <= 27:
        size = 1 << (value - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major in (2, 3):  # bytes, text
        return data[at:at + value].decode(errors="replace"), at + value
    items = []
    for _ in range(value * (major - 3) if major in (4, 5) else 0):  # array; map as a row
        item, at = cbor(data, at)
        items.append(item)
    return (items if major in (4, 5) else value), at


def chunk_words(bundle: Path) -> list[str]:
    """The first and last words of a bundle's index chunks (its meta lists [from, to, hash]):
    searching either loads the chunk (the first may end in a quote the search drops)."""
    return [word for path in bundle.glob("pagefind.*.pf_meta")
            for item in cbor(unpack(path))[0] if isinstance(item, list)
            for chunk in item if isinstance(chunk, list) and len(chunk) == 3 for word in chunk[:2]]


def folio_bundles(out: Path) -> list[Path]:
    return [out / "pagefind", out / "pagefind/delta", *sorted((out / "pagefind/parts").iterdir())]


class Query(NamedTuple):
    kind: str
    text: str
    filters: dict[str, list[str]]
    df: int  # pages with the word (with the rarer word, for two words)


def make_queries(pages: list[dict[str, Any]], total: int, seed: int) -> list[Query]:
    """The five kinds, plain and with a facet of a page with the words. "rare": words in 1
    page, "2-5 pages": in 2-5, or if under 20 such, the 100 rarest words and the 100 after."""
    rng = random.Random(seed)
    words = [sorted({w for w in (t.strip(PUNCTUATION) for t in page["content"].lower().split())
                     if WORD.fullmatch(w)}) for page in pages]  # alphabetic, 4+ letters
    df = collections.Counter(w for page_words in words for w in page_words)
    where = collections.defaultdict(list)
    for number, word in ((n, w) for n, page_words in enumerate(words) for w in page_words):
        where[word].append(number)
    ranked = sorted(df, key=lambda w: (df[w], w))
    pools = {kind: found if len(found) >= 20 else ranked[skip:skip + 100] for kind, found, skip
             in (("rare", [w for w in ranked if df[w] == 1], 0),
                 ("2-5 pages", [w for w in ranked if 2 <= df[w] <= 5], 100))}
    pools["common"] = [w for w in ranked if df[w] > len(pages) / 10]
    pools["prefix"] = [w for w in pools["rare"] if len(w) >= 7]

    def draw(kind: str) -> tuple[str, int, int]:
        if kind == "two words":
            number = rng.choice([n for n, page_words in enumerate(words) if len(page_words) > 1])
            pair = rng.sample(words[number], 2)
            return " ".join(pair), number, min(df[w] for w in pair)
        word = rng.choice(pools[kind])
        return word[:rng.choice((5, 6))] if kind == "prefix" else word, \
            rng.choice(where[word]), df[word]

    queries: list[Query] = []
    for number, category in enumerate([*KINDS, *(f"{kind} + facet" for kind in KINDS)]):
        kind, seen = category.removesuffix(" + facet"), set()
        count = total // 10 + (number < total % 10)
        for _ in range(count * 20):  # distinct queries, as far as the pool allows
            text, page, found = draw(kind)
            filters = {}
            if kind != category:  # a region or theme of the page the words came from
                values = pages[page].get("filters") or {}
                key = rng.choice([k for k in ("region", "theme") if values.get(k)])
                filters = {key: [rng.choice(values[key])]}
            if f"{text} {filters}" not in seen:
                seen.add(f"{text} {filters}")
                queries.append(Query(category, text, filters, found))
            if len(seen) == count:
                break
    return queries


def differ(answer: dict[str, Any], urls: dict[str, str]) -> tuple[list[str], list[str], int]:
    """Folio's extra URLs, its missing URLs, and its duplicate results."""
    mine = {urls.get(i, f"?{i}") for i in answer["folio"]}
    theirs = {urls.get(i, f"?{i}") for i in answer["oracle"]}
    return (sorted(mine - theirs), sorted(theirs - mine),
            len(answer["folio"]) - len(set(answer["folio"])))


def compare(queries: list[Query], answers: list[dict[str, Any]], urls: dict[str, str],
            complete: dict[int, dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A row per category and overall; the disagreements (`complete`: with all chunks)."""
    rows: dict[str, collections.Counter[str]] = {}
    dfs: dict[str, list[int]] = collections.defaultdict(list)
    bad, checks = [], [urls.get(i) == url for a in answers for i, url in a["checks"]]
    for number, (query, answer) in enumerate(zip(queries, answers, strict=True)):
        extra, missing, dupes = differ(answer, urls)
        hits = len(set(answer["oracle"]))
        again = complete.get(number)
        still = (again is not None and any(differ(again, urls)[:2])) or bool(dupes)
        for name in (query.kind, "overall"):
            rows.setdefault(name, collections.Counter()).update(
                queries=1, exact=not (extra or missing or dupes), extra=bool(extra),
                jaccard=(hits - len(missing)) / (hits + len(extra)) if hits + len(extra) else 1,
                missing=bool(missing), dupes=bool(dupes), still=still, hits=hits,
                parts=answer["parts"], folio_ms=answer["folioMs"], oracle_ms=answer["oracleMs"])
            dfs[name].append(query.df)
        if extra or missing or dupes:
            bad.append({"category": query.kind, "query": query.text, "filters": query.filters,
                        "folio": len(answer["folio"]), "oracle": hits, "duplicates": dupes,
                        "parts": answer["parts"], "extra_count": len(extra), "extra": extra[:5],
                        "missing_count": len(missing), "missing": missing[:5],
                        "differ_with_all_chunks": still,
                        "with_all_chunks": again and {"folio": len(set(again["folio"])),
                                                      "oracle": len(set(again["oracle"]))}})

    def mean(row: collections.Counter[str], *fields: tuple[str, str, int]) -> dict[str, float]:
        return {key: round(row[field] / row["queries"], digits) for key, field, digits in fields}

    table = [{"category": name, "word_df": f"{min(dfs[name])}-{max(dfs[name])}",
              "queries": row["queries"], "exact": row["exact"],
              **mean(row, ("agreement", "exact", 4), ("mean_jaccard", "jaccard", 4)),
              "with_extra": row["extra"], "with_missing": row["missing"],
              "with_duplicates": row["dupes"], "differ_with_all_chunks": row["still"],
              **mean(row, ("mean_oracle_hits", "hits", 1), ("mean_parts", "parts", 2),
                     ("folio_ms", "folio_ms", 1), ("oracle_ms", "oracle_ms", 1))}
             for name, row in sorted(rows.items(), key=lambda item: item[0] == "overall")]
    return table, {"disagreements": bad, "data_checks": len(checks),
                   "data_mismatches": checks.count(False)}


def first_search(browser: Any, base: str, word: str, kind: str, oracle: bool) -> dict[str, Any]:
    """A fresh context's first search: the search page's (or the oracle's), what it cost."""
    page = (context := browser.new_context()).new_page()  # a fresh context: an empty cache
    Handler.sent.clear()
    if oracle:
        page.goto(base + "/")
        shown, status, origin = page.evaluate(ORACLE_FIRST, word)
    else:
        page.add_init_script(SHOWN)
        page.goto(f"{base}/search/?q={word}")
        shown, status, origin = page.wait_for_function("() => window.shown || false",
                                                       timeout=120_000).json_value()
    count = 0
    while count != len(Handler.sent) or not count:  # settled: no request for a second
        count = len(Handler.sent)
        time.sleep(1.0)
    context.close()
    first = [size for started, size in Handler.sent if started <= origin + shown]
    return {"word": word, "kind": kind, "index": "oracle (one bundle)" if oracle else "Folio",
            "status": status, "ms_to_first_results": round(shown),
            "requests_first": len(first), "kb_first": sum(first) // 1024,
            "requests_settled": count, "kb_settled": sum(s for _, s in Handler.sent) // 1024}


def searching(browser: Any, base: str) -> Any:
    """A page of the site (one without search of its own) with both searches opened."""
    page = browser.new_page()
    page.goto(base + "/")
    page.evaluate(SETUP)
    return page


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:

    out, oracle, times = build(args, work)
    pages = fragments(oracle)
    queries = make_queries(pages, args.queries, args.seed)
    urls = {f["id"]: f["url"] for bundle in [oracle, *folio_bundles(out)]
            for f in fragments(bundle)}  # page id -> URL, in every bundle
    with serving(out, oracle) as (browser, base):
        page = searching(browser, base)
        answers: list[dict[str, Any]] = []
        for start in range(0, len(queries), 20):  # 20 queries an evaluate
            answers += page.evaluate(RUN, [[q.text, q.filters]
                                           for q in queries[start:start + 20]])
        numbers = [n for n, answer in enumerate(answers) if any(differ(answer, urls))]
        complete = {}
        if numbers:  # again, in a page that first loaded every index chunk
            page = searching(browser, base)
            page.evaluate(COMPLETE, [sorted({w for b in folio_bundles(out)
                                             for w in chunk_words(b)}), chunk_words(oracle)])
            complete = dict(zip(numbers, page.evaluate(
                RUN, [[queries[n].text, queries[n].filters] for n in numbers]), strict=True))
        hits = sorted((len(a["oracle"]), q.text, q.kind)
                      for q, a in zip(queries, answers, strict=True) if a["oracle"])
        words = [next(h[1] for h in hits if h[2] == "rare"),  # fewest results
                 next(h[1] for h in reversed(hits) if h[2] == "common")]  # most
        first = [sorted((first_search(browser, base, word, kind, oracle) for _ in range(3)),
                        key=lambda row: row["ms_to_first_results"])[1]  # the median of 3
                 for word, kind in zip(words, ("rare", "common"), strict=True)
                 for oracle in (False, True)]
    table, found = compare(queries, answers, urls, complete)
    manifest = json.loads((out / "pagefind/folio-search.json").read_text())
    return {"n": args.n, "seed": args.seed, "part_size": args.part_size,
            "parts": len(manifest["parts"]), "pages_indexed": len(pages), **times,
            "categories": table, "first_search": first, **found}


@contextlib.contextmanager
def serving(site: Path, oracle: Path) -> Iterator[tuple[Any, str]]:
    """Chromium, and the site (with the oracle under /oracle/) on a local server."""
    from playwright.sync_api import sync_playwright

    Handler.site, Handler.oracle = site, oracle
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=ARGS)
            yield browser, f"http://127.0.0.1:{server.server_address[1]}"
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def first_searches(out: Path, words: list[str]) -> list[dict[str, Any]]:
    """Only a reader's first search (median of 3 fresh contexts) for each word, on a built
    output (an archive too large for a single-index oracle)."""
    with serving(out, out) as (browser, base):
        return [sorted((first_search(browser, base, word, "given", False) for _ in range(3)),
                       key=lambda row: row["ms_to_first_results"])[1] for word in words]


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(map(str, row.values())) + " |" for row in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--n", type=int, default=10000, help="articles (default 10000)")
    add("--seed", type=int, default=1, help="corpus and query seed (default 1)")
    add("--part-size", type=int, default=0, help="search_part_size (default 0: automatic)")
    add("--queries", type=int, default=300, help="queries in all (default 300)")
    add("--work", type=Path, help="working folder (default: a temporary one, removed)")
    add("--reuse", action="store_true", help="reuse what --work holds, if built alike")
    add("--json", type=Path, help="write the figures to this file")
    add("--first-search", type=Path, metavar="OUT", help="only time a reader's first search "
        "on this built output (no oracle), for the words of --words")
    add("--words", default="", help="comma-separated words for --first-search")
    args = parser.parse_args(argv)
    if args.first_search:
        rows = first_searches(args.first_search, [w for w in args.words.split(",") if w])
        print(markdown(rows))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="folio-search-agreement-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        report = run(args, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"## Search agreement: N = {report['n']}, {report['parts']} parts "
          f"(search_part_size = {report['part_size']}), {report['pages_indexed']} pages, "
          f"seed {report['seed']}\n\n{markdown(report['categories'])}\n\n"
          f"data() spot checks: {report['data_checks'] - report['data_mismatches']} of "
          f"{report['data_checks']} URLs as the fragments say\n\n"
          f"### First search in a fresh browser context\n\n{markdown(report['first_search'])}\n")
    for case in report["disagreements"][:10]:
        print("- {category}: {query!r} {filters}: Folio {folio}, oracle {oracle}; extra "
              "{extra_count} {extra}, missing {missing_count} {missing}, duplicates "
              "{duplicates}; with every chunk loaded: {with_all_chunks}".format(**case))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
