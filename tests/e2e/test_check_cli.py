"""`folio check` on built sites: a clean build passes; each kind of damage to the output is
reported with its own finding and exit status 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.sitekit import article_text, build_site, write_tree

ARCHIVE = "https://example.org/archive/"
ONE = "2020/01/one/index.html"
TWO = "2020/01/two/index.html"


def small_site(root: Path) -> Path:
    return write_tree(root, {
        "folio.toml": 'title = "Check test"\n',
        "content/articles/2020/01/one.md": article_text(
            "## Part one\n\nText.", title="One", date="2020-01-02",
            source={"name": "Outlet", "url": "https://outlet.example/one",
                    "date": "2020-01-01"}),
        "content/articles/2020/01/two.md": article_text(
            "See [part one](../one/#part-one) and [elsewhere](https://other.example/).",
            title="Two", date="2020-01-03"),
        "content/articles/2020/01/draft.md": article_text(
            title="Draft", date="2020-01-04", draft=True, copyright=None),
        "content/pages/about.md": "---\ntitle: About\nmenu: 1\n---\n\nAbout us.\n",
    })


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = small_site(tmp_path / "site")
    build_site(root)
    return root


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    status = main(["check", *args])
    return status, capsys.readouterr().out.splitlines()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.startswith(("checked ", "external: "))]


def test_a_clean_build_passes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = check(capsys, str(site))
    assert status == 0
    assert findings(lines) == []
    assert lines[-1].startswith("checked ") and ": 0 problems in " in lines[-1]
    pages = len(list((site / "output").rglob("*.html")))
    assert lines[-1].startswith(f"checked {pages} pages, ")
    assert "(2 external)" in lines[-1]  # the link in two.md and one.md's original source
    status, verbose = check(capsys, str(site), "--verbose")
    assert "external: https://other.example/" in verbose
    assert "external: https://outlet.example/one" in verbose


def test_a_removed_page_that_is_linked(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "output/about/index.html").unlink()
    status, lines = check(capsys, str(site))
    assert status == 1
    broken = findings(lines)
    assert broken and all(line.endswith(': <a href="/about/">: no such page')
                          for line in broken)
    assert f'{site / "output" / ONE}: <a href="/about/">: no such page' in broken
    assert lines[-1].endswith(f"{len(broken)} problems in " + lines[-1].split(" in ")[-1])


def test_a_removed_article_page(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "output" / TWO).unlink()
    status, lines = check(capsys, str(site))
    assert status == 1
    assert f"{site / 'output' / TWO}: article page: missing: no page for the published " \
           "article content/articles/2020/01/two.md" in lines


def test_a_missing_fragment(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site / "output" / TWO, "../one/#part-one", "/2020/01/one/#part-nine")
    edit(site / "output" / TWO, "<main", '<a href="#nowhere">x</a><main')
    status, lines = check(capsys, str(site))
    assert status == 1
    assert sorted(findings(lines)) == [
        f'{site / "output" / TWO}: <a href="#nowhere">: no element with id "nowhere" on '
        "this page",
        f'{site / "output" / TWO}: <a href="/2020/01/one/#part-nine">: no element with id '
        f'"part-nine" on {ONE}',
    ]


def test_a_removed_stylesheet(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "output/assets/folio.css").unlink()
    status, lines = check(capsys, str(site))
    assert status == 1
    pages = len(list((site / "output").rglob("*.html")))
    broken = findings(lines)
    assert len(broken) == pages
    assert all(line.endswith(': <link href="/assets/folio.css">: no such file')
               for line in broken)


def test_missing_images_and_scripts(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site / "output" / ONE, "</main>",
         '<img src="/images/gone.png" alt=""><script src="/assets/gone.js"></script></main>')
    status, lines = check(capsys, str(site))
    assert status == 1
    assert findings(lines) == [
        f'{site / "output" / ONE}: <img src="/images/gone.png">: no such file',
        f'{site / "output" / ONE}: <script src="/assets/gone.js">: no such file',
    ]


def test_an_edited_copyright(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site / "output" / ONE, "<dd>© Original Outlet, 2020</dd>",
         "<dd>© Someone Else, 2021</dd>")
    status, lines = check(capsys, str(site))
    assert status == 1
    assert findings(lines) == [
        f'{site / "output" / ONE}: .attribution-copyright dd: expected "© Original Outlet, '
        '2020" (front matter), found "© Someone Else, 2021"']


def test_a_deleted_attribution(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = site / "output" / ONE
    text = page.read_text(encoding="utf-8")
    start, end = text.index("<aside class=\"attribution\""), text.index("</aside>") + 8
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    status, lines = check(capsys, str(site))
    assert status == 1
    assert findings(lines) == [
        f"{page}: aside.attribution: missing: the page does not show the article's source "
        "and copyright (content/articles/2020/01/one.md)"]


def test_drafts_are_checked_when_built(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_site(site, drafts=True)
    draft = site / "output/2020/01/draft/index.html"
    assert draft.is_file()
    assert check(capsys, str(site))[0] == 0
    edit(draft, '<div class="attribution-source">', '<div class="attribution-x">')
    status, lines = check(capsys, str(site))
    assert status == 1
    assert findings(lines) == [f'{draft}: .attribution-source dd: missing: expected '
                               '"Original Outlet" (front matter)']


def test_a_link_outside_the_sub_path(tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = small_site(tmp_path / "site")
    output = tmp_path / "public"
    assert main(["build", str(root), "--base-url", ARCHIVE, "--output", str(output),
                 "--quiet"]) == 0
    status, lines = check(capsys, str(root), "--base-url", ARCHIVE, "--output", str(output))
    assert status == 0, lines
    edit(output / ONE, "</main>", '<a href="/2020/01/two/">not under /archive/</a></main>')
    status, lines = check(capsys, str(root), "--base-url", ARCHIVE, "--output", str(output))
    assert status == 1
    assert findings(lines) == [f'{output / ONE}: <a href="/2020/01/two/">: outside the '
                               "site's sub-path /archive/"]
    status = main(["check", str(root), "--output", str(output)])  # the wrong base_url
    captured = capsys.readouterr()
    assert status == 1 and captured.out == ""  # one error instead of a finding per link
    assert "was built for https://example.org/archive/" in captured.err


def test_paths_are_shown_relative_to_the_current_folder(
        site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "output/assets/favicon.svg").unlink()
    monkeypatch.chdir(site)
    status, lines = check(capsys)
    assert status == 1
    assert f'output/{ONE}: <link href="/assets/favicon.svg">: no such file' in lines


def test_without_a_built_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = small_site(tmp_path / "site")
    assert main(["check", str(root)]) == 1
    assert "no such output folder" in capsys.readouterr().err



@pytest.mark.parametrize("base_url", [None, ARCHIVE])
def test_the_demo_archive_passes(demo: Path, base_url: str | None) -> None:
    options = ["--base-url", base_url] if base_url else []
    built = subprocess.run([sys.executable, "-m", "generator", "build", str(demo), "--quiet",
                            *options], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    checked = subprocess.run([sys.executable, "-m", "generator", "check", str(demo), *options],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.startswith("checked ") and " 0 problems in " in checked.stdout


def test_a_root_relative_link_written_in_an_article_under_a_sub_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = small_site(tmp_path / "site")
    edit(root / "content/articles/2020/01/two.md", "../one/#part-one", "/2020/01/one/")
    build_site(root, base_url=ARCHIVE)
    status, lines = check(capsys, str(root), "--base-url", ARCHIVE)
    assert status == 1
    assert findings(lines) == [f'{root / "output" / TWO}: <a href="/2020/01/one/">: outside '
                               "the site's sub-path /archive/"]


def test_an_output_built_for_another_address_is_one_clear_error(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(site), "-q", "--base-url", ARCHIVE]) == 0
    capsys.readouterr()
    status = main(["check", str(site)])
    captured = capsys.readouterr()
    assert status == 1 and captured.out == ""  # not a finding per link
    [line] = captured.err.splitlines()
    assert f"was built for {ARCHIVE}" in line and "--base-url" in line
    status, lines = check(capsys, str(site), "--base-url", ARCHIVE)  # checked as built
    assert status == 0 and findings(lines) == []
    assert main(["build", str(site), "-q"]) == 0  # built again for its own address
    status, lines = check(capsys, str(site))
    assert status == 0 and findings(lines) == []
