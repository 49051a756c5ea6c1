"""schema.org metadata in a page: JSON-LD (`@graph`s, lists, `@id` references) and microdata.

Each reader returns a `PageMeta` of what its source says about the page's article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

from generator.importer.readers.html_values import (
    ARTICLE_TYPES,
    Original,
    PageMeta,
    absolute,
    clean,
    copyright_text,
    person_names,
    web_url,
    when,
)

_SCRIPT_LIMIT = 1_000_000  # characters of one JSON-LD script read at most
_NODE_LIMIT = 10_000  # objects walked to find `@id` references
_PROPERTY_LIMIT = 20_000  # elements of a microdata item walked


# --- JSON-LD ----------------------------------------------------------------------------


def json_ld(tree: HtmlElement, base: str | None) -> PageMeta:
    """The article node of the page's JSON-LD (NewsArticle, BlogPosting, …; also inside
    `@graph`, lists and a WebPage's `mainEntity`), with `{"@id": …}` references resolved."""
    nodes = list(_json_ld_nodes(tree))
    index = {node["@id"]: node for node in _all_objects(nodes)
             if isinstance(node.get("@id"), str) and len(node) > 1}
    types = tuple(dict.fromkeys(t for node in nodes for t in _types(node)))
    article = next((n for n in nodes if ARTICLE_TYPES.intersection(_types(n))), None)
    for node in nodes if article is None else ():
        entity = _ref(node.get("mainEntity"), index)
        if isinstance(entity, dict) and ARTICLE_TYPES.intersection(_types(entity)):
            article = entity
            break
    site = next((clean(n.get("name")) for n in nodes if "WebSite" in _types(n)), None)
    if article is None:
        return PageMeta(types=types, site_name=site)
    publisher = next(iter(_names(article.get("publisher"), index)), None)
    return PageMeta(
        title=clean(_first(article.get("headline"))) or clean(_first(article.get("name"))),
        authors=tuple(_names(article.get("author") or article.get("creator"), index)),
        published=when(_first(article.get("datePublished") or article.get("dateCreated"))),
        modified=when(_first(article.get("dateModified"))),
        url=absolute(base, _url(article.get("url")) or _url(article.get("mainEntityOfPage"))),
        site_name=publisher or site,
        copyright=_copyright(article, index),
        image=absolute(base, _url(_ref(article.get("image") or article.get("thumbnailUrl"),
                                       index))),
        based_on=_original(article.get("isBasedOn") or article.get("isBasedOnUrl"), index, base),
        types=types,
        keywords=tuple(keywords(article.get("articleSection")) + keywords(
            article.get("keywords"))),
        free=_boolean(article.get("isAccessibleForFree")),
    )


