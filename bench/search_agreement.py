"""Check that Folio's parted search finds what one single Pagefind index finds.

    python bench/search_agreement.py [--n 10000] [--part-size 0] [--queries 300] [--json F]

A synthetic archive (bench/corpus.py) is built with Folio, whose index is split into parts,
and the same output's article pages are indexed once more by Pagefind as one bundle: the
oracle. Queries drawn from the pages' own words (rare, in 2-5 pages, common, prefixes of rare
words, two words of one page; each also with a region or theme facet) are run in headless
Chromium through pagefind/folio-search.js and through the oracle's pagefind.js, in one page,
and the sets of result URLs are compared. The queries run one after another in one page, as
a reader's do; Pagefind keeps the index chunks it loaded, and matches a word's prefix only
against the words of loaded chunks, so both sides' answers can depend on earlier queries.
Each disagreement is run again in a page where every chunk of every bundle was loaded
first: the disagreements left then are not Pagefind's chunking. Then the first search of a
rare and a common word is timed through the real search page (/search/?q=…) in a fresh
browser context, counting the requests and bytes the server sent, beside the oracle's.
"""

from __future__ import annotations

import argparse
import collections
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
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

BENCH = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
KINDS = ("rare", "2-5 pages", "common", "prefix", "two words")
WORD = re.compile(r"[a-z]{4,}")
PUNCTUATION = string.punctuation + "\u201c\u201d\u2018\u2019"
BATCH = 20

SETUP = """async () => {
  const {open} = await import("/pagefind/folio-search.js");
  window.folio = await open({baseUrl: "/", excerptLength: 30});
  window.oracle = await import("/oracle/pagefind.js");
  await window.oracle.options({basePath: "/oracle/", baseUrl: "/"});
}"""
# each query on both sides: result ids, the URLs data() gives for the first two, the time
RUN = """async (batch) => {
  const urls = async (results) => Promise.all(results.slice(0, 2).map(
    async (r) => [r.id, (await r.data()).url]));
  const out = [];
  for (const [query, filters] of batch) {
    const wanted = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, {any: v}]));
    let t = performance.now();
    const mine = await window.folio.search(query, filters, {withCounts: false});
    const folioMs = performance.now() - t;
    t = performance.now();
    const theirs = await window.oracle.search(query, {filters: wanted});
    const oracleMs = performance.now() - t;
    out.push({folio: mine.results.map((r) => r.id), parts: mine.parts.length, folioMs,
              oracle: theirs.results.map((r) => r.id), oracleMs,
              checks: [...await urls(mine.results), ...await urls(theirs.results)]});
  }
  return out;
}"""
# loads every index chunk: searches each chunk's first word, in every bundle (all parts merged)
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
    """The built site, the oracle bundle under /oracle/; counts requests and bytes sent."""

    site = oracle = Path()
    sent: ClassVar[list[tuple[float, int, str]]] = []  # (epoch ms it started, bytes, path)
    lock = threading.Lock()

    def send_head(self) -> Any:
        self.started = time.time() * 1000
        return super().send_head()

    def translate_path(self, path: str) -> str:
        inside = path.startswith("/oracle/")
        self.directory = str(self.oracle if inside else self.site)
        return super().translate_path(path.removeprefix("/oracle") if inside else path)

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        outputfile.write(data)
        with self.lock:
            self.sent.append((self.started, len(data), self.path))

    def log_message(self, format: str, *args: Any) -> None:
        pass


