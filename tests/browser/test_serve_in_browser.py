"""`folio serve` as a curator uses it: edit files, watch the open page follow by itself."""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.server.serve import Session
from tests.sitekit import REPO

ARTICLE = "2017/09/video-syrian-army-advances-deep-inside-deir-ezzor-province-besieged-by-isis/"
ARTICLE_FILE = ("content/articles/2017/09/"
                "video-syrian-army-advances-deep-inside-deir-ezzor-province-besieged-by-isis.md")
TIMEOUT = 8000  # ms: generous; a rebuild here takes tens of milliseconds


def make_demo(root: Path, base_url: str = "http://localhost:8000/") -> Path:
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "folio.toml").read_text()
    (root / "folio.toml").write_text(config.replace('base_url = "http://localhost:8000/"',
                                                    f'base_url = "{base_url}"'))
    return root


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    running = Session(make_demo(tmp_path / "site"), drafts=False, host="127.0.0.1", port=0,
                      exact_port=True, poll=False, out=io.StringIO(), err=io.StringIO())
    running.start()
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    yield context.new_page()
    context.close()


def ready(page) -> None:
    """Wait until the page's event channel is open: edits before that could be missed."""
    page.wait_for_function("window.__folioReady === true", timeout=TIMEOUT)


@pytest.mark.browser
def test_markdown_edit_shows_without_a_manual_reload(session: Session, page) -> None:
    page.goto(session.url + ARTICLE)
    ready(page)
    source = session.config.root / ARTICLE_FILE
    source.write_text(source.read_text() + "\nA paragraph the curator just added.\n")
    page.get_by_text("A paragraph the curator just added.").wait_for(timeout=TIMEOUT)


@pytest.mark.browser
def test_an_edit_leaves_pages_that_do_not_show_it_as_they_are(session: Session, page) -> None:
    page.goto(session.url + "years/")  # lists years, not articles' bodies
    ready(page)
    page.evaluate("window.__stayed = true")
    source = session.config.root / ARTICLE_FILE
    source.write_text(source.read_text() + "\nA paragraph no list shows.\n")
    other = page.context.new_page()  # the edited page itself shows the edit ...
    other.goto(session.url + ARTICLE)
    other.get_by_text("A paragraph no list shows.").wait_for(timeout=TIMEOUT)
    other.close()
    time.sleep(1)  # ... and the years page, told of it, did not reload
    assert page.evaluate("window.__stayed === true")


@pytest.mark.browser
def test_template_edit_shows(session: Session, page) -> None:
    page.goto(session.url + ARTICLE)
    ready(page)
    override = session.config.root / "templates/article.html"
    override.parent.mkdir()
    override.write_text('{% extends "default:article.html" %}{% block content %}'
                        '<p id="from-override">Overridden</p>{{ super() }}{% endblock %}')
    page.locator("#from-override").wait_for(timeout=TIMEOUT)
    assert page.locator("aside.attribution").is_visible()


@pytest.mark.browser
def test_broken_front_matter_shows_an_overlay_until_fixed(session: Session, page) -> None:
    page.goto(session.url + ARTICLE)
    ready(page)
    source = session.config.root / ARTICLE_FILE
    good = source.read_text()
    source.write_text(good.replace("authors: [South Front]", "authors: [South Front",
                                   1).replace("title:", "title: [unclosed", 1))
    overlay = page.locator("#folio-overlay")
    overlay.wait_for(timeout=TIMEOUT)
    assert ARTICLE_FILE in overlay.inner_text()
    assert page.locator("h1").first.inner_text().startswith("Video:")  # last good page stays
    source.write_text(good)
    overlay.wait_for(state="detached", timeout=TIMEOUT)


@pytest.mark.browser
def test_stylesheet_change_applies_without_reloading(tmp_path: Path, page) -> None:
    site = make_demo(tmp_path / "site")
    stylesheet = site / "static/assets/folio.css"  # the site's own copy of the theme's CSS
    stylesheet.parent.mkdir(parents=True)
    shutil.copy(REPO / "themes/default/static/assets/folio.css", stylesheet)
    running = Session(site, drafts=False, host="127.0.0.1", port=0, exact_port=True,
                      poll=False, out=io.StringIO(), err=io.StringIO())
    running.start()
    try:
        page.goto(running.url)
        ready(page)
        page.evaluate("window.__notReloaded = 42")
        stylesheet.write_text(stylesheet.read_text() + "\nbody { background: rgb(1, 2, 3); }\n")
        page.wait_for_function(
            "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
            timeout=TIMEOUT)
        assert page.evaluate("window.__notReloaded") == 42
    finally:
        running.stop()


@pytest.mark.browser
def test_new_and_deleted_articles(session: Session, page) -> None:
    page.goto(session.url + "regions/europe/")
    ready(page)
    europe = page.locator(".card-title a")
    first = europe.first.inner_text()
    source = next(p for p in (session.config.root / "content/articles").rglob("*.md")
                  if "title: " + first.replace("'", "") in p.read_text().replace('"', "")
                  or first in p.read_text())
    source.unlink()
    page.wait_for_function(
        f"![...document.querySelectorAll('.card-title a')].some(a => a.innerText === "
        f"{first!r})", timeout=TIMEOUT)
    ready(page)
    added = session.config.root / "content/articles/2030/01/a-brand-new-piece.md"
    added.parent.mkdir(parents=True)
    added.write_text("---\ntitle: A Brand New Piece\ndate: 2030-01-01\nregions: [Europe]\n"
                     "source: {name: Outlet}\ncopyright: Outlet, 2030\n---\n\nNew.\n")
    page.get_by_text("A Brand New Piece").wait_for(timeout=TIMEOUT)


@pytest.mark.browser
def test_sub_path_site_is_previewed_under_its_sub_path(tmp_path: Path, page) -> None:
    site = make_demo(tmp_path / "site", base_url="https://example.org/archive/")
    running = Session(site, drafts=False, host="127.0.0.1", port=0, exact_port=True,
                      poll=False, out=io.StringIO(), err=io.StringIO())
    running.start()
    try:
        assert running.url.endswith("/archive/")
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(running.url.removesuffix("archive/"))  # the root redirects to the sub-path
        assert page.url == running.url
        ready(page)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == \
            "rgb(253, 252, 249)"
        page.locator(".card-title a").first.click()
        page.locator("aside.attribution").wait_for(timeout=TIMEOUT)
        assert failed == []
    finally:
        running.stop()


@pytest.mark.browser
def test_the_page_reloads_itself_when_the_server_restarts(tmp_path: Path, page) -> None:
    site = make_demo(tmp_path / "site")
    first = Session(site, drafts=False, host="127.0.0.1", port=0, exact_port=True,
                    poll=False, out=io.StringIO(), err=io.StringIO())
    port = first.server.server_address[1]
    first.start()
    page.goto(first.url)
    ready(page)
    page.evaluate("window.__beforeRestart = true")
    first.stop()
    page.wait_for_function("window.__folioReady === false", timeout=TIMEOUT)
    second = Session(site, drafts=False, host="127.0.0.1", port=port, exact_port=True,
                     poll=False, out=io.StringIO(), err=io.StringIO())
    second.start()
    try:
        page.wait_for_function("window.__beforeRestart === undefined", timeout=TIMEOUT)
        ready(page)  # a fresh page, connected to the new server
    finally:
        second.stop()
