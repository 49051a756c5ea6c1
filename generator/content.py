"""Content files: find them, split front matter from body, and validate each one.

Parsing works on a string (`parse_article`, `parse_page`); reading files is a thin wrapper.
Every problem in a file is collected, so a curator sees them all in one build.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import reprlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from frontmatter.default_handlers import YAMLHandler

from generator.config import PROVENANCE, SiteConfig
from generator.errors import ContentError, Problem, printable
from generator.markdown import render, truncate_words
from generator.model import Article, Page, Source
from generator.urls import asset_problem, slugify

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # C: several times faster


class BadDate(str):
    """A YAML timestamp that is no day on the calendar (`2021-02-30`): kept as its text, with
    the reason, for the field that reads it to report."""

    reason = ""


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, except that an impossible date becomes a `BadDate`, not a crash."""


def _timestamp(loader: Any, node: yaml.Node) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except Exception as exc:  # no day on the calendar, or no date at all (!!timestamp x)
        bad = BadDate(loader.construct_scalar(node))
        bad.reason = str(exc)
        return bad


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

PAGES_DIR = "pages"
ARTICLE_KEYS = ("title", "date", "publisher", "source", "copyright", "summary", "slug", "draft",
                "updated", "image")
FRONT_MATTER_LISTS = ("authors", "regions", "themes", "reports")
NEAR_MISS = 0.8  # how alike a key must be to a known one to be taken for a misspelling
_HANDLER = YAMLHandler()
_COPYRIGHT_PREFIX = re.compile(r"^\s*(?:copyright\b\s*)?(?:©|\(c\))?\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ParseSettings:
    """All that parsing a content file reads of the site's configuration: parse_article and
    parse_page read the configuration only through this, so its digest is the cache key of
    every parse (a change to any of it parses every file again)."""

    allow_html: bool
    typographer: bool
    summary_words: int
    taxonomies: tuple[str, ...]  # their front matter keys
    content_path: Path

    @classmethod
    def of(cls, config: SiteConfig) -> ParseSettings:
        return cls(config.allow_html, config.typographer, config.summary_words,
                   tuple(t.key for t in config.taxonomies), config.content_path)

    def digest(self) -> str:
        return digest(repr(self).encode())


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found under content/: an article or a plain page."""

    path: Path
    kind: str  # "article" | "page"


@dataclass(frozen=True, slots=True)
class Parsed:
    """The result of parsing one file: the item when it is good, and every problem found."""

    item: Article | Page | None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    digest: str = ""  # of the file's bytes, as read
    body_digest: str = ""  # of an article's Markdown body: the same body renders the same
    lead: str = ""  # the plain text of the body's first paragraph


def discover(config: SiteConfig) -> list[SourceFile]:
    """Every Markdown file under content/, in a stable order; editor and hidden files skipped."""
    return [SourceFile(Path(path), kind) for path, kind in discover_paths(config)]


def discover_paths(config: SiteConfig,
                   folders: dict[str, int] | None = None) -> list[tuple[str, str]]:
    """(path, kind) of every content file, as plain strings: cheap enough to run on every
    build of a large archive. `folders` gets each folder looked in, with its mtime taken
    before it was listed (a file added or removed since changes it)."""
    root = str(config.content_path)
    if not os.path.isdir(root):
        return []
    found: list[tuple[tuple[str, ...], str]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(root, ())]
    while pending:
        folder, parts = pending.pop()
        try:  # a folder that cannot be read is passed over, as os.walk does
            mtime = os.stat(folder).st_mtime_ns
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        if folders is not None:
            folders[folder] = mtime
        for entry in entries:
            name = entry.name
            if entry.is_dir():  # (a linked folder is not followed, as in os.walk)
                if not name.startswith((".", "_")) and not entry.is_symlink():
                    pending.append((entry.path, (*parts, name)))
            elif name.endswith(".md") and not name.startswith((".", "_", "#")):
                found.append(((*parts, name), entry.path))
    found.sort()
    _names_are_text([path for _, path in found])
    return [(path, "page" if parts[0] == PAGES_DIR and len(parts) > 1 else "article")
            for parts, path in found]


def _names_are_text(paths: list[str]) -> None:
    """Content files are known by their paths (the cache, URLs): a name whose bytes are not
    UTF-8 (saved by a tool using another encoding) is an error naming each such file."""
    problems = []
    for path in paths:
        try:
            path.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(Problem("the file name is not UTF-8 text", path=Path(printable(path)),
                                    hint="rename the file (its slug comes from its name)"))
    if problems:
        raise ContentError(problems, title="Content files Folio cannot name")


def read_source(source: SourceFile, config: SiteConfig, reuse: Parsed | None = None) -> Parsed:
    """Read and parse one content file; an article whose body is the one `reuse` (its last
    parse, under the same configuration) was made from keeps that body's rendering."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return Parsed(None, (Problem(f"cannot be read: {exc.strerror}", path=source.path),))
    file_digest = digest(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Parsed(None, (Problem(f"not UTF-8 text (byte {exc.start})", path=source.path,
                                    hint="save the file as UTF-8"),), digest=file_digest)
    if source.kind == "page":
        return replace(parse_page(text, source.path, config), digest=file_digest)
    return replace(parse_article(text, source.path, config, reuse), digest=file_digest)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class _Fields:
    """Reads typed values out of a front matter mapping, noting every problem."""

    def __init__(self, meta: dict[str, Any], path: Path, fm_text: str) -> None:
        self.meta, self.path, self.fm_text = meta, path, fm_text
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str, hint: str | None = None) -> None:
        line = _key_line(self.fm_text, key.split(".")[0])
        self.problems.append(Problem(message, path=self.path, line=line, key=key, hint=hint))

    def text(self, key: str, value: Any, *, required: bool = False, hint: str = "") -> str | None:
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if required:
                self.problem(key, "is missing", hint or f'add `{key}: "…"` to the front matter')
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(key, f"must be text, not {_describe(value)}", "put it in quotes")
            return None
        return str(value)

    def date(self, key: str, value: Any, *, required: bool = False) -> dt.date | None:
        if value is None or value == "":
            if required:
                self.problem(key, "is missing", "add `date: YYYY-MM-DD`")
            return None
        if isinstance(value, BadDate):
            self.problem(key, f"is not a date on the calendar: {value} ({value.reason})",
                         "write a real date as YYYY-MM-DD")
            return None
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                value = parsed if "T" in value or ":" in value else parsed.date()
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            try:
                value.astimezone(dt.UTC)  # how dates are ordered
            except OverflowError:
                self.problem(key, f"is out of the calendar in UTC: {value.isoformat()}",
                             "write a date from year 1 to 9999")
                return None
        if isinstance(value, dt.date):
            return value
        self.problem(key, f"is not an ISO date: {_shown(value)}", "write it as YYYY-MM-DD")
        return None

    def image(self, key: str, value: Any) -> str | None:
        """An image: an http(s) URL, or the path of a static file of the site."""
        if value is None or value == "":
            return None
        hint = f"write `{key}: images/photo.jpg` (a file in static/) or `{key}: https://…`"
        if not isinstance(value, str):
            self.problem(key, f"must be an image's URL or path, not {_describe(value)}", hint)
            return None
        reason = asset_problem(value.strip())
        if reason is not None:
            self.problem(key, reason, hint)
            return None
        return value.strip()

    def names(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(key, f"must be a list, not {_describe(value)}",
                         f"write `{key}: [{value}]`" if isinstance(value, str) else None)
            return ()
        names: dict[str, None] = {}  # in order, each once
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.problem(f"{key}[{index}]", f"must be a name, not {_describe(item)}",
                             "put it in quotes")
                continue
            name = " ".join(str(item).split())
            if not slugify(name):
                self.problem(f"{key}[{index}]",
                             f"{_shown(name)} has no letters or digits to name it by")
                continue
            names.setdefault(name)
        return tuple(names)

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_describe(value)}")
            return False
        return value


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, str, list[Problem]]:
    """Split a file into (metadata, front matter text, body, problems)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not _HANDLER.detect(text):
        return {}, "", text, [Problem("has no front matter", path=path, line=1,
                                      hint="start the file with a line `---`, the YAML keys, "
                                           "and another `---`")]
    try:
        fm_text, body = _HANDLER.split(text)
    except ValueError:
        return {}, "", text, [Problem("front matter is not closed", path=path, line=1,
                                      hint="end the YAML block with a line `---`")]
    try:
        text.encode("utf-8")
        meta = yaml.load(fm_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None  # fm starts at the end of line 1
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        return {}, fm_text, body, [Problem(f"front matter is not valid YAML: {reason}",
                                           path=path, line=line,
                                           hint="check quotes, colons and indentation")]
    except UnicodeEncodeError as exc:  # a lone surrogate: only from text made in Python
        return {}, fm_text, body, [Problem(f"holds a character that is not text (at "
                                           f"{exc.start})", path=path)]
    except Exception as exc:  # PyYAML's constructors on a tag that does not fit (!!int foo)
        return {}, fm_text, body, [Problem(
            f"front matter cannot be read: {type(exc).__name__}: {_shown(str(exc))}",
            path=path, hint="look for a value with an explicit tag (!!int, !!timestamp, …) "
                            "that does not fit it, or a number thousands of digits long")]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return {}, fm_text, body, [Problem("front matter must be a mapping of keys to values",
                                           path=path, line=2)]
    oversized = _oversized(meta)
    if oversized:
        return {}, fm_text, body, [Problem(f"front matter is too big to publish: {oversized}",
                                           path=path, hint="front matter holds short values; "
                                           "put long text in the body")]
    return meta, fm_text, body, []


MAX_VALUES = 100_000  # values in the front matter, each alias counted again where it is used
MAX_DEPTH = 50  # lists and mappings inside each other
MAX_INT_BITS = 10_000  # about 3,000 digits: Python refuses to print 4,300


def _oversized(meta: dict[str, Any]) -> str | None:
    """Why the front matter is too big to handle safely (aliases that expand a few lines into
    millions of values, nesting deeper than pickling can go, numbers too long to print), or
    None. Walks without recursion, and stops at the first limit passed."""
    count = 0
    stack: list[tuple[Any, int]] = [(meta, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            return f"more than {MAX_VALUES:,} values (YAML aliases expand where they are used)"
        if depth > MAX_DEPTH:
            return f"values nested more than {MAX_DEPTH} deep"
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            return "a number thousands of digits long"
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list | tuple | set):
            stack.extend((item, depth + 1) for item in value)
    return None


def parse_article(text: str, path: Path, config: SiteConfig,
                  reuse: Parsed | None = None) -> Parsed:
    """Parse and validate one article (see CONTENT.md); render its body (unless `reuse` was
    parsed from the same body: then its rendering is kept)."""
    settings = ParseSettings.of(config)
    meta, fm_text, body, problems = split_front_matter(text, path)
    if problems:
        return Parsed(None, tuple(problems))
    fields = _Fields(meta, path, fm_text)
    title = fields.text("title", meta.get("title"), required=True)
    date = fields.date("date", meta.get("date"), required=True)
    draft = fields.flag("draft")
    names = {key: fields.names(key) for key in settings.taxonomies if key not in PROVENANCE}
    for key in FRONT_MATTER_LISTS:
        if key not in names and key in meta:
            fields.names(key)  # still a list, even when the site does not publish the taxonomy
    source = _source(fields, meta.get("source"))
    copyright_line = fields.text("copyright", meta.get("copyright"))
    if copyright_line:
        copyright_line = _COPYRIGHT_PREFIX.sub("", copyright_line).strip()
    warnings: list[Problem] = []
    if not source.name:
        _attribution_missing(fields, warnings, "source.name", draft,
                             "add the original publication under `source: {name: …}`")
    if not copyright_line:
        _attribution_missing(fields, warnings, "copyright", draft,
                             'add `copyright: "Name, YEAR"` (without "Copyright ©")')
    publisher = fields.text("publisher", meta.get("publisher"))
    names.update(_provenance(set(settings.taxonomies), source, publisher))
    summary = fields.text("summary", meta.get("summary"))
    updated = fields.date("updated", meta.get("updated"))
    image = fields.image("image", meta.get("image"))
    slug_text = fields.text("slug", meta.get("slug"))
    warnings = _with_misspellings(fields, warnings, names)
    # The file name is the slug (the importer writes <slug>.md): stable when a title is edited.
    slug = slugify(slug_text) if slug_text else slugify(path.stem) or slugify(title or "")
    if not slug:
        fields.problem("slug", "gives an empty URL slug", "add a `slug:` with letters or digits")
    if fields.problems:
        return Parsed(None, tuple(fields.problems), tuple(warnings))
    html, lead, word_count, body_digest = _body(body, reuse, settings)
    summary = summary or truncate_words(lead, settings.summary_words)
    article = Article(
        source_path=path, title=title or "", date=date or dt.date.min, slug=slug,
        body_html=html, summary=summary, names=names, source=source, publisher=publisher,
        copyright=copyright_line, draft=draft, word_count=word_count,
        extra={k: v for k, v in meta.items() if k not in {*ARTICLE_KEYS, *names}},
        digest=digest(text.encode("utf-8")),
        meta_digest=digest(f"{fm_text}\0{summary}".encode()),
        updated=updated, image=image,
    )
    return Parsed(article, (), tuple(warnings), body_digest=body_digest, lead=lead)


def _provenance(keys: set[str], source: Source, publisher: str | None
                ) -> dict[str, tuple[str, ...]]:
    """The provenance taxonomies' names: the attribution doubles as a way to browse."""
    names: dict[str, tuple[str, ...]] = {}
    if "sources" in keys:
        names["sources"] = (source.name,) if source.name and slugify(source.name) else ()
    if "publishers" in keys:
        names["publishers"] = (publisher,) if publisher and slugify(publisher) else ()
    return names


