"""How much of an article's text Folio's HTML import keeps, against trafilatura's own plain
extraction of the same pages (issue 16: "Folio must not lose text trafilatura finds, and must
beat it where site rules (e.g. Global Research's furniture) apply").

    python bench/import_quality.py [--write FILE] [--show]

The pages are the importer's fixtures (tests/unit/importer/fixtures/html/ and html_gr/); each
article page has a hand-checked reference of its body in bench/quality/<page>.reference.txt.
Folio's body is `convert(bytes, path).body` reduced to plain text; trafilatura's is
`trafilatura.extract(bytes, output_format="txt", include_comments=False)`, its defaults
otherwise. Both are scored against the reference by word 4-gram shingles (lowercased,
punctuation out): precision, recall and F1. "lost" counts the reference's 4-grams that
trafilatura finds and Folio does not. The run fails (exit 1) when Folio's recall is more than
0.02 below trafilatura's on any page, or its F1 is not above trafilatura's on a Global
Research page. `--show` prints, per page, the text each side lost or added.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.importer.convert import convert  # noqa: E402
from generator.importer.record import ArticleImportError  # noqa: E402

FIXTURES = ROOT / "tests/unit/importer/fixtures"
#: Folders of saved pages, and whether site rules apply to them (Folio must beat trafilatura)
FOLDERS = {"html": False, "html_gr": True}
REFERENCES = ROOT / "bench/quality"
N = 4  # words per shingle
RECALL_SLACK = 0.02  # how far Folio's recall may fall below trafilatura's on a page


# --- text and shingles ------------------------------------------------------------------

_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of a text: lowercased, apostrophes joined ("valley's" is "valleys"), any
    other punctuation a break."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(_APOSTROPHES.sub("", text))


def shingles(text: str, n: int = N) -> Counter[tuple[str, ...]]:
    """The text's word n-grams, with their counts (a text shorter than n is one gram)."""
    tokens = words(text)
    if 0 < len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float

    def __str__(self) -> str:
        return f"{self.precision:.2f} / {self.recall:.2f} / {self.f1:.2f}"


def score(candidate: str, reference: str, n: int = N) -> Score:
    """Shingle precision, recall and F1 of a candidate text against a reference (a shingle
    that occurs k times matches at most k times)."""
    got, want = shingles(candidate, n), shingles(reference, n)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return Score(precision, recall, f1)


# --- Markdown as plain text -------------------------------------------------------------

_TARGET = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\s*\)"
_IMAGE = re.compile(r"!\[[^\]\n]*\]" + _TARGET)
_LINK = re.compile(r"\[((?:\\.|[^\[\]\n])*)\]" + _TARGET)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]*)>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\](?!:)")
_LINE_MARKUP = re.compile(r"^[ \t]*(?:(?:>[ \t]?)|(?:#{1,6}[ \t]+)|(?:[-*+][ \t]+)"
                          r"|(?:\d{1,9}[.)][ \t]+)|(?:\[\^[^\]\s]+\]:[ \t]*))+", re.MULTILINE)


