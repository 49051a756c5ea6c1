"""The reload channel: one queue per page, a hello with the current state, events fanned out."""

from __future__ import annotations

import json
import queue

from generator.server.events import Broadcaster, Event

PROBLEMS = [{"file": "content/a.md", "line": 3, "message": "'title': is required"}]


def drain(client: queue.Queue[Event | None]) -> list[Event | None]:
    events = []
    while True:
        try:
            events.append(client.get_nowait())
        except queue.Empty:
            return events


def test_encode_is_one_server_sent_event() -> None:
    data = {"problems": [{"message": "line one\nline two", "file": "ä.md"}]}
    raw = Event("problems", data).encode()
    assert raw.endswith(b"\n\n")
    lines = raw.decode().split("\n")
    assert lines[0] == "event: problems"
    assert lines[1].startswith("data: ")
    assert json.loads(lines[1].removeprefix("data: ")) == data
    assert lines[2:] == ["", ""]  # the data stays on one line: newlines inside are escaped


def test_connect_says_hello_with_server_id_version_and_problems() -> None:
    broadcaster = Broadcaster()
    hello = broadcaster.connect().get_nowait()
    assert hello == Event("hello", {"server": broadcaster.server_id, "version": 0,
                                    "problems": []})
    assert len(broadcaster.server_id) == 16


def test_each_broadcaster_has_its_own_server_id() -> None:
    assert Broadcaster().server_id != Broadcaster().server_id


def test_publish_reaches_every_client() -> None:
    broadcaster = Broadcaster()
    clients = [broadcaster.connect() for _ in range(3)]
    for client in clients:
        drain(client)
    broadcaster.publish(Event("reload", {}))
    assert [drain(client) for client in clients] == [[Event("reload", {})]] * 3
    assert broadcaster.count == 3


def test_problems_are_remembered_for_pages_opened_later() -> None:
    broadcaster = Broadcaster()
    broadcaster.publish(Event("problems", {"problems": PROBLEMS}))
    hello = broadcaster.connect().get_nowait()
    assert hello is not None and hello.data["problems"] == PROBLEMS
    assert hello.data["version"] == 0  # a failed build is not a new version


def test_reload_and_css_bump_the_version_and_clear_problems() -> None:
    broadcaster = Broadcaster()
    broadcaster.publish(Event("problems", {"problems": PROBLEMS}))
    broadcaster.publish(Event("reload", {}))
    assert (broadcaster.version, broadcaster.problems) == (1, [])
    broadcaster.publish(Event("problems", {"problems": PROBLEMS}))
    broadcaster.publish(Event("css", {"version": 2}))
    assert (broadcaster.version, broadcaster.problems) == (2, [])
    hello = broadcaster.connect().get_nowait()
    assert hello is not None and hello.data["version"] == 2


def test_ok_clears_problems_without_a_new_version() -> None:
    broadcaster = Broadcaster()
    broadcaster.publish(Event("problems", {"problems": PROBLEMS}))
    broadcaster.publish(Event("ok", {}))
    assert (broadcaster.version, broadcaster.problems) == (0, [])


def test_a_disconnected_client_gets_nothing_more() -> None:
    broadcaster = Broadcaster()
    gone, staying = broadcaster.connect(), broadcaster.connect()
    drain(gone)
    drain(staying)
    broadcaster.disconnect(gone)
    broadcaster.publish(Event("reload", {}))
    assert drain(gone) == []
    assert drain(staying) == [Event("reload", {})]
    assert broadcaster.count == 1
    broadcaster.disconnect(gone)  # twice is harmless


def test_close_wakes_every_client_with_none() -> None:
    broadcaster = Broadcaster()
    clients = [broadcaster.connect() for _ in range(2)]
    for client in clients:
        drain(client)
    broadcaster.close()
    assert [drain(client) for client in clients] == [[None], [None]]
    assert broadcaster.count == 0
