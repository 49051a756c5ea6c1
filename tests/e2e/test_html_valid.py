"""The demo archive's pages and stylesheet pass the Nu Html Checker (vnu), the W3C's own
validator: scripts/test installs its jar from the npm registry (it runs on Java)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sitekit import build_site, copy_demo

VNU = Path(os.environ.get("FOLIO_VNU", Path(__file__).resolve().parents[2] / ".test-tools"
                          / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        message = f"the Nu Html Checker needs java and {VNU} (scripts/test installs both)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(VNU)]


@pytest.mark.parametrize("base_url", [None, "https://example.org/archive/"])
def test_every_page_of_the_demo_archive_is_valid_html(tmp_path: Path, vnu: list[str],
                                                      base_url: str | None) -> None:
    site = copy_demo(tmp_path / "site")
    build_site(site, base_url=base_url)
    output = site / "output"
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 50  # every kind of page is there to check
    checked = subprocess.run([*vnu, "--errors-only", "--skip-non-html", str(output)],
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr[:3000]


def test_the_theme_stylesheet_is_valid_css(vnu: list[str]) -> None:
    stylesheet = Path(__file__).resolve().parents[2] / "themes/default/static/assets/folio.css"
    checked = subprocess.run([*vnu, "--css", "--errors-only", str(stylesheet)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr[:3000]


def test_the_checker_finds_errors(tmp_path: Path, vnu: list[str]) -> None:
    """(so that a pass above means something)"""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>", encoding="utf-8")
    checked = subprocess.run([*vnu, "--errors-only", str(bad)], capture_output=True,
                             text=True, timeout=120)
    assert checked.returncode != 0 and "error" in checked.stderr
