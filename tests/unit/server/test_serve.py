"""`folio serve`: binding a port, problems as the browser shows them, and a running session
that rebuilds on a change and tells the pages."""

from __future__ import annotations

import io
import queue
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.errors import ContentError, FolioError, Problem
from generator.server.events import Broadcaster, Event
from generator.server.http import Preview, PreviewServer
from generator.server.serve import (
    PORT_TRIES,
    PortInUse,
    Session,
    bind,
    fresh_warnings,
    problem_records,
)
from tests.sitekit import article_text

HOST = "127.0.0.1"


@pytest.fixture
def preview(tmp_path: Path) -> Preview:
    return Preview(tmp_path, "/", Broadcaster())


@pytest.fixture
def servers() -> Iterator[list[PreviewServer]]:
    """Servers that were bound but never served: closed, not stopped."""
    made: list[PreviewServer] = []
    yield made
    for server in made:
        server.server_close()


def test_bind_on_a_free_port(preview: Preview, servers: list[PreviewServer]) -> None:
    servers.append(bind(HOST, 0, preview, exact=True))
    assert servers[0].server_address[1] > 0
    assert servers[0].preview is preview


def test_bind_to_a_taken_port_exactly_names_the_port(preview: Preview,
                                                     servers: list[PreviewServer]) -> None:
    servers.append(bind(HOST, 0, preview, exact=True))
    port = servers[0].server_address[1]
    with pytest.raises(PortInUse) as caught:
        bind(HOST, port, preview, exact=True)
    message = str(caught.value)
    assert f"port {port} on {HOST} is already in use" in message
    assert "--port " in message


def two_taken_ports() -> tuple[socket.socket, socket.socket]:
    """Listening sockets on two consecutive ports P and P+1 (P chosen by the system)."""
    for _ in range(50):
        first = socket.socket()
        first.bind((HOST, 0))
        first.listen()
        port = first.getsockname()[1]
        second = socket.socket()
        try:
            second.bind((HOST, port + 1))
        except OSError:
            first.close()
            second.close()
            continue
        second.listen()
        return first, second
    pytest.skip("found no two consecutive free ports")


def test_a_taken_ports_suggestion_is_a_port_that_is_free(preview: Preview) -> None:
    first, second = two_taken_ports()
    port = first.getsockname()[1]
    try:
        with pytest.raises(PortInUse) as caught:
            bind(HOST, port, preview, exact=True)
        hint = caught.value.problems[0].hint
        assert hint is not None
        suggested = int(hint.rsplit("--port ", 1)[1])
        assert suggested not in (port, port + 1)
        with socket.socket() as probe:  # the suggestion can be taken
            probe.bind((HOST, suggested))
            probe.listen()
    finally:
        first.close()
        second.close()


def test_bind_to_a_taken_port_otherwise_takes_the_next_free_one(
        preview: Preview, servers: list[PreviewServer]) -> None:
    servers.append(bind(HOST, 0, preview, exact=True))
    port = servers[0].server_address[1]
    if port + PORT_TRIES > 65535:
        pytest.skip("the free port is too near the top of the range")
    servers.append(bind(HOST, port, preview, exact=False))
    assert port < servers[1].server_address[1] < port + PORT_TRIES


@pytest.mark.parametrize("port", [70000, -1])
def test_bind_to_an_impossible_port_is_a_folio_error(preview: Preview, port: int) -> None:
    with pytest.raises(FolioError, match=str(port)):
        bind(HOST, port, preview, exact=True)


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback here")
def test_bind_to_the_ipv6_loopback(preview: Preview, servers: list[PreviewServer]) -> None:
    servers.append(bind("::1", 0, preview, exact=True))
    assert servers[0].server_address[0] == "::1"


# -- fresh_warnings ----------------------------------------------------------------------


def test_fresh_warnings_are_those_not_printed_for_the_last_build_in_order_once() -> None:
    assert fresh_warnings(frozenset(), ["b", "a", "b"]) == ["b", "a"]
    assert fresh_warnings(frozenset({"a", "gone"}), ["c", "a", "b"]) == ["c", "b"]
    assert fresh_warnings(frozenset({"a"}), []) == []


# -- problem_records ---------------------------------------------------------------------


def test_problem_records_give_file_relative_to_the_site_line_and_message(tmp_path: Path) -> None:
    root = tmp_path / "site"
    error = ContentError([
        Problem("is required", path=root / "content/articles/a.md", line=3, key="title",
                hint="add a title"),
        Problem("not UTF-8 text", path=root / "content/b.md"),
        Problem("no articles at all"),
    ], title="The site cannot be built")
    assert problem_records(error, root) == [
        {"file": "content/articles/a.md", "line": 3,
         "message": "'title': is required (add a title)"},
        {"file": "content/b.md", "line": None, "message": "not UTF-8 text"},
        {"file": None, "line": None, "message": "no articles at all"},
    ]


def test_problem_records_keep_a_path_outside_the_site_whole(tmp_path: Path) -> None:
    elsewhere = tmp_path / "themes-elsewhere/base.html"
    [record] = problem_records(FolioError(Problem("bad", path=elsewhere)), tmp_path / "site")
    assert record["file"] == str(elsewhere)


