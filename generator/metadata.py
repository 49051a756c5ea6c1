"""What pages tell machines about themselves: schema.org NewsArticle JSON-LD for article
pages, the image social cards show, and a meta description that is never empty.

Authors are Organizations when they are the article's original source or publisher, or when
their name reads like an outlet's ("South Front", "Editorial Board"); else Persons.
"""

from __future__ import annotations

import re
from typing import Any

from generator.config import SiteConfig
from generator.dates import rfc3339
from generator.model import Article, Page, Taxonomy, Term, YearArchive
from generator.urls import absolute, asset_url

_ORGANISATION_WORDS = re.compile(
    r"\b(front|news|press|agency|board|committee|council|review|times|journal|foundation|"
    r"institute|center|centre|network|group|project|research|media|staff|editors?|"
    r"observer|weekly|daily|post|tribune|herald|radio|tv|magazine|report|coalition|"
    r"association|union|organi[sz]ation|ministry|office)\b", re.IGNORECASE)


def is_organisation(name: str, article: Article) -> bool:
    return name in (article.source.name, article.publisher) or \
        bool(_ORGANISATION_WORDS.search(name))


def image_url(article: Article, config: SiteConfig) -> str | None:
    """The absolute URL of the article's image, else of the site's default image."""
    reference = article.image or config.image
    return asset_url(reference, config.base_url) if reference else None


def article_description(article: Article, site_title: str) -> str:
    """The article's summary (front matter `summary`, else the start of its first
    paragraph), else a sentence saying what it is (a body without a paragraph)."""
    if article.summary:
        return article.summary
    origin = article.source.name or article.publisher
    if origin:
        return f"{article.title}, from {origin}, republished in {site_title}."
    return f"{article.title}, republished in {site_title}."


def news_article(article: Article, config: SiteConfig) -> dict[str, Any]:
    """The article as schema.org NewsArticle, with `isBasedOn` the original work."""
    own_url = absolute(config.base_url, article.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": rfc3339(article.date, config.zone),
        "dateModified": rfc3339(article.updated or article.date, config.zone),
        "url": own_url,
        "mainEntityOfPage": article.canonical_url or own_url,
        "inLanguage": config.language,
        "description": article_description(article, config.title),
        "author": [
            {"@type": "Organization" if is_organisation(ref.name, article) else "Person",
             "name": ref.name, "url": absolute(config.base_url, ref.url)}
            for ref in article.authors],
        "publisher": publisher(article, config),
    }
    image = image_url(article, config)
    if image:
        data["image"] = image
    if article.source.name:
        data["isBasedOn"] = based_on(article)
    if article.copyright:
        data["copyrightNotice"] = f"© {article.copyright}"
    return data


def publisher(article: Article, config: SiteConfig) -> dict[str, Any]:
    """The outlet the article was collected from; else the site, with its URL and logo."""
    if article.publisher and article.publisher != config.title:
        return {"@type": "Organization", "name": article.publisher}
    site: dict[str, Any] = {"@type": "Organization", "name": config.title,
                            "url": config.base_url}
    if config.logo:
        site["logo"] = {"@type": "ImageObject", "url": asset_url(config.logo, config.base_url)}
    return site


def based_on(article: Article) -> dict[str, Any]:
    """The original work: its title, address and date (as written: its time zone is not
    known), published by the original source."""
    original: dict[str, Any] = {"@type": "CreativeWork", "name": article.title}
    if article.source.url:
        original["url"] = article.source.url
    if article.source.date:
        original["datePublished"] = article.source.date.isoformat()
    original["publisher"] = {"@type": "Organization", "name": article.source.name}
    return original


def page_description(kind: str, context: dict[str, Any], config: SiteConfig,
                     article_count: int) -> str:
    """The meta description of a page that is not an article: a plain page's summary, else
    the site's description, else a sentence saying what the page is."""
    page = context.get("page")
    if isinstance(page, Page) and page.summary:
        return page.summary
    if config.description:
        return config.description
    return _what_it_is(kind, context, config.title, article_count)


def _what_it_is(kind: str, context: dict[str, Any], title: str, count: int) -> str:
    """A sentence saying what the page shows, from its kind and context."""
    taxonomy, term = context.get("taxonomy"), context.get("term")
    year, page = context.get("year"), context.get("page")
    if isinstance(term, Term) and isinstance(taxonomy, Taxonomy):
        return f"Articles filed under {taxonomy.singular}: {term.name} in {title}."
    if isinstance(taxonomy, Taxonomy):
        return f"{taxonomy.title} of {title}, each with its articles."
    if isinstance(year, YearArchive):
        return f"Articles of {year.year} in {title}."
    if isinstance(page, Page):
        return f"{page.title}: a page of {title}."
    articles = f"{count:,} republished article{'' if count == 1 else 's'}"
    if kind == "years":
        return f"{title}: its {articles}, year by year."
    return f"{title}: an archive of {articles}."
