"""What a changed path means for the site, and the debounce that turns a burst into one build."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from generator.server.changes import (
    Debouncer,
    Kind,
    Watched,
    changed_pages,
    classify,
    is_editor_debris,
    only_stylesheets,
)

ROOT = Path("/site")
WATCHED = Watched(
    root=ROOT,
    content=ROOT / "content",
    output=ROOT / "output",
    static=(ROOT / "static", ROOT / "themes/plain/static"),
    templates=(ROOT / "templates", ROOT / "themes", ROOT / "themes/plain"),
    config=ROOT / "folio.toml",
)


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("content/articles/2017/a.md", Kind.CONTENT),
        ("content/about.md", Kind.CONTENT),
        ("content/pages/about.md", Kind.CONTENT),
        ("content/.hidden.md", None),
        ("content/_drafts/a.md", None),
        ("content/articles/.git/a.md", None),
        ("content/articles/_notes.md", None),
        ("content/articles/a.txt", None),
        ("content/articles/a.markdown", None),
        ("content/articles/image.png", None),
        ("output/index.html", None),
        ("output/style.css", None),
        ("output", None),
        (".folio-cache/build.sqlite", None),
        (".folio-cache/build.sqlite-journal", None),
        (".output.staging-1234/index.html", None),
        (".output.staging-1234/2017/a/index.html", None),
        ("folio.toml", Kind.CONFIG),
        ("templates/article.html", Kind.TEMPLATE),
        ("templates/partials/nav.html", Kind.TEMPLATE),
        ("themes/plain/templates/base.html", Kind.TEMPLATE),
        ("themes/plain/theme.toml", Kind.TEMPLATE),
        ("themes/other/templates/base.html", Kind.TEMPLATE),
        ("static/style.css", Kind.STATIC),
        ("static/img/logo.svg", Kind.STATIC),
        ("themes/plain/static/theme.css", Kind.STATIC),
        ("themes/plain/static/fonts/a.woff2", Kind.STATIC),
        ("README.md", None),
        ("notes.txt", None),
        ("folio.toml.bak", None),
        ("scripts/deploy.sh", None),
    ],
)
def test_classify(relative: str, kind: Kind | None) -> None:
    assert classify(ROOT / relative, WATCHED) is kind


@pytest.mark.parametrize(
    "name",
    [
        ".a.md.swp", ".a.md.swx", ".a.md.swo", "4913", "a.md~", "folio.toml~",
        ".#a.md", "#a.md#", "a.md___jb_tmp___", "a.md___jb_old___",
        ".goutputstream-XJ3K1Z", ".DS_Store", "Thumbs.db", "a.md.tmp", ".~lock.a.md#",
    ],
)
def test_editor_debris_is_recognised_and_ignored_everywhere(name: str) -> None:
    assert is_editor_debris(Path(name))
    for folder in ("content/articles", "templates", "static", "themes/plain/static", ""):
        assert classify(ROOT / folder / name, WATCHED) is None


@pytest.mark.parametrize("name", ["a.md", "index.html", "style.css", "4913.md", "x#y.md"])
def test_ordinary_files_are_not_debris(name: str) -> None:
    assert not is_editor_debris(Path(name))


def test_a_folder_moved_out_of_content_is_a_content_change() -> None:
    assert classify(ROOT / "content/articles/2017", WATCHED) is not None


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (["static/style.css"], True),
        (["static/style.css", "themes/plain/static/theme.css"], True),
        (["static/style.css", "static/logo.svg"], False),
        (["static/style.css", "content/a.md"], False),
        (["static/style.css", "templates/base.html"], False),
        (["templates/style.css"], False),
        (["output/style.css"], False),
        (["static/.style.css.swp"], False),
        ([], False),
    ],
)
def test_only_stylesheets(changed: list[str], expected: bool) -> None:
    assert only_stylesheets((ROOT / p for p in changed), WATCHED) is expected


# -- Debouncer ---------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def paths(*names: str) -> set[Path]:
    return {Path(name) for name in names}


def test_nothing_pending_is_never_due() -> None:
    clock = FakeClock()
    debouncer = Debouncer(lambda _: None, quiet=1, longest=5, clock=clock)
    clock.now = 100
    assert not debouncer.due()


def test_due_only_after_the_quiet_period_since_the_last_add() -> None:
    clock = FakeClock()
    debouncer = Debouncer(lambda _: None, quiet=1, longest=5, clock=clock)
    for moment, name in ((0, "a"), (0.25, "b"), (0.5, "c")):
        clock.now = moment
        debouncer.add(Path(name))
    clock.now = 1.25
    assert not debouncer.due()
    clock.now = 1.5
    assert debouncer.due()
    assert debouncer.take() == paths("a", "b", "c")
    assert not debouncer.due()


def test_the_longest_cap_fires_while_adds_keep_coming() -> None:
    clock = FakeClock()
    debouncer = Debouncer(lambda _: None, quiet=1, longest=5, clock=clock)
    for step in range(10):  # one add every half second: never quiet for a whole second
        clock.now = step * 0.5
        debouncer.add(Path(f"p{step}"))
        assert not debouncer.due()
    clock.now = 5
    debouncer.add(Path("last"))
    assert debouncer.due()
    assert len(debouncer.take()) == 11


def test_the_cap_counts_from_the_first_add_after_a_take() -> None:
    clock = FakeClock()
    debouncer = Debouncer(lambda _: None, quiet=1, longest=5, clock=clock)
    debouncer.add(Path("old"))
    clock.now = 10
    debouncer.take()
    debouncer.add(Path("new"))
    clock.now = 10.5
    assert not debouncer.due()


def run_in_thread(debouncer: Debouncer) -> threading.Thread:
    thread = threading.Thread(target=debouncer.run, daemon=True)
    thread.start()
    return thread


def test_run_flushes_a_burst_once_with_every_path() -> None:
    clock = FakeClock()
    flushed: list[set[Path]] = []
    done = threading.Event()
    debouncer = Debouncer(lambda p: (flushed.append(p), done.set()), quiet=1, longest=5,
                          clock=clock)
    for name in "abc":
        debouncer.add(Path(name))
    clock.now = 2  # already quiet: run() must flush at once
    thread = run_in_thread(debouncer)
    assert done.wait(2)
    debouncer.close()
    thread.join(2)
    assert not thread.is_alive()
    assert flushed == [paths("a", "b", "c")]


def test_run_in_real_time_gives_one_flush_for_a_burst() -> None:
    flushed: list[set[Path]] = []
    done = threading.Event()
    debouncer = Debouncer(lambda p: (flushed.append(p), done.set()), quiet=0.05, longest=1.0)
    thread = run_in_thread(debouncer)
    started = time.monotonic()
    for n in range(10):
        debouncer.add(Path(f"p{n}"))
        time.sleep(0.001)
    assert time.monotonic() - started < 0.05, "the burst itself was too slow to test"
    assert done.wait(2)
    time.sleep(0.1)  # twice the quiet period: time enough for a wrong second flush
    debouncer.close()
    thread.join(2)
    assert not thread.is_alive()
    assert flushed == [{Path(f"p{n}") for n in range(10)}]


def test_close_ends_an_idle_run() -> None:
    debouncer = Debouncer(lambda _: None, quiet=0.05)
    thread = run_in_thread(debouncer)
    time.sleep(0.01)
    debouncer.close()
    thread.join(2)
    assert not thread.is_alive()


def test_close_ends_a_run_waiting_for_quiet() -> None:
    flushed: list[set[Path]] = []
    debouncer = Debouncer(flushed.append, quiet=5, longest=10)
    thread = run_in_thread(debouncer)
    debouncer.add(Path("a"))
    time.sleep(0.01)
    debouncer.close()
    thread.join(2)
    assert not thread.is_alive()
    assert flushed == []


def test_quiet_for_waits_out_the_time_when_nothing_comes() -> None:
    debouncer = Debouncer(lambda _: None)
    started = time.monotonic()
    assert debouncer.quiet_for(0.1)
    assert time.monotonic() - started >= 0.1


def test_quiet_for_ends_as_soon_as_a_path_comes() -> None:
    debouncer = Debouncer(lambda _: None)
    threading.Timer(0.05, debouncer.add, [Path("a")]).start()
    started = time.monotonic()
    assert not debouncer.quiet_for(5)
    assert time.monotonic() - started < 2
    assert debouncer.pending == {Path("a")}  # left for the run loop to flush


@pytest.mark.parametrize(("changed", "pages"), [
    (["2020/01/a/index.html", "index.html", "atom.xml", "regions/europe/atom.xml"],
     ["/blog/", "/blog/2020/01/a/"]),
    (["about.html", "sitemap.xml", "robots.txt"], ["/blog/about.html"]),
    ([], []),
    (["index.html", "assets/app.js"], None),  # any page may use it: every page reloads
    (["404.html"], None),  # shown at any address
])
def test_changed_pages_are_the_urls_of_the_pages_written(changed: list[str],
                                                         pages: list[str] | None) -> None:
    assert changed_pages(changed, "/blog/") == pages