def _with_misspellings(fields: _Fields, warnings: list[Problem],
                       names: dict[str, tuple[str, ...]]) -> list[Problem]:
    """The warnings with one for each key that looks like a misspelt one Folio reads; the
    problems a misspelling explains (a required key missing) say so."""
    known = {*ARTICLE_KEYS, *FRONT_MATTER_LISTS, *names} - set(PROVENANCE)
    misspelt = near_misses(fields.meta, known, fields.fm_text, {*FRONT_MATTER_LISTS, *names})
    warnings = [*warnings, *(Problem(
        f"is not a key Folio reads: did you mean '{meant}'?", path=fields.path, line=line,
        key=key, hint=f"rename it `{meant}:`, or the article has no {meant}")
        for meant, (key, line) in misspelt.items())]
    fields.problems = [_explained(problem, misspelt) for problem in fields.problems]
    return [_explained(problem, misspelt) for problem in warnings]


def _body(body: str, reuse: Parsed | None, settings: ParseSettings
          ) -> tuple[str, str, int, str]:
    """(html, lead, word count, digest) of an article's body; `reuse`'s rendering when it
    was parsed from the same body."""
    body_digest = digest(body.encode("utf-8"))
    if reuse is not None and reuse.body_digest == body_digest and \
            isinstance(reuse.item, Article):
        return reuse.item.body_html, reuse.lead, reuse.item.word_count, body_digest
    rendered = render(body, allow_html=settings.allow_html, typographer=settings.typographer)
    return rendered.html, rendered.lead, rendered.word_count, body_digest


