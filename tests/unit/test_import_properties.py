"""Properties of `folio import` over damaged dumps (issue 13): the seed dumps with lines
deleted, duplicated and shuffled, random bytes put in, other encodings, cut short or
emptied. Whatever the inputs, no exception escapes `run_batch`, every input gets one
outcome, a failed one names its file and writes nothing, and the content folder holds only
complete article files that the builder reads without a problem.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.config import for_test
from generator.content import parse_article
from generator.errors import printable
from generator.importer import convert, render
from generator.importer.batch import STATUSES, BatchReport, run_batch
from tests.unit.importer.dumps import BAD, CASES, dump

SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared/seeds"  # beside the checkout
SEEDS: dict[str, bytes] = {
    path.name: path.read_bytes()
    for folder in (SHARED_SEEDS, CASES, BAD) if folder.is_dir()
    for path in sorted(folder.iterdir()) if path.suffix in (".txt", ".md")
}
ENCODINGS = ("latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32", "utf-8-sig", "ascii")


def examples(count: int) -> settings:
    return settings(max_examples=count, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- mutations -----------------------------------------------------------------------------

Mutation = Callable[[bytes], bytes]


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    """One damage a dump may suffer; drawn choices are applied to whatever bytes it gets."""
    kind = draw(st.sampled_from(["delete", "duplicate", "shuffle", "insert", "encode",
                                 "truncate", "empty", "crlf", "swap"]))
    # Positions are drawn as fractions, so a mutation fits a file of any length.
    where = draw(st.lists(st.floats(0, 1), min_size=1, max_size=6))

    def at(length: int, index: int = 0) -> int:
        return min(int(where[index % len(where)] * length), max(length - 1, 0))

    if kind == "insert":
        inserts = draw(st.lists(st.binary(min_size=1, max_size=8) | st.sampled_from(
            [b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\r", b"\n---\n",
             b"Copyright \xc2\xa9 ", b"By ", b"Region: ", "\u2028".encode()]),
            min_size=1, max_size=4))

        def insert(data: bytes) -> bytes:
            for number, piece in enumerate(inserts):
                cut = at(len(data) + 1, number)
                data = data[:cut] + piece + data[cut:]
            return data
        return insert
    if kind == "encode":
        encoding = draw(st.sampled_from(ENCODINGS))
        return lambda data: data.decode("utf-8", "replace").encode(encoding, "replace")
    if kind == "truncate":
        return lambda data: data[:at(len(data) + 1)]
    if kind == "empty":
        blank = draw(st.sampled_from([b"", b" \n", b"\n\n\t\n", b"\xef\xbb\xbf"]))
        return lambda data: blank
    if kind == "crlf":
        return lambda data: data.replace(b"\n", b"\r\n")

    def by_lines(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        if not lines:
            return data
        first = at(len(lines))
        last = min(len(lines), first + 1 + at(len(lines), 1) // 4)
        chosen = lines[first:last]
        if kind == "delete":
            lines[first:last] = []
        elif kind == "duplicate":
            lines[first:first] = chosen
        elif kind == "shuffle":
            lines[first:last] = random.Random(int(where[0] * 1e6)).sample(chosen, len(chosen))
        else:  # swap two lines
            second = at(len(lines), 2)
            lines[first], lines[second] = lines[second], lines[first]
        return b"".join(lines)
    return by_lines


@st.composite
def damaged_dumps(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed dump and what a few mutations made of it."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = SEEDS[name]
    for mutation in draw(st.lists(mutations(), max_size=3)):
        data = mutation(data)
    return name, data


# --- the property --------------------------------------------------------------------------

def check_batch(report: BatchReport, inputs: list[Path], site: Path,
                before: dict[Path, bytes]) -> None:
    """Every input has one outcome; a failure names its file and why, and writes nothing;
    only complete files are in content/, each one the builder reads without a problem."""
    assert sorted(o.input for o in report.outcomes) == sorted(inputs)
    files = {path: path.read_bytes() for path in sorted((site / "content").rglob("*"))
             if path.is_file()}
    written: set[Path] = set()
    for outcome in report.outcomes:
        event(f"{outcome.status} ({outcome.category})" if outcome.failed else outcome.status)
        assert outcome.status in STATUSES, outcome
        if outcome.failed:
            assert outcome.category and outcome.message, outcome
            assert outcome.text == ""
        if outcome.status in ("imported", "updated"):
            assert outcome.output is not None
            target = site / outcome.output
            assert files[target] == outcome.text.encode("utf-8")
            written.add(target)
    for path, data in files.items():  # nothing else changed, nothing half-written
        if path not in written:
            assert before.get(path) == data, path
        assert path.suffix == ".md" and not path.name.startswith("."), path
        parsed = parse_article(data.decode("utf-8"), path, for_test(site))
        assert parsed.problems == (), (path, parsed.problems, data[:600])


# File names as they come: any text, and bytes that are not UTF-8 (which Python keeps as
# lone surrogates, "\udce9" for the byte e9 of a Latin-1 "café").
file_names = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), max_size=30),
    st.binary(max_size=20).filter(lambda b: b"/" not in b and b"\x00" not in b).map(os.fsdecode),
).map(lambda name: name if len(os.fsencode(name)) <= 120 else name[:20])


def inbox_with(folder: Path, dumps: list[tuple[str, bytes]],
               names: list[str] | None = None) -> list[Path]:
    """The dumps written into `folder`, named after their seed (or `names`)."""
    folder.mkdir(exist_ok=True)
    paths = []
    for number, (seed, data) in enumerate(dumps):
        name = names[number % len(names)] if names else seed
        path = folder / f"{number:02d}-{name}"
        path.write_bytes(data)
        paths.append(path)
    return paths


@examples(150)
@given(st.lists(damaged_dumps(), min_size=1, max_size=4), st.lists(file_names, max_size=4))
def test_damaged_dumps_into_a_new_site(dumps: list[tuple[str, bytes]], names: list[str]) -> None:
    """Named after their seeds, in a folder; or under any names, given one by one."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        (root / "site").mkdir()
        inputs = inbox_with(root / "inbox", dumps, names)
        report = run_batch(inputs if names else [root / "inbox"], for_test(root / "site"))
        check_batch(report, inputs, root / "site", {})
        again = run_batch(inputs, for_test(root / "site"))  # a second run: a no-op
        assert [o.status for o in again.outcomes if not o.failed] == [
            "unchanged" if o.status in ("imported", "updated") else o.status
            for o in report.outcomes if not o.failed]


