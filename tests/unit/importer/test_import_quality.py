"""Extraction quality against trafilatura (bench/import_quality.py, issue 16): on the fixture
pages, Folio loses no text trafilatura finds, and beats it where Global Research's rules
apply. The scores themselves are in bench/RESULTS.md."""

from __future__ import annotations

import pytest

from bench import import_quality as quality


@pytest.fixture(scope="module")
def comparison() -> tuple[list[quality.Result], list[quality.Page]]:
    return quality.run()


def test_folio_loses_no_text_trafilatura_finds(comparison) -> None:
    results, _ = comparison
    assert results
    lower = {r.page.name: (r.folio.recall, r.trafilatura.recall) for r in results
             if r.folio.recall < r.trafilatura.recall - quality.RECALL_SLACK}
    assert not lower, f"Folio's recall below trafilatura's (Folio, trafilatura): {lower}"


def test_folio_beats_trafilatura_on_global_research_pages(comparison) -> None:
    results, _ = comparison
    site = [r for r in results if r.page.site_rules]
    assert len(site) >= 4
    for result in site:
        assert result.page.reader == "globalresearch-html", result.page.name
        assert result.folio.f1 > result.trafilatura.f1, (result.page.name, result.folio,
                                                          result.trafilatura)


def test_every_imported_fixture_page_has_a_reference(comparison) -> None:
    _, unscored = comparison
    missing = [str(quality.reference_path(p.path).relative_to(quality.ROOT))
               for p in unscored if not p.refused]
    assert not missing, f"pages Folio imports with no hand-checked reference: {missing}"


def test_every_reference_belongs_to_a_page() -> None:
    pages = {path.stem for path, _ in quality.page_paths()}
    references = {p.name.removesuffix(".reference.txt")
                  for p in quality.REFERENCES.glob("*.reference.txt")}
    assert references <= pages


# --- the measure on small strings -------------------------------------------------------


def test_words_are_lowercased_without_punctuation() -> None:
    assert quality.words("The valley's «Water» — wars, 5-10 km!") == \
        ["the", "valleys", "water", "wars", "5", "10", "km"]
    assert quality.words("Café CRÈME") == ["café", "crème"]


def test_shingle_scores_on_small_strings() -> None:
    reference = "one two three four five six"  # 3 shingles
    same = quality.score("One, two; three four. Five six!", reference)
    assert (same.precision, same.recall, same.f1) == (1.0, 1.0, 1.0)
    # a prefix: every shingle right (precision 1), 1 of 3 found (recall 1/3)
    prefix = quality.score("one two three four", reference)
    assert prefix.precision == 1.0 and prefix.recall == pytest.approx(1 / 3)
    assert prefix.f1 == pytest.approx(0.5)
    # furniture before the text: all 3 found, 3 of its 6 shingles right
    padded = quality.score("share this now one two three four five six", reference)
    assert padded.recall == 1.0 and padded.precision == pytest.approx(3 / 6)
    assert padded.f1 == pytest.approx(2 * 0.5 / 1.5)
    nothing = quality.score("", reference)
    assert (nothing.precision, nothing.recall, nothing.f1) == (0.0, 0.0, 0.0)
    assert quality.score("seven eight nine ten", reference).f1 == 0.0


def test_a_repeated_shingle_matches_as_often_as_the_reference_has_it() -> None:
    reference = "a b c d"
    # 5 shingles, a-b-c-d twice: only one of them matches the reference's one
    twice = quality.score("a b c d a b c d", reference)
    assert twice.recall == 1.0 and twice.precision == pytest.approx(1 / 5)
    assert quality.score("a b c d", "a b c d x a b c d").recall == pytest.approx(1 / 6)


def test_texts_shorter_than_a_shingle_are_one_gram() -> None:
    assert quality.shingles("Hello, world") == {("hello", "world"): 1}
    assert quality.score("hello world", "Hello world.").f1 == 1.0


def test_markdown_is_compared_as_the_text_a_reader_sees() -> None:
    markdown = ("## A [linked](https://x.example/a_(b)) heading\n\n"
                "- one ![alt text](https://x.example/i.png \"t\")\n"
                "1. two [![](https://x.example/i.png)](https://x.example/)\n\n"
                "> quoted *text*\\[1\\] <https://x.example/p>\n\n"
                "| a | b |\n|---|---|\n| 2019 | 31 |")
    assert quality.words(quality.markdown_text(markdown)) == [
        "a", "linked", "heading", "one", "two", "quoted", "text", "1", "https", "x",
        "example", "p", "a", "b", "2019", "31"]


def test_lost_text_is_shown_as_runs_of_words() -> None:
    reference = "alpha beta gamma delta epsilon zeta eta theta"
    lost = quality.shingles(reference) - quality.shingles("alpha beta gamma delta")
    assert quality.spans(reference, lost) == ["beta gamma delta epsilon zeta eta theta"]
