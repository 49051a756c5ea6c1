"""Global Research page dumps for tests: the fixture folders, and a builder for variations."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CASES = FIXTURES / "cases"
BAD = FIXTURES / "bad"
SEED = CASES / "seed_south_front.txt"

CLOSING = """\
[Comment on Global Research Articles on our Facebook page](#)

[Become a Member of Global Research](#)

Articles by: {articles_by}

Disclaimer: The contents of this article are of sole responsibility of the author(s). The \
Centre for Research on Globalization will not be responsible for any inaccurate or incorrect \
statement in this article.

www.globalresearch.ca contains copyrighted material the use of which has not always been \
specifically authorized by the copyright owner.

For media inquiries: publications@globalresearch.ca
"""

DEFAULT_BODY = ("First paragraph of the article, which says what happened.\n\n"
                "Second paragraph, with more of the story.")


def dump(*, title: str = "An Article About Something",
         byline: str | None = "By [Ann Author](#)",
         dateline: str | None = "Global Research, September 02, 2017",
         source_line: str | None = "[Original Outlet](#) 1 September 2017",
         labels: tuple[str, ...] = ("Region: [Europe](#)", "Theme: [Global Economy](#)",
                                    "In-depth Report: [SYRIA](#)"),
         body: str = DEFAULT_BODY,
         original: str | None = "The original source of this article is [Original Outlet](#)",
         copyright_line: str | None = "Copyright © [Ann Author](#), [Original Outlet](#), 2017",
         closing: bool = True, articles_by: str = "[Ann Author](#)",
         separator: str = "\n\n") -> str:
    """A page dump laid out like the seed; pass None to leave a part out."""
    header = [title, byline, dateline, source_line, *labels]
    parts = [p for p in header if p is not None]
    parts.append(body)
    tail = [p for p in (original, copyright_line) if p is not None]
    if tail:
        parts.append("\n".join(tail))
    if closing:
        parts.append(CLOSING.format(articles_by=articles_by).replace("\n\n", separator))
    return "\n\n" + separator.join(parts) + "\n"
