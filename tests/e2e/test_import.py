"""`folio import` as a curator runs it: a folder of dumps into a new site, then a build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sitekit import page
from tests.unit.importer.dumps import BAD, CASES

GOOD = sorted(p.name for p in CASES.iterdir() if p.suffix in (".txt", ".md"))
DRAFTS = ["missing_copyright.txt", "missing_source.txt"]
SEED_URL = "/2017/09/video-syrian-army-advances-deep-inside-deir-ezzor-province-besieged-by-isis/"
SEED_FILE = "content/articles/2017/09/" + SEED_URL.split("/")[-2] + ".md"


def folio(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


@pytest.fixture
def dumps(tmp_path: Path) -> Path:
    folder = tmp_path / "dumps"
    shutil.copytree(CASES, folder / "good", ignore=shutil.ignore_patterns("*.yaml"))
    shutil.copytree(BAD, folder / "bad")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    assert folio("init", str(root)).returncode == 0
    return root


def test_import_a_folder_then_build(dumps: Path, site: Path) -> None:
    result = folio("import", str(dumps), "--site", str(site))
    assert result.returncode == 1, result.stderr  # the bad inputs fail the batch
    lines = result.stdout.splitlines()
    assert lines[-1] == (f"Summary: {len(GOOD)} imported (2 drafts), 0 updated, 0 unchanged, "
                         "0 skipped, 6 failed, 2 warnings")
    errors = result.stderr.splitlines()
    for name, category in [("empty.txt", "empty"), ("only_whitespace.txt", "empty"),
                           ("binary.txt", "not-text"), ("not_an_article.txt", "not-an-article"),
                           ("truncated.txt", "truncated"), ("header_only.txt", "truncated")]:
        assert any(line.startswith("error: ") and f"{name}: {category}: " in line
                   for line in errors), name
    assert sum(line.startswith("warning: ") for line in errors) == 2
    assert len(errors) == 8 and "Traceback" not in result.stderr
    assert any(SEED_FILE in line and line.startswith("imported") for line in lines)
    written = sorted(p.name for p in (site / "content/articles").rglob("*.md"))
    assert len(written) == len(GOOD) + 1  # and the example article of `folio init`

    built = folio("build", str(site))
    assert built.returncode == 0, built.stderr
    assert f"Built {len(GOOD) - len(DRAFTS)} articles" in built.stdout  # init's is a draft
    assert built.stderr.count("is missing (draft") == 2
    article = page(site / "output", SEED_URL)
    assert article.select_one("h1").get_text(strip=True).startswith("Video: Syrian Army")
    attribution = article.select_one(".attribution-copyright").get_text()
    assert "South Front, 2017" in attribution
    assert "If you're able" not in article.get_text()
    assert not (site / "output/2018/10/selected-articles-the-struggle-for-water-in-gaza").exists()


def test_reimport_is_unchanged_and_touches_nothing(dumps: Path, site: Path) -> None:
    good = dumps / "good"
    assert folio("import", str(good), "--site", str(site)).returncode == 0
    seed = site / SEED_FILE
    before = seed.stat().st_mtime_ns
    again = folio("import", str(good), "--site", str(site))
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1].startswith(f"Summary: 0 imported, 0 updated, "
                                                    f"{len(GOOD)} unchanged")
    assert seed.stat().st_mtime_ns == before


def test_dry_run_writes_nothing(dumps: Path, site: Path) -> None:
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = folio("import", str(dumps / "good"), "--site", str(site), "--dry-run")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1].endswith("(dry run: nothing was written)")
    assert f"{len(GOOD)} imported" in result.stdout
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_json_records(dumps: Path, site: Path) -> None:
    result = folio("import", str(dumps), "--site", str(site), "--json")
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(GOOD) + 6
    by_name = {Path(r["input"]).name: r for r in records}
    assert set(by_name["seed_south_front.txt"]) == {"input", "status", "path", "draft",
                                                   "warnings", "error", "message", "dry_run"}
    assert by_name["seed_south_front.txt"]["path"] == SEED_FILE
    assert by_name["seed_south_front.txt"]["status"] == "imported"
    assert by_name["missing_copyright.txt"]["draft"] is True
    assert "copyright" in by_name["missing_copyright.txt"]["warnings"][0]
    assert by_name["truncated.txt"] | {"message": None} == {
        "input": str(dumps / "bad/truncated.txt"), "status": "failed", "path": None,
        "draft": False, "warnings": [], "error": "truncated", "message": None, "dry_run": False}
    assert result.stderr.startswith("Summary: ")


def test_force_replaces_only_what_nobody_edited(dumps: Path, site: Path) -> None:
    good = dumps / "good"
    folio("import", str(good), "--site", str(site))
    seed_dump = good / "seed_south_front.txt"
    seed_dump.write_text(seed_dump.read_text().replace("No confirmed reports", "No reports"))
    other = site / "content/articles/2019/12/impeachment-indicts-both-parties.md"
    edited = other.read_text().replace("regions: []", "regions:\n- USA")
    other.write_text(edited)
    (good / "unlinked_byline_old_layout.txt").write_text(
        (good / "unlinked_byline_old_layout.txt").read_text() + "\n")

    kept = folio("import", str(good), "--site", str(site))
    assert kept.returncode == 0
    assert "skipped    " in kept.stdout and "use --force to replace it" in kept.stdout
    forced = folio("import", str(good), "--site", str(site), "--force")
    assert forced.returncode == 1
    assert any(line.startswith("updated") and "seed_south_front.txt" in line
               for line in forced.stdout.splitlines())
    assert "unlinked_byline_old_layout.txt: edited: " in forced.stderr
    assert "No reports about" in (site / SEED_FILE).read_text()
    assert other.read_text() == edited


def test_a_changed_title_updates_the_article_in_place(dumps: Path, site: Path) -> None:
    good = dumps / "good"
    assert folio("import", str(good), "--site", str(site)).returncode == 0
    files = sorted(p.relative_to(site) for p in (site / "content").rglob("*.md"))
    seed_dump, seed = good / "seed_south_front.txt", site / SEED_FILE
    seed_dump.write_text(seed_dump.read_text().replace(
        "Syrian Army Advances Deep Inside", "Syrian Army Pushes Deep Into"))

    kept = folio("import", str(good), "--site", str(site))
    assert kept.returncode == 0
    assert any(line.startswith("skipped") and SEED_FILE in line and "--force" in line
               for line in kept.stdout.splitlines()), kept.stdout
    forced = folio("import", str(good), "--site", str(site), "--force")
    assert forced.returncode == 0, forced.stderr
    assert any(line.startswith("updated") and line.endswith(
        f"-> {SEED_FILE} (its file, recognised by the same byline and text)")
        for line in forced.stdout.splitlines()), forced.stdout
    assert sorted(p.relative_to(site) for p in (site / "content").rglob("*.md")) == files
    built = folio("build", str(site))
    assert built.returncode == 0, built.stderr
    heading = page(site / "output", SEED_URL).select_one("h1").get_text(strip=True)
    assert heading.startswith("Video: Syrian Army Pushes Deep Into")  # at the same URL

    edited = seed.read_text().replace("copyright: South Front, 2017", "copyright: SF, 2017")
    seed.write_text(edited)
    seed_dump.write_text(seed_dump.read_text().replace("Pushes Deep Into", "Advances Into"))
    kept = folio("import", str(good), "--site", str(site))
    assert kept.returncode == 0 and "edited since it was imported" in kept.stdout
    forced = folio("import", str(good), "--site", str(site), "--force")
    assert forced.returncode == 1
    assert "seed_south_front.txt: edited: " in forced.stderr
    assert seed.read_text() == edited
    assert sorted(p.relative_to(site) for p in (site / "content").rglob("*.md")) == files


def test_bad_site_and_missing_input(tmp_path: Path) -> None:
    (tmp_path / "folio.toml").write_text('title = "T"\n')
    result = folio("import", str(tmp_path / "nope.txt"), "--site", str(tmp_path))
    assert result.returncode == 1 and "missing: no such file or folder" in result.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = folio("import", str(tmp_path / "nope.txt"), cwd=elsewhere)  # no --site: "."
    assert result.returncode == 1 and "this folder is not a Folio site" in result.stderr
    assert "--site" in result.stderr and list(elsewhere.iterdir()) == []  # no content/ made
    result = folio("import", str(tmp_path), "--site", str(tmp_path / "no-site"))
    assert result.returncode == 1 and "no such site folder" in result.stderr
    assert folio("import").returncode == 2


HTML_PAGES = Path(__file__).resolve().parents[1] / "unit/importer/fixtures/html"
REFUSED_PAGES = {"listing.html": "listing", "search.html": "listing", "paywall.html": "paywall",
                 "login.html": "paywall", "empty_page.html": "too-short"}


def test_saved_pages_and_a_dump_import_then_build(tmp_path: Path, site: Path) -> None:
    """A folder mixing a text dump and saved HTML pages: the articles are written, the pages
    that are not articles are refused with their category, and the archive builds."""
    collected = tmp_path / "collected"
    shutil.copytree(HTML_PAGES, collected / "pages", ignore=shutil.ignore_patterns("*.yaml"))
    shutil.copy(CASES / "seed_south_front.txt", collected / "seed.txt")
    result = folio("import", str(collected), "--site", str(site))
    assert result.returncode == 1, result.stderr  # the refused pages fail the batch
    articles = len(list(HTML_PAGES.glob("*.html"))) - len(REFUSED_PAGES) + 1
    assert result.stdout.splitlines()[-1] == (
        f"Summary: {articles} imported (1 draft), 0 updated, 0 unchanged, 0 skipped, "
        f"{len(REFUSED_PAGES)} failed, 1 warning")
    errors = result.stderr.splitlines()
    for name, category in REFUSED_PAGES.items():
        assert any(line.startswith("error: ") and f"{name}: {category}: " in line
                   for line in errors), name
    assert any(line.startswith("warning: ") and "opengraph_only.html" in line
               and "copyright" in line for line in errors)
    assert len(errors) == len(REFUSED_PAGES) + 1, errors  # no library's log lines
    assert any(SEED_FILE in line and line.startswith("imported") for line in
               result.stdout.splitlines())

    built = folio("build", str(site))
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("is missing (draft") == 1
    story = page(site / "output", "/2021/03/water-wars-in-the-valley/")
    assert story.select_one("h1").get_text(strip=True) == "Water Wars in the Valley"
    assert story.select_one(".attribution-source a")["href"] == (
        "https://www.dailyplanet.example/2021/03/04/water-wars-in-the-valley/")
    assert "The Daily Planet, 2021" in story.select_one(".attribution-copyright").get_text()
    assert story.select_one("article table") is not None
    assert story.select_one("article blockquote").get_text(strip=True).startswith("Whiskey")
    image = story.select_one("article img[alt='The river at dawn, below the dam']")
    assert image["src"] == "https://www.dailyplanet.example/uploads/2021/03/river.jpg"
    republished = page(site / "output", "/2021/02/the-quiet-collapse-of-the-insect-world/")
    source = republished.select_one(".attribution-source")
    assert source.select_one("a").get_text() == "The Conversation"
    assert "Common Ground" in republished.select_one(".attribution-publisher").get_text()
