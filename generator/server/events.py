"""The reload channel: Server-Sent Events, one queue per open page.

Each page first receives `hello` with the server's id and the current state (so a page
opened while the build is broken shows the problems, and a page that reconnects to a
restarted server reloads), then `reload`, `css`, `problems` or `ok` as builds finish.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        return f"event: {self.name}\ndata: {json.dumps(self.data)}\n\n".encode()


class Broadcaster:
    """Fans events out to every connected page; remembers the build's current problems."""

    def __init__(self) -> None:
        self.server_id = secrets.token_hex(8)
        self.clients: set[queue.Queue[Event | None]] = set()
        self.lock = threading.Lock()
        self.problems: list[dict[str, Any]] = []
        self.version = 0  # counts good builds; pages use it to know they are current
        self.closed = False

    def connect(self) -> queue.Queue[Event | None]:
        client: queue.Queue[Event | None] = queue.Queue()
        with self.lock:
            if self.closed:  # a page that reconnects while the server stops: end at once
                client.put(None)
                return client
            self.clients.add(client)
            client.put(Event("hello", {"server": self.server_id, "version": self.version,
                                       "problems": self.problems}))
        return client

    def disconnect(self, client: queue.Queue[Event | None]) -> None:
        with self.lock:
            self.clients.discard(client)

    def publish(self, event: Event) -> None:
        with self.lock:
            if event.name == "problems":
                self.problems = event.data["problems"]
            elif event.name in ("reload", "css", "ok"):
                self.problems = []
                self.version += event.name != "ok"
            for client in self.clients:
                client.put(event)

    def close(self) -> None:
        """Wake every stream so its handler thread ends; refuse new ones."""
        with self.lock:
            self.closed = True
            for client in self.clients:
                client.put(None)
            self.clients.clear()

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.clients)
