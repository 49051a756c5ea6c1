"""The contract file for an imported article, and how to recognise one later.

The front matter ends with `imported_from`: the input's name and digest, the article's
identity (`address`, `byline`, `body`: see `identity.py`), so that a re-import recognises its
article wherever the file is and whatever its title has become, and `output_digest`, the
SHA-256 of the file exactly as the importer wrote it (with that value zeroed). A file whose
digest no longer matches has been edited by someone, and `--force` leaves it alone.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath
from typing import Any

import frontmatter
import yaml

from generator.importer.identity import identity_of
from generator.importer.record import ImportedArticle, Origin
from generator.model import Source

ARTICLES_DIR = "articles"
_ZEROS = "0" * 64
_OUTPUT_DIGEST = re.compile(r"^  output_digest: sha256:([0-9a-f]{64})$", re.MULTILINE)


class _Dumper(yaml.SafeDumper):
    """Safe YAML that writes a repeated value (the same date twice) out in full, never as
    an anchor and alias, which curators would not recognise."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def relative_path(article: ImportedArticle) -> PurePosixPath:
    """Where the article goes inside content/: articles/YYYY/MM/<slug>.md."""
    return PurePosixPath(ARTICLES_DIR, f"{article.date.year:04d}", f"{article.date.month:02d}",
                         f"{article.slug}.md")


def front_matter(article: ImportedArticle) -> dict[str, Any]:
    """The front matter in the order of CONTENT.md; `draft` only when true."""
    meta: dict[str, Any] = {
        "title": article.title,
        "date": article.date,
        "authors": list(article.authors),
        "regions": list(article.regions),
        "themes": list(article.themes),
        "reports": list(article.reports),
        "publisher": article.publisher,
        "source": {"name": article.source.name, "url": article.source.url,
                   "date": article.source.date},
        "copyright": article.copyright,
    }
    if article.summary:
        meta["summary"] = article.summary
    meta["slug"] = article.slug
    if article.draft:
        meta["draft"] = True
    if article.image:
        meta["image"] = article.image
    if article.origin is not None:
        identity = identity_of(article, article.origin.digest)
        meta["imported_from"] = {
            "file": article.origin.file, "digest": article.origin.digest,
            "reader": article.origin.reader, "address": identity.address,
            "byline": identity.byline,
            "body": f"{identity.body:016x}" if identity.body is not None else None,
            "output_digest": f"sha256:{_ZEROS}"}
    return meta


def render(article: ImportedArticle) -> str:
    """The article file's text: the same record always gives the same bytes."""
    yaml_text = yaml.dump(front_matter(article), Dumper=_Dumper, sort_keys=False,
                          allow_unicode=True, default_flow_style=False, width=1_000_000)
    text = f"---\n{yaml_text}---\n" + (f"\n{article.body}\n" if article.body else "")
    match = _digest_match(text)
    if match is None:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return text[:match.start(1)] + digest + text[match.end(1):]


def is_untouched(text: str) -> bool:
    """True when the file is exactly what the importer wrote (its output digest matches)."""
    match = _digest_match(text)
    if match is None:
        return False
    zeroed = text[:match.start(1)] + _ZEROS + text[match.end(1):]
    return hashlib.sha256(zeroed.encode("utf-8")).hexdigest() == match[1]


def _digest_match(text: str) -> re.Match[str] | None:
    """The output digest line, looked for in the front matter only."""
    end = text.find("\n---\n", 3)
    if not text.startswith("---\n") or end < 0:
        return None
    matches = list(_OUTPUT_DIGEST.finditer(text, 0, end + 1))
    return matches[-1] if matches else None


def recorded_origin(text: str) -> Origin | None:
    """The `imported_from` of an existing file, if it has a readable one."""
    try:
        meta = frontmatter.loads(text).metadata
    except Exception:  # a hand-edited file may hold anything; it is then simply not ours
        return None
    value = meta.get("imported_from")
    if not isinstance(value, dict) or not all(
            isinstance(value.get(k), str) for k in ("file", "digest", "reader")):
        return None
    return Origin(file=value["file"], digest=value["digest"], reader=value["reader"])


def read_back(text: str) -> ImportedArticle:
    """The record a file written by `render` holds (python-frontmatter, as a curator's tools
    would read it)."""
    post = frontmatter.loads(text)
    meta = post.metadata
    source = meta.get("source") or {}
    return ImportedArticle(
        title=meta["title"],
        date=meta["date"],
        authors=tuple(meta.get("authors") or ()),
        regions=tuple(meta.get("regions") or ()),
        themes=tuple(meta.get("themes") or ()),
        reports=tuple(meta.get("reports") or ()),
        publisher=meta.get("publisher"),
        source=Source(name=source.get("name"), url=source.get("url"), date=source.get("date")),
        copyright=meta.get("copyright"),
        body=post.content,
        summary=meta.get("summary"),
        slug=meta.get("slug", ""),
        draft=bool(meta.get("draft", False)),
        origin=recorded_origin(text),
        image=meta.get("image"),
    )
