"""A batch: paths walked, statuses decided, existing files protected, nothing half-written."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from generator.config import for_test
from generator.importer.batch import run_batch
from generator.importer.writer import is_untouched
from tests.unit.importer.dumps import BAD, CASES, SEED, dump

SEED_OUTPUT = ("content/articles/2017/09/"
               "video-syrian-army-advances-deep-inside-deir-ezzor-province-besieged-by-isis.md")
SEED_TITLE = "Video: Syrian Army Advances Deep Inside Deir Ezzor Province Besieged by ISIS"
NEW_TITLE = "Video: Syrian Army Reaches the Outskirts of Deir Ezzor"
OTHER_BODY = " ".join(f"Sentence {n} of another report from the same outlet on the same day, "
                      "about the fighting in the north of the province." for n in range(12))


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


def articles(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "content").rglob("*.md"))


def retitled(text: str, title: str = NEW_TITLE) -> str:
    return text.replace(SEED_TITLE, title)


def other_article(text: str) -> str:
    """The seed's page with another article's text (same outlet, day, title and author)."""
    start = text.index("Pro-government forces")
    end = text.index("If you're able")
    return text[:start] + OTHER_BODY + "\n\n" + text[end:]


def test_import_then_unchanged(site: Path, inbox: Path) -> None:
    config = for_test(site)
    first = run_batch([inbox], config)
    assert statuses(first) == {SEED.name: "imported"}
    written = site / SEED_OUTPUT
    data = written.read_bytes()
    again = run_batch([inbox], config)
    assert statuses(again) == {SEED.name: "unchanged"}
    assert written.read_bytes() == data and not again.failed


def test_folders_are_walked_for_the_readers_suffixes_only(site: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    shutil.copytree(CASES, folder / "nested")
    (folder / ".hidden.txt").write_text(dump())
    (folder / "notes.odt").write_text("<p>not read</p>")
    frames = folder / "Saved page_files"  # what "Save page as… complete" writes beside a page
    frames.mkdir()
    (frames / "ad-frame.html").write_text("<!DOCTYPE html><html><body>ad</body></html>")
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
    other.write_text(other_article(SEED.read_text()))  # same title and month, other text
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


# --- one article, one file: found by identity, whatever its title and wherever its file --


def test_a_changed_title_is_the_same_file_not_a_second_one(site: Path, inbox: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    dump_file = inbox / SEED.name
    dump_file.write_text(retitled(dump_file.read_text()))
    kept = run_batch([inbox], config)
    assert statuses(kept) == {SEED.name: "skipped"} and not kept.failed
    assert kept.outcomes[0].output.as_posix() == SEED_OUTPUT
    assert "recognised by the same byline and text" in kept.outcomes[0].message
    assert "use --force to replace it" in kept.outcomes[0].message
    assert articles(site) == [SEED_OUTPUT]

    forced = run_batch([inbox], config, force=True)
    assert statuses(forced) == {SEED.name: "updated"} and not forced.failed
    assert articles(site) == [SEED_OUTPUT]
    text = (site / SEED_OUTPUT).read_text()
    assert f"title: '{NEW_TITLE}'" in text
    assert "slug: video-syrian-army-advances-deep-inside" in text  # its URL stays
    assert statuses(run_batch([inbox], config)) == {SEED.name: "unchanged"}


def test_a_changed_title_never_loses_a_curators_edits(site: Path, inbox: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    target = site / SEED_OUTPUT
    edited = target.read_text().replace("reports:\n- SYRIA", "reports:\n- SYRIA\n- ISIS")
    target.write_text(edited)
    dump_file = inbox / SEED.name
    dump_file.write_text(retitled(dump_file.read_text()))
    kept = run_batch([inbox], config)
    assert statuses(kept) == {SEED.name: "skipped"}
    assert "edited since it was imported" in kept.outcomes[0].message
    forced = run_batch([inbox], config, force=True)
    assert statuses(forced) == {SEED.name: "conflict"} and forced.failed
    assert target.read_text() == edited and articles(site) == [SEED_OUTPUT]


def test_a_renamed_dump_with_a_changed_title_is_the_same_article(site: Path, inbox: Path,
                                                                 tmp_path: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    renamed = tmp_path / "collected-again.txt"
    renamed.write_text(retitled(SEED.read_text()).replace("No confirmed", "No verified"))
    report = run_batch([renamed], config, force=True)
    assert statuses(report) == {"collected-again.txt": "updated"}
    assert articles(site) == [SEED_OUTPUT]
    assert "No verified reports" in (site / SEED_OUTPUT).read_text()


def test_a_file_the_curator_moved_is_found_where_it_is(site: Path, inbox: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    moved = site / "content/syria/deir-ezzor.md"
    moved.parent.mkdir(parents=True)
    (site / SEED_OUTPUT).rename(moved)
    again = run_batch([inbox], config)
    assert statuses(again) == {SEED.name: "unchanged"}
    assert again.outcomes[0].output.as_posix() == "content/syria/deir-ezzor.md"
    dump_file = inbox / SEED.name
    dump_file.write_text(retitled(dump_file.read_text()))
    forced = run_batch([inbox], config, force=True)
    assert statuses(forced) == {SEED.name: "updated"}
    assert articles(site) == ["content/syria/deir-ezzor.md"]
    assert NEW_TITLE in moved.read_text()


def test_an_article_is_known_by_its_address(site: Path, tmp_path: Path) -> None:
    """With a source URL, a new title and a corrected byline still find the article."""
    config = for_test(site)
    first = tmp_path / "first.txt"
    first.write_text(dump(body=OTHER_BODY, original="The original source of this article is "
                          "[Original Outlet](https://outlet.example/2017/09/article/)"))
    run_batch([first], config)
    assert len(articles(site)) == 1
    first.write_text(dump(title="A Better Title", byline="By [Ann B. Author](#)",
                          body=OTHER_BODY.replace("north", "east"),
                          original="The original source of this article is [Original "
                                   "Outlet](http://www.outlet.example/2017/09/article)"))
    report = run_batch([first], config, force=True)
    assert statuses(report) == {"first.txt": "updated"}
    assert report.outcomes[0].message == "its file, recognised by the same address"
    assert len(articles(site)) == 1


def test_same_byline_with_other_text_is_another_article(site: Path, inbox: Path,
                                                        tmp_path: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    other = tmp_path / "second-video.txt"
    other.write_text(retitled(other_article(SEED.read_text())))
    report = run_batch([other], config)
    assert statuses(report) == {"second-video.txt": "imported"}
    assert len(articles(site)) == 2


def test_two_inputs_of_one_article_in_a_batch_both_collide(site: Path, inbox: Path) -> None:
    renamed = inbox / "retitled.txt"
    renamed.write_text(retitled(SEED.read_text()))
    report = run_batch([inbox], for_test(site))
    assert statuses(report) == {SEED.name: "collision", renamed.name: "collision"}
    messages = {o.input.name: o.message for o in report.outcomes}
    assert renamed.name in messages[SEED.name] and SEED.name in messages[renamed.name]
    assert "same article (the same byline and text)" in messages[SEED.name]
    assert not (site / "content").exists()


def test_an_article_held_in_two_files_is_a_collision(site: Path, inbox: Path) -> None:
    config = for_test(site)
    run_batch([inbox], config)
    copy = site / "content/copies/seed.md"
    copy.parent.mkdir(parents=True)
    shutil.copy(site / SEED_OUTPUT, copy)
    report = run_batch([inbox], config, force=True)
    assert statuses(report) == {SEED.name: "collision"}
    assert SEED_OUTPUT in report.outcomes[0].message
    assert "content/copies/seed.md" in report.outcomes[0].message


def test_a_file_imported_before_identities_were_recorded(site: Path, inbox: Path) -> None:
    """Its byline comes from its front matter and its text from its body."""
    config = for_test(site)
    run_batch([inbox], config)
    target = site / SEED_OUTPUT
    target.write_text(without_identity(target.read_text()))
    assert is_untouched(target.read_text()) and "byline:" not in target.read_text()
    dump_file = inbox / SEED.name
    dump_file.write_text(retitled(dump_file.read_text()))
    report = run_batch([inbox], config, force=True)
    assert statuses(report) == {SEED.name: "updated"}
    assert articles(site) == [SEED_OUTPUT] and NEW_TITLE in target.read_text()


def without_identity(text: str) -> str:
    """The file as the importer wrote it before it recorded identities."""
    text = re.sub(r"^  (?:address|byline|body): .*\n", "", text, flags=re.MULTILINE)
    zeroed = re.sub(r"(output_digest: sha256:)[0-9a-f]{64}", r"\g<1>" + "0" * 64, text)
    digest = hashlib.sha256(zeroed.encode()).hexdigest()
    return zeroed.replace("0" * 64, digest)


def test_inputs_read_in_parallel_give_what_one_process_gives(tmp_path: Path) -> None:
    from generator.importer.batch import read_inputs

    folder = tmp_path / "mixed"
    shutil.copytree(CASES, folder / "cases")
    shutil.copytree(BAD, folder / "bad")
    html_fixtures = CASES.parent / "html_gr"
    shutil.copytree(html_fixtures, folder / "pages")
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    alone, shared = read_inputs(paths, 1), read_inputs(paths, 2)
    assert [o.input for o in shared] == paths  # in order
    assert [(o.status, o.category, o.text) for o in shared] == \
        [(o.status, o.category, o.text) for o in alone]


def test_a_reader_that_trips_fails_its_input_not_the_batch(site: Path, inbox: Path,
                                                           monkeypatch) -> None:
    from generator.importer import batch

    def broken(data: bytes, path: Path) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    (inbox / "b.txt").write_text(dump(title="Another one"))
    monkeypatch.setattr(batch, "convert", broken)
    report = run_batch([inbox], for_test(site), workers=1)
    assert {o.category for o in report.outcomes} == {"unreadable-page"}
    assert all("RecursionError" in o.message for o in report.outcomes)


def test_another_article_under_the_same_input_name_is_never_replaced(site: Path,
                                                                     tmp_path: Path) -> None:
    """Mirrors name every page index.html: the same name, title and month is not enough to be
    the same article, even with --force."""
    words = " ".join(f"apples{n}" for n in range(80))
    other = " ".join(f"rivers{n}" for n in range(80))
    first, second = tmp_path / "a" / "index.txt", tmp_path / "b" / "index.txt"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(dump(title="Weekly Review", body=words,
                          dateline="Global Research, September 02, 2017"))
    second.write_text(dump(title="Weekly Review", body=other, byline="By [Bo Other](#)",
                           articles_by="[Bo Other](#)",
                           dateline="Global Research, September 20, 2017"))
    config = for_test(site)
    assert statuses(run_batch([first], config)) == {"index.txt": "imported"}
    (written,) = articles(site)
    for force in (False, True):
        report = run_batch([second], config, force=force)
        assert [o.status for o in report.outcomes] == ["collision"]
        assert "apples1" in (site / written).read_text()
