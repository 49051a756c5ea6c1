"""What a page's templates actually read, seen while they render.

The fingerprints (generator/fingerprint.py) predict from the templates' text whether a page
shows other articles' bodies or walks a term's or a year's whole list; a template can reach
them in ways no reading of its text sees (`a[name]` with a computed name, `attr(...)`,
`map(attribute=...)`, a partial included on some pages only). Every attribute or item a
template reads goes through its environment's `getattr`/`getitem` (Jinja's filters too), so
the environment notes the reads that widen what a page depends on; the build stores them
with the page's output and counts them in its fingerprint from then on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.model import Article, Term, YearArchive

BODIES = 1  # the page read the body (or word count) of an article other than its own
LISTS = 2  # the page walked a term's or a year's whole list of articles
_BODY_FIELDS = frozenset({"body_html", "word_count", "digest"})
_WATCHED = _BODY_FIELDS | {"articles"}


@dataclass(slots=True)
class Reads:
    """The reads of one render that widen what the page depends on."""

    bodies: set[Path] = field(default_factory=set)  # articles whose body was read
    lists: bool = False

    def flags(self, own: object) -> int:
        """BODIES | LISTS as they apply to a page whose own article is `own` (or None)."""
        own_path = own.source_path if isinstance(own, Article) else None
        foreign = bool(self.bodies - {own_path}) if own_path is not None else bool(self.bodies)
        return (BODIES if foreign else 0) | (LISTS if self.lists else 0)


class TrackingEnvironment(jinja2.Environment):
    """A Jinja environment that notes, while `tracking()`, reads of article bodies and of
    whole term or year lists. (Jinja's own getattr and getitem, inlined: every attribute a
    template reads comes here, so the common case costs one set lookup more.)"""

    reads: Reads | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        if attribute in _WATCHED and self.reads is not None:
            self._note(obj, attribute)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str) and argument in _WATCHED and self.reads is not None:
            self._note(obj, argument)
        return super().getitem(obj, argument)

    def _note(self, obj: Any, name: str) -> None:
        kind = type(obj)
        if kind is Article:
            if name in _BODY_FIELDS:
                self.reads.bodies.add(obj.source_path)  # type: ignore[union-attr]
        elif (kind is Term or kind is YearArchive) and name == "articles":
            self.reads.lists = True  # type: ignore[union-attr]

    @contextlib.contextmanager
    def tracking(self) -> Iterator[Reads]:
        """Note the reads of what renders inside the block (one render at a time)."""
        reads = self.reads = Reads()
        try:
            yield reads
        finally:
            self.reads = None
