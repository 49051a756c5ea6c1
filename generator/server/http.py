"""The preview's HTTP side: serves the output folder under the site's sub-path the way a
static host does, never a file outside it, with the reload script injected into HTML."""

from __future__ import annotations

import contextlib
import mimetypes
import posixpath
import queue
import socket
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from generator.server.events import Broadcaster, Event

EVENTS_PATH = "/__folio/events"
PING_SECONDS = 10.0
_CLIENT_JS = (Path(__file__).parent / "client.js").read_text(encoding="utf-8")
_TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
               "image/svg+xml", "application/atom+xml", "application/rss+xml")


@dataclass(slots=True)
class Preview:
    """What the handler serves: changed by the serve loop when the config changes."""

    output_dir: Path
    base_path: str
    broadcaster: Broadcaster
    lock: threading.RLock = field(default_factory=threading.RLock)


def inject(html: bytes, version: int) -> bytes:
    """The page with the reload script before </body> (or at the end)."""
    script = ("<script>" + _CLIENT_JS.replace("__FOLIO_VERSION__", str(version)) +
              "</script>").encode()
    lower = html.lower()
    at = lower.rfind(b"</body>")
    return html[:at] + script + html[at:] if at >= 0 else html + script


def resolve(output_dir: Path, base_path: str, url_path: str) -> tuple[str, Path | None]:
    """Map a request path to ("file", path), ("redirect", None) for a folder without its
    slash, or ("missing", None). Never a path outside output_dir, whatever the request."""
    decoded, base = unquote(url_path), unquote(base_path)
    if "\x00" in decoded or "\\" in decoded or not decoded.startswith(base):
        return "missing", None
    relative = decoded[len(base):]
    parts = relative.split("/")
    if any(part in ("..", ".") for part in parts) or posixpath.isabs(relative):
        return "missing", None
    root = output_dir.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        return "missing", None  # a symlink that points out of the site
    if target.is_dir():
        if not decoded.endswith("/"):
            return "redirect", None
        target = target / "index.html"
    elif decoded.endswith("/"):
        return "missing", None  # a file asked for as a folder: static hosts say 404 too
    if not target.is_file() or not target.resolve().is_relative_to(root):
        return "missing", None
    return "file", target


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix in (".html", ".htm"):
        kind = "text/html"
    return f"{kind}; charset=utf-8" if kind.startswith(_TEXT_TYPES) else kind


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    # headers and body go out as separate writes on a kept-alive connection: without this,
    # Nagle's algorithm holds the body until the browser's delayed ACK (~40 ms a response)
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        preview = self.server.preview
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            if head:
                self._send(HTTPStatus.OK, b"", "text/event-stream", head=True)
            else:
                self._events(preview.broadcaster)
            return
        base = preview.base_path
        if base != "/" and (path in ("", "/") or unquote(path) + "/" == unquote(base)):
            self._redirect(base)  # the site lives under its sub-path
            return
        with preview.lock:  # never in the middle of a build's commit
            outcome, target = resolve(preview.output_dir, base, path)
            if outcome == "redirect":
                query = urlsplit(self.path).query
                self._redirect(quote(unquote(path)) + "/" + (f"?{query}" if query else ""))
                return
            status = HTTPStatus.OK
            if target is None:
                status = HTTPStatus.NOT_FOUND
                target = preview.output_dir / "404.html"
                if not target.is_file():
                    self._send(status, b"Not found", "text/plain; charset=utf-8", head)
                    return
            body = target.read_bytes()
        kind = content_type(target)
        if kind.startswith("text/html"):
            body = inject(body, preview.broadcaster.version)
        self._send(status, body, kind, head)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _events(self, broadcaster: Broadcaster) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.close_connection = True
        client = broadcaster.connect()
        try:
            self.wfile.write(b"retry: 500\n\n")  # reconnect quickly after a restart
            self.wfile.flush()
            while True:
                try:
                    event: Event | None = client.get(timeout=PING_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                    continue
                if event is None:
                    return
                self.wfile.write(event.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return
        finally:
            broadcaster.disconnect(client)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not every request


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that drops a connection is not an error worth a traceback

    def stop(self) -> None:
        """Stop accepting, end every event stream (pages then reconnect to whatever serves
        next), and close the socket."""
        self.shutdown()
        self.preview.broadcaster.close()
        with contextlib.suppress(OSError):
            self.server_close()
