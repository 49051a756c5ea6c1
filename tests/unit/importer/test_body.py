"""Body lines to Markdown blocks."""

from __future__ import annotations

from generator.importer.body import Block, drop_closing, markdown, structure, tidy


def kinds(text: str) -> list[str]:
    return [b.kind for b in structure(text.split("\n"))]


def test_every_plain_line_is_a_paragraph() -> None:
    blocks = structure(["One.", "Two.", "", "", "   Three."])
    assert markdown(blocks) == "One.\n\nTwo.\n\nThree."


def test_block_kinds() -> None:
    text = ("# Title\nSub\n===\n- a\n- b\n\n- c\n* * *\n> q\n| t |\n```\ncode  \n```\n"
            "• bullet\n• bullet two\n1) one")
    assert kinds(text) == ["heading", "heading", "list", "separator", "quote", "table", "code",
                           "list"]
    assert structure(["• x", "• y"])[0].text == "- x\n- y"


def test_unclosed_fence_is_closed() -> None:
    assert markdown(structure(["```", "x = 1"])) == "```\nx = 1\n```"


def test_tidy_drops_separators_at_the_ends_and_doubles() -> None:
    blocks = structure(["*", "A", "***", "---", "B", "*"])
    assert markdown(tidy(blocks)) == "A\n\n***\n\nB"


def test_drop_closing_steps_over_kept_notes() -> None:
    blocks = structure(["Text.", "Appeal.", "Credit."])
    result = drop_closing(blocks, lambda b: b.text == "Appeal.", lambda b: b.text == "Credit.")
    assert markdown(result) == "Text.\n\nCredit."
    assert drop_closing(blocks, lambda b: b.text == "Text.", lambda b: False) == blocks


def test_block_plain_text() -> None:
    assert Block("paragraph", ("A [link](https://x.example/) **b**",)).plain == "A link b"