def test_problem_records_of_another_exception_name_its_type(tmp_path: Path) -> None:
    assert problem_records(KeyError("slug"), tmp_path) == [
        {"file": None, "line": None, "message": "KeyError: 'slug' (see the terminal)"}]


# -- a running session -------------------------------------------------------------------

ARTICLE = "content/articles/2020/one.md"


@pytest.fixture
def session(make_site: Callable[..., Path]) -> Iterator[Session]:
    site = make_site({ARTICLE: article_text(title="One"), "static/extra.css": "p {}\n"},
                     config='title = "Preview test"\n')
    running = Session(site, drafts=False, host=HOST, port=0, exact_port=True, poll=False,
                      out=io.StringIO(), err=io.StringIO(), quiet_period=0.02, index_delay=0)
    running.start()
    yield running
    running.stop()


def until_event(client: queue.Queue[Event | None], name: str, change: Callable[[], None],
                timeout: float = 5.0) -> Event:
    """Make `change` (again, in case the watcher was not yet listening) until `name` comes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        change()
        retry = time.monotonic() + 0.5
        while time.monotonic() < min(retry, deadline):
            try:
                event = client.get(timeout=0.05)
            except queue.Empty:
                continue
            if event is not None and event.name == name:
                return event
    raise AssertionError(f"no {name!r} event within {timeout} s")


def test_a_broken_article_shows_problems_and_keeps_the_last_good_site(
        session: Session) -> None:
    root = session.config.root
    home = session.config.output_path / "index.html"
    good_home = home.read_bytes()
    client = session.broadcaster.connect()
    source = root / ARTICLE
    good = source.read_text()

    event = until_event(client, "problems",
                        lambda: source.write_text(good.replace("title: One", "title: [One")))
    [record] = event.data["problems"]
    assert record["file"] == ARTICLE
    assert home.read_bytes() == good_home
    assert session.broadcaster.problems == event.data["problems"]

    until_event(client, "reload", lambda: source.write_text(good.replace("One", "Uno")))
    assert session.broadcaster.problems == []
    assert b"Uno" in home.read_bytes()


def test_a_stylesheet_edit_swaps_styles_in_place(session: Session) -> None:
    client = session.broadcaster.connect()
    stylesheet = session.config.root / "static/extra.css"
    serial = iter(range(1000))  # a new rule at every try, so each is a real change
    event = until_event(client, "css",
                        lambda: stylesheet.write_text(f"p {{ order: {next(serial)} }}"))
    assert event.data == {"version": session.broadcaster.version}
    assert (session.config.output_path / "extra.css").read_text() == stylesheet.read_text()


def test_an_edit_made_while_the_search_index_runs_is_built_at_once(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "slow-pagefind"  # indexing that would take 30 s, as on a large archive
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    client = session.broadcaster.connect()
    source = session.config.root / ARTICLE
    page = session.config.output_path / "2020/01/one/index.html"
    text = source.read_text()
    until_event(client, "reload", lambda: source.write_text(text.replace("One", "Uno")))
    time.sleep(0.3)  # the slow indexing starts right after the reload
    started = time.monotonic()
    until_event(client, "reload", lambda: source.write_text(text.replace("One", "Eins")))
    assert time.monotonic() - started < 5  # not after the 30 s of indexing
    assert b"Eins" in page.read_bytes()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")


def test_a_burst_of_saves_starts_the_search_index_once_after_it(
        make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({ARTICLE: article_text(title="One")})
    running = Session(site, drafts=False, host=HOST, port=0, exact_port=True, poll=False,
                      out=io.StringIO(), err=io.StringIO(), quiet_period=0.02,
                      index_delay=0.6)
    running.start()
    try:
        starts = tmp_path / "starts"
        counting = tmp_path / "counting-pagefind"  # notes each start, then indexes nothing
        counting.write_text(f"#!/bin/sh\necho started >> {starts}\nexit 1\n")
        counting.chmod(0o755)
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(counting))
        client = running.broadcaster.connect()
        source = site / ARTICLE
        text = source.read_text()
        for n in range(4):  # saves 0.2 s apart: each is built, none is followed by quiet
            until_event(client, "reload", lambda n=n: source.write_text(
                text.replace("One", f"Version {n}")))
            time.sleep(0.2)
        assert not starts.exists()
        deadline = time.monotonic() + 5
        while not starts.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert starts.read_text().splitlines() == ["started"]  # once, after the burst
    finally:
        running.stop()


def test_a_reload_names_the_pages_the_edit_changed(session: Session) -> None:
    client = session.broadcaster.connect()
    source = session.config.root / ARTICLE
    text = source.read_text()
    event = until_event(client, "reload", lambda: source.write_text(
        text + f"\nA new paragraph {time.monotonic()}.\n"))
    pages = event.data["pages"]
    assert pages == ["/2020/01/one/"]  # a body edit: its own page, no list shows bodies
    assert event.data["version"] == session.broadcaster.version
