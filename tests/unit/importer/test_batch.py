"""A batch: paths walked, statuses decided, existing files protected, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import for_test
from generator.importer.batch import run_batch
from tests.unit.importer.dumps import BAD, CASES, SEED, dump

SEED_OUTPUT = ("content/articles/2017/09/"
               "video-syrian-army-advances-deep-inside-deir-ezzor-province-besieged-by-isis.md")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    return root


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def statuses(report) -> dict[str, str]:
    return {o.input.name: o.status for o in report.outcomes}


def test_import_then_unchanged(site: Path, inbox: Path) -> None:
    config = for_test(site)
    first = run_batch([inbox], config)
    assert statuses(first) == {SEED.name: "imported"}
    written = site / SEED_OUTPUT
    data = written.read_bytes()
    again = run_batch([inbox], config)
    assert statuses(again) == {SEED.name: "unchanged"}
    assert written.read_bytes() == data and not again.failed


def test_folders_are_walked_for_txt_and_md_only(site: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    shutil.copytree(CASES, folder / "nested")
    (folder / ".hidden.txt").write_text(dump())
    (folder / "notes.html").write_text("<p>not read</p>")
    report = run_batch([folder], for_test(site))
    names = sorted(o.input.name for o in report.outcomes)
    assert names == sorted(p.name for p in CASES.iterdir() if p.suffix in (".txt", ".md"))
    assert not report.failed
    assert report.count("imported") == len(names)
    drafts = sorted(o.input.name for o in report.outcomes if o.draft)
    assert drafts == ["missing_copyright.txt", "missing_source.txt"]


def test_bad_inputs_fail_with_their_category_and_the_rest_is_imported(site: Path,
                                                                      inbox: Path) -> None:
    for path in BAD.iterdir():
        shutil.copy(path, inbox / path.name)
    report = run_batch([inbox, inbox / "gone.txt"], for_test(site))
    categories = {o.input.name: o.category for o in report.outcomes if o.failed}
    assert categories == {"binary.txt": "not-text", "empty.txt": "empty",
                          "only_whitespace.txt": "empty", "header_only.txt": "truncated",
                          "not_an_article.txt": "not-an-article", "truncated.txt": "truncated",
                          "gone.txt": "missing"}
    assert statuses(report)[SEED.name] == "imported" and report.failed
    assert sorted(p.name for p in (site / "content").rglob("*.md")) == [Path(SEED_OUTPUT).name]


def test_dry_run_writes_nothing(site: Path, inbox: Path) -> None:
    report = run_batch([inbox], for_test(site), dry_run=True)
    assert statuses(report) == {SEED.name: "imported"} and report.dry_run
    assert not (site / "content").exists()


def test_existing_file_is_kept_without_force(site: Path, inbox: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    target = site / SEED_OUTPUT
    target.write_text(target.read_text().replace("South Front, 2017", "SF, 2017"))
    report = run_batch([inbox], config)
    assert statuses(report) == {SEED.name: "skipped"} and not report.failed
    assert "edited since it was imported" in report.outcomes[0].message
    assert "SF, 2017" in target.read_text()


def test_force_refuses_a_curators_edits(site: Path, inbox: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    target = site / SEED_OUTPUT
    edited = target.read_text().replace("reports:\n- SYRIA", "reports:\n- SYRIA\n- ISIS")
    target.write_text(edited)
    report = run_batch([inbox], config, force=True)
    assert statuses(report) == {SEED.name: "conflict"} and report.failed
    assert report.outcomes[0].category == "edited"
    assert "move the file away" in report.outcomes[0].message
    assert target.read_text() == edited


def test_force_refuses_a_file_the_importer_did_not_write(site: Path, inbox: Path) -> None:
    target = site / SEED_OUTPUT
    target.parent.mkdir(parents=True)
    target.write_text("---\ntitle: Hand written\n---\n\nMine.\n")
    assert statuses(run_batch([inbox], for_test(site))) == {SEED.name: "skipped"}
    report = run_batch([inbox], for_test(site), force=True)
    assert statuses(report) == {SEED.name: "conflict"}
    assert "not written by the importer" in report.outcomes[0].message
    assert target.read_text() == "---\ntitle: Hand written\n---\n\nMine.\n"


def test_force_replaces_an_untouched_import_of_a_newer_input(site: Path, inbox: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    dump_file = inbox / SEED.name
    dump_file.write_text(dump_file.read_text().replace("No confirmed reports", "No reports"))
    assert statuses(run_batch([inbox], config)) == {SEED.name: "skipped"}
    report = run_batch([inbox], config, force=True)
    assert statuses(report) == {SEED.name: "updated"} and not report.failed
    assert "No reports about the details" in (site / SEED_OUTPUT).read_text()


def test_two_inputs_for_one_path_are_both_reported(site: Path, inbox: Path) -> None:
    other = inbox / "copy-with-a-change.txt"
    other.write_text(SEED.read_text().replace("No confirmed reports", "No reports"))
    report = run_batch([inbox], for_test(site))
    assert statuses(report) == {SEED.name: "collision", other.name: "collision"}
    messages = {o.input.name: o.message for o in report.outcomes}
    assert other.name in messages[SEED.name] and SEED.name in messages[other.name]
    assert not (site / "content").exists()


def test_identical_inputs_are_imported_once(site: Path, inbox: Path) -> None:
    shutil.copy(SEED, inbox / "again.txt")
    report = run_batch([inbox], for_test(site))
    assert statuses(report) == {"again.txt": "imported", SEED.name: "skipped"}
    assert "same content" in report.outcomes[1].message


def test_another_article_already_at_the_path_is_a_collision(site: Path, inbox: Path,
                                                            tmp_path: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text().replace("No confirmed reports", "No reports"))
    for force in (False, True):
        report = run_batch([other], config, force=force)
        assert statuses(report) == {"other.txt": "collision"}
        assert SEED.name in report.outcomes[0].message


def test_the_sites_own_folders_are_not_inputs(site: Path, inbox: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    shutil.copy(SEED, site / "new-dump.txt")
    report = run_batch([site], config)
    assert statuses(report) == {"new-dump.txt": "unchanged"}  # the same input, renamed
    assert report.outcomes[0].message == f"already imported from {SEED.name}"
    assert all("content" not in o.input.parts for o in report.outcomes)


def test_same_file_given_twice_is_read_once(site: Path, inbox: Path) -> None:
    report = run_batch([inbox, inbox / SEED.name], for_test(site))
    assert len(report.outcomes) == 1


def test_writes_leave_no_temporary_files(site: Path, inbox: Path) -> None:
    run_batch([inbox], for_test(site))
    files = [p.name for p in (site / SEED_OUTPUT).parent.iterdir()]
    assert files == [Path(SEED_OUTPUT).name]
