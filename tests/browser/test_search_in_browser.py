"""Search as a reader uses it, on a site whose index has several parts and a delta: hosted
under a sub-path by a plain static server, and in `folio serve`."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from generator.server.serve import Session
from tests.sitekit import article_text, write_tree

TIMEOUT = 10000  # ms
REGIONS = ["Europe", "Asia", "Oceania"]
# one word found in one article each; "kin" (in every other article) is the longest word
# that starts "kinkajou" elsewhere: a part without "kinkajou" would answer with it
ANIMALS = ["aardvark", "bandicoot", "capybara", "dugong", "echidna", "fossa", "gharial",
           "hoatzin", "ibex", "jerboa", "kinkajou", "loris"]


def article(n: int) -> str:
    animal = ANIMALS[n]
    other = "kin" if animal != "kinkajou" else "cousins"
    body = (f"The harbour report number {n} speaks of the {animal} at length. Its {other} "
            f"gathered by the harbour wall.\n\nA second paragraph about tides and harbour fees.")
    return article_text(body, title=f"Harbour notes {n}",
                        date=f"{2015 + n // 4}-0{1 + n % 4}-{10 + n}", regions=[REGIONS[n % 3]],
                        themes=["Ports"], authors=[f"Writer {n % 2}"])


def make_site(root: Path, base_url: str) -> Path:
    files = {f"content/articles/{2015 + n // 4}/a{n:02d}.md": article(n)
             for n in range(len(ANIMALS))}
    files["folio.toml"] = f'title = "Harbour archive"\nbase_url = "{base_url}"\n' \
                          "search_part_size = 3\n"
    return write_tree(root, files)


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built for https://example.org/archive/, then edited (so the delta holds an
    article and supersedes its first version) and with one article deleted; at root/archive/."""
    root = tmp_path_factory.mktemp("hosted")
    site = make_site(root / "site", "https://example.org/archive/")
    config = load_config(site)
    build(config, workers=1)
    edited = site / "content/articles/2015/a01.md"
    edited.write_text(edited.read_text().replace("bandicoot", "wombat"))
    (site / "content/articles/2016/a05.md").unlink()  # the fossa's article
    report = build(config, workers=1)
    assert report.index is not None and report.index.bundles == 1  # the delta alone
    shutil.copytree(site / "output", root / "www/archive")
    return root / "www"


