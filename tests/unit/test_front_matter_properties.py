"""Properties of the content loader (issue 13): whatever a content file holds, parsing it
gives a `Parsed`, never an exception, and every problem names the file it is in.

The tests at the end hold the minimal inputs that once crashed it (explicit YAML tags on text
that does not fit them, integers past Python's digit limit, lone surrogates, alias bombs,
nesting deeper than pickling goes, dates that overflow in UTC); the broad strategies draw
them too.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import TaxonomyConfig, for_test
from generator.content import Parsed, SourceFile, parse_article, parse_page, read_source
from generator.model import Article

ROOT = Path("/folio-property-site")  # parse_article and parse_page never touch the disk
CONFIG = for_test(ROOT)
CUSTOM = for_test(ROOT, allow_html=True, provenance=False, taxonomies=(
    *CONFIG.taxonomies[:2], TaxonomyConfig("countries", "Countries", "Country",
                                           "/countries/{slug}/", "/countries/")))
ARTICLE = ROOT / "content/articles/2020/01/an-article.md"
PAGE = ROOT / "content/pages/about/team.md"


def examples(count: int) -> settings:
    """Hypothesis settings for `count` examples; no deadline (a CI machine may be slow)."""
    return settings(max_examples=count, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


VALID_FRONT = ('title: "A title"\ndate: 2020-01-02\nsource: {name: Original Outlet}\n'
               'copyright: "Original Outlet, 2020"\n')
CONTRACT_KEYS = ("title", "date", "authors", "regions", "themes", "reports", "publisher",
                 "source", "copyright", "summary", "slug", "draft")
TEXT_KEYS = ("title", "publisher", "copyright", "summary", "slug")
LIST_KEYS = ("authors", "regions", "themes", "reports")

OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines
INT_DIGIT_LIMIT = 4300  # sys.get_int_max_str_digits(): longer integers raise ValueError
PICKLE_DEPTH = 498  # a value nested this deep cannot be pickled (recursion limit 1000)


def check(parsed: object, path: Path, text: str | None = None) -> Parsed:
    """The property: a Parsed; every problem and warning names `path` (and a line of the
    file, where it names one); an item exactly when nothing is wrong, made from `path`; and
    a result the build's workers and cache can pickle."""
    assert isinstance(parsed, Parsed), parsed
    reported = (*parsed.problems, *parsed.warnings)
    for problem in reported:
        assert problem.path == path, problem
        assert problem.message, problem
        assert problem.format(ROOT)
        if problem.line is not None and text is not None:
            assert 1 <= problem.line <= len(text.splitlines()) + 1, problem
    assert (parsed.item is None) == bool(parsed.problems), parsed.problems
    if parsed.item is not None:
        assert parsed.item.source_path == path
    pickle.loads(pickle.dumps(parsed, pickle.HIGHEST_PROTOCOL))
    return parsed


def both(text: str) -> tuple[Parsed, Parsed]:
    """The text parsed as an article (under two configurations) and as a page."""
    article = check(parse_article(text, ARTICLE, CONFIG), ARTICLE, text)
    check(parse_article(text, ARTICLE, CUSTOM), ARTICLE, text)
    page = check(parse_page(text, PAGE, CONFIG), PAGE, text)
    return article, page


def top_keys(parsed: Parsed) -> set[str]:
    """The top-level front matter keys the problems name ('source.url' -> 'source')."""
    return {re.split(r"[.\[]", p.key)[0] for p in parsed.problems if p.key}


# --- strategies ----------------------------------------------------------------------------

offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timedelta(minutes=m))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.binary(max_size=12), st.dates(),
    st.datetimes(timezones=st.none() | st.builds(dt.timezone, offsets)),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8) | st.integers(), inner, max_size=4), max_leaves=8)