def markdown_text(markdown: str) -> str:
    """What a reader of the rendered Markdown sees as text: images (alt text too) and link
    targets out, no heading, quote, list or footnote markers, no tags or escapes."""
    text = markdown
    for pattern, replacement in ((_IMAGE, ""), (_LINK, r"\1")):
        previous = None
        while previous != text:  # (a linked image, a link in a link's text)
            previous, text = text, pattern.sub(replacement, text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _FOOTNOTE_MARK.sub("", _TAG.sub("", text))
    text = _LINE_MARKUP.sub("", text)
    return text.replace("\\", "")


# --- the pages --------------------------------------------------------------------------


@dataclass(slots=True)
class Page:
    """One fixture page: what each side extracted, and its reference (None: not scored)."""

    path: Path
    site_rules: bool
    reader: str  # Folio's reader, or "refused (category)"
    folio: str  # Folio's body as plain text ("" when refused)
    trafilatura: str  # trafilatura's plain text ("" when it found none)
    reference: str | None

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def refused(self) -> bool:
        return self.reader.startswith("refused")


@dataclass(slots=True)
class Result:
    page: Page
    folio: Score
    trafilatura: Score
    lost: Counter[tuple[str, ...]] = field(default_factory=Counter)
    reference_grams: int = 0

    @property
    def lost_share(self) -> float:
        return sum(self.lost.values()) / self.reference_grams if self.reference_grams else 0.0

    def failures(self) -> list[str]:
        """The rules this page breaks."""
        broken = []
        if self.folio.recall < self.trafilatura.recall - RECALL_SLACK:
            broken.append(f"recall {self.folio.recall:.2f} < trafilatura's "
                          f"{self.trafilatura.recall:.2f} - {RECALL_SLACK}")
        if self.page.site_rules and not self.folio.f1 > self.trafilatura.f1:
            broken.append(f"F1 {self.folio.f1:.2f} not above trafilatura's "
                          f"{self.trafilatura.f1:.2f} (site rules apply)")
        return broken


def page_paths() -> list[tuple[Path, bool]]:
    return [(path, rules) for folder, rules in FOLDERS.items()
            for path in sorted((FIXTURES / folder).glob("*.html"))]


def reference_path(path: Path) -> Path:
    return REFERENCES / f"{path.stem}.reference.txt"


def read_page(path: Path, site_rules: bool = False) -> Page:
    import trafilatura

    data = path.read_bytes()
    try:
        article = convert(data, path)
        reader, folio = article.origin.reader, markdown_text(article.body)
    except ArticleImportError as error:
        reader, folio = f"refused ({error.category})", ""
    extracted = trafilatura.extract(data, output_format="txt", include_comments=False) or ""
    reference = reference_path(path)
    return Page(path, site_rules, reader, folio, extracted,
                reference.read_text("utf-8") if reference.exists() else None)


def compare(page: Page) -> Result:
    assert page.reference is not None
    want = shingles(page.reference)
    folio, found = shingles(page.folio), shingles(page.trafilatura)
    return Result(page, score(page.folio, page.reference), score(page.trafilatura, page.reference),
                  lost=(found & want) - (folio & want), reference_grams=sum(want.values()))


def run(paths: list[tuple[Path, bool]] | None = None) -> tuple[list[Result], list[Page]]:
    """The scored article pages, and the pages without a reference."""
    pages = [read_page(path, rules) for path, rules in (paths or page_paths())]
    return ([compare(p) for p in pages if p.reference is not None],
            [p for p in pages if p.reference is None])


# --- the report -------------------------------------------------------------------------


def spans(text: str, grams: Counter[tuple[str, ...]], n: int = N) -> list[str]:
    """The runs of the text's words covered by these grams (what was lost, or added)."""
    tokens, left = words(text), Counter(grams)
    covered = [False] * len(tokens)
    windows = [tuple(tokens)] if 0 < len(tokens) < n else \
        [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    for start, gram in enumerate(windows):
        if left[gram] > 0:
            left[gram] -= 1
            covered[start:start + len(gram)] = [True] * len(gram)
    runs, current = [], []
    for token, inside in zip(tokens, covered, strict=True):
        if inside:
            current.append(token)
        elif current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return runs


def extra(candidate: str, reference: str) -> list[str]:
    """What a candidate has that the reference does not."""
    return spans(candidate, shingles(candidate) - shingles(reference))


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _summary(label: str, results: list[Result]) -> str:
    def mean(side: str) -> Score:
        scores = [getattr(r, side) for r in results]
        return Score(*(_mean([getattr(s, key) for s in scores])
                       for key in ("precision", "recall", "f1")))

    lost = sum(sum(r.lost.values()) for r in results)
    grams = sum(r.reference_grams for r in results)
    failing = sum(1 for r in results if r.failures())
    return (f"| **{label}** ({len(results)} pages, mean) | | {mean('folio')} | "
            f"{mean('trafilatura')} | {lost} of {grams} | "
            f"{'pass' if not failing else f'**FAIL** ({failing})'} |")


def report(results: list[Result], unscored: list[Page]) -> str:
    import trafilatura

    lines = [
        f"{dt.date.today().isoformat()}, trafilatura {trafilatura.__version__}; "
        f"word {N}-gram shingles against bench/quality/*.reference.txt "
        f"(P / R / F1; lost: reference {N}-grams trafilatura finds and Folio does not).",
        "",
        "| page | reader | Folio P / R / F1 | trafilatura P / R / F1 | lost | result |",
        "|---|---|---|---|---:|---|",
    ]
    for r in results:
        lost = sum(r.lost.values())
        lost_text = f"{lost} ({r.lost_share:.1%})" if lost else "0"
        broken = r.failures()
        name = f"{r.page.path.parent.name}/{r.page.name}"
        lines.append(f"| {name} | {r.page.reader} | {r.folio} | {r.trafilatura} | {lost_text} | "
                     f"{'**FAIL**: ' + '; '.join(broken) if broken else 'pass'} |")
    lines.append(_summary("all", results))
    site = [r for r in results if r.page.site_rules]
    if site:
        lines.append(_summary("Global Research", site))
    if unscored:
        lines += ["", "Pages without a reference (not articles):", "",
                  "| page | Folio | trafilatura |", "|---|---|---|"]
        for page in unscored:
            count = len(words(page.trafilatura))
            lines.append(f"| {page.path.parent.name}/{page.name} | {page.reader} | "
                         f"{f'{count} words of text' if count else 'nothing'} |")
    return "\n".join(lines) + "\n"


def details(results: list[Result]) -> str:
    """Per page: the reference text Folio lost (and trafilatura found), and each side's text
    that is not in the reference."""
    out = []
    for r in results:
        assert r.page.reference is not None
        out.append(f"## {r.page.name}")
        for label, runs in (("lost (trafilatura has it, Folio not)",
                             spans(r.page.reference, r.lost)),
                            ("Folio's extra text", extra(r.page.folio, r.page.reference)),
                            ("trafilatura's extra text",
                             extra(r.page.trafilatura, r.page.reference))):
            out.append(f"{label}: " + (" | ".join(runs) if runs else "none"))
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="save the report (Markdown) here")
    parser.add_argument("--show", action="store_true",
                        help="print the text each side lost or added, per page")
    args = parser.parse_args(argv)
    results, unscored = run()
    text = report(results, unscored)
    print(text, end="")
    if args.show:
        print("\n" + details(results), end="")
    if args.write:
        args.write.write_text(text, "utf-8")
    status = 0
    for page in unscored:
        if not page.refused:
            print(f"warning: {page.path}: imported but has no reference: write "
                  f"{reference_path(page.path).relative_to(ROOT)}", file=sys.stderr)
    for r in results:
        for broken in r.failures():
            print(f"FAIL: {r.page.path.relative_to(ROOT)}: {broken}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
