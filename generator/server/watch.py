"""Watching a site's folders with watchdog (inotify and friends, or polling with --poll)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver


class _Forward(FileSystemEventHandler):
    def __init__(self, notify: Callable[[Path], None]) -> None:
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.notify(Path(raw if isinstance(raw, str) else raw.decode()))


def start_watching(folders: Iterable[Path], files_in: Iterable[Path],
                   notify: Callable[[Path], None], *, poll: bool = False) -> BaseObserver:
    """Watch `folders` recursively and `files_in` (folders whose own files matter, such as
    the site root for folio.toml) without descending; call notify(path) for every change."""
    observer: BaseObserver = PollingObserver(timeout=0.3) if poll else Observer()
    handler = _Forward(notify)
    for folder in folders:
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    for folder in files_in:
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=False)
    observer.daemon = True
    observer.start()
    return observer
