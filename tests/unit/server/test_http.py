"""The preview's HTTP side: the output folder served under the site's sub-path, never a file
outside it, with the reload script injected into HTML at serve time."""

from __future__ import annotations

import http.client
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.server.events import Broadcaster, Event
from generator.server.http import (
    EVENTS_PATH,
    Preview,
    PreviewServer,
    content_type,
    inject,
    resolve,
)

SECRET = "SECRET-OUTSIDE-THE-SITE"
PAGE = b"<!doctype html><html><head><title>A</title></head><body><p>A</p></body></html>"


def script_of(version: int) -> bytes:
    """The injected element alone: what inject adds to a page that has no </body>."""
    return inject(b"", version)


# -- inject ------------------------------------------------------------------------------


def test_inject_puts_the_script_right_before_the_closing_body_tag() -> None:
    injected = inject(PAGE, 3)
    script = script_of(3)
    assert script.startswith(b"<script>") and script.endswith(b"</script>")
    assert injected == PAGE.replace(b"</body>", script + b"</body>")


def test_inject_uses_the_last_closing_body_tag_whatever_its_case() -> None:
    page = b"<body><pre>&lt;/body&gt; </body> in a comment</pre>\n</BODY></html>"
    assert inject(page, 1) == page.replace(b"</BODY>", script_of(1) + b"</BODY>")


def test_inject_appends_when_there_is_no_closing_body_tag() -> None:
    fragment = b"<p>no body here</p>"
    assert inject(fragment, 1) == fragment + script_of(1)


def test_inject_embeds_the_version_and_the_events_path() -> None:
    script = script_of(42).decode()
    assert "var version = 42," in script
    assert "__FOLIO_VERSION__" not in script
    assert EVENTS_PATH in script


def test_inject_leaves_every_other_byte_alone() -> None:
    text = "<p>Zürich \u2013 \u201cquoted\u201d \u2713</p>\r\n</body>\n"
    page = text.encode() + b"\xff\xfe raw bytes"  # and bytes that are not UTF-8
    injected = inject(page, 5)
    assert injected.replace(script_of(5), b"", 1) == page


# -- resolve -----------------------------------------------------------------------------


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """An output folder beside a secret that must never be served."""
    out = tmp_path / "output"
    (out / "2017/a").mkdir(parents=True)
    (out / "index.html").write_text("home")
    (out / "x.html").write_text("x")
    (out / "2017/a/index.html").write_text("article")
    (out / "ä").mkdir()
    (out / "ä/index.html").write_text("umlaut")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (outside / "index.html").write_text(SECRET)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/passwd").write_text(SECRET)
    os.symlink(outside / "secret.txt", out / "leak.txt")
    os.symlink(outside, out / "leakdir")
    os.symlink(out / "x.html", out / "alias.html")  # inside the site: fine
    return out


@pytest.mark.parametrize(
    ("url_path", "expected"),
    [
        ("/x.html", "x.html"),
        ("/", "index.html"),
        ("/2017/a/", "2017/a/index.html"),
        ("/2017/a/index.html", "2017/a/index.html"),
        ("/%C3%A4/", "ä/index.html"),
        ("/alias.html", "x.html"),
    ],
)
def test_resolve_serves_files_inside_the_output(output: Path, url_path: str,
                                                 expected: str) -> None:
    outcome, target = resolve(output, "/", url_path)
    assert outcome == "file"
    assert target is not None and target.resolve() == (output / expected).resolve()


@pytest.mark.parametrize("url_path", ["/2017", "/2017/a", "/%C3%A4"])
def test_resolve_redirects_a_folder_without_its_slash(output: Path, url_path: str) -> None:
    assert resolve(output, "/", url_path) == ("redirect", None)


@pytest.mark.parametrize(
    "url_path",
    [
        "/nope.html",
        "/2017/nope/",
        "/../etc/passwd",
        "/2017/../../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2E%2E%2Fetc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..%5cetc%5cpasswd",
        "/..\\etc\\passwd",
        "/x.html%00.png",
        "/x.html\x00",
        "//etc/passwd",
        "/%2Fetc/passwd",
        "/./x.html",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/leakdir/",
        "/leakdir",
        "x.html",
        "",
    ],
)
def test_resolve_never_reaches_outside_the_output(output: Path, url_path: str) -> None:
    assert resolve(output, "/", url_path) == ("missing", None)


