"""The default theme as a reader sees it: every page kind at phone and desktop widths, light
and dark, checked by axe-core, and the header, menu, search box and footer used by hand.
Screenshots of each go to tests/browser/screenshots/ (test output, not committed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import AXE

PAGES = {
    "home": "",
    "article": "2017/09/video-syrian-army-advances-deep-inside-deir-ezzor-province-"
               "besieged-by-isis/",
    "term": "regions/europe/",
    "terms": "regions/",
    "years": "archives/",
    "year": "2022/",
    "search": "search/?q=water",
    "404": "404.html",
}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TAP = 44  # px: the smallest comfortable tap target
SERIOUS = ("serious", "critical")


def open_page(browser, origin: str, path: str, viewport: dict[str, int], scheme: str = "light",
              script: bool = True):
    context = browser.new_context(viewport=viewport, color_scheme=scheme,
                                  java_script_enabled=script)
    page = context.new_page()
    page.goto(f"{origin}/archive/{path}")
    if path.startswith("search/"):
        page.wait_for_selector(".search-result", timeout=10000)
    return context, page


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, "
                          "{resultTypes: ['violations']})).violations.map(v => "
                          "({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][:3]}" for v in found
            if v["impact"] in SERIOUS]


@pytest.fixture(scope="module")
def axe_core() -> Path:
    if not AXE.exists():
        message = f"axe-core not found at {AXE} (scripts/test installs it with npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_kind_is_accessible_and_fits(browser, static_server, hosted, screenshots,
                                                axe_core, name, viewport, scheme) -> None:
    context, page = open_page(browser, static_server(hosted), PAGES[name], viewport, scheme)
    page.screenshot(path=screenshots / f"theme-{name}-{viewport['width']}-{scheme}.png",
                    full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    assert axe_violations(page) == []
    context.close()


@pytest.mark.browser
def test_the_phone_header_is_short_with_large_tap_targets(browser, static_server,
                                                          hosted) -> None:
    context, page = open_page(browser, static_server(hosted), "", PHONE)
    header = page.locator("header.masthead").bounding_box()
    assert header["height"] <= 160
    page.locator(".nav-toggle").click()
    small = page.evaluate(f"""() => [...document.querySelectorAll(
        'header a, header button, header input, .pagination a')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim() || e.name, e.getBoundingClientRect().height])
        .filter(([, height]) => height < {TAP})""")
    assert small == []
    context.close()


@pytest.mark.browser
def test_the_menu_button_opens_and_closes_the_navigation(browser, static_server,
                                                         hosted) -> None:
    context, page = open_page(browser, static_server(hosted), "", PHONE)
    button, nav = page.locator(".nav-toggle"), page.locator("#site-nav")
    assert button.is_visible() and not nav.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert nav.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert nav.locator("a", has_text="Regions").is_visible()
    page.keyboard.press("Escape")  # closes, and gives the focus back to the button
    assert not nav.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert button.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")  # the keyboard opens it too
    assert nav.is_visible()
    button.click()
    assert not nav.is_visible()
    context.close()


@pytest.mark.browser
def test_without_javascript_the_navigation_is_a_plain_list(browser, static_server,
                                                           hosted) -> None:
    context, page = open_page(browser, static_server(hosted), "", PHONE, script=False)
    assert not page.locator(".nav-toggle").is_visible()
    links = page.locator("#site-nav a")
    assert links.count() >= 5
    assert all(links.nth(i).is_visible() for i in range(links.count())
               if "nav-search" not in (links.nth(i).evaluate("e => e.parentElement.className")))
    context.close()


@pytest.mark.browser
def test_the_menu_is_not_a_button_on_a_desktop(browser, static_server, hosted) -> None:
    context, page = open_page(browser, static_server(hosted), "", DESKTOP)
    assert not page.locator(".nav-toggle").is_visible()
    assert page.locator("#site-nav a", has_text="Regions").is_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_header_search_box_leads_to_results(browser, static_server, hosted,
                                                viewport) -> None:
    context, page = open_page(browser, static_server(hosted), "regions/", viewport)
    box = page.get_by_label("Search the archive", exact=True).first
    box.fill("water")
    box.press("Enter")
    page.wait_for_selector(".search-result", timeout=10000)
    assert "/archive/search/" in page.url and "q=water" in page.url
    first = page.locator(".search-result").first
    assert "water" in first.inner_text().lower()
    if viewport is PHONE:  # the first result is on the first screen of a phone
        bounds = first.bounding_box()
        assert bounds["y"] + 40 <= PHONE["height"], bounds
    status = page.locator("#search-status")
    assert status.get_attribute("aria-live") == "polite" and "result" in status.inner_text()
    context.close()


@pytest.mark.browser
def test_search_filters_fold_away_on_a_phone(browser, static_server, hosted) -> None:
    origin = static_server(hosted)
    context, page = open_page(browser, origin, "search/?q=water", PHONE)
    filters = page.locator("#search-filters")
    assert filters.get_attribute("open") is None
    results = page.locator("#search-results").bounding_box()
    assert filters.bounding_box()["y"] > results["y"]  # results first
    filters.locator("summary").click()
    labels = filters.locator("label")
    assert labels.first.is_visible()
    texts = [labels.nth(i).inner_text() for i in range(labels.count())]
    assert all(not text.rstrip("0123456789, ").endswith(" 0") for text in texts)
    context.close()
    context, page = open_page(browser, origin, "search/?q=water", DESKTOP)
    assert page.locator("#search-filters").get_attribute("open") is not None
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_footer_reaches_the_bottom_of_a_short_page(browser, static_server, hosted,
                                                       viewport) -> None:
    context, page = open_page(browser, static_server(hosted), "404.html", viewport)
    height = page.evaluate("document.documentElement.scrollHeight")
    footer = page.locator("footer.site-footer").bounding_box()
    if height <= viewport["height"]:  # a page shorter than the window
        assert abs(footer["y"] + footer["height"] - viewport["height"]) <= 1
    else:
        assert abs(footer["y"] + footer["height"] - height) <= 1
    assert page.locator("main form[role=search] input[name=q]").is_visible()
    context.close()
