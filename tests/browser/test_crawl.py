"""The demo archive hosted as a GitHub Pages project site is (under /archive/, by the
standard library's file server), crawled page by page in Chromium: no page missing, no
console error, no request leaving the site."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

import pytest


@pytest.mark.browser
def test_every_page_loads_cleanly_under_the_sub_path(browser, static_server, hosted) -> None:
    origin = static_server(hosted)
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}")
            if r.failure != "net::ERR_ABORTED" else None)  # aborted: the crawl moved on
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}")
            if r.status >= 400 else None)
    page.on("request", lambda r: problems.append(f"outside the site: {r.url}")
            if not r.url.startswith(origin + "/archive/") and not r.url.startswith("data:")
            else None)
    queue, seen = [origin + "/archive/"], set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urldefrag(href).url
            if target.startswith(origin + "/archive/") and target not in seen and \
                    not urlsplit(target).path.endswith((".xml", ".txt")):
                queue.append(target)
    context.close()
    assert len(seen) > 50  # articles, terms, years, pages: the whole demo
    assert problems == []