def test_resolve_under_a_sub_path(output: Path) -> None:
    base = "/archive/"
    assert resolve(output, base, "/archive/x.html") == ("file", (output / "x.html").resolve())
    assert resolve(output, base, "/archive/") == ("file", (output / "index.html").resolve())
    assert resolve(output, base, "/archive/2017") == ("redirect", None)
    for outside_base in ("/x.html", "/", "/archived/x.html", "/archive/../x.html",
                         "/archive/../etc/passwd", "/archive//etc/passwd"):
        assert resolve(output, base, outside_base) == ("missing", None), outside_base


def test_resolve_under_a_percent_encoded_sub_path(output: Path) -> None:
    base = "/my%20archive/"  # what SiteConfig.base_path and every built link use
    assert resolve(output, base, "/my%20archive/x.html") == ("file",
                                                             (output / "x.html").resolve())


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.html", "text/html; charset=utf-8"),
        ("a.htm", "text/html; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.svg", "image/svg+xml; charset=utf-8"),
        ("a.json", "application/json; charset=utf-8"),
        ("a.png", "image/png"),
        ("a.unknown-kind", "application/octet-stream"),
    ],
)
def test_content_type(name: str, kind: str) -> None:
    assert content_type(Path(name)) == kind


def test_content_type_of_feeds_and_scripts_is_text() -> None:
    assert content_type(Path("feed.xml")) in ("application/xml; charset=utf-8",
                                              "text/xml; charset=utf-8")
    assert content_type(Path("a.js")).endswith("javascript; charset=utf-8")


# -- a real server -----------------------------------------------------------------------


class Running:
    """A PreviewServer on a free port, serving in a thread."""

    def __init__(self, output: Path, base_path: str) -> None:
        self.broadcaster = Broadcaster()
        self.server = PreviewServer(("127.0.0.1", 0),
                                    Preview(output, base_path, self.broadcaster))
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()

    def request(self, path: str, method: str = "GET") -> tuple[http.client.HTTPResponse, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(2)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "output"
    (out / "2017/a").mkdir(parents=True)
    (out / "index.html").write_bytes(PAGE)
    (out / "2017/a/index.html").write_bytes(PAGE.replace(b"<p>A</p>", b"<p>Article</p>"))
    (out / "404.html").write_bytes(b"<html><body><h1>Not here</h1></body></html>")
    (out / "style.css").write_text("body { color: red }")
    (out / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (out / "feed.xml").write_text("<feed/>")
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/passwd").write_text(SECRET)
    return out


@pytest.fixture
def serve(site: Path) -> Iterator[Callable[[str], Running]]:
    started: list[Running] = []

    def start(base_path: str = "/archive/") -> Running:
        started.append(Running(site, base_path))
        return started[-1]

    yield start
    for running in started:
        running.stop()


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/archive/", "text/html; charset=utf-8"),
        ("/archive/style.css", "text/css; charset=utf-8"),
        ("/archive/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/archive/feed.xml", "xml; charset=utf-8"),
    ],
)
def test_content_types_over_http(serve, path: str, kind: str) -> None:
    response, _ = serve("/archive/").request(path)
    assert response.status == 200
    assert response.getheader("Content-Type").endswith(kind)
    assert response.getheader("Cache-Control") == "no-store"


def test_html_is_served_with_the_script_but_stored_without_it(serve, site: Path) -> None:
    running = serve("/archive/")
    running.broadcaster.publish(Event("reload", {}))
    response, body = running.request("/archive/2017/a/")
    on_disk = (site / "2017/a/index.html").read_bytes()
    assert response.status == 200
    assert body == inject(on_disk, 1)
    assert int(response.getheader("Content-Length")) == len(body)
    assert b"EventSource" in body and b"EventSource" not in on_disk


def test_other_files_are_served_byte_for_byte(serve, site: Path) -> None:
    _, body = serve("/archive/").request("/archive/style.css")
    assert body == (site / "style.css").read_bytes()


