"""`folio check`: verify a built site as its readers and the rights holders will see it.

Every internal link and asset must name a file of the output (and its #fragment an id on that
page), every internal link must stay under the base URL's sub-path, and every published
article's page must show its attribution as its front matter gives it. External links are
counted, never fetched. Pure functions over an output folder and the loaded site; the command
line only prints the report.

Pages are read with regular expressions rather than `html.parser`: only the start tags
that carry a URL or an id matter (and the text of the attribution block), and a scanner that
leaves the rest to the regular expression engine reads a page five to ten times faster (it
is cross-checked against html.parser in the tests). Comments and the text of scripts and
styles are skipped, and entities decoded, as html.parser does. The site is loaded from the
articles' front matter alone, and pages are checked in forked worker processes.
"""

from __future__ import annotations

import functools
import html
import itertools
import os
import posixpath
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from frontmatter.default_handlers import YAMLHandler

from generator import parallel
from generator.config import SiteConfig
from generator.content import Parsed, SourceFile, discover, parse_article, read_source
from generator.loading import assemble_parsed
from generator.model import Article, Site

# The attributes that name another file, by tag.
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src", "srcset"),
    "script": ("src",), "source": ("src", "srcset"), "iframe": ("src",), "embed": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
}
CHUNK = 100  # pages per task
PARALLEL_MIN_PAGES = 400

# A start tag with attributes, a comment, or a script or style element whose text is passed
# over (as html.parser does), in one pass of the regular expression engine. Tags without
# attributes are not even matched: they name nothing. (Possessive quantifiers: no
# backtracking into a tag that does not close.)
_ATTRIBUTES = r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
_TOKEN = re.compile(rf"""<(?:!--.*?-->
    |(?i:script)(?P<script>(?:\s{_ATTRIBUTES})?)>.*?(?:</(?i:script)\b|\Z)
    |(?i:style)\b{_ATTRIBUTES}>.*?(?:</(?i:style)\b|\Z)
    |(?P<tag>[a-zA-Z][^\s/>]*\s{_ATTRIBUTES})>)""", re.S | re.X)
_TAG_NAME = re.compile(r"[^\s/>]*")
_WANTED = re.compile(r"""[\s"'/](?:href|src|srcset|poster|id|name)\s*=""", re.I)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_PIECE = re.compile(rf"""<(/?)([a-zA-Z][^\s/>]*)({_ATTRIBUTES})>|<!--.*?-->|([^<]+|<)""", re.S)
_HOST_END = re.compile(r"[?#]")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_ASIDE = re.compile(r"<(/?)aside\b", re.I)
_FRONT_MATTER = YAMLHandler()