sources = st.one_of(values, st.fixed_dictionaries({}, optional={
    "name": values, "url": values | st.sampled_from(["https://x.org/a", "ftp://x", "x", ""]),
    "date": values, "author": values}))


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    """Text YAML reads as a timestamp, mostly not a day (or time) on the calendar."""
    field = st.integers(1, 12) | st.integers(0, 99)
    text = f"{draw(st.integers(0, 9999)):04d}-{draw(field):02d}-{draw(field):02d}"
    if draw(st.booleans()):
        clock = st.integers(0, 23) | st.integers(0, 99)
        text += draw(st.sampled_from(["T", "t", " ", "  "]))
        text += f"{draw(clock):02d}:{draw(clock):02d}:{draw(clock):02d}"
        text += draw(st.sampled_from(["", ".5", ".123456", ".1234567890123"]))
        text += draw(st.sampled_from(["", "Z", " Z"]) | st.builds(
            "{}{}{:02d}{}".format, st.sampled_from(["", " "]), st.sampled_from("+-"),
            st.integers(0, 30), st.sampled_from(["", ":00", ":30", ":59", ":99"])))
    return text


_TIMESTAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:(?:[Tt]|\s+)(\d\d):(\d\d):(\d\d)(?:\.\d*)?"
                        r"(?:\s*(?:Z|([-+])(\d\d)(?::(\d\d))?))?)?")


def on_calendar(text: str) -> bool:
    """Whether a `timestamps()` text is a real date (and time, and UTC offset)."""
    match = _TIMESTAMP.fullmatch(text)
    assert match is not None, text
    year, month, day, hour, minute, second, _sign, tz_hours, tz_minutes = match.groups()
    try:
        dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                    int(second or 0))
    except ValueError:
        return False
    offset = dt.timedelta(hours=int(tz_hours or 0), minutes=int(tz_minutes or 0))
    return offset < dt.timedelta(hours=24)


def digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.builds(lambda first, rest, n: first + rest * (n - 1),
                     st.sampled_from("123456789"), st.sampled_from("0123456789"),
                     st.integers(low, high))


long_text = st.builds(lambda char, n: char * n, st.characters(exclude_categories=("Cs",)),
                      st.integers(1000, 100_000))
# Nesting up to and past what pickling (PICKLE_DEPTH) and libyaml (1000) can take.
depths = st.integers(1, 1200)
deep_flow = depths.map(lambda n: "[" * n + "]" * n)
deep_mapping = depths.map(lambda n: "{a: " * n + "1" + "}" * n)
deep_block = st.integers(1, 120).map(
    lambda n: "".join(f"\n{'  ' * (i + 1)}k{i}:" for i in range(n)) + " 1")
control = st.text(st.characters(categories=("Cc", "Cf", "Zl", "Zp", "Co", "Cn")),
                  min_size=1, max_size=6)
