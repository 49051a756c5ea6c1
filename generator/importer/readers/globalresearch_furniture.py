"""The furniture of Global Research pages: notes the site puts around every article.

Each pattern is one sentence of the site's (or the original outlet's) boilerplate, matched
at the start of a line; a line loses the sentences it starts with and is kept when anything
of the article is left. Sentences that are merely about donations or copyright stay.
"""

from __future__ import annotations

import re

from generator.importer.body import Block
from generator.importer.text import LINK, squash

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
                     r"|our work)\b|make a (?:tax[- ]deductible )?donation|please donate"
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
