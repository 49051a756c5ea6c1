"""From bytes to an article: readers chosen, drafts, slugs, summaries, origins."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.importer.convert import convert, sentences, summarise
from generator.importer.readers import READERS, find_reader, suffixes
from generator.importer.readers.base import Reader
from generator.importer.record import ImportedArticle, NotAnArticleError
from generator.model import Source
from tests.unit.importer.dumps import SEED, dump


def test_origin_records_the_input_name_and_digest() -> None:
    data = SEED.read_bytes()
    article = convert(data, SEED)
    assert article.origin is not None
    assert article.origin.file == SEED.name
    assert article.origin.digest == "sha256:" + hashlib.sha256(data).hexdigest()


def test_same_input_same_record() -> None:
    data = SEED.read_bytes()
    assert convert(data, SEED) == convert(data, SEED)


def test_front_matter_files_are_not_imported_again() -> None:
    with pytest.raises(NotAnArticleError, match="front matter"):
        convert(b"---\ntitle: x\n---\nbody\n", Path("a.md"))


def test_slug_falls_back_to_the_file_name() -> None:
    article = convert(dump(title="!!!").encode(), Path("Some Dump 7.txt"))
    assert article.slug == "some-dump-7"
    assert any("no URL slug" in w for w in article.warnings)


def test_empty_body_is_a_warning() -> None:
    article = convert(dump(body="").encode(), Path("a.txt"))
    assert article.body == "" and article.summary is None
    assert any("no body" in w for w in article.warnings)


@pytest.mark.parametrize(("body", "summary"), [
    ("One short sentence. Another one. A third.", "One short sentence. Another one."),
    ("(Originally published 2003)\n\nThe real first paragraph has more than eight words in it.",
     "The real first paragraph has more than eight words in it."),
    ("## Heading\n\n**Bold** and [a link](https://x.example/) in a lead of enough words here.",
     "Bold and a link in a lead of enough words here."),
    (" ".join(["word"] * 60) + ".", " ".join(["word"] * 40) + "…"),
    ("Dr. Ann Smith of the U.S. Army said so in a long statement today. Then more.",
     "Dr. Ann Smith of the U.S. Army said so in a long statement today. Then more."),
    ("- only a list", None),
])
def test_summary(body: str, summary: str | None) -> None:
    assert summarise(body) == summary


def test_sentences() -> None:
    assert sentences("He said “no.” Then left. Prof. X agreed.") == [
        "He said “no.”", "Then left.", "Prof. X agreed."]


def _fake_read(text: str, path: Path) -> ImportedArticle:
    import datetime as dt

    return ImportedArticle(title="Fake", date=dt.date(2020, 1, 2), authors=(), regions=(),
                           themes=(), reports=(), publisher="Fake", body=text.strip(),
                           source=Source("Fake"), copyright="Fake, 2020")


FAKE = Reader(name="fake", suffixes=(".fake",), detect=lambda t, p: t.startswith("FAKE"),
              read=_fake_read)


def test_readers_are_tried_in_order_and_a_new_one_plugs_in() -> None:
    assert find_reader(SEED.read_text("utf-8"), SEED).name == "globalresearch"
    readers = (*READERS, FAKE)
    article = convert(b"FAKE body", Path("x.fake"), readers)
    assert article.title == "Fake" and article.origin is not None
    assert article.origin.reader == "fake" and article.slug == "fake"
    assert ".fake" in suffixes(readers) and suffixes() == (".htm", ".html", ".md", ".txt")
    with pytest.raises(NotAnArticleError, match="globalresearch"):
        convert(b"FAKE body", Path("x.fake"))
