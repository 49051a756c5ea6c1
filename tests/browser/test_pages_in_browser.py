"""The demo archive as a reader sees it: phone and desktop widths, under a sub-path."""

from __future__ import annotations

import pytest

PAGES = {
    "home": "",
    "article": "2017/09/video-syrian-army-advances-deep-inside-deir-ezzor-province-"
               "besieged-by-isis/",
    "term": "regions/europe/",
}
WIDTHS = (375, 1280)




@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_and_shows_attribution(browser, static_server, screenshots, hosted,
                                         name: str, width: int) -> None:
    origin = static_server(hosted)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: failed.append(r.url)
            if r.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.goto(f"{origin}/archive/{PAGES[name]}")
    page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    if name == "article":
        box = page.locator("aside.attribution")
        assert box.is_visible()
        bounds = box.bounding_box()
        assert bounds is not None and bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= width
        assert bounds["y"] < 900 * 1.5, "attribution is not near the top of the article"
        text = box.inner_text()
        assert "South Front" in text and "Global Research" in text and "2017" in text
    else:
        first_card = page.locator("article.card").first
        assert first_card.is_visible()
        assert "Source:" in first_card.inner_text()
    assert errors == [] and failed == []
    context.close()


@pytest.mark.browser
def test_stylesheet_applies_and_skip_link_works(browser, static_server, hosted) -> None:
    origin = static_server(hosted)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{origin}/archive/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(253, 252, 249)"  # the theme's paper colour: the CSS loaded
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # it comes into view when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    context.close()
