"""The index of imported articles: front matter only, imported files only, any folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from generator.importer import convert, render
from generator.importer.archive import load_archive, markdown_files, read_head
from generator.importer.identity import identity_of
from tests.unit.importer.dumps import SEED, dump


def test_read_head_reads_the_front_matter_only(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: A\n---\n\n" + b"\xff\xfe not text " * 10_000)
    assert read_head(path) == "title: A\n"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: B\r\nslug: b\r\n---\r\nBody\r\n")
    assert read_head(path) == "title: B\nslug: b\n"
    path.write_bytes(b"---\ntitle: C\n---")
    assert read_head(path) == "title: C\n"
    for text in (b"no front matter\n", b"---\ntitle: unclosed\n", b""):
        path.write_bytes(text)
        assert read_head(path) is None
    assert read_head(tmp_path / "missing.md") is None


def test_markdown_files_as_the_builder_finds_them(tmp_path: Path) -> None:
    for name in ("a.md", "x/b.md", "x/y/c.md", ".git/d.md", "_drafts/e.md", "x/.f.md",
                 "x/#g.md", "x/h.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\n---\n")
    assert [relative for relative, _ in markdown_files(tmp_path)] == [
        "a.md", "x/b.md", "x/y/c.md"]
    assert markdown_files(tmp_path / "none") == []


def test_imported_files_are_indexed_wherever_they_are(tmp_path: Path) -> None:
    seed = convert(SEED.read_bytes(), SEED)
    body = " ".join(f"Sentence {n} of an article long enough to be known by its text." for n in
                    range(8))
    other = convert(dump(body=body).encode(), Path("other.txt"))
    files = {"content/articles/2017/09/seed.md": render(seed),
             "content/moved/deeper/other.md": render(other),
             "content/about.md": "---\ntitle: About\n---\n\nWritten by hand.\n",
             "content/broken.md": "---\ntitle: [unclosed\nimported_from: x\n---\n"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    archive = load_archive(tmp_path, "content")
    assert sorted(str(e.path) for e in archive.entries) == [
        "content/articles/2017/09/seed.md", "content/moved/deeper/other.md"]
    found = archive.find(identity_of(seed, seed.origin.digest))
    assert [(str(e.path), reason) for e, reason in found] == [
        ("content/articles/2017/09/seed.md", "the same input")]
    entry = found[0][0]
    assert entry.slug == seed.slug and entry.identity == identity_of(seed, seed.origin.digest)
    assert archive.find(identity_of(other, "sha256:new"))[0][0].path == PurePosixPath(
        "content/moved/deeper/other.md")


def test_a_hand_edited_imported_from_is_read_with_yaml(tmp_path: Path) -> None:
    seed = convert(SEED.read_bytes(), SEED)
    text = render(seed).replace("imported_from:\n  file: seed_south_front.txt\n",
                                "imported_from: {file: seed_south_front.txt,\n ")
    text = text.replace("\n  digest:", " digest:").replace("\n  reader:", ", reader:")
    text = text.replace("\n  address:", ", address:").replace("\n  byline:", ", byline:")
    text = text.replace("\n  body:", ", body:").replace("\n  output_digest:", ", output_digest:")
    text = text.replace("\n---\n\n", "}\n---\n\n", 1)
    (tmp_path / "content").mkdir()
    (tmp_path / "content/seed.md").write_text(text)
    entries = load_archive(tmp_path, "content").entries
    assert [e.identity for e in entries] == [identity_of(seed, seed.origin.digest)]
