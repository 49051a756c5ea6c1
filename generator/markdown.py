"""Markdown to HTML: CommonMark plus tables, footnotes, heading anchors and typography.

Bodies come from scraped pages, so raw HTML is escaped unless the site opts in, and then
it is cleaned by nh3 (an allow-list sanitiser).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from generator.urls import slugify

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# markdown-it-py, its plugins and nh3 are imported when the first body is rendered: an edit
# that leaves every body as it was (a title, a summary) never loads them


@dataclass(frozen=True, slots=True)
class Rendered:
    """What rendering a body gives: its HTML, a plain-text lead, and its length."""

    html: str
    lead: str
    word_count: int


@lru_cache(maxsize=4)
def parser(*, allow_html: bool = False, typographer: bool = True) -> MarkdownIt:
    """The Markdown parser, built once per option set."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": typographer})
    md.enable(["table", "strikethrough"])
    if typographer:
        md.enable(["replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.add_render_rule("footnote_block_open", _footnotes_open)
    md.add_render_rule("footnote_anchor", _footnote_backlink)
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=_heading_slug)
    return md


def _footnotes_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """The footnotes under a heading (a landmark a screen reader can jump to)."""
    return ('<hr class="footnotes-sep">\n<section class="footnotes" '
            'aria-labelledby="footnotes-title">\n'
            '<h2 class="footnotes-title" id="footnotes-title">Notes</h2>\n'
            '<ol class="footnotes-list">\n')


def _footnote_backlink(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """The link from a footnote back to where it is cited, named for screen readers."""
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    label = f"Back to reference {ident} in the text"
    if tokens[idx].meta["subId"] > 0:
        label += f" (use {tokens[idx].meta['subId'] + 1})"
        ident += ":" + str(tokens[idx].meta["subId"])
    return (f' <a href="#fnref{ident}" class="footnote-backref" '
            f'aria-label="{label}">\u21a9\ufe0e</a>')


@lru_cache(maxsize=1)
def _allowed() -> tuple[set[str], dict[str, set[str]]]:
    """The tags and attributes raw HTML in a body may keep: nh3's defaults and a few more."""
    import nh3

    tags = nh3.ALLOWED_TAGS | {"figure", "figcaption", "section", "sup", "sub", "span", "del",
                               "ins", "mark", "small", "details", "summary"}
    attributes = {
        **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
        "*": {"id", "class", "title", "lang", "dir"},
        "a": {"href", "title", "hreflang"},
        "img": {"src", "alt", "title", "width", "height", "loading"},
        "td": {"colspan", "rowspan", "style"},
        "th": {"colspan", "rowspan", "style", "scope"},
    }
    return tags, attributes


def _heading_slug(text: str) -> str:
    return slugify(text) or "section"


def render(text: str, *, allow_html: bool = False, typographer: bool = True) -> Rendered:
    """Render a Markdown body to safe HTML."""
    md = parser(allow_html=allow_html, typographer=typographer)
    tokens = md.parse(text)
    html = md.renderer.render(tokens, md.options, {})
    if allow_html:
        import nh3

        tags, attributes = _allowed()
        html = nh3.clean(html, tags=tags, attributes=attributes,
                         link_rel="noopener noreferrer", url_schemes={"http", "https", "mailto"})
    return Rendered(html=html, lead=_lead(tokens), word_count=_word_count(tokens))


def _lead(tokens: list[Token]) -> str:
    """Plain text of the first top-level paragraph (not a quote's or a list's)."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and index + 1 < len(tokens):
            text = _plain(tokens[index + 1])
            if text.strip():
                return " ".join(text.split())
    return ""


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _word_count(tokens: list[Token]) -> int:
    return sum(len(_plain(t).split()) for t in tokens if t.type == "inline")


def truncate_words(text: str, limit: int) -> str:
    """At most `limit` words, with an ellipsis when cut."""
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]).rstrip(",;:") + "…"