def _json_ld_nodes(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """The top-level nodes of every JSON-LD script: lists and `@graph`s flattened."""
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = (script.text or "").strip()
        text = re.sub(r"^(?:<!--|/\*\s*<!\[CDATA\[\s*\*/)|(?:-->|/\*\s*\]\]>\s*\*/)$", "", text)
        if not text or len(text) > _SCRIPT_LIMIT:
            continue
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue
        yield from _flattened(data, 0)


def _flattened(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data[:1000]:
            yield from _flattened(item, depth + 1)
    elif isinstance(data, dict):
        if any(key not in ("@graph", "@context") for key in data):
            yield data
        yield from _flattened(data.get("@graph"), depth + 1)


def _all_objects(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every object in the nodes, nested ones too (a bounded walk, for `@id` references)."""
    stack: list[Any] = list(nodes)
    walked = 0
    while stack and walked < _NODE_LIMIT:
        value = stack.pop()
        walked += 1
        if isinstance(value, dict):
            yield value
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _types(node: dict[str, Any]) -> list[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return [re.sub(r"^(?:https?://schema\.org/|schema:)", "", v) for v in values
            if isinstance(v, str)]


def _ref(value: Any, index: dict[str, Any]) -> Any:
    """A `{"@id": …}` reference replaced by the node it names (where the page has it)."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
        return index.get(value["@id"], value) if isinstance(value["@id"], str) else value
    if isinstance(value, list):
        return [_ref(item, index) for item in value[:50]]
    return value


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return {"false": False, "true": True}.get(str(value).strip().lower()) if value else None


def _names(value: Any, index: dict[str, Any]) -> list[str]:
    """Names of people or organisations: objects with a name, strings, or lists of them."""
    value = _ref(value, index)
    if isinstance(value, list):
        return list(dict.fromkeys(n for item in value[:50] for n in _names(item, index)))
    if isinstance(value, dict):
        name = clean(_first(value.get("name"))) or clean(" ".join(filter(None, (
            clean(value.get("givenName")), clean(value.get("familyName"))))))
        return [name] if name and not web_url(name) else []
    return person_names(clean(value))


def _url(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = _first(value.get("url") or value.get("contentUrl") or value.get("@id"))
    return value if isinstance(value, str) else None


def _copyright(node: dict[str, Any], index: dict[str, Any]) -> str | None:
    """copyrightNotice, else copyrightHolder(s) and copyrightYear ("South Front, 2017")."""
    if notice := copyright_text(clean(_first(node.get("copyrightNotice")))):
        return notice
    holders = _names(node.get("copyrightHolder"), index)
    year = clean(_first(node.get("copyrightYear")))
    if not holders:
        return None
    return ", ".join([*holders, *([year] if year and re.fullmatch(r"\d{4}", year) else [])])


def _original(value: Any, index: dict[str, Any], base: str | None) -> Original | None:
    """What `isBasedOn` names: an address, or a work with its URL, date and publisher."""
    value = _ref(_first(value), index)
    if isinstance(value, str):
        url = absolute(base, value)
        return Original(url=url) if url else None
    if not isinstance(value, dict):
        return None
    outlet = _ref(value.get("publisher") or value.get("sourceOrganization"), index)
    original = Original(name=next(iter(_names(outlet, index)), None),
                        url=absolute(base, _url(value.get("url")) or _url(value.get("@id"))),
                        date=when(_first(value.get("datePublished"))))
    return original if original != Original() else None


def keywords(value: Any) -> list[str]:
    """Keywords or sections: a list, or one comma-separated string."""
    values = value if isinstance(value, list) else str(value or "").split(",")
    return [text for v in values[:50] if (text := clean(v))]


# --- microdata --------------------------------------------------------------------------


def microdata(tree: HtmlElement, base: str | None) -> PageMeta:
    """The first `itemscope` of an article type, and its simple properties."""
    scope = next((e for e in tree.iterfind(".//*[@itemtype]") if e.get("itemscope") is not None
                  and ARTICLE_TYPES.intersection(_item_types(e))), None)
    if scope is None:
        return PageMeta()
    props = _item_props(scope)

    def value(name: str) -> str | None:
        return next((v for e in props.get(name, []) if (v := _item_value(e))), None)

    def names(name: str) -> list[str]:
        return list(dict.fromkeys(n for e in props.get(name, []) for n in _item_names(e)))

    holders, year = names("copyrightHolder"), value("copyrightYear")
    based_on = absolute(base, value("isBasedOn"))
    return PageMeta(
        title=clean(value("headline") or value("name")), authors=tuple(names("author")),
        published=when(value("datePublished")), modified=when(value("dateModified")),
        url=absolute(base, value("url") or value("mainEntityOfPage")),
        site_name=next(iter(names("publisher")), None),
        copyright=", ".join([*holders, *([year] if year else [])]) if holders else None,
        image=absolute(base, value("image") or value("thumbnailUrl")),
        based_on=Original(url=based_on) if based_on else None,
        types=tuple(t for t in _item_types(scope) if t in ARTICLE_TYPES),
        keywords=tuple(keywords(value("articleSection")) + keywords(value("keywords"))))


def _item_types(element: HtmlElement) -> list[str]:
    return [t.rstrip("/").rsplit("/", 1)[-1] for t in (element.get("itemtype") or "").split()]


def _item_props(scope: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The properties of one item in page order: elements with `itemprop` that are not
    inside a nested item."""
    props: dict[str, list[HtmlElement]] = {}
    stack = [child for child in reversed(scope) if isinstance(child.tag, str)]
    walked = 0
    while stack and walked < _PROPERTY_LIMIT:
        element = stack.pop()
        walked += 1
        for name in (element.get("itemprop") or "").split():
            props.setdefault(name, []).append(element)
        if element.get("itemscope") is None:
            stack.extend(child for child in reversed(element) if isinstance(child.tag, str))
    return props


def _item_value(element: HtmlElement) -> str | None:
    for attribute in ("content", "datetime", "href", "src", "itemid"):
        if element.get(attribute):
            return element.get(attribute)
    return clean(element.text_content()[:2000])


def _item_names(element: HtmlElement) -> list[str]:
    if element.get("itemscope") is not None:
        name = _item_props(element).get("name", [])
        return [text for e in name[:1] if (text := clean(_item_value(e)))]
    return person_names(clean(_item_value(element)))
