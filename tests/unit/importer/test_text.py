"""Decoding, normalising and the Markdown helpers every reader shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.importer.record import EmptyInputError, NotTextError
from generator.importer.text import (
    decode,
    drop_dead_links,
    link_texts,
    normalise,
    plain_text,
    unlink,
    web_address,
)

PATH = Path("x.txt")


def test_decode_strips_bom_and_line_ends() -> None:
    text, warnings = decode(b"\xef\xbb\xbfTitle\r\nline \t\r\n\r\nend\rlast", PATH)
    assert text == "Title\nline\n\nend\nlast" and warnings == ()


def test_decode_falls_back_to_windows_1252_with_a_warning() -> None:
    text, warnings = decode("caf\u00e9 \u201cquoted\u201d".encode("cp1252"), PATH)
    assert text == "caf\u00e9 \u201cquoted\u201d"
    assert "Windows-1252" in warnings[0]


@pytest.mark.parametrize(("data", "error"), [
    (b"", EmptyInputError), (b" \r\n\t\n", EmptyInputError),
    (b"\xef\xbb\xbf", EmptyInputError), (b"\x00\x01\x02PNG", NotTextError),
    (b"\xe2\x80\x8b\n\xc2\xa0", EmptyInputError),
])
def test_decode_errors(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        decode(data, PATH)
    assert "x.txt" in str(raised.value)


def test_normalise_spaces_and_invisible_characters() -> None:
    assert normalise("a\u00a0b\u200bc\x07d\u2028e  ") == "a bcd\ne"


def test_dead_links_become_text() -> None:
    assert drop_dead_links("[a](#) [b]() [c](https://x.example/) ![d](#) ![](#)") == \
        "a b [c](https://x.example/) d "


def test_links_in_header_lines_tolerate_stray_spaces() -> None:
    assert link_texts("[ South  Front ] (#), [B](https://b.example/)") == [
        ("South Front", "#"), ("B", "https://b.example/")]
    assert unlink("Copyright © [A](#) ,  [B](#)") == "Copyright © A , B"


@pytest.mark.parametrize(("target", "address"), [
    ("https://a.example/x", "https://a.example/x"), ("<http://a.example/>", "http://a.example/"),
    ("#", None), ("/relative/path", None), ("javascript:alert(1)", None),
    ("www.example.org", None), ("mailto:a@example.org", None),
])
def test_web_address(target: str, address: str | None) -> None:
    assert web_address(target) == address


def test_plain_text() -> None:
    assert plain_text("## **Bold** [link](https://x.example/) _it_ `code` ![img](a.png) "
                      "<https://auto.example/> <b>tag</b>") == \
        "Bold link it code https://auto.example/ tag"
