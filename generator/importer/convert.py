"""One input's bytes to one article: decode, pick a reader, read, and apply the contract's
rules every reader shares (summary, slug, drafts for missing attribution, origin)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from generator.errors import printable
from generator.importer.body import structure
from generator.importer.readers import READERS, find_reader
from generator.importer.readers.base import Reader
from generator.importer.record import ImportedArticle, NotAnArticleError, Origin
from generator.importer.text import decode
from generator.urls import slugify

SUMMARY_WORDS = 40
_BOUNDARY = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”\u2019)\]]))\s+(?=[\"“\u2018(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Lt|Col|Sen|Rep|Gov|No|vs"
                           r"|etc|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec))\.$")
_MISSING = {
    "source.name": "no original source (“The original source of this article is …”): "
                   "imported as a draft; fill in `source.name` before publishing",
    "copyright": "no copyright line (“Copyright © …”): imported as a draft; fill in "
                 "`copyright` before publishing",
}


def convert(data: bytes, path: Path, readers: tuple[Reader, ...] = READERS) -> ImportedArticle:
    """The article in one input file's bytes; raises ArticleImportError when there is none."""
    text, notes = decode(data, path)
    if text.startswith("---\n"):
        raise NotAnArticleError("it already has YAML front matter (a Folio article file?)",
                                path, "articles in content/ are not imported again")
    reader = find_reader(text, path, readers)
    article = reader.read(text, path)
    origin = Origin(file=printable(path.name), digest=input_digest(data), reader=reader.name)
    return finish(article, origin, notes)


def input_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def finish(article: ImportedArticle, origin: Origin,
           notes: tuple[str, ...] = ()) -> ImportedArticle:
    """Fill in what is derived the same way for every format; never invent attribution."""
    warnings = [*notes, *article.warnings]
    slug = article.slug or slugify(article.title)
    if not slug:
        slug = slugify(Path(origin.file).stem) or "article"
        warnings.append(f"the title gives no URL slug: the file is named after the input ({slug})")
    missing = article.missing_attribution
    warnings += [_MISSING[key] for key in missing]
    if not article.body:
        warnings.append("the article has no body text")
    return replace(article, slug=slug, summary=article.summary or summarise(article.body),
                   draft=article.draft or bool(missing), origin=origin,
                   warnings=tuple(warnings))


def summarise(body: str, limit: int = SUMMARY_WORDS) -> str | None:
    """A sentence or two from the first paragraph of prose, as plain text."""
    paragraphs = [b.plain for b in structure(body.split("\n")) if b.kind == "paragraph"]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return None
    first = next((p for p in paragraphs if len(p.split()) >= 8), paragraphs[0])
    summary = ""
    for sentence in sentences(first)[:2]:
        candidate = f"{summary} {sentence}".strip()
        if summary and len(candidate.split()) > limit:
            break
        summary = candidate
    words = summary.split()
    if len(words) > limit:
        return " ".join(words[:limit]).rstrip(",;:") + "…"
    return summary


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph of plain text (abbreviations such as "Dr." do not end one)."""
    result, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if _ABBREVIATION.search(text[start:match.start()]):
            continue
        result.append(text[start:match.start()])
        start = match.end()
    result.append(text[start:])
    return [s for s in result if s]
