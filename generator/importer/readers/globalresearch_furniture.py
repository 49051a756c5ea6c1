"""The furniture of Global Research pages: notes the site puts around every article.

Each pattern is one sentence of the site's (or the original outlet's) boilerplate, matched
at the start of a line; a line loses the sentences it starts with and is kept when anything
of the article is left. Sentences that are merely about donations or copyright stay.

The site's appeals (2024: "Give Truth a Chance… Donate to Global Research") are taken out
only above and below the article, never from inside it: a line made only of appeal
sentences, or an appeal over a few lines from its opening to its call to donate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.importer.body import Block
from generator.importer.text import LINK, plain_text, squash

_SENTENCE_END = r"[^\n]*?(?:[.!?][\"”\u2019)\]*_]*(?=\s|$)|$)"
_WHOLE_LINE = r"[^\n]*$"

_SENTENCES = [
    # notes at the top of newer pages
    r"All Global Research articles can be read in\b",
    r"(?:To receive|Subscribe to|Sign up for|Get)\b[^.\n]{0,60}?news ?letter",
    r"Click the .{0,2}Translate Website.{0,2}",
    r"(?:Visit and )?follow us on (?:Instagram|Twitter|X|Facebook|Telegram)\b",
    r"(?:and )?subscribe to our Telegram channel",
    r"Global Research Wants to Hear From You",
    r"Spread the Truth,? Refer a Friend to Global Research",
    r"Subscribe to Global Research\b",
    # share-button notes
    r"Note to readers:?\s*(?=(?:please\s+)?click)",
    r"(?:Please\s+)?click the share buttons?\b",
    r"Forward this article to your email lists?",
    r"Crosspost on your blog site",
    r"Feel free to repost\b[^\n]{0,40}?Global Research",
    # the site's own appeals
    r"Global Research is a reader-funded media",
    r"We do not accept any funding from corporations or governments",
    r"Help us stay afloat",
    r"(?:Click the image below to )?make a one-time or recurring donation",
    r"Become (?:a )?Member of Global Research",
    r"(?:Please )?(?:support|donate to) Global Research\b",
    r"(?:Please )?(?:Click (?:here )?to )?make a donation to Global Research\b",
    r"Comment on Global Research Articles on our Facebook page",
    r"etc\.",
]
_LINES = [
    r"Url\s+of\s+this\s+article\b",
    r"Articles\s+by\s*:",
    r"Disclaimer\s*:\s*The contents of this article are of sole responsibility",
    r"www\.globalresearch\.ca contains copyrighted material",
    r"For media inquiries",
]
FURNITURE = re.compile("|".join([*(f"(?:{s}){_SENTENCE_END}" for s in _SENTENCES),
                                 *(f"(?:{s}){_WHOLE_LINE}" for s in _LINES)]), re.IGNORECASE)

#: Notes that come after the attribution (and only there): a page with them is complete.
CLOSING = re.compile(r"Comment on Global Research|Become (?:a )?Member of Global Research"
                     r"|Articles\s+by\s*:|Disclaimer\s*:|www\.globalresearch\.ca contains"
                     r"|For media inquiries", re.IGNORECASE)

# An outlet's standard closing appeal (South Front's "If you're able, …", PayPal, Patreon).
_APPEAL = re.compile(r"paypal|patreon\.com|donorbox|/donate\b|\bif you(?:'|\u2019|\s+a)re\s+able\b"
                     r"|please support (?:the project|our work|us)\b|support (?:the project"
                     r"|our work)\b|make a tax[- ]deductible donation|make a donation (?:at|here"
                     r"|today|now|to (?:us|our))\b|please donate"
                     r"|donate (?:now|today|here)\b", re.IGNORECASE)
# Notes at the end of an article that stay: image credits, where it was first published.
_KEPT_NOTE = re.compile(r"^\W*(?:featured image|image|photo|picture|cover image|video"
                        r"|source|credit|this article was (?:originally|first) published"
                        r"|(?:originally|first) published)\b", re.IGNORECASE)


def strip_furniture(line: str) -> str | None:
    """The line without the site's sentences it starts with: unchanged when it starts with
    none, None when nothing is left."""
    flat = squash(LINK.sub(lambda m: m["text"], line))
    rest = flat.lstrip("[*_ ")
    stripped = False
    while rest and (match := FURNITURE.match(rest)):
        stripped = True
        rest = rest[match.end():].lstrip(" *_]")
    if not stripped:
        return line
    return rest if re.search(r"\w", rest) else None


def is_appeal(block: Block) -> bool:
    return block.kind in ("paragraph", "list") and bool(_APPEAL.search(block.text))


def is_kept_note(block: Block) -> bool:
    if block.kind != "paragraph":
        return False
    text = block.text
    return bool(_KEPT_NOTE.match(block.plain)) or text.startswith("![")


# --- appeals above and below the article --------------------------------------------------

# An appeal's first sentence, and its call (a last sentence); both matched as whole sentences.
_OPENER = (r"Give Truth a Chance|Global Research Wants to Hear From You|Stand (?:up )?for "
           r"(?:the )?Truth(?: in \d{4})?(?: and Beyond)?|Help (?:us )?(?:keep )?Global Research"
           r"(?: stay)? (?:afloat|alive|independent)|Support Independent Media")
_CALL = (r"(?:Please )?(?:Click (?:here |below )?to )?(?:make a (?:one-time or (?:a )?"
         r"recurring )?donation|donate)(?: (?:now|today|here))?(?: to Global Research)?"
         r"|(?:Please )?(?:support|subscribe to|donate to) Global Research(?: (?:now|today))?"
         r"|(?:Click (?:here )?to )?become a member(?: of Global Research)?"
         r"(?: \(receive free books!?\))?|(?:Click (?:here )?to )?view our membership plans")
_END = r"[\s.!?:;,\u2026\u2013\u2014|\-]*"
_APPEAL_SENTENCE = re.compile(rf"(?:{_OPENER}|{_CALL}|Spread the Truth,? Refer a Friend to "
                              rf"Global Research|Thank you for supporting independent media)"
                              rf"{_END}", re.IGNORECASE)
_WHOLE_OPENER = re.compile(rf"(?:{_OPENER}){_END}$", re.IGNORECASE)
_WHOLE_CALL = re.compile(rf"(?:{_CALL}){_END}$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?\u2026])[\"\u201d\u2019)\]]*\s+")
RUN_LINES = 6  # an appeal over several lines is at most this long
RUN_WORDS = 80  # and none of its lines is longer than this


def is_appeal_text(text: str) -> bool:
    """True when a line (as plain text) is nothing but the site's appeals and notes."""
    rest = plain_text(text).strip(" *_")
    matched = False
    while rest:
        match = _APPEAL_SENTENCE.match(rest) or FURNITURE.match(rest)
        if match is None or not match.end():
            return False
        matched = True
        rest = rest[match.end():].lstrip(" *_\u2026\u2013\u2014|-")
    return matched