# What a curator (or a tool) may write as a value, as YAML source text.
RAW_VALUES = [
    "2020-13-45", "2021-02-30", "2020-01-01 25:61:00", "0000-01-01", "2019-02-29T10:00:00",
    "2020-01-01T23:59:60", "2020-01-01 10:00:00 +24:00", "2020-01-01T10:00:00-99:99",
    "'2020-13-45'", "2020", "20200101", "2020-1-1", "01/02/2020", "1:30:00", "190:20:30",
    "~", "", "null", "yes", "no", "on", "off", "0o17", "0x1F", "0b101", "-0", ".nan", "-.inf",
    "1e999", "1.5e-999", "1_000", "!!binary AAAA", "!!binary", "!!set {a, b}",
    "!!omap [a: 1]", "!!null x", "!!str", "!!seq []", "!!map {}", "!foo bar", "&a [x]",
    "*undefined", "|\n  block\n  text", ">-\n  folded\n  text", "[a, [b, {c: d}]]",
    "{name: [x], url: {}, date: 2021-02-30}", "{name: S, url: 'ftp://x', date: 25:61:00}",
    '"\\x00\\u0007\\x1b\\x7f"', '"\\U0010FFFF\\uFFFE"', '"\\N\\_\\L\\P"', "'\t'", '"\\e"',
    "-1", "[]", "{}", "[[]]", "[~]", "[null, '', ' ', '!!', '&']", "[2020-13-45, 1e3]",
    "{<<: {a: 1}}", "? complex\n: key",
]
raw_values = st.one_of(
    st.sampled_from(RAW_VALUES), timestamps(), digits(1, INT_DIGIT_LIMIT // 4),
    st.text(max_size=20).map(lambda t: repr(t).replace("\\", "\\\\")),
    control.map(lambda c: f'"{c}"'), control, deep_flow.map(lambda v: v[:200]),
)


def dump(key: str, value: Any) -> str:
    return yaml.safe_dump({key: value}, width=10**9, allow_unicode=False)


# --- any text ------------------------------------------------------------------------------

@examples(250)
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    both(text)


YAML_TOKENS = [
    "---", "...", "\n", "\r\n", "\r", " ", "  ", "\t", ":", ": ", "- ", "? ", "[", "]", "{",
    "}", ",", "#", "&a ", "*a", "&b ", "*b", "!!str ", "!!binary ", "!!set ", "!!omap ",
    "!tag ", "!<x> ", "%YAML 1.1\n", "%TAG ! x\n", "|", ">", "|-", "'", '"', "\\", "<<: ",
    "~", "null", "true", "no", "0x", "0o", "1e3", ".inf", "title", "date", "source",
    "copyright", "authors", "regions", "name", "url", "draft", "slug", "summary", "menu",
    "2020-13-45", "2021-02-30", "25:61:00", "0000", "2020-01-01", "\ufeff", "\x00", "\x85",
    "\u2028", "\x1b", "\ufffe", "é", "\U0001d518",
]


@examples(400)
@given(st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=8), max_size=50),
       st.sampled_from(["", VALID_FRONT]), st.text(max_size=40))
def test_any_yaml_between_fences(tokens: list[str], prefix: str, body: str) -> None:
    front = "".join(tokens)
    both(f"---\n{prefix}{front}\n---\n{body}")


# --- every contract key with a value of the wrong type --------------------------------------

@st.composite
def front_matter(draw: st.DrawFn) -> tuple[str, dict[str, Any], dict[str, tuple[int, int]]]:
    """A front matter block: a few contract keys left out or given any value (as a Python
    value dumped to YAML, or as raw YAML text), the others valid, plus extra keys. Returns
    the file, the Python values given, and each key's first and last line in the file."""
    valid = yaml.safe_load(VALID_FRONT)
    chunks: list[tuple[str, str]] = []
    given_values: dict[str, Any] = {}
    changed = draw(st.sets(st.sampled_from(CONTRACT_KEYS), min_size=1, max_size=5))
    for key in CONTRACT_KEYS:
        choice = draw(st.sampled_from(["absent", "value", "raw"])) if key in changed else ""
        if not choice and key in valid:
            chunks.append((key, dump(key, valid[key])))
        elif choice == "value":
            value = draw(sources if key == "source" else values)
            given_values[key] = value
            chunks.append((key, dump(key, value)))
        elif choice == "raw":
            chunks.append((key, f"{key}: {draw(raw_values)}\n"))
    for index in range(draw(st.integers(0, 2))):
        chunks.append((f"extra{index}", dump(f"extra{index}", draw(values))))
    chunks = draw(st.permutations(chunks))
    lines: dict[str, tuple[int, int]] = {}
    text, line = "---\n", 2
    for key, chunk in chunks:
        lines[key] = (line, line + chunk.count("\n") - 1)
        text += chunk
        line += chunk.count("\n")
    return text + "---\n\nBody.\n", given_values, lines


