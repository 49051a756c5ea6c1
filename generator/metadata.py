"""Machine-readable attribution: schema.org NewsArticle JSON-LD for article pages.

Authors are Organizations when they are the article's original source or publisher, or when
their name reads like an outlet's ("South Front", "Editorial Board"); else Persons.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from generator.model import Article
from generator.urls import absolute

_ORGANISATION_WORDS = re.compile(
    r"\b(front|news|press|agency|board|committee|council|review|times|journal|foundation|"
    r"institute|center|centre|network|group|project|research|media|staff|editors?|"
    r"observer|weekly|daily|post|tribune|herald|radio|tv|magazine|report|coalition|"
    r"association|union|organi[sz]ation|ministry|office)\b", re.IGNORECASE)


def is_organisation(name: str, article: Article) -> bool:
    return name in (article.source.name, article.publisher) or \
        bool(_ORGANISATION_WORDS.search(name))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def news_article(article: Article, base_url: str, site_title: str,
                 language: str) -> dict[str, Any]:
    """The article as schema.org NewsArticle, with `isBasedOn` the original work."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": _iso(article.date),
        "url": absolute(base_url, article.url),
        "mainEntityOfPage": article.canonical_url or absolute(base_url, article.url),
        "inLanguage": language,
        "description": article.summary,
        "author": [
            {"@type": "Organization" if is_organisation(ref.name, article) else "Person",
             "name": ref.name, "url": absolute(base_url, ref.url)}
            for ref in article.authors],
        "publisher": {"@type": "Organization", "name": article.publisher or site_title},
    }
    if article.source.name:
        original: dict[str, Any] = {"@type": "CreativeWork", "name": article.source.name}
        if article.source.url:
            original["url"] = article.source.url
        if article.source.date:
            original["datePublished"] = _iso(article.source.date)
        data["isBasedOn"] = original
    if article.copyright:
        data["copyrightNotice"] = f"© {article.copyright}"
    return data