def build(args: argparse.Namespace, work: Path) -> tuple[Path, Path, dict[str, float]]:
    """The corpus built by Folio (OUT) and the oracle bundle (ORACLE), reused if asked."""
    site, out, oracle = work / "site", work / "out", work / "oracle"
    stamp = work / "params.json"
    params = {"n": args.n, "seed": args.seed, "part_size": args.part_size}
    ready = (out / "pagefind/folio-search.json").exists() and (oracle / "pagefind.js").exists()
    if args.reuse and ready and stamp.exists() and json.loads(stamp.read_text()) == params:
        print(f"reusing the site built in {work}", file=sys.stderr)
        return out, oracle, json.loads((work / "times.json").read_text())
    stamp.unlink(missing_ok=True)
    times = {}
    subprocess.run([sys.executable, str(BENCH / "corpus.py"), "--n", str(args.n), "--seed",
                    str(args.seed), "--out", str(site), "--force"], check=True)
    with (site / "folio.toml").open("a") as config:
        config.write(f"search_part_size = {args.part_size}\n")
    started = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "generator", "build", str(site), "--output",
                    str(out), "-q"], check=True, stderr=subprocess.DEVNULL)
    times["folio_build_s"] = round(time.perf_counter() - started, 1)
    import pagefind_bin_extended  # type: ignore[import-untyped]

    started = time.perf_counter()
    shutil.rmtree(oracle, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    subprocess.run([pagefind_bin_extended.get_executable(), "--site", str(out),
                    "--output-path", str(oracle), "--quiet"], check=True, cwd=work, env=env)
    times["oracle_index_s"] = round(time.perf_counter() - started, 1)
    (work / "times.json").write_text(json.dumps(times))
    stamp.write_text(json.dumps(params))
    return out, oracle, times


def fragments(bundle: Path) -> list[dict[str, Any]]:
    """A bundle's fragments (url, content, filters, id); ids are the fragments' names."""
    found = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        found.append({**json.loads(data), "id": path.name.removesuffix(".pf_fragment")})
    return found


def cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """The CBOR item at `at` (what a Pagefind .pf_meta holds) and where it ends."""
    major, value = data[at] >> 5, data[at] & 31
    at += 1
    if 24 <= value <= 27:
        size = 1 << (value - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw.decode() if major == 3 else raw), at + value
    if major in (4, 5):
        items = []
        for _ in range(value * (major - 3)):
            item, at = cbor(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    return (-1 - value if major == 1 else value), at


def chunk_words(bundle: Path) -> list[str]:
    """The first word of each of a bundle's index chunks (its meta lists [from, to, hash])."""
    words = []
    for path in bundle.glob("pagefind.*.pf_meta"):
        meta = cbor(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))[0]
        words += [chunk[0] for item in meta if isinstance(item, list) for chunk in item
                  if isinstance(chunk, list) and len(chunk) == 3]
    return words


def folio_bundles(out: Path) -> list[Path]:
    return [out / "pagefind", out / "pagefind/delta", *sorted((out / "pagefind/parts").iterdir())]


def id_urls(out: Path, oracle: Path) -> dict[str, str]:
    """Page id -> URL, from every fragment of the oracle and of Folio's bundles."""
    return {f["id"]: f["url"] for bundle in [oracle, *folio_bundles(out)]
            for f in fragments(bundle)}


class Query(NamedTuple):
    kind: str
    text: str
    filters: dict[str, list[str]]
    df: int  # pages with the word (with the rarer word, for two words)


def page_words(pages: list[dict[str, Any]]) -> list[list[str]]:
    """Each page's distinct words: lower case, alphabetic, 4 letters or more."""
    return [sorted({w for w in (t.strip(PUNCTUATION) for t in page["content"].lower().split())
                    if WORD.fullmatch(w)}) for page in pages]


def make_queries(pages: list[dict[str, Any]], words: list[list[str]], total: int, seed: int
                 ) -> list[Query]:
    """The five kinds, each plain and with a facet of a page that has the words. "rare" is
    the words in 1 page and "2-5 pages" those in 2-5; when a corpus has under 20 such words
    (the corpus's vocabulary is finite), the 100 rarest words and the 100 after them."""
    rng = random.Random(seed)
    df = collections.Counter(w for page_words in words for w in page_words)
    where = collections.defaultdict(list)
    for number, page_words in enumerate(words):
        for word in page_words:
            where[word].append(number)
    ranked = sorted(df, key=lambda w: (df[w], w))

    def band(low: int, high: int, skip: int) -> list[str]:
        found = [w for w in ranked if low <= df[w] <= high]
        return found if len(found) >= 20 else ranked[skip:skip + 100]

    pools = {"rare": band(1, 1, 0), "2-5 pages": band(2, 5, 100),
             "common": [w for w in ranked if df[w] > len(pages) / 10]}
    pools["prefix"] = [w for w in pools["rare"] if len(w) >= 7]

    def draw(kind: str) -> tuple[str, int, int]:
        if kind == "two words":
            number = rng.randrange(len(pages))
            while len(words[number]) < 2:
                number = rng.randrange(len(pages))
            pair = rng.sample(words[number], 2)
            return " ".join(pair), number, min(df[w] for w in pair)
        word = rng.choice(pools[kind])
        query = word[:rng.choice((5, 6))] if kind == "prefix" else word
        return query, rng.choice(where[word]), df[word]

    def facet(page: int) -> dict[str, list[str]]:
        filters = pages[page].get("filters") or {}
        key = rng.choice([k for k in ("region", "theme") if filters.get(k)])
        return {key: [rng.choice(filters[key])]}

    share = [total // 10 + (i < total % 10) for i in range(10)]
    queries: list[Query] = []
    for number, kind in enumerate(KINDS):
        for category, count, faceted in ((kind, share[number], False),
                                         (f"{kind} + facet", share[number + 5], True)):
            seen: set[str] = set()
            for _ in range(count * 20):  # distinct queries, as far as the pool allows
                text, page, found = draw(kind)
                filters = facet(page) if faceted else {}
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
    """One row per category (and one overall), and the disagreements; `complete` holds the
    disagreeing queries' answers with every chunk loaded."""
    rows: dict[str, dict[str, Any]] = {}
    bad, checks, wrong = [], 0, 0
    low: dict[str, int] = {}
    high: dict[str, int] = {}
    for number, ((kind, query, filters, df), answer) in enumerate(zip(queries, answers,
                                                                        strict=True)):
        mine = {urls.get(i, f"?{i}") for i in answer["folio"]}
        theirs = {urls.get(i, f"?{i}") for i in answer["oracle"]}
        for id_, url in answer["checks"]:
            checks, wrong = checks + 1, wrong + (urls.get(id_) != url)
        jaccard = len(mine & theirs) / len(mine | theirs) if mine | theirs else 1.0
        extra, missing, dupes = differ(answer, urls)
        again = complete.get(number)
        still = (again is not None and any(differ(again, urls)[:2])) or bool(dupes)
        for name in (kind, "overall"):
            row = rows.setdefault(name, collections.Counter())
            row.update(queries=1, exact=not extra and not missing and not dupes,
                       jaccard=jaccard, extra=bool(extra), missing=bool(missing),
                       dupes=bool(dupes), still=still, hits=len(theirs), parts=answer["parts"],
                       folio_ms=answer["folioMs"], oracle_ms=answer["oracleMs"])
            low[name] = min(low.get(name, df), df)
            high[name] = max(high.get(name, df), df)
        if extra or missing or dupes:
            bad.append({"category": kind, "query": query, "filters": filters,
                        "folio": len(answer["folio"]), "oracle": len(theirs),
                        "duplicates": dupes, "extra": extra[:5], "missing": missing[:5],
                        "extra_count": len(extra), "missing_count": len(missing),
                        "differ_with_all_chunks": still,
                        "with_all_chunks": again and {"folio": len(set(again["folio"])),
                                                      "oracle": len(set(again["oracle"]))}})
    table = []
    for name, row in sorted(rows.items(), key=lambda item: item[0] == "overall"):
        q = row["queries"]
        table.append({"category": name, "word_df": f"{low[name]}-{high[name]}",
                      "queries": q, "exact": row["exact"],
                      "agreement": round(row["exact"] / q, 4),
                      "mean_jaccard": round(row["jaccard"] / q, 4),
                      "with_extra": row["extra"], "with_missing": row["missing"],
                      "with_duplicates": row["dupes"], "differ_with_all_chunks": row["still"],
                      "mean_oracle_hits": round(row["hits"] / q, 1),
                      "mean_parts": round(row["parts"] / q, 2),
                      "folio_ms": round(row["folio_ms"] / q, 1),
                      "oracle_ms": round(row["oracle_ms"] / q, 1)})
    return table, {"disagreements": bad, "data_checks": checks, "data_mismatches": wrong}


def first_search(browser: Any, base: str, word: str, kind: str, oracle: bool) -> dict[str, Any]:
    """A fresh context's first search for `word`: through the search page (or the oracle's
    JS API on the home page), requests and bytes up to the first results and once settled."""
    context = browser.new_context()
    page = context.new_page()
    with Handler.lock:
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
    first = [size for started, size, _ in Handler.sent if started <= origin + shown]
    return {"word": word, "kind": kind, "index": "oracle (one bundle)" if oracle else "Folio",
            "status": status, "ms_to_first_results": round(shown),
            "requests_first": len(first), "kb_first": sum(first) // 1024,
            "requests_settled": count, "kb_settled": sum(s for _, s, _ in Handler.sent) // 1024}


def recheck(browser: Any, base: str, out: Path, oracle: Path, queries: list[Query],
            answers: list[dict[str, Any]], urls: dict[str, str]) -> dict[int, dict[str, Any]]:
    """The disagreeing queries run again in a page that first loaded every index chunk."""
    numbers = [n for n, answer in enumerate(answers) if any(differ(answer, urls))]
    if not numbers:
        return {}
    page = browser.new_page()
    page.goto(base + "/")
    page.evaluate(SETUP)
    folio_words = sorted({w for bundle in folio_bundles(out) for w in chunk_words(bundle)})
    page.evaluate(COMPLETE, [folio_words, chunk_words(oracle)])
    again = page.evaluate(RUN, [[queries[n].text, queries[n].filters] for n in numbers])
    page.close()
    return dict(zip(numbers, again, strict=True))


def markdown(rows: list[dict[str, Any]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + " --- |" * len(keys)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out, oracle, times = build(args, work)
    pages = fragments(oracle)
    words = page_words(pages)
    queries = make_queries(pages, words, args.queries, args.seed)
    urls = id_urls(out, oracle)
    Handler.site, Handler.oracle = out, oracle
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=ARGS)
            page = browser.new_page()
            page.set_default_timeout(600_000)
            page.goto(base + "/")
            page.evaluate(SETUP)
            answers: list[dict[str, Any]] = []
            for start in range(0, len(queries), BATCH):
                batch = [[q.text, q.filters] for q in queries[start:start + BATCH]]
                answers += page.evaluate(RUN, batch)
            page.close()
            complete = recheck(browser, base, out, oracle, queries, answers, urls)
            rare = min((q for q in queries if q.kind == "rare"), key=lambda q: q.df).text
            common = max((q for q in queries if q.kind == "common"), key=lambda q: q.df).text
            first = [first_search(browser, base, word, kind, oracle)
                     for word, kind in ((rare, "rare"), (common, "common"))
                     for oracle in (False, True)]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    table, found = compare(queries, answers, urls, complete)
    manifest = json.loads((out / "pagefind/folio-search.json").read_text())
    return {"n": args.n, "seed": args.seed, "part_size": args.part_size,
            "parts": len(manifest["parts"]), "pages_indexed": len(pages), **times,
            "categories": table, "first_search": first, **found}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="articles (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus and query seed")
    parser.add_argument("--part-size", type=int, default=0,
                        help="search_part_size for the build (default 0: automatic)")
    parser.add_argument("--queries", type=int, default=300, help="queries in all (300)")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the site and oracle built in --work with the same flags")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="folio-search-agreement-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        report = run(args, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"## Search agreement: N = {report['n']}, {report['parts']} parts "
          f"(search_part_size = {report['part_size']}), {report['pages_indexed']} pages, "
          f"seed {report['seed']}\n")
    print(markdown(report["categories"]) + "\n")
    print(f"data() spot checks: {report['data_checks'] - report['data_mismatches']} of "
          f"{report['data_checks']} URLs as the fragments say\n")
    print("### First search in a fresh browser context\n")
    print(markdown(report["first_search"]) + "\n")
    for case in report["disagreements"][:10]:
        print(f"- {case['category']}: {case['query']!r} {case['filters'] or ''}: Folio "
              f"{case['folio']}, oracle {case['oracle']}; extra {case['extra_count']} "
              f"{case['extra'][:2]}, missing {case['missing_count']} {case['missing'][:2]}, "
              f"duplicates {case['duplicates']}; with every chunk loaded: "
              f"{case['with_all_chunks']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