WRONG: dict[str, Any] = {  # key -> what the contract never accepts for it
    **{key: lambda v: isinstance(v, bool | list | dict | bytes | dt.date) for key in TEXT_KEYS},
    "date": lambda v: isinstance(v, bool | int | float | list | dict | bytes),
    **{key: lambda v: v is not None and not isinstance(v, list) for key in LIST_KEYS},
    "draft": lambda v: v is not None and not isinstance(v, bool),
    "source": lambda v: v is not None and not isinstance(v, dict),
}


def wrong_keys(given_values: dict[str, Any]) -> set[str]:
    """The contract keys given a value of a type the contract never accepts for them."""
    return {key for key, value in given_values.items() if WRONG[key](value)}


@examples(400)
@given(front_matter())
def test_wrong_types_for_every_contract_key(
        drawn: tuple[str, dict[str, Any], dict[str, tuple[int, int]]]) -> None:
    text, given_values, lines = drawn
    article, _ = both(text)
    named = top_keys(article)
    if not article.problems or article.problems[0].key is not None:  # the YAML was read
        assert wrong_keys(given_values) <= named, (given_values, article.problems)
    if OTHER_LINE_BREAKS.search(text):  # editors disagree on where line N is
        return
    for problem in article.problems:
        key = re.split(r"[.\[]", problem.key or "")[0]
        if problem.line is not None and key in lines:  # the line of the key's own entry
            first, last = lines[key]
            assert first <= problem.line <= last, (problem, lines)


# --- dates and times that are no day on the calendar ---------------------------------------

@examples(300)
@given(timestamps(), timestamps(), timestamps())
def test_impossible_dates_name_their_file_line_and_key(date: str, source_date: str,
                                                       other: str) -> None:
    text = (f"---\ntitle: A title\ndate: {date}\nsource:\n  name: Outlet\n  date: {source_date}"
            f"\ncopyright: Outlet\nwritten: {other}\nauthors: [{other}]\n---\nBody.\n")
    article, page = both(text)
    problems = {p.key: p for p in article.problems}
    assert set(problems) <= {"date", "source.date", "authors[0]"}, article.problems
    for key, value, line in (("date", date, 3), ("source.date", source_date, 4)):
        if on_calendar(value):
            assert key not in problems
        else:
            assert key in problems, (value, article.problems)
            assert problems[key].line == line
            assert value in problems[key].message
    assert page.problems == ()  # a page has no date to check
    if on_calendar(other):  # a date is no name; text YAML cannot read as one is
        assert "authors[0]" in {p.key for p in article.problems}
    elif isinstance(article.item, Article):
        assert article.item.names["authors"] == (" ".join(other.split()),)


# --- huge values ---------------------------------------------------------------------------

huge = st.one_of(long_text.map(lambda t: repr(t).replace("\\", "\\\\")), deep_flow,
                 deep_mapping, deep_block, digits(INT_DIGIT_LIMIT - 50, INT_DIGIT_LIMIT),
                 st.integers(100, 5_000).map(lambda n: "[" + ", ".join(["x"] * n) + "]"))


@examples(150)
@given(st.sampled_from([*CONTRACT_KEYS, "extra"]), huge, st.booleans())
def test_huge_values(key: str, value: str, long_body: bool) -> None:
    body = "Body text. " * (5_000 if long_body else 1)
    front = VALID_FRONT if key in ("source", "extra") else VALID_FRONT.replace(f"{key}:", "x:")
    both(f"---\n{front}{key}: {value}\n---\n{body}\n")


@examples(50)
@given(st.integers(1, 8), st.integers(1, 8), st.sampled_from(["extra", "laughs"]))
def test_anchors_and_aliases_outside_the_contract(width: int, levels: int, key: str) -> None:
    lines = ["l0: &l0 lol"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    lines.append(f"{key}: {{a: *l{levels}, b: [*l{levels}, *l{levels}]}}")
    both("---\n" + VALID_FRONT + "\n".join(lines) + "\n---\nBody.\n")


# --- files: bytes that are not UTF-8, other encodings, control characters ------------------

@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "content/articles").mkdir(parents=True)
    (root / "content/pages").mkdir(parents=True)
    return root