# -- the report ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: the output file (relative to the output folder), the link or element,
    and why."""

    path: str
    element: str
    message: str

    def format(self, output_label: str = "") -> str:
        where = f"{output_label.rstrip('/')}/{self.path}" if output_label else self.path
        return f"{where}: {self.element}: {self.message}"


@dataclass(frozen=True, slots=True)
class CheckReport:
    findings: tuple[Finding, ...]
    pages: int  # HTML files read
    links: int  # links and asset references checked, external ones included
    external: tuple[tuple[str, int], ...]  # (URL, how many times it is linked), by URL
    articles: int  # article pages whose attribution was compared
    seconds: float

    @property
    def external_links(self) -> int:
        return sum(count for _, count in self.external)

    @property
    def ok(self) -> bool:
        return not self.findings


# -- reading a page --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Reference:
    """A URL a page names: `<tag attr="value">`."""

    tag: str
    attr: str
    value: str

    @property
    def element(self) -> str:
        return f'<{self.tag} {self.attr}="{self.value}">'


@dataclass(frozen=True, slots=True)
class Scan:
    references: tuple[Reference, ...]
    ids: frozenset[str]  # fragment targets: every id, and the names of <a name>
    attribution: str | None  # the HTML of the first <aside class="attribution">


def scan_html(text: str) -> Scan:
    """The URLs, ids and attribution block of an HTML page (comments and the contents of
    scripts and styles skipped, entities in attribute values decoded)."""
    references: list[Reference] = []
    ids: set[str] = set()
    attribution: str | None = None
    for script, tag_text in _TOKEN.findall(text):
        tag_references, tag_ids, opens_attribution = _start_tag(tag_text or "script" + script)
        if tag_references:
            references += tag_references
        if tag_ids:
            ids.update(tag_ids)
        if opens_attribution and attribution is None:
            start = text.find(f"<{tag_text}>")
            attribution = text[start:_aside_end(text, start + len(tag_text) + 2)]
    return Scan(tuple(references), frozenset(ids), attribution)


_NOTHING: tuple[tuple[Reference, ...], tuple[str, ...], bool] = ((), (), False)


@functools.lru_cache(maxsize=1 << 19)
def _start_tag(tag_text: str) -> tuple[tuple[Reference, ...], tuple[str, ...], bool]:
    """The URLs and ids of one start tag ("a href=…", without its brackets), and whether it
    opens the attribution block. Most tags recur on many pages (the navigation, links to
    articles), so each is read once."""
    if "=" not in tag_text:
        return _NOTHING
    name = _TAG_NAME.match(tag_text).group()  # type: ignore[union-attr]  # always matches
    tag = name.lower()
    if tag != "aside" and not _WANTED.search(tag_text):
        return _NOTHING
    attrs = parse_attributes(tag_text[len(name):])
    ids = tuple(attrs[key] for key in ("id", "name")
                if key in attrs and (key == "id" or tag == "a"))
    references = tuple(Reference(tag, attr, value)
                       for attr in URL_ATTRIBUTES.get(tag, ()) if attr in attrs
                       for value in _urls_of(attr, attrs[attr]))
    opens = tag == "aside" and "attribution" in attrs.get("class", "").split()
    return references, ids, opens


def parse_attributes(raw: str) -> dict[str, str]:
    """Attribute names (lowercased) and values (entities decoded); the first of a name wins."""
    attrs: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTE.findall(raw):
        value = double or single or bare
        attrs.setdefault(name.lower(), html.unescape(value) if "&" in value else value)
    return attrs


def _urls_of(attr: str, value: str) -> list[str]:
    if attr != "srcset":
        return [value]
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _aside_end(text: str, position: int) -> int:
    """Where the aside opened before `position` ends (after its `</aside>`; nesting counted)."""
    depth = 1
    for match in _ASIDE.finditer(text, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = text.find(">", match.end())
            return len(text) if close < 0 else close + 1
    return len(text)


# -- resolving a URL -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Target:
    """Where a URL points: `internal` (`path`: the output file it names), `external`,
    `outside` (this host, but not under the base URL's sub-path) or `skip` (mailto:, data:…)."""

    kind: str
    path: str = ""
    fragment: str = ""


SKIP = Target("skip")


def page_url(output_path: str, base_path: str) -> str:
    """The URL an output file is served at ("2017/09/x/index.html" -> "/2017/09/x/")."""
    if output_path == "index.html" or output_path.endswith("/index.html"):
        output_path = output_path[:-len("index.html")]
    return base_path + quote(output_path)


def resolve(value: str, current_url: str, base_url: str) -> Target:
    """What the URL `value`, found on the page at `current_url`, points to."""
    value = value.strip()
    if not value:
        return SKIP
    if value.startswith("#"):
        value = current_url + value
    elif not value.startswith("/") and not _SCHEME.match(value):
        value = urljoin(current_url, value)
    return _resolve_absolute(value, base_url)


@functools.lru_cache(maxsize=1 << 17)
def _resolve_absolute(value: str, base_url: str) -> Target:
    """`resolve` for a URL with a scheme or an absolute path: the same on every page."""
    base_netloc, base_path = _base(base_url)
    if value.startswith("/") and not value.startswith("//"):  # the usual case, made quick
        path, _, fragment = value.partition("#")
        path, netloc, absolute = path.partition("?")[0], "", False
    elif value.startswith(("https://", "http://", "//")) and \
            _HOST_END.split(value.split("/", 3)[2], 1)[0].lower() != base_netloc:
        return Target("external")  # another host: the usual external link, made quick
    else:
        parts = urlsplit(value)
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return SKIP
        path, fragment, netloc = parts.path, parts.fragment, parts.netloc
        absolute = bool(parts.scheme or netloc)
    path = _normalised(unquote(path or "/"), base_path)
    if absolute and (netloc.lower() != base_netloc or not path.startswith(base_path)):
        return Target("external")
    if not path.startswith(base_path):
        return Target("outside")
    relative = path[len(base_path):]
    output_path = relative + "index.html" if not relative or relative.endswith("/") \
        else relative
    return Target("internal", output_path, unquote(fragment))


@functools.lru_cache(maxsize=16)
def _base(base_url: str) -> tuple[str, str]:
    """The host (lowercased) and the sub-path of a base URL."""
    parts = urlsplit(base_url)
    return parts.netloc.lower(), parts.path or "/"


def _normalised(path: str, base_path: str) -> str:
    """`path` with dot segments and doubled slashes resolved; the sub-path without its
    final slash ("/archive") is the site's root."""
    if path.startswith("/") and ("/." in path or "//" in path):
        trailing = path.endswith("/")
        path = "/" + posixpath.normpath(path).lstrip("/")
        if trailing and path != "/":
            path += "/"
    return base_path if path + "/" == base_path else path


# -- attribution -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Attribution:
    """An article's attribution as its front matter gives it (dates as ISO text)."""

    source_path: str
    source_name: str | None
    source_url: str | None
    source_date: str | None
    publisher: str | None
    copyright: str | None


def expected_attribution(article: Article, root: Path | None = None) -> Attribution:
    source_path = str(article.source_path)
    prefix = f"{root}{os.sep}" if root is not None else None
    if prefix and source_path.startswith(prefix):
        source_path = source_path[len(prefix):]
    source = article.source
    return Attribution(source_path.replace(os.sep, "/"), source.name, source.url,
                       source.date.isoformat() if source.date else None, article.publisher,
                       article.copyright)


@dataclass(slots=True)
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts = (c if isinstance(c, str) else c.text() for c in self.children)
        return " ".join("".join(parts).split())

    def descendants(self) -> list[_Node]:
        """Every element below this one, in document order."""
        found: list[_Node] = []
        for child in self.children:
            if not isinstance(child, str):
                found.append(child)
                found += child.descendants()
        return found

    def find_all(self, tag: str) -> list[_Node]:
        return [node for node in self.descendants() if node.tag == tag]

    def find(self, tag: str) -> _Node | None:
        return next((node for node in self.descendants() if node.tag == tag), None)


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})