def appeal_lines(lines: Sequence[str], reach: int = 15) -> set[int]:
    """Indexes of the lines of the site's appeals at the top and the bottom of a body. The
    scan from each end steps over the notes that other rules take out or keep, and stops at
    the first line of the article."""
    order = [index for index, line in enumerate(lines) if line.strip()]
    dropped: set[int] = set()
    for sequence, upwards in ((order[:reach], False), (order[::-1][:reach], True)):
        position = 0
        while position < len(sequence):
            run = _run([lines[i] for i in sequence[position:position + RUN_LINES]], upwards)
            if run:
                dropped.update(sequence[position:position + run])
                position += run
            elif _passed_over(lines[sequence[position]], upwards):
                position += 1
            else:
                break
    return dropped


def _run(lines: Sequence[str], upwards: bool) -> int:
    """How many of these lines (read downwards, or upwards from the bottom) are one appeal:
    an opening ... call over a few short lines, or one line of appeal sentences; 0 if none."""
    starts, ends = (_WHOLE_CALL, _WHOLE_OPENER) if upwards else (_WHOLE_OPENER, _WHOLE_CALL)
    if _sentence(lines[0], starts, last=upwards):
        for count, line in enumerate(lines, start=1):
            if len(plain_text(line).split()) > RUN_WORDS:
                break
            if _sentence(line, ends, last=not upwards):
                return count
    return 1 if is_appeal_text(lines[0]) else 0


def _sentence(line: str, pattern: re.Pattern[str], *, last: bool) -> bool:
    """Whether the line's first (or last) sentence is wholly the pattern."""
    sentences = [s for s in _SENTENCE_BREAK.split(plain_text(line).strip(" *_")) if s]
    return bool(sentences) and bool(pattern.match(sentences[-1 if last else 0]))


def _passed_over(line: str, upwards: bool) -> bool:
    """Lines the scan for appeals steps over: separators, notes other rules remove, notes
    that stay (image credits, "originally published"), and below the article the outlet's
    own appeal (`drop_closing` takes it out)."""
    plain = plain_text(line)
    return (not re.search(r"\w", plain) or strip_furniture(line) is None
            or bool(_KEPT_NOTE.match(plain)) or line.lstrip().startswith("![")
            or (upwards and bool(_APPEAL.search(line))))
