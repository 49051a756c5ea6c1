"""`folio serve` as a process: it prints its URL, serves, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.sitekit import article_text, write_tree


def start(site: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(site), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("Serving"):
            return process, line.split(" at ")[1].split(" ")[0]
    process.kill()
    raise AssertionError("folio serve did not start")


def test_serve_prints_its_url_serves_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {
        "content/articles/2020/01/one.md": article_text(title="One")})
    process, url = start(site, "--port", "0")
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "2020/01/one/") as response:
            assert response.status == 200
            assert response.headers["Cache-Control"] == "no-store"
            assert b"__folio/events" in response.read()
        assert b"__folio" not in (site / "output/2020/01/one/index.html").read_bytes()
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in err


def test_a_taken_port_moves_to_the_next_one_and_says_so(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {
        "content/articles/2020/01/one.md": article_text(title="One")})
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    taken = blocker.getsockname()[1]
    try:
        exact = subprocess.run([sys.executable, "-m", "generator", "serve", str(site),
                                "--port", str(taken)], capture_output=True, text=True,
                               timeout=30)
        assert exact.returncode == 1
        assert f"port {taken}" in exact.stderr and "Traceback" not in exact.stderr
    finally:
        blocker.close()


def test_a_public_host_gets_a_warning(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {
        "content/articles/2020/01/one.md": article_text(title="One")})
    process, _ = start(site, "--host", "0.0.0.0", "--port", "0")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert "warning: serving on 0.0.0.0" in err