def test_missing_pages_get_the_sites_404_page_with_the_script(serve, site: Path) -> None:
    running = serve("/archive/")
    for path in ("/archive/nope/", "/x.html", "/archive/2017/a/nope.html"):
        response, body = running.request(path)
        assert response.status == 404, path
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        assert response.getheader("Cache-Control") == "no-store"
        assert body == inject((site / "404.html").read_bytes(), 0)


def test_missing_pages_without_a_404_page_get_plain_text(serve, site: Path) -> None:
    (site / "404.html").unlink()
    response, body = serve("/archive/").request("/archive/nope/")
    assert (response.status, body) == (404, b"Not found")
    assert response.getheader("Content-Type") == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("base", "path", "location"),
    [
        ("/archive/", "/", "/archive/"),
        ("/archive/", "/archive", "/archive/"),
        ("/archive/", "/archive/2017", "/archive/2017/"),
        ("/archive/", "/archive/2017/a?x=1", "/archive/2017/a/?x=1"),  # the query is kept
        ("/", "/2017", "/2017/"),
    ],
)
def test_redirects(serve, base: str, path: str, location: str) -> None:
    response, body = serve(base).request(path)
    assert response.status == 301
    assert response.getheader("Location") == location
    assert response.getheader("Cache-Control") == "no-store"
    assert body == b""


def test_the_root_is_served_directly_when_the_site_is_not_under_a_sub_path(serve) -> None:
    response, body = serve("/").request("/")
    assert response.status == 200
    assert b"<p>A</p>" in body


def test_head_has_the_length_but_no_body(serve) -> None:
    running = serve("/archive/")
    _, full = running.request("/archive/")
    response, body = running.request("/archive/", method="HEAD")
    assert response.status == 200
    assert body == b""
    assert int(response.getheader("Content-Length")) == len(full)


@pytest.mark.parametrize("base", ["/", "/archive/"])
@pytest.mark.parametrize(
    "raw_path",
    [
        "/../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/archive/../etc/passwd",
        "/archive/%2e%2e/etc/passwd",
        "/archive/%2E%2E%2Fetc%2Fpasswd",
        "/..%5cetc%5cpasswd",
        "//etc/passwd",
        "/archive//etc/passwd",
    ],
)
def test_traversal_requests_get_404_and_never_the_file(serve, base: str,
                                                       raw_path: str) -> None:
    response, body = serve(base).request(raw_path)
    assert response.status == 404
    assert SECRET.encode() not in body


def read_event(sock: socket.socket, buffer: bytes) -> tuple[bytes, bytes]:
    """The next complete event block (comments skipped), and what is left in the buffer."""
    while True:
        while b"\n\n" not in buffer:
            chunk = sock.recv(4096)
            if not chunk:
                raise EOFError(buffer)
            buffer += chunk
        block, buffer = buffer.split(b"\n\n", 1)
        if not block.startswith(b":"):
            return block, buffer


def test_the_events_stream_says_hello_then_follows_the_builds(serve) -> None:
    running = serve("/archive/")
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as sock:
        sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(4096)
        head, buffer = buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 200")
        assert b"Content-Type: text/event-stream" in head
        assert b"Cache-Control: no-store" in head
        retry, buffer = read_event(sock, buffer)
        assert retry == b"retry: 500"  # pages reconnect quickly after a restart
        hello, buffer = read_event(sock, buffer)
        assert hello.startswith(b"event: hello\ndata: ")
        assert running.broadcaster.server_id.encode() in hello
        running.broadcaster.publish(Event("reload", {}))
        reload, buffer = read_event(sock, buffer)
        assert reload == b"event: reload\ndata: {}"
        running.stop()  # ends the stream: the page then reconnects to the next server
        with pytest.raises(EOFError):
            read_event(sock, buffer)


def test_a_file_asked_for_as_a_folder_is_missing(tmp_path: Path) -> None:
    (tmp_path / "x.html").write_text("x")
    assert resolve(tmp_path, "/", "/x.html/") == ("missing", None)
    assert resolve(tmp_path, "/", "/x.html")[0] == "file"