def _source(fields: _Fields, value: Any) -> Source:
    if value is None:
        value = {}
    if isinstance(value, str):
        fields.problem("source", "must be a mapping with name, url and date",
                       f"write `source: {{name: {value}, url: null, date: null}}`")
        return Source(None)
    if not isinstance(value, dict):
        fields.problem("source", f"must be a mapping, not {_describe(value)}")
        return Source(None)
    for key in value:
        if key not in ("name", "url", "date"):
            fields.problem(f"source.{key}", "unknown key", "source has name, url and date")
    name = fields.text("source.name", value.get("name"))
    url = fields.text("source.url", value.get("url"))
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        fields.problem("source.url", f"must be an http(s) address, not {url!r}",
                       "use the original's full address, or null")
        url = None
    date = fields.date("source.date", value.get("date"))
    return Source(name=name, url=url, date=date)


def _attribution_missing(fields: _Fields, warnings: list[Problem], key: str, draft: bool,
                         hint: str) -> None:
    message = "is missing: an article is never published without its attribution"
    if draft:
        line = _key_line(fields.fm_text, key.split(".")[0])
        warnings.append(Problem("is missing (draft; fill it in before publishing)",
                                path=fields.path, line=line, key=key, hint=hint))
    else:
        fields.problem(key, message, hint)


