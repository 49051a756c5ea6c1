"""An article's identity: its input, its address, its byline confirmed by its text."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from generator.importer.identity import (
    BODY_DISTANCE,
    Identity,
    article_address,
    body_print,
    byline_key,
    same_article,
)

TEXT = " ".join(f"Paragraph {n} says what the mayor announced about the water supply of the "
                "eastern districts and what the residents answered." for n in range(10))
OTHER = " ".join(f"Line {n}: the election commission counted the ballots of the northern "
                 "provinces twice before it published any result." for n in range(10))


@pytest.mark.parametrize(("url", "address"), [
    ("https://outlet.example/2017/09/article/", "outlet.example/2017/09/article"),
    ("http://www.Outlet.example/2017/09/article#comments", "outlet.example/2017/09/article"),
    ("https://outlet.example/a?utm_source=x&id=7&fbclid=y", "outlet.example/a?id=7"),
    ("https://outlet.example:8443//a//b/", "outlet.example:8443/a/b"),
    ("https://outlet.example/", None),  # a home page is not one article
    ("https://outlet.example", None),
    ("mailto:editor@outlet.example", None),
    ("#", None),
    ("", None),
    (None, None),
    ("https://outlet.example:99999/a", None),  # malformed
])
def test_article_address(url: str | None, address: str | None) -> None:
    assert article_address(url) == address


def test_byline_key_ignores_order_case_punctuation_and_the_title() -> None:
    key = byline_key("Global Research", dt.date(2017, 9, 2), "South Front", dt.date(2017, 9, 1),
                     ["Ann Author", "Bo Author"])
    assert key == byline_key("global research", "2017-09-02", "South-Front", "2017-09-01",
                             ["bo author", "Ann Author."])
    assert key == byline_key("Global Research", dt.datetime(2017, 9, 2, 10, 30), "South Front",
                             dt.date(2017, 9, 1), ["Ann Author", "Bo Author"])
    assert key != byline_key("Global Research", dt.date(2017, 9, 3), "South Front",
                             dt.date(2017, 9, 1), ["Ann Author", "Bo Author"])
    assert len(key) == 16


def test_body_print_is_close_for_one_text_and_far_for_another() -> None:
    one = body_print(TEXT)
    assert one is not None and one == body_print(TEXT.replace(" ", "  "))
    corrected = body_print(TEXT.replace("mayor", "deputy mayor", 2) + " A correction.")
    assert corrected is not None and (one ^ corrected).bit_count() <= BODY_DISTANCE
    other = body_print(OTHER)
    assert other is not None and (one ^ other).bit_count() > BODY_DISTANCE
    assert body_print("Too short to tell two articles apart.") is None
    assert body_print("") is None


def identity(**changes: object) -> Identity:
    base = Identity(digest="sha256:a", address=None, byline="b1", body=body_print(TEXT))
    return replace(base, **changes)


@pytest.mark.parametrize(("other", "reason"), [
    (identity(), "the same input"),
    (identity(digest="sha256:b", byline="b2", body=None), None),
    (identity(digest="sha256:b"), "the same byline and text"),
    (identity(digest="sha256:b", body=body_print(OTHER)), None),  # one outlet's other piece
    (identity(digest="sha256:b", byline="b2"), None),
    (identity(digest="sha256:b", body=None), None),  # too short to tell
])
def test_same_article_without_addresses(other: Identity, reason: str | None) -> None:
    assert same_article(identity(), other) == reason


@pytest.mark.parametrize(("other", "reason"), [
    (identity(digest="sha256:b", address="x.example/a", byline="b2"), "the same address"),
    (identity(digest="sha256:b", address="x.example/a", body=body_print(OTHER)),
     "the same address"),
    (identity(digest="sha256:b", address="x.example/a", byline="b2", body=body_print(OTHER)),
     None),  # a shared address with nothing else shared: a section page, not the article
    (identity(digest="sha256:b", address="x.example/b"), None),  # two addresses decide
    (identity(digest="sha256:b", address=None), "the same byline and text"),
])
def test_same_article_with_addresses(other: Identity, reason: str | None) -> None:
    assert same_article(identity(address="x.example/a"), other) == reason