def _tree(fragment: str) -> _Node:
    """A small element tree of an HTML fragment (entities in text decoded)."""
    root = _Node("#root", {})
    stack = [root]
    for closing, tag, raw, text in _PIECE.findall(fragment):
        if text:
            stack[-1].children.append(html.unescape(text) if "&" in text else text)
        elif not tag:
            continue  # a comment
        elif closing:
            tag = tag.lower()
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == tag:
                    del stack[depth:]
                    break
        else:
            node = _Node(tag.lower(), parse_attributes(raw) if raw else {})
            stack[-1].children.append(node)
            if node.tag not in _VOID and not raw.endswith("/"):
                stack.append(node)
    return root


def compare_attribution(expected: Attribution, shown: str | None) -> list[tuple[str, str]]:
    """(element, why) for every way the page's attribution block (`shown`, the HTML of its
    `aside.attribution`, or None) differs from the front matter."""
    if shown is None:
        return [("aside.attribution", "missing: the page does not show the article's source "
                                      f"and copyright ({expected.source_path})")]
    parts = _parts(_tree(shown))
    problems: list[tuple[str, str]] = []
    source = parts.get("attribution-source")
    problems += _compare_text(".attribution-source dd", expected.source_name,
                              source.text() if source else None, contains=True)
    if source is not None and expected.source_url:
        links = [a.attrs.get("href") for a in source.find_all("a")]
        if expected.source_url not in links:
            problems.append((".attribution-source a", f"expected a link to "
                             f"{expected.source_url}, found {_listed(links)}"))
    if source is not None and expected.source_date:
        dates = [t.attrs.get("datetime") for t in source.find_all("time")]
        if expected.source_date not in dates:
            problems.append((".attribution-source time", f"expected the date "
                             f"{expected.source_date}, found {_listed(dates)}"))
    publisher = parts.get("attribution-publisher")
    problems += _compare_text(".attribution-publisher dd", expected.publisher,
                              publisher.text() if publisher else None, contains=True)
    copyright_part = parts.get("attribution-copyright")
    problems += _compare_text(
        ".attribution-copyright dd", f"© {expected.copyright}" if expected.copyright else None,
        copyright_part.text() if copyright_part else None)
    return problems


