"""Search as a reader uses it: the demo hosted under a sub-path, and in `folio serve`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.server.serve import Session
from tests.browser.test_serve_in_browser import make_demo

TIMEOUT = 8000  # ms
# "aquifer" is in this article's body only (not in its title, summary or any other article)
AQUIFER = "Who Owns the Water Under the Vineyards?"
AQUIFER_URL = "2021/05/who-owns-the-water-under-the-vineyards/"
# "water" is in articles from several regions; of them only this one is in the Middle East
MIDDLE_EAST = "Water Rights Dispute on the Orontes Enters Its Third Year"




def watch(page) -> list[str]:
    """Console errors and failed requests of a page, collected as it runs."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}")
            if "/__folio/events" not in r.url and r.failure != "net::ERR_ABORTED"
            else None)  # the preview's stream, and requests cut short by navigating on
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    return problems


def search_for(page, words: str) -> list[str]:
    """Type into the search box; the titles of the results once they are shown."""
    page.locator(".pagefind-ui__search-input").fill(words)
    page.locator(".pagefind-ui__message", has_text=f"for {words}").wait_for(timeout=TIMEOUT)
    return titles(page)


def titles(page) -> list[str]:
    """The results' titles, once as many are shown as the message says (at most a page)."""
    page.wait_for_function("""() => {
        const message = document.querySelector('.pagefind-ui__message').textContent;
        const count = /^No results/.test(message) ? 0 : parseInt(message, 10);
        return document.querySelectorAll('.pagefind-ui__result-link').length ===
            Math.min(count, 5);
    }""", timeout=TIMEOUT)
    return page.locator(".pagefind-ui__result-link").all_inner_texts()


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_search_finds_a_body_word_and_narrows_by_region(browser, static_server, screenshots,
                                                        hosted: Path, width: int) -> None:
    origin = static_server(hosted)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = watch(page)
    page.goto(f"{origin}/archive/")
    page.locator("nav.site-nav a", has_text="Search").click()
    page.wait_for_url(f"{origin}/archive/search/")

    assert search_for(page, "aquifer") == [AQUIFER]
    link = page.locator(".pagefind-ui__result-link").first
    assert link.get_attribute("href") == f"/archive/{AQUIFER_URL}"  # under the sub-path
    tags = page.locator(".pagefind-ui__result-tag").all_inner_texts()
    assert any("Source: The Harbour Review" in tag for tag in tags)  # attribution in results

    everywhere = search_for(page, "water")
    assert MIDDLE_EAST in everywhere and AQUIFER in everywhere and len(everywhere) >= 5
    page.locator('.pagefind-ui__filter-checkbox[name="region"]'
                 '[value="Middle East & North Africa"]').check()
    page.locator(".pagefind-ui__message", has_text="1 result for water").wait_for(
        timeout=TIMEOUT)
    assert titles(page) == [MIDDLE_EAST]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the search page scrolls sideways by {overflow}px at {width}px"
    page.screenshot(path=screenshots / f"search-{width}.png", full_page=True)

    page.locator(".pagefind-ui__result-link").first.click()
    page.wait_for_url(f"{origin}/archive/2017/06/**")
    assert page.locator("h1").inner_text() == MIDDLE_EAST
    assert problems == []
    context.close()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    site = make_demo(tmp_path / "site", base_url="http://localhost:8000/archive/")
    running = Session(site, drafts=False, host="127.0.0.1", port=0, exact_port=True,
                      poll=False, out=io.StringIO(), err=io.StringIO())
    running.start()
    yield running
    running.stop()


@pytest.mark.browser
def test_search_works_in_folio_serve_and_follows_edits(browser, session: Session) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    problems = watch(page)
    page.goto(session.url + "search/")
    assert search_for(page, "aquifer") == [AQUIFER]
    assert page.locator(".pagefind-ui__result-link").first.get_attribute("href") == \
        f"/archive/{AQUIFER_URL}"

    source = session.config.root / "content/articles/2021/05/who-owns-the-water-under-the-" \
                                   "vineyards.md"
    source.write_text(source.read_text() + "\nThe hydrogeologists were not consulted.\n")
    for _ in range(80):  # the preview re-indexes after it has shown the edited page
        if "search index updated" in session.out.getvalue():
            break
        page.wait_for_timeout(100)
    page.goto(session.url + "search/")
    assert search_for(page, "hydrogeologists") == [AQUIFER]
    assert problems == []
    context.close()
