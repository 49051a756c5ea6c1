"""`folio serve` prints the warnings `folio build` prints, each once per change: all of them
after the first build; after a rebuild only those not printed for the last good build."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.server.serve import Session
from tests.sitekit import article_text

ONE = "content/articles/2020/one.md"
DRAFT = "content/articles/2020/draft.md"
THREE = "content/articles/2020/three.md"


@pytest.fixture
def session(make_site: Callable[..., Path]) -> Iterator[Session]:
    site = make_site({ONE: article_text(title="One"),
                      DRAFT: article_text(title="Draft", draft=True, copyright=None)},
                     config='title = "Warnings"\n')
    running = Session(site, drafts=False, host="127.0.0.1", port=0, exact_port=True,
                      poll=False, out=io.StringIO(), err=io.StringIO(), quiet_period=0.02,
                      index_delay=0)
    running.start()
    yield running
    running.stop()


def warnings(session: Session) -> list[str]:
    assert isinstance(session.err, io.StringIO)
    return [line for line in session.err.getvalue().splitlines()
            if line.startswith("warning: ")]


def settle(session: Session, quiet: float = 0.3, timeout: float = 10.0) -> None:
    """Wait until no change waits and no build ran for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    builds, since = session.builds, time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.02)
        if session.builds != builds or session.debouncer.pending:
            builds, since = session.builds, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
    raise AssertionError("the preview kept rebuilding")


def rebuilt(session: Session, change: Callable[[], None], timeout: float = 10.0) -> None:
    """Make `change` (again, in case the watcher missed it) until a good build follows."""
    before = session.builds
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        change()
        retry = time.monotonic() + 0.5
        while time.monotonic() < min(retry, deadline):
            if session.builds > before:
                settle(session)
                return
            time.sleep(0.02)
    raise AssertionError(f"no build within {timeout} s")


def failed(session: Session, change: Callable[[], None], timeout: float = 10.0) -> None:
    """Make `change` until the preview reports an error."""
    assert isinstance(session.err, io.StringIO)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        change()
        retry = time.monotonic() + 0.5
        while time.monotonic() < min(retry, deadline):
            if "error: " in session.err.getvalue():
                settle(session)
                return
            time.sleep(0.02)
    raise AssertionError(f"no error within {timeout} s")


def write(session: Session, relative: str, text: str) -> Callable[[], None]:
    return lambda: (session.config.root / relative).write_text(text, encoding="utf-8")


def test_each_warning_is_printed_once_until_it_goes_away(session: Session) -> None:
    [draft_warning] = warnings(session)  # the first build prints every warning
    assert draft_warning.startswith(f"warning: {DRAFT}:")
    assert "'copyright': is missing (draft" in draft_warning

    last = session.builder.last
    rebuilt(session, write(session, ONE, article_text("A new body.", title="One")))
    assert session.builder.last is last  # the edit took the in-memory shortcut
    assert warnings(session) == [draft_warning]  # not printed again

    rebuilt(session, write(session, THREE, article_text(
        title="Three", date="2020-02-01", themes=["global economy"])))  # newer: outvoted
    assert warnings(session)[:1] == [draft_warning]
    [merged] = warnings(session)[1:]  # the new problem, and only it
    assert "themes: 'global economy' (1) merged into 'Global Economy' (1)" in merged
    assert merged.endswith(f"'global economy' in {THREE} (spellings that differ only in "
                           "case or punctuation are one term; edit the articles to make "
                           "them agree)")

    rebuilt(session, write(session, DRAFT, article_text(title="Draft", draft=True)))
    assert warnings(session) == [draft_warning, merged]  # it went away: nothing to say
    rebuilt(session, write(session, DRAFT, article_text(title="Draft", draft=True,
                                                        copyright=None)))
    assert warnings(session) == [draft_warning, merged, draft_warning]  # it came back


def test_a_failed_build_between_does_not_repeat_the_warnings(session: Session) -> None:
    [draft_warning] = warnings(session)
    source = session.config.root / ONE
    good = source.read_text(encoding="utf-8")
    failed(session, write(session, ONE, good.replace("title: One", "title: [One")))
    rebuilt(session, write(session, ONE, good.replace("One", "Uno")))
    assert warnings(session) == [draft_warning]
