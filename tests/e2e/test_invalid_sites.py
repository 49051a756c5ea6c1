"""Invalid sites as data: each folder under invalid/ must fail with the lines in expected.txt."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_fails_with_its_message(case: str, tmp_path: Path) -> None:
    site = tmp_path / case
    shutil.copytree(INVALID / case, site, ignore=shutil.ignore_patterns("expected.txt"))
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(site)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for expected in (INVALID / case / "expected.txt").read_text().splitlines():
        assert expected in result.stderr, f"{expected!r} not in:\n{result.stderr}"
    assert not (site / "output").exists()