def read_both(root: Path, data: bytes) -> None:
    config = for_test(root)
    for kind, path in (("article", root / "content/articles/a.md"),
                       ("page", root / "content/pages/p.md")):
        path.write_bytes(data)
        parsed = check(read_source(SourceFile(path, kind), config), path)
        assert parsed.digest


@examples(200)
@given(data=st.binary(max_size=400))
def test_any_bytes_from_a_file(files: Path, data: bytes) -> None:
    read_both(files, data)


@examples(200)
@given(st.data())
def test_a_good_file_damaged(files: Path, data: st.DataObject) -> None:
    good = f"---\n{VALID_FRONT}authors: [Jiří Dvořák]\n---\n\nBody, ünïcode.\n".encode()
    start = data.draw(st.integers(0, len(good)), "start")
    end = data.draw(st.integers(start, len(good)), "end")
    insert = data.draw(st.one_of(st.binary(max_size=6), control.map(str.encode),
                                 st.sampled_from([b"\xed\xa0\x80", b"\xff\xfe", b"\xc3",
                                                  b"\xef\xbb\xbf", b"\r", b"\r\n"])), "insert")
    read_both(files, good[:start] + insert + good[end:])


@examples(100)
@given(st.text(max_size=60),
       st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "utf-8-sig"]))
def test_other_encodings(files: Path, text: str, encoding: str) -> None:
    content = f"---\n{VALID_FRONT}summary: {text!r}\n---\n\nBody: {text}\n"
    read_both(files, content.encode(encoding, "replace"))


# --- a whole build -------------------------------------------------------------------------

BAD_FILES = {
    "content/articles/impossible-date.md": "---\ntitle: A\ndate: 2020-13-45\nsource: {name: "
                                           "S}\ncopyright: S\n---\nBody.\n",
    "content/articles/feb-30.md": "---\ntitle: B\ndate: 2021-02-30\nsource: {name: S, date: "
                                  "2020-01-01 25:61:00}\ncopyright: S\n---\nBody.\n",
    "content/articles/year-zero.md": "---\ntitle: C\ndate: 0000-01-01\nsource: {name: S}\n"
                                     "copyright: S\n---\nBody.\n",
    "content/articles/wrong-types.md": "---\ntitle: [D]\ndate: true\nauthors: Ann\nsource: S\n"
                                       "copyright: {a: 1}\ndraft: maybe\n---\nBody.\n",
    "content/articles/control.md": "---\ntitle: \"E\x00\"\x1b\ndate: 2020-01-01\n---\nBody.\n",
    "content/articles/not-closed.md": "---\ntitle: F\ndate: 2020-01-01\n",
    "content/articles/bad-yaml.md": "---\ntitle: [G\ndate: *nowhere\n---\nBody.\n",
    "content/articles/deep.md": "---\ntitle: H\nx: " + "[" * 2000 + "]" * 2000 + "\n---\n",
    "content/pages/wrong-menu.md": "---\ntitle: Page\nmenu: first\n---\nBody.\n",
}
NOT_UTF8 = "content/articles/latin-1.md"
GOOD_ARTICLE = ("---\ntitle: Good\ndate: 2020-01-02\nsource: {name: S}\ncopyright: S\n---\n"
                "\nBody.\n")


def write_site(root: Path, files: dict[str, str]) -> None:
    for relative, text in {**files, "content/articles/good.md": GOOD_ARTICLE}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    (root / "folio.toml").write_text('title = "Bad files"\nsearch = false\n', encoding="utf-8")


def folio_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "build", str(root), "--jobs", "1"],
                          capture_output=True, text=True, timeout=120)