def parse_page(text: str, path: Path, config: SiteConfig) -> Parsed:
    """Parse a plain page (content/pages/…): title and body, no attribution needed."""
    settings = ParseSettings.of(config)
    meta, fm_text, body, problems = split_front_matter(text, path)
    if problems:
        return Parsed(None, tuple(problems))
    fields = _Fields(meta, path, fm_text)
    title = fields.text("title", meta.get("title"), required=True)
    draft = fields.flag("draft")
    menu = meta.get("menu")
    if menu is True:
        menu = 0
    if menu is False:
        menu = None
    if menu is not None and not isinstance(menu, int):
        fields.problem("menu", f"must be a number (its place in the menu) or true, not {menu!r}")
        menu = None
    slug_text = fields.text("slug", meta.get("slug"))
    pages_root = settings.content_path / PAGES_DIR
    relative = path.relative_to(pages_root).with_suffix("") if path.is_relative_to(
        pages_root) else Path(path.stem)
    parts = [slugify(p) for p in relative.parts]
    slug = slugify(slug_text) if slug_text else "/".join(p for p in parts if p)
    if not slug:
        fields.problem("slug", "the page needs a slug with letters or digits")
    summary = fields.text("summary", meta.get("summary"))
    if fields.problems:
        return Parsed(None, tuple(fields.problems))
    rendered = render(body, allow_html=settings.allow_html, typographer=settings.typographer)
    page = Page(
        source_path=path, title=title or "", slug=slug, body_html=rendered.html,
        summary=summary or truncate_words(rendered.lead, settings.summary_words),
        menu=menu, draft=draft, digest=digest(text.encode("utf-8")),
        extra={k: v for k, v in meta.items() if k not in ("title", "slug", "menu", "draft",
                                                          "summary")},
    )
    return Parsed(page)