_PARTS = ("attribution-source", "attribution-publisher", "attribution-copyright")


def _parts(root: _Node) -> dict[str, _Node]:
    """The first element of each attribution class: its <dd> (itself when it has none)."""
    parts: dict[str, _Node] = {}
    for node in root.descendants():
        for css_class in node.attrs.get("class", "").split():
            if css_class in _PARTS and css_class not in parts:
                parts[css_class] = node.find("dd") or node
    return parts


def _compare_text(element: str, expected: str | None, found: str | None, *,
                  contains: bool = False) -> list[tuple[str, str]]:
    if expected is not None:
        expected = " ".join(expected.split())
    if expected == found or (contains and expected and found and expected in found):
        return []
    if found is None:
        return [(element, f'missing: expected "{expected}" (front matter)')]
    if expected is None:
        return [(element, f'shows "{found}", which the front matter does not have')]
    wanted = "containing " if contains else ""
    return [(element, f'expected {wanted}"{expected}" (front matter), found "{found}"')]


def _listed(values: Sequence[str | None]) -> str:
    shown = [value for value in values if value]
    return ", ".join(shown) if shown else "none"


# -- one page --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Context:
    """What checking any page needs: read-only, inherited by forked workers."""

    output_dir: str
    base_url: str
    files: frozenset[str]  # every file of the output, relative, with "/"
    attributions: dict[str, Attribution]  # by the output path of the article's page
    # what each URL that means the same on every page points to; filled as pages are
    # checked (each worker process fills its own copy)
    memo: dict[str, tuple[Target, str | None]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class PageResult:
    findings: tuple[Finding, ...]
    links: int
    external: Counter[str]
    ids: frozenset[str]
    # fragments on other pages, checked once every page's ids are known
    pending: tuple[tuple[Finding, str, str], ...]  # (finding if absent, target path, id)


def check_page(output_path: str, text: str, context: Context) -> PageResult:
    """Check one page's links, assets and (for an article) attribution."""
    memo = context.memo
    scan = scan_html(text)
    base_path = urlsplit(context.base_url).path or "/"
    here = page_url(output_path, base_path)
    findings: list[Finding] = []
    external: Counter[str] = Counter()
    pending: list[tuple[Finding, str, str]] = []
    links = 0
    for ref in scan.references:
        located = memo.get(ref.value)
        if located is None:
            located = _locate(ref.value, here, context)
            if ref.value.startswith("/") or _SCHEME.match(ref.value):
                memo[ref.value] = located
        target, path = located
        if target.kind == "skip":
            continue
        links += 1
        if target.kind == "external":
            external[ref.value] += 1
        elif target.kind == "outside":
            findings.append(Finding(output_path, ref.element,
                                    f"outside the site's sub-path {base_path}"))
        elif path is None:
            kind = "page" if target.path.endswith(".html") else "file"
            findings.append(Finding(output_path, ref.element, f"no such {kind}"))
        elif target.fragment and target.fragment != "top" and path.endswith(".html"):
            missing = Finding(output_path, ref.element,
                              f'no element with id "{target.fragment}" on '
                              f"{'this page' if path == output_path else path}")
            if path != output_path:
                pending.append((missing, path, target.fragment))
            elif target.fragment not in scan.ids:
                findings.append(missing)
    expected = context.attributions.get(output_path)
    if expected is not None:
        findings.extend(Finding(output_path, element, message)
                        for element, message in compare_attribution(expected, scan.attribution))
    return PageResult(tuple(findings), links, external, scan.ids, tuple(pending))


def _locate(value: str, here: str, context: Context) -> tuple[Target, str | None]:
    """Where a URL points, and the output file that answers it (None when there is none)."""
    target = resolve(value, here, context.base_url)
    if target.kind != "internal":
        return target, None
    if target.path in context.files:
        return target, target.path
    index = f"{target.path}/index.html"  # a folder asked for without its slash
    return target, index if index in context.files else None


def _check_pages(context: Context, output_paths: Sequence[str]) -> list[tuple[str, PageResult]]:
    results = []
    for output_path in output_paths:
        with open(os.path.join(context.output_dir, output_path), encoding="utf-8",
                  errors="replace") as file:
            text = file.read()
        results.append((output_path, check_page(output_path, text, context)))
    return results


# -- the whole site --------------------------------------------------------------------------
def check_site(output_dir: Path, base_url: str, site: Site,
               workers: int | None = None) -> CheckReport:
    """Check every HTML page of `output_dir`, built for `base_url`, against `site` (loaded
    with drafts; a draft's page is checked only when the output has it)."""
    started = time.perf_counter()
    files = output_files(output_dir)
    findings: list[Finding] = []
    attributions: dict[str, Attribution] = {}
    for article in site.articles:
        if article.output_path in files:
            attributions[article.output_path] = expected_attribution(article, site.config.root)
        elif not article.draft:
            source = expected_attribution(article, site.config.root).source_path
            findings.append(Finding(article.output_path, "article page",
                                    f"missing: no page for the published article {source}"))
    pages = sorted(path for path in files if path.endswith((".html", ".htm")))
    context = Context(str(output_dir), base_url, frozenset(files), attributions)
    if workers is None:
        workers = parallel.default_workers()
    if len(pages) < PARALLEL_MIN_PAGES:
        workers = 1
    ids: dict[str, frozenset[str]] = {}
    pending: list[tuple[Finding, str, str]] = []
    links = 0
    external: Counter[str] = Counter()
    with parallel.few_collections():
        for chunk in parallel.run(_check_pages, context, parallel.chunks(pages, CHUNK), workers):
            for output_path, result in chunk:
                findings.extend(result.findings)
                links += result.links
                external.update(result.external)
                ids[output_path] = result.ids
                pending.extend(result.pending)
    findings.extend(missing for missing, path, fragment in pending
                    if fragment not in ids.get(path, frozenset()))
    findings.sort(key=lambda f: f.path)
    return CheckReport(tuple(findings), len(pages), links, tuple(sorted(external.items())),
                       len(attributions), time.perf_counter() - started)


def output_files(output_dir: Path) -> set[str]:
    """Every file of the output folder, relative, with "/" (the root's .git left out)."""
    root = str(output_dir)
    found: set[str] = set()
    for folder, dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        if not prefix:
            dirs[:] = [d for d in dirs if d != ".git"]
        found.update(prefix + name for name in names)
    return found


# -- loading the site ------------------------------------------------------------------------
def load_site(config: SiteConfig, workers: int | None = None) -> Site:
    """Every article with its URL and attribution, drafts included. Only the front matter is
    parsed: the body decides neither, and rendering it would triple the time."""
    config = replace(config, drafts=True)
    sources = [source for source in discover(config) if source.kind == "article"]
    if workers is None:
        workers = parallel.default_workers()
    if len(sources) < PARALLEL_MIN_PAGES:
        workers = 1
    chunks = parallel.chunks(sources, CHUNK)
    with parallel.few_collections():
        parsed = list(itertools.chain.from_iterable(
            parallel.run(_read_front_matters, config, chunks, workers)))
    return assemble_parsed(config, parsed)


def _read_front_matters(config: SiteConfig, sources: Iterable[SourceFile]) -> list[Parsed]:
    return [read_front_matter(source, config) for source in sources]


def read_front_matter(source: SourceFile, config: SiteConfig) -> Parsed:
    """Parse an article as `read_source` does, with an empty body."""
    try:
        text = source.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return read_source(source, config)  # which says what is wrong with the file
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if _FRONT_MATTER.detect(text):
        try:
            front, _ = _FRONT_MATTER.split(text)
        except ValueError:
            pass  # not closed: parse_article says so
        else:
            text = f"---{front}---\n"
    return parse_article(text, source.path, config)
