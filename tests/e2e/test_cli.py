"""The command line as a user runs it: exit codes, what it prints (`folio init`:
test_init_and_deploy.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from generator.cli import ProgressBar, main
from tests.sitekit import article_text, page


def folio(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_build_reports_counts_and_then_unchanged(make_site) -> None:
    site = make_site({"content/articles/2020/01/one.md": article_text(title="One")})
    first = folio("build", str(site))
    assert first.returncode == 0, first.stderr
    assert " 0 unchanged, 0 removed" in first.stdout
    second = folio("build", str(site), "--output", str(site / "output"))
    assert "0 files written" in second.stdout and "0 removed" in second.stdout


def test_base_url_and_output_options(make_site, tmp_path: Path) -> None:
    site = make_site({"content/articles/2020/01/one.md": article_text(title="One")})
    out = tmp_path / "elsewhere"
    result = folio("build", str(site), "--output", str(out), "--base-url",
                   "https://user.github.io/archive")
    assert result.returncode == 0, result.stderr
    home = page(out, "/")
    assert home.select_one(".card-title a")["href"] == "/archive/2020/01/one/"
    assert not (site / "output").exists()


def test_missing_site_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = folio("build", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "no such site folder" in result.stderr and "Traceback" not in result.stderr


def test_bad_arguments_exit_2() -> None:
    assert folio("build", "--no-such-flag").returncode == 2
    assert folio().returncode == 2


def test_version_and_main_entry_point(capsys) -> None:
    assert folio("--version").stdout.startswith("folio ")
    assert main(["build", "/definitely/not/here"]) == 1
    assert "no such site folder" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only_for_large_builds() -> None:
    screen = _Terminal()
    bar = ProgressBar(screen)
    for done in range(1, 1001):
        bar("reading", done, 1000)
    for done in range(1, 2001):
        bar("rendering", done, 2000)
    bar.close()
    text = screen.getvalue()
    assert "reading   [" in text and "1000/1000 files\n" in text  # a line per phase
    assert "2000/2000 pages" in text and text.endswith("\n")
    assert text.count("\r") == 2 * 101  # one redraw per percent (0-100) and phase
    small = _Terminal()
    ProgressBar(small)("rendering", 1, 10)
    assert small.getvalue() == ""
    piped = io.StringIO()
    ProgressBar(piped)("rendering", 500, 1000)
    assert piped.getvalue() == ""


def test_commands_in_a_folder_that_is_no_site_say_how_to_start(tmp_path: Path) -> None:
    for command in (["build"], ["check"], ["serve"], ["import", "x.txt"]):
        result = folio(*command, cwd=tmp_path)
        assert result.returncode == 1, command
        assert "this folder is not a Folio site" in result.stderr
        assert "folio init" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no output/, .folio-cache/ or content/ left behind


def test_an_impossible_date_names_the_file_and_line(make_site) -> None:
    site = make_site({"content/articles/2020/01/one.md": article_text(title="One"),
                      "content/articles/2020/01/two.md": article_text(title="Two").replace(
                          "date: '2020-01-02'", "date: 2021-02-30")})
    assert "date: 2021-02-30" in (site / "content/articles/2020/01/two.md").read_text()
    result = folio("build", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/articles/2020/01/two.md:3: 'date': is not a date on the calendar: " \
           "2021-02-30 (day is out of range for month)" in result.stderr


def test_an_unexpected_failure_is_a_short_bug_report(make_site, monkeypatch, capsys) -> None:
    site = make_site({"content/articles/2020/01/one.md": article_text(title="One")})

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("generator.build.build", broken)
    assert main(["build", str(site)]) == 70
    err = capsys.readouterr().err
    assert err.startswith("error: Folio failed unexpectedly (RuntimeError: a bug)")
    assert "--debug" in err and "Traceback" not in err
    try:
        main(["build", str(site), "--debug"])
    except RuntimeError as exc:
        assert str(exc) == "a bug"  # the traceback is Python's own
    else:
        raise AssertionError("--debug should let the error through")


def test_a_machine_fault_names_the_file_and_what_to_do(make_site, monkeypatch, capsys) -> None:
    import errno

    site = make_site({"content/articles/2020/01/one.md": article_text(title="One")})

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(site / "output/x"))

    monkeypatch.setattr("generator.build.build", full)
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"error: {site / 'output/x'}: No space left on device (the disk is full" in err


def test_verbose_says_which_way_the_build_went_and_why(make_site) -> None:
    site = make_site({"content/articles/2020/01/one.md": article_text(title="One")})
    for path in [site, *site.rglob("*")]:  # older than the cache's racy window
        os.utime(path, (path.stat().st_atime - 3600, path.stat().st_mtime - 3600))
    first = folio("build", str(site), "-v")
    assert "Build path: full (the whole pipeline" in first.stdout
    assert "Build path: unchanged (nothing changed since the last build): no input changed" \
        in folio("build", str(site), "--verbose").stdout
    one = site / "content/articles/2020/01/one.md"
    one.write_text(one.read_text().replace("title: One", "title: Uno"))
    assert "Build path: edit-from-cache" in folio("build", str(site), "-v").stdout
    assert "Build path" not in folio("build", str(site)).stdout


def test_a_content_file_named_in_another_encoding_is_named_in_the_error(make_site) -> None:
    site = make_site({"content/articles/2020/01/one.md": article_text(title="One")})
    folder = os.fsencode(site / "content/articles/2020/01")
    with open(os.path.join(folder, b"caf\xe9.md"), "w", encoding="utf-8") as stream:
        stream.write(article_text(title="Cafe"))
    result = folio("build", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/articles/2020/01/caf\\xe9.md: the file name is not UTF-8 text" \
        in result.stderr
