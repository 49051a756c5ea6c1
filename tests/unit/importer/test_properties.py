"""Properties: the importer never crashes, and what it writes reads back as what it read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.importer import ArticleImportError, ImportedArticle, convert, read_back, render
from tests.unit.importer.dumps import SEED, dump

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
PATH = Path("input.txt")

# Pieces of real dumps, so that random text reaches past the first checks.
FRAGMENTS = [
    "Global Research, September 02, 2017", "By [A](#)", "By ", "[South Front](#) 1 September 2017",
    "Region: [X](#), ", "Theme: ", "In-depth Report: [", "The original source of this article is",
    "Copyright © [A](#), [A](#), 2017", "Articles by:", "[Comment on Global Research Articles on "
    "our Facebook page](#)", "Url of this article:", "https://www.globalresearch.ca/x", "*", "***",
    "- ", "> ", "# ", "```", "|", "![x](#)", "[y](", "](#)", "\r\n", "\ufeff", "\u00a0", "---",
    "If you're able, please support the project. PayPal", "Note to readers: please click the",
    "2019-02-30", "Feb 30, 2019", "\x00", "\t", "    ",
]


def attempt(data: bytes) -> ImportedArticle | None:
    try:
        article = convert(data, PATH)
    except ArticleImportError as error:
        assert error.category in ("empty", "not-text", "not-an-article", "truncated", "listing",
                                  "paywall", "too-short", "too-large", "undated")
        assert str(PATH) in str(error)
        return None
    assert isinstance(article, ImportedArticle)
    return article


def written_reads_back(article: ImportedArticle) -> None:
    text = render(article)
    assert read_back(text) == article
    assert render(read_back(text)) == text


@SETTINGS
@given(st.binary(max_size=2000))
def test_never_crashes_on_bytes(data: bytes) -> None:
    attempt(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_never_crashes_on_text(text: str) -> None:
    if article := attempt(text.encode("utf-8")):
        written_reads_back(article)


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=40),
       st.sampled_from(["\n", "\n\n", " ", ""]))
def test_never_crashes_on_pieces_of_dumps(pieces: list[str], joiner: str) -> None:
    if article := attempt(joiner.join(pieces).encode("utf-8", "surrogatepass")):
        written_reads_back(article)


@SETTINGS
@given(st.data())
def test_never_crashes_on_a_damaged_seed(data: st.DataObject) -> None:
    text = SEED.read_text("utf-8")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 400)))
    insert = data.draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)))
    if article := attempt((text[:start] + insert + text[end:]).encode("utf-8")):
        written_reads_back(article)


# --- generated articles: what goes in comes out ------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzéøçžąß"
word = st.text(LETTERS, min_size=1, max_size=9)
capitalised = word.map(str.capitalize)
person = st.lists(capitalised, min_size=1, max_size=3).map(" ".join)
honorific = st.sampled_from(["", "Prof. ", "Dr. ", "Prof ", "Brig. "])
author = st.one_of(st.builds(lambda h, p: h + p, honorific, person),
                   st.lists(capitalised, min_size=1, max_size=2).map(
                       lambda ws: " and ".join(ws) + " Institute"))
term = st.lists(st.one_of(capitalised, st.sampled_from(["&", "and", "of", "NATO", "9/11"])),
                min_size=1, max_size=4).map(" ".join).filter(lambda t: t[0].isalnum())
comma_term = st.builds(lambda a, b: f"{a}, {b}", term, term)
sentence = st.lists(word, min_size=3, max_size=14).map(
    lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
DATE_FORMATS = ["%B %d, %Y", "%d %B %Y", "%B {day}, %Y", "%b %d %Y", "%Y-%m-%d"]


def unique(strategy: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, min_size=1, max_size=max_size, unique_by=str.lower)


def written(date: dt.date, form: str) -> str:
    return date.strftime(form.replace("{day}", str(date.day)))


def links(names: list[str], target: str) -> list[str]:
    return [f"[{name}]({target})" for name in names]


def listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@SETTINGS
@given(title=st.lists(st.one_of(capitalised, st.sampled_from(["Video:", "&", "9/11", "“Peace”",
                                                              "Why?", "ISIS"])),
                      min_size=1, max_size=10).map(" ".join).filter(lambda t: t[0].isalnum()),
       authors=unique(author, 4), regions=unique(term, 3), themes=unique(st.one_of(
           term, comma_term), 3), reports=st.lists(term, max_size=2, unique_by=str.lower),
       published=st.dates(dt.date(1995, 1, 1), dt.date(2035, 12, 31)),
       original_date=st.dates(dt.date(1995, 1, 1), dt.date(2035, 12, 31)),
       forms=st.tuples(st.sampled_from(DATE_FORMATS), st.sampled_from(DATE_FORMATS)),
       outlet=st.lists(capitalised, min_size=1, max_size=3).map(" ".join),
       target=st.sampled_from(["#", "https://www.globalresearch.ca/author/x"]),
       paragraphs=st.lists(paragraph, min_size=1, max_size=5),
       separator=st.sampled_from(["\n\n", "\n"]), crlf=st.booleans(),
       has_copyright=st.booleans())
def test_generated_dumps_import_exactly(title: str, authors: list[str], regions: list[str],
                                        themes: list[str], reports: list[str],
                                        published: dt.date, original_date: dt.date,
                                        forms: tuple[str, str], outlet: str, target: str,
                                        paragraphs: list[str], separator: str, crlf: bool,
                                        has_copyright: bool) -> None:
    labels = [f"Region: {', '.join(links(regions, target))}",
              f"Theme: {', '.join(links(themes, target))}"]
    if reports:
        labels.append(f"In-depth Report: {', '.join(links(reports, target))}")
    text = dump(title=title, byline="By " + listed(links(authors, target)),
                dateline=f"Global Research, {written(published, forms[0])}",
                source_line=f"[{outlet}](#) {written(original_date, forms[1])}",
                labels=tuple(labels), body="\n\n".join(paragraphs),
                original=f"The original source of this article is [{outlet}](#)",
                copyright_line=(f"Copyright © {listed(links(authors, target))}, [{outlet}](#), "
                                f"{published.year}") if has_copyright else None,
                articles_by=listed(links(authors, target)), separator=separator)
    if crlf:
        text = text.replace("\n", "\r\n")
    article = convert(text.encode("utf-8"), PATH)
    assert article.title == title
    assert list(article.authors) == authors
    assert (list(article.regions), list(article.themes), list(article.reports)) == (
        regions, themes, reports)
    assert article.date == published
    assert (article.source.name, article.source.url, article.source.date) == (
        outlet, None, original_date)
    assert article.draft is not has_copyright
    if has_copyright:
        said_once: list[str] = []  # the page repeats names ("South Front, South Front, 2017")
        for part in f"{listed(authors)}, {outlet}, {published.year}".split(", "):
            if part.lower() not in [s.lower() for s in said_once]:
                said_once.append(part)
        assert article.copyright == ", ".join(said_once)
    assert article.body == "\n\n".join(paragraphs)
    written_reads_back(article)