def watch(page) -> list[str]:
    """Console errors and failed requests of a page, collected as it runs."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}")
            if "/__folio/events" not in r.url and r.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    return problems


def results(page, query: str | None = None) -> list[str]:
    """Type `query` (unless None), wait for the results, and return their titles."""
    if query is not None:
        page.locator("#search-input").fill(query)
        page.locator("#search-status", has_text=f"“{query}”").wait_for(timeout=TIMEOUT)
    page.wait_for_function("""() => {
        const status = document.getElementById('search-status').textContent;
        if (!/results? for|No results/.test(status)) return false;
        const count = /^No results/.test(status) ? 0 : parseInt(status.replace(/,/g, ''), 10);
        return document.querySelectorAll('.search-result').length === Math.min(count, 5);
    }""", timeout=TIMEOUT)
    return page.locator(".search-result h2").all_inner_texts()


def facet_counts(page, name: str) -> dict[str, int]:
    """The counts shown beside one facet's values, once they are this search's."""
    labels = page.locator(f".facet input[name={name}]").locator("xpath=..").all_inner_texts()
    return {" ".join(label.split()[:-1]): int(label.split()[-1]) for label in labels}


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_a_word_in_one_article_finds_exactly_it_across_parts(
        browser, static_server, screenshots, hosted: Path, width: int) -> None:
    origin = static_server(hosted)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = watch(page)
    page.goto(f"{origin}/archive/")
    box = page.locator("header form[role=search] input[name=q]")  # the header's search box
    box.fill("kinkajou")
    box.press("Enter")
    page.wait_for_url(f"{origin}/archive/search/?q=kinkajou")
    assert results(page, "kinkajou") == ["Harbour notes 10"]  # no near match from the parts
    assert results(page, "capyb") == ["Harbour notes 2"]  # partial words while typing
    assert results(page, "echidna harbour") == ["Harbour notes 4"]  # every word
    excerpt = page.locator(".search-result-excerpt").first
    assert excerpt.locator("mark").first.inner_text().lower() in ("echidna", "harbour")
    link = page.locator(".search-result h2 a").first
    assert link.get_attribute("href").startswith("/archive/2016/")  # under the sub-path
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the search page scrolls sideways by {overflow}px at {width}px"
    page.screenshot(path=screenshots / f"search-{width}.png", full_page=True)
    link.click()
    page.wait_for_url(f"{origin}/archive/2016/**")
    assert page.locator("h1").inner_text() == "Harbour notes 4"
    assert problems == []
    context.close()


@pytest.mark.browser
def test_a_facet_narrows_across_parts_with_counts_of_the_results(
        browser, static_server, hosted: Path) -> None:
    origin = static_server(hosted)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = watch(page)
    page.goto(f"{origin}/archive/search/?q=harbour")
    everything = results(page)
    assert len(everything) == 5 and "11 results" in page.locator("#search-status").inner_text()
    page.locator("#search-more").click()
    page.wait_for_function("document.querySelectorAll('.search-result').length == 10")
    page.locator("#search-more").click()
    page.wait_for_function("document.querySelectorAll('.search-result').length == 11")
    assert page.locator("#search-more").is_hidden()
    shown = page.locator(".search-result h2").all_inner_texts()
    assert len(set(shown)) == 11  # every article once, the edited one too
    page.wait_for_function("document.querySelectorAll('.facet input[name=region]').length == 3")
    page.wait_for_function("""() => [...document.querySelectorAll('.facet input[name=region]')]
        .map(b => b.parentNode.textContent.replace(/\\s+/g, ' ')).join()
        .includes('Oceania 3')""", timeout=TIMEOUT)
    assert facet_counts(page, "region") == {"Europe": 4, "Asia": 4, "Oceania": 3}
    page.locator('.facet input[name=region][value="Asia"]').check()
    page.locator("#search-status", has_text="4 results").wait_for(timeout=TIMEOUT)
    assert sorted(results(page)) == [f"Harbour notes {n}" for n in (1, 10, 4, 7)]
    assert "region=Asia" in page.url and "q=harbour" in page.url  # a link to share
    assert problems == []
    page.close()


@pytest.mark.browser
def test_the_address_query_terms_edits_and_deletions(browser, static_server,
                                                     hosted: Path) -> None:
    origin = static_server(hosted)
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    problems = watch(page)
    page.goto(f"{origin}/archive/search/?q=oceania")  # a region's name, searched as a word
    assert sorted(results(page)) == [f"Harbour notes {n}" for n in (11, 2, 8)]
    assert page.locator("#search-input").input_value() == "oceania"
    assert results(page, "wombat") == ["Harbour notes 1"]  # the edited article, in the delta
    assert results(page, "bandicoot") == []  # its first version is superseded
    assert results(page, "fossa") == []  # a deleted article
    assert problems == []
    page.close()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    site = make_site(tmp_path / "site", "http://localhost:8000/archive/")
    running = Session(site, drafts=False, host="127.0.0.1", port=0, exact_port=True,
                      poll=False, out=io.StringIO(), err=io.StringIO())
    running.start()
    yield running
    running.stop()


@pytest.mark.browser
def test_search_works_in_folio_serve_and_follows_edits(browser, session: Session) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    problems = watch(page)
    page.goto(session.url + "search/")
    assert results(page, "gharial") == ["Harbour notes 6"]
    source = session.config.root / "content/articles/2016/a06.md"
    source.write_text(source.read_text() + "\nThe hydrogeologists were not consulted.\n")
    for _ in range(100):  # the preview re-indexes after it has shown the edited page
        if "search index updated" in session.out.getvalue():
            break
        page.wait_for_timeout(100)
    page.goto(session.url + "search/?q=hydrogeologists")
    assert results(page) == ["Harbour notes 6"]
    assert problems == []
    page.close()