def near_misses(meta: dict[str, Any], known: set[str], fm_text: str,
                lists: set[str]) -> dict[str, tuple[str, int | None]]:
    """Keys that look like a misspelt known key which the front matter lacks (`region:`,
    `copyrigth:`, `Title:`): the key meant -> (the key written, its line). Other extra keys
    are the curator's own and stay allowed."""
    found: dict[str, tuple[str, int | None]] = {}
    folded = {k.casefold(): k for k in sorted(known - set(meta))}
    lacking = set(folded)
    for key in meta:
        if not isinstance(key, str) or key in known:
            continue
        word = key.casefold()
        plural = {word + "s", word + "es", word[:-1] + "ies"} & lacking  # country
        close = sorted(plural) or difflib.get_close_matches(word, list(folded), n=1,
                                                            cutoff=NEAR_MISS)
        meant = folded[close[0]] if close else None
        if meant is not None and meant not in found and \
                _fits(meant, meta[key], lists, singular=bool(plural)):
            found[meant] = (key, _key_line(fm_text, key))
    return found


_TEXT_KEYS = ("title", "publisher", "copyright", "summary", "slug", "image")


def _fits(meant: str, value: Any, lists: set[str], *, singular: bool) -> bool:
    """Whether a value could have been meant for this key (`published: 2020-01-01` was not
    meant for `publisher`, `reporter: Jane` not for `reports`)."""
    if meant in lists:
        return isinstance(value, list) or (singular and isinstance(value, str))
    if meant in _TEXT_KEYS:
        return isinstance(value, str) and not isinstance(value, BadDate)
    if meant in ("date", "updated"):
        return isinstance(value, dt.date | str)
    if meant == "source":
        return isinstance(value, dict)
    if meant == "draft":
        return isinstance(value, bool)
    return True


def _explained(problem: Problem, misspelt: dict[str, tuple[str, int | None]]) -> Problem:
    """A missing key's problem, told about the misspelling that explains it."""
    top = (problem.key or "").split(".")[0]
    if top not in misspelt or "missing" not in problem.message:
        return problem
    written, line = misspelt[top]
    where = f"line {line} has" if line else "the front matter has"
    return replace(problem, hint=f"{where} '{written}': did you mean '{top}'?")


def _key_line(fm_text: str, key: str) -> int | None:
    """The file line of a top-level front matter key (the YAML text starts on line 1)."""
    prefix = f"{key}:"
    for number, line in enumerate(fm_text.splitlines(), 1):
        if line.startswith(prefix):
            return number
    return None


def _describe(value: Any) -> str:
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping", dt.date: "a date", dt.datetime: "a date"}
    return f"{kinds.get(type(value), type(value).__name__)} ({_shown(value)})"


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict = \
    3, 80, 80, 6, 6


def _shown(value: Any) -> str:
    """A value as a message quotes it: short, however big the value."""
    return _SHORT.repr(value)