def test_a_build_with_bad_files_names_each_one(tmp_path: Path) -> None:
    write_site(tmp_path, BAD_FILES)
    (tmp_path / NOT_UTF8).write_bytes("---\ntitle: Café\n---\n".encode("latin-1"))
    result = folio_build(tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "unexpectedly" not in result.stderr
    for relative in [*BAD_FILES, NOT_UTF8]:
        assert relative in result.stderr, (relative, result.stderr)
    assert "good.md" not in result.stderr
    assert not (tmp_path / "output").exists()


# --- inputs that once crashed the loader --------------------------------------------------
# Each case is a minimal input, found by the strategies above (before their exclusions) or
# while writing them; the reason says where it raises.

@pytest.mark.parametrize("value", ["!!int foo", "!!int", "!!float foo", "!!float", "!!bool foo",
                                   "!!timestamp foo", "!!timestamp 2020-01-01x", "!!int 0o9"])
def test_explicit_tags_on_the_wrong_text(value: str) -> None:
    both(f"---\n{VALID_FRONT}x: {value}\n---\nBody.\n")


@pytest.mark.parametrize(("key", "value"), [("extra", "1" + "0" * INT_DIGIT_LIMIT),
                                            ("date", "0" + "7" * 5000),
                                            ("title", "1" + ":0" * 2500)])
def test_integers_past_pythons_digit_limit(key: str, value: str) -> None:
    front = VALID_FRONT.replace(f"{key}:", "was:")
    both(f"---\n{front}{key}: {value}\n---\nBody.\n")


@pytest.mark.parametrize("text", ["---\ntitle: \ud800\n---\n",
                                  f"---\n{VALID_FRONT}---\n\udc80"])
def test_lone_surrogates_in_text(text: str) -> None:
    both(text)


def laughs(levels: int) -> str:
    lines = ["l0: &l0 lol"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    return "\n".join(lines)


@pytest.mark.parametrize("key", ["title", "authors", "source", "draft"])
def test_aliases_in_a_contract_key_give_a_short_message(key: str) -> None:
    front = VALID_FRONT.replace(f"{key}:", "was:")
    text = f"---\n{front}{laughs(5)}\n{key}: *l5\n---\nBody.\n"
    article, _ = both(text)
    assert article.problems
    for problem in article.problems:
        assert len(problem.format()) < 10 * len(text), len(problem.format())


@pytest.mark.parametrize("value", ["[" * PICKLE_DEPTH + "]" * PICKLE_DEPTH,
                                   "{a: " * 990 + "1" + "}" * 990])
def test_deep_values_outside_the_contract_can_be_pickled(value: str) -> None:
    both(f"---\n{VALID_FRONT}x: {value}\n---\nBody.\n")


@pytest.mark.parametrize("date", ["0001-01-01 00:00:00 +01:00", "9999-12-31 23:59:59 -01:00"])
def test_dates_at_the_calendars_edge_can_be_ordered(date: str) -> None:
    article, _ = both(f"---\n{VALID_FRONT.replace('2020-01-02', date)}---\nBody.\n")
    if isinstance(article.item, Article):
        assert article.item.sort_key


def test_a_build_with_crashing_files_names_each_one(tmp_path: Path) -> None:
    crashing = {
        "content/articles/tag.md": f"---\n{VALID_FRONT}x: !!int foo\n---\nBody.\n",
        "content/articles/big-int.md": f"---\n{VALID_FRONT}x: 1{'0' * INT_DIGIT_LIMIT}\n---\n",
        "content/articles/edge.md": "---\ntitle: E\ndate: 0001-01-01 00:00:00 +01:00\nsource: "
                                    "{name: S}\ncopyright: S\n---\nBody.\n",
        "content/articles/nested.md": f"---\n{VALID_FRONT}x: {'[' * 600}{']' * 600}\n---\n",
    }
    write_site(tmp_path, crashing)
    result = folio_build(tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "unexpectedly" not in result.stderr
    for relative in ("content/articles/tag.md", "content/articles/big-int.md"):
        assert relative in result.stderr, (relative, result.stderr)  # (the others may build)