@examples(100)
@given(st.lists(damaged_dumps(), min_size=1, max_size=3), st.booleans(), st.booleans())
def test_damaged_dumps_over_earlier_imports(dumps: list[tuple[str, bytes]], force: bool,
                                            edited: bool) -> None:
    """Over the imports of the undamaged dumps (one of them edited by a curator, maybe)."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        (root / "site").mkdir()
        config = for_test(root / "site")
        originals = inbox_with(root / "first", [(n, SEEDS[n]) for n, _ in dumps])
        run_batch([root / "first"], config)
        content = sorted((root / "site/content").rglob("*.md"))
        if edited and content:
            content[0].write_text(content[0].read_text("utf-8") + "\nA curator's note.\n",
                                  "utf-8")
        before = {p: p.read_bytes() for p in (root / "site/content").rglob("*") if p.is_file()}
        inputs = inbox_with(root / "second", dumps)
        report = run_batch([*inputs, originals[0]], config, force=force)
        check_batch(report, [*inputs, originals[0]], root / "site", before)
        for outcome in report.outcomes:
            if outcome.status == "updated":  # --force replaced only an untouched import
                assert force and outcome.output is not None
                assert b"A curator's note." not in before[root / "site" / outcome.output]


def test_a_file_name_that_is_not_utf8_is_written_as_escapes(tmp_path: Path) -> None:
    """Found by the property above: the name `b"\\x80"` gave `imported_from.file: "\\uDC80"`,
    which no YAML reader takes back, so the imported article did not build."""
    name = os.fsdecode(b"caf\xe9.txt")
    article = convert(SEEDS["seed_south_front.txt"], tmp_path / name)
    assert article.origin is not None and article.origin.file == "caf\\xe9.txt"
    path = tmp_path / "content/articles/a.md"
    assert parse_article(render(article), path, for_test(tmp_path)).problems == ()
    assert printable(tmp_path / name) == f"{tmp_path}/caf\\xe9.txt"
    assert printable("café \ud800") == "café \\ud800"


# --- the command ---------------------------------------------------------------------------

def folio(*args: str) -> subprocess.CompletedProcess[str]:
    """The command, printing as on a terminal whose locale is not C (en_US.UTF-8): strict
    UTF-8 on stdout, where the C locale would let undecodable bytes through."""
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_folio_import_of_a_damaged_folder(tmp_path: Path) -> None:
    """Twenty damaged dumps (the same each run; one named in Latin-1) through the command,
    again with --json, then a build."""
    chance = random.Random(13)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = sorted(SEEDS)
    for number in range(20):
        data = bytearray(SEEDS[names[number % len(names)]])
        lines = bytes(data).splitlines(keepends=True)
        step = number % 5
        if step == 0 and lines:  # lines deleted
            del lines[chance.randrange(len(lines))::7]
        elif step == 1:  # lines shuffled
            chance.shuffle(lines)
        elif step == 2:  # random bytes in
            for _ in range(8):
                cut = chance.randrange(len(data) + 1)
                data[cut:cut] = chance.randbytes(3)
            lines = [bytes(data)]
        elif step == 3:  # another encoding
            lines = [bytes(data).decode("utf-8", "replace").encode(
                ENCODINGS[number % len(ENCODINGS)], "replace")]
        else:  # cut short
            lines = [bytes(data)[:chance.randrange(len(data) + 1)]]
        (inbox / f"{number:02d}.txt").write_bytes(b"".join(lines))
    latin = inbox / os.fsdecode("caf\xe9.txt".encode("latin-1"))  # not UTF-8: "caf\udce9.txt"
    latin.write_bytes(dump(title="A Café in Another Encoding").encode())
    bad_latin = inbox / os.fsdecode("vid\xe9o.txt".encode("latin-1"))
    bad_latin.write_bytes(b"")
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "folio.toml").write_text('title = "Imported"\nsearch = false\n', "utf-8")

    result = folio("import", str(inbox), "--site", str(site))
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "unexpectedly" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert (result.returncode == 1) == bool(failed)
    assert all(line.startswith(f"error: {inbox}/") for line in failed), failed
    assert any(line.startswith(f"error: {inbox}/vid\\xe9o.txt: empty: ") for line in failed)
    assert f"{inbox}/caf\\xe9.txt -> content/articles/2017/09/a-cafe-in" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Summary: ")

    again = folio("import", str(inbox), "--site", str(site), "--json")
    assert again.returncode == result.returncode, again.stderr
    records = [json.loads(line) for line in again.stdout.splitlines()]
    assert len(records) == 22 and "Traceback" not in again.stderr
    assert {r["status"] for r in records} <= {"unchanged", "skipped", "failed", "collision"}
    assert {r["input"] for r in records} >= {f"{inbox}/caf\\xe9.txt", f"{inbox}/vid\\xe9o.txt"}

    built = folio("build", str(site), "--drafts")
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr

