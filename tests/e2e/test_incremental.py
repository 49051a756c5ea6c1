"""Incremental builds give exactly what a clean build gives, whatever the edits.

Random sequences of edits (add, change, delete or rename an article; change its title,
summary or date; change a term; change a template, a static file or the config) are applied
to a small site; after each, the site is rebuilt incrementally (as `folio build` does: a new
Builder over the cache; or as `folio serve` does: one Builder told which paths changed) and
compared byte for byte with a clean build.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.build
import generator.content
from generator.build import Builder, build
from generator.config import load_config
from generator.errors import ContentError, ThemeError
from tests.sitekit import article_text, comparable_tree, write_tree

REGIONS = ["Europe", "Asia", "europe", "Middle East & North Africa"]
OPS = ["add", "body", "title", "summary", "date", "delete", "rename", "term", "template",
       "config", "static", "reader", "updated", "image", "featured"]
# term page templates that reach bodies or whole lists in ways only rendering sees
READERS = ["{% set f = 'body' ~ '_html' %}{% for a in paginator.items %}{{ a[f] }}{% endfor %}",
           "{% if paginator.number == 1 %}{% include 'teaser.html' %}{% endif %}",
           "{{ term['arti' ~ 'cles']|map(attribute='title')|join(',') }}"]


def tree(root: Path) -> dict[str, bytes]:
    return comparable_tree(root)


class Archive:
    """A small site that edits itself; `apply` returns the paths an edit touched."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.serial = 0
        self.per_page = 2
        files = {f"content/articles/2021/0{n}/article-{n}.md": self._article(n, "Europe")
                 for n in range(1, 5)}
        files["folio.toml"] = self._config()
        write_tree(root, files)

    def _config(self) -> str:
        # search in parts of 2 pages: edits go to the delta, and after a few to the parts
        zone = 'timezone = "Europe/Paris"\nimage = "cover.png"\n' if self.per_page == 3 else ""
        return (f'title = "Archive {self.serial}"\nper_page = {self.per_page}\n'
                "search_part_size = 2\n" + zone)

    def _article(self, n: int, region: str, title: str | None = None, body: str = "") -> str:
        return article_text(body or f"Body of {n}.", title=title or f"Article {n}",
                            date=f"2021-0{1 + n % 9}-1{n % 10}", regions=[region])

    def articles(self) -> list[Path]:
        return sorted((self.root / "content").rglob("*.md"))

    def apply(self, op: str, pick: int) -> list[Path]:
        self.serial += 1
        articles = self.articles()
        target = articles[pick % len(articles)] if articles else None
        if op == "add" or target is None:
            path = self.root / f"content/articles/new/added-{self.serial}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self._article(self.serial, REGIONS[pick % len(REGIONS)]))
            return [path]
        text = target.read_text()
        if op == "body":
            target.write_text(text.rstrip("\n") + f"\n\nMore text {self.serial}.\n")
        elif op == "title":
            target.write_text(text.replace("title: ", f"title: Retitled {self.serial} ", 1))
        elif op == "summary":  # what lists show changes, where the article goes does not
            text = re.sub(r"(?m)^summary: .*\n", "", text)
            target.write_text(text.replace("title: ", f"summary: Gist {self.serial}\ntitle: ", 1))
        elif op == "date":  # the article moves in every list it is in
            day = 10 + self.serial % 19
            target.write_text(re.sub(r"(?m)^date: .*$", f"date: '2021-0{1 + pick % 9}-{day}'",
                                     text, count=1))
        elif op in ("updated", "image"):  # what the page's metadata, feeds and sitemap say
            text = re.sub(rf"(?m)^{op}: .*\n", "", text)
            value = f"'2022-0{1 + pick % 9}-1{self.serial % 10} 10:00'" if op == "updated" \
                else f"images/{self.serial}.jpg"
            target.write_text(text if pick % 3 == 2 else
                              text.replace("title: ", f"{op}: {value}\ntitle: ", 1))
        elif op == "featured":  # the home page's lead story changes
            text = re.sub(r"(?m)^featured: .*\n", "", text)
            target.write_text(text if pick % 2 else
                              text.replace("title: ", "featured: true\ntitle: ", 1))
        elif op == "term":
            region = REGIONS[(pick + self.serial) % len(REGIONS)]
            lines = [f"- {region}" if line.startswith("- ") and line[2:] in REGIONS else line
                     for line in text.splitlines()]
            target.write_text("\n".join(lines) + "\n")
        elif op == "delete":
            target.unlink()
        elif op == "rename":
            moved = target.with_name(f"renamed-{self.serial}.md")
            target.rename(moved)
            return [target, moved]
        elif op == "template":
            path = self.root / "templates/article.html"
            path.parent.mkdir(exist_ok=True)
            if pick % 3 == 0 and path.exists():
                path.unlink()
            else:
                path.write_text('{% extends "default:article.html" %}{% block title %}'
                                f"v{self.serial} {{{{ article.title }}}}{{% endblock %}}")
            return [path]
        elif op == "reader":
            path = self.root / "templates/term.html"
            path.parent.mkdir(exist_ok=True)
            (path.parent / "teaser.html").write_text(
                "{% for a in paginator.items %}{{ a|attr('word' ~ '_count') }}{% endfor %}")
            if pick % 4 == 3 and path.exists():
                path.unlink()
            else:
                path.write_text(READERS[pick % 4 % len(READERS)])
            return [path]
        elif op == "config":
            self.per_page = 2 + pick % 2
            (self.root / "folio.toml").write_text(self._config())
            return [self.root / "folio.toml"]
        elif op == "static":
            path = self.root / "static/extra.css"
            path.parent.mkdir(exist_ok=True)
            path.write_text(f"body {{ margin: {self.serial}px; }}")
            return [path]
        return [target]


def clean_build(site: Path, into: Path) -> dict[str, bytes]:
    shutil.rmtree(into, ignore_errors=True)
    build(replace(load_config(site), output_dir=str(into)), use_cache=False, workers=1)
    return tree(into)


EDITS = st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 20)), min_size=1, max_size=6)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_cli_style_incremental_builds_match_clean_builds(tmp_path_factory, edits) -> None:
    root = tmp_path_factory.mktemp("site")
    archive = Archive(root)
    build(load_config(root), workers=1)
    for op, pick in edits:
        archive.apply(op, pick)
        build(load_config(root), workers=1)
        assert tree(root / "output") == clean_build(root, root.parent / "clean"), (op, pick)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_serve_style_incremental_builds_match_clean_builds(tmp_path_factory, edits) -> None:
    root = tmp_path_factory.mktemp("site")
    archive = Archive(root)
    builder = Builder(load_config(root), workers=1)
    builder.build(remember=True)
    for op, pick in edits:
        changed = archive.apply(op, pick)
        if op == "config":  # the server starts a new Builder when folio.toml changes
            builder = Builder(load_config(root), workers=1)
        builder.build(changed)
        assert tree(root / "output") == clean_build(root, root.parent / "clean"), (op, pick)


def test_a_body_edit_renders_only_that_page(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    builder = Builder(load_config(tmp_path), workers=1)
    first = builder.build(remember=True)
    assert first.rendered == first.pages
    assert archive.articles()[0].name == "article-1.md"
    report = builder.build(archive.apply("body", 0))
    assert (report.parsed, report.rendered, report.written) == (1, 1, 1)
    assert "More text" in (tmp_path / "output/2021/02/article-1/index.html").read_text()
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_a_title_edit_renders_the_pages_that_show_it_and_no_others(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    archive.apply("title", 0)
    report = build(load_config(tmp_path), workers=1)
    assert report.parsed == 1
    assert 1 < report.rendered < report.pages  # its page, neighbours, lists: not everything
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_nothing_changed_stops_early_and_writes_nothing(tmp_path: Path) -> None:
    Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    report = build(load_config(tmp_path), workers=1)
    assert report.written == 0 and report.rendered == 0


@pytest.mark.parametrize("damage", ["garbage", "truncate", "foreign-version"])
def test_a_damaged_or_foreign_cache_falls_back_to_a_clean_build(tmp_path: Path,
                                                                damage: str) -> None:
    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    cache = tmp_path / ".folio-cache/build.sqlite"
    archive.apply("title", 1)
    if damage == "garbage":
        cache.write_bytes(b"this is not a database" * 100)
    elif damage == "truncate":
        cache.write_bytes(cache.read_bytes()[:2048])
    else:
        with sqlite3.connect(cache) as db:
            db.execute("UPDATE meta SET value = 'old-folio' WHERE key = 'key'")
    build(load_config(tmp_path), workers=1)
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_a_cache_entry_that_lies_is_caught_by_its_digest(tmp_path: Path) -> None:
    """A file rewritten with the same size and mtime (a racy edit) is still re-read."""
    import os

    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    target = archive.articles()[0]
    stat = target.stat()
    text = target.read_text()
    target.write_text(text.replace("Body of", "Bodx of"))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    build(load_config(tmp_path), workers=1)
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_cli_body_edit_re_renders_one_page_from_the_cache(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    archive.apply("body", 2)
    report = build(load_config(tmp_path), workers=1)
    assert (report.parsed, report.rendered, report.written) == (1, 1, 1)
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")
    again = build(load_config(tmp_path), workers=1)
    assert again.rendered == 0 and again.written == 0  # and the cache knows it


def test_cli_body_edit_takes_the_long_way_when_lists_show_bodies(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    write_tree(tmp_path, {"templates/index.html":
                          "{% for a in paginator.items %}{{ a.body_html|safe }}{% endfor %}"})
    build(load_config(tmp_path), workers=1)
    archive.apply("body", 2)
    report = build(load_config(tmp_path), workers=1)
    assert report.rendered > 1
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_a_term_template_showing_the_whole_term_follows_every_edit(tmp_path: Path) -> None:
    """A term page that lists all of its term's articles (not just its page of them) is
    re-rendered when any of them changes, even on pages that do not list it."""
    archive = Archive(tmp_path)
    write_tree(tmp_path, {"templates/term.html":
                          "{% for a in term.articles %}{{ a.title }};{% endfor %}"
                          "{% for a in paginator.items %}[{{ a.title }}]{% endfor %}"})
    build(load_config(tmp_path), workers=1)
    archive.apply("title", 3)
    build(load_config(tmp_path), workers=1)
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_a_title_edit_leaves_term_pages_that_do_not_show_it_alone(tmp_path: Path) -> None:
    archive = Archive(tmp_path)  # four articles in Europe, two to a page
    build(load_config(tmp_path), workers=1)
    europe_page_2 = tmp_path / "output/regions/europe/page/2/index.html"
    before = europe_page_2.stat().st_mtime_ns
    archive.apply("title", 3)  # the newest article: on Europe's first page only
    report = build(load_config(tmp_path), workers=1)
    assert europe_page_2.stat().st_mtime_ns == before
    assert report.rendered < report.pages
    # every page written again shows the new title (as a link, a related article, a home
    # section's headline): no other page changed
    for path in report.changed:
        if path.endswith(".html"):
            assert "Retitled" in (tmp_path / "output" / path).read_text(), path
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


@pytest.mark.parametrize("op", ["updated", "image"])
def test_metadata_edits_match_clean_builds(tmp_path: Path, op: str) -> None:
    archive = Archive(tmp_path)
    builder = Builder(load_config(tmp_path), workers=1)
    builder.build(remember=True)
    builder.build(archive.apply(op, 0))  # folio serve's way
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")
    archive.apply(op, 1)
    build(load_config(tmp_path), workers=1)  # folio build's way
    output = tree(tmp_path / "output")
    assert output == clean_build(tmp_path, tmp_path.parent / "clean")
    shown = b"2022-0" if op == "updated" else b"/images/"
    assert any(shown in data for path, data in output.items()
               if path.startswith("2021/")), "the edit reached the article page"


def test_serve_shortcut_ignores_the_folder_event_of_a_save(tmp_path: Path) -> None:
    """Watchers report the saved file's folder as modified too; that is not a change."""
    archive = Archive(tmp_path)
    builder = Builder(load_config(tmp_path), workers=1)
    builder.build(remember=True)
    (path,) = archive.apply("body", 0)
    report = builder.build([path, path.parent])
    assert (report.parsed, report.rendered) == (1, 1)
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_serve_follows_a_term_spelling_that_changes_on_unchanged_articles(
        tmp_path: Path) -> None:
    """Four articles say "Europe"; edits make "europe" the most used spelling, so the term's
    name changes on the pages of articles that were not edited (the assembly memo must not
    keep their old links)."""
    archive = Archive(tmp_path)
    builder = Builder(load_config(tmp_path), workers=1)
    builder.build(remember=True)
    for n in range(5):
        path = tmp_path / f"content/articles/new/lower-{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(archive._article(10 + n, "europe"))
        builder.build([path])
    untouched = tmp_path / "output/2021/02/article-1/index.html"
    assert ">europe<" in untouched.read_text()
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_cli_title_edit_re_renders_from_kept_pages_without_loading_the_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    archive.apply("title", 1)
    with monkeypatch.context() as patched:
        patched.setattr(generator.content, "render", _must_not_run)  # the body is as it was
        report = build(load_config(tmp_path), workers=1)
    assert report.path == "edit-from-cache"
    assert report.reason.startswith("1 article(s) edited in place")
    assert report.parsed == 1
    assert 1 < report.rendered < report.pages  # its page, its neighbours', its lists
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")
    assert build(load_config(tmp_path), workers=1).rendered == 0  # and the cache knows it


def test_cli_date_edit_moves_the_article_the_long_way(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    [moved] = archive.apply("date", 1)
    report = build(load_config(tmp_path), workers=1)
    assert report.path == "full" and report.reason.startswith(f"{moved}: the edit moves")
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


@pytest.mark.parametrize("table", ["pages", "heads", "shared"])
def test_cli_title_edit_with_a_kept_page_missing_takes_the_long_way(tmp_path: Path,
                                                                    table: str) -> None:
    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    with sqlite3.connect(tmp_path / ".folio-cache/build.sqlite") as db:
        db.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} LIMIT 3)")
    archive.apply("title", 0)
    report = build(load_config(tmp_path), workers=1)
    assert report.path == "full" and "the cache" in report.reason
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def _must_not_run(*args: object) -> None:
    raise AssertionError("the site was loaded")


def test_serve_title_edit_re_renders_the_pages_that_show_it_without_assembling(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive(tmp_path)
    builder = Builder(load_config(tmp_path), workers=1)
    first = builder.build(remember=True)
    changed = archive.apply("title", 1)
    report = builder.build(changed)
    assert (report.path, report.parsed) == ("edit-in-memory", 1)
    assert 1 < report.rendered < first.pages
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")
    report = builder.build(archive.apply("title", 1))  # the edited article's pages, again
    assert 1 < report.rendered < first.pages
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def _age(root: Path, seconds: int = 3600) -> None:
    """Make every folder and file under root look this much older."""
    for path in [root, *root.rglob("*")]:
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


def test_cli_edit_trusts_unchanged_folders_and_finds_a_file_added_to_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive(tmp_path)
    _age(tmp_path / "content")
    build(load_config(tmp_path), workers=1)
    archive.apply("title", 1)  # saved in place: its folder's mtime stays
    with monkeypatch.context() as patched:  # the folders vouch for the set of files
        patched.setattr(generator.build, "content_stats", _must_not_run)
        assert build(load_config(tmp_path), workers=1).parsed == 1
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")
    first = archive.articles()[0]
    (first.parent / "beside.md").write_text(first.read_text().replace("title: ", "title: B", 1))
    archive.apply("title", 2)
    report = build(load_config(tmp_path), workers=1)
    assert report.articles == 5
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_after_a_failed_build_an_edit_elsewhere_still_reports_the_problem(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    broken = archive.articles()[0]
    broken.write_text(broken.read_text().replace("title: ", "title: [unclosed ", 1))
    _age(broken)  # the failed build stores its stat, old enough to be trusted
    with pytest.raises(ContentError):
        build(load_config(tmp_path), workers=1)
    archive.apply("title", 2)
    with pytest.raises(ContentError):  # as a clean build would
        build(load_config(tmp_path), workers=1)


def test_an_edit_after_the_output_was_deleted_rebuilds_the_whole_output(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    build(load_config(tmp_path), workers=1)
    shutil.rmtree(tmp_path / "output")
    archive.apply("title", 1)
    report = build(load_config(tmp_path), workers=1)
    assert (report.path, report.reason) == ("full", "the output folder is not the last build's")
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


@pytest.mark.parametrize("style", ["cli", "serve"])
def test_a_template_failing_on_an_edit_is_reported_with_its_place(tmp_path: Path,
                                                                  style: str) -> None:
    archive = Archive(tmp_path)
    write_tree(tmp_path, {"templates/article.html":
                          '{% extends "default:article.html" %}{% block title %}'
                          "{% if 'Retitled' in article.title %}{{ none.x.y }}{% endif %}"
                          "{% endblock %}"})
    builder = Builder(load_config(tmp_path), workers=1)
    builder.build(remember=True)
    changed = archive.apply("title", 1)
    with pytest.raises(ThemeError) as raised:
        builder.build(changed) if style == "serve" else build(load_config(tmp_path), workers=1)
    assert [p.path.name for p in raised.value.problems if p.path] == ["article.html"]


@pytest.mark.parametrize(("path", "text", "op"), [
    # a term's articles walked through another name than `term`
    ("templates/term.html", "{% for t in taxonomy.terms %}{{ t.name }}:{{ t.articles|length }}"
                            "{% endfor %}", "title"),
    # a neighbour's body shown through another name than `newer` or `older`
    ("templates/article.html", '{% extends "default:article.html" %}{% block title %}'
                               "{% for n in [newer, older] %}{% if n %}{{ n.word_count }}"
                               "{% endif %}{% endfor %}{% endblock %}", "body"),
    # a list reading bodies through a field name the template computes (a filter's argument)
    ("templates/term.html", "{% set f = 'body' ~ '_html' %}{% for a in paginator.items %}"
                            "{{ a|attr(f)|length }},{{ a[f]|wordcount }}{% endfor %}", "body"),
    ("templates/list.html", "{% for a in paginator.items %}"
                            "{{ [a]|map(attribute='word' ~ '_count')|sum }}{% endfor %}", "body"),
    # a partial included only on some pages, reading bodies of what the page lists
    ("templates/term.html", "{% if paginator.number == 1 %}{% include 'teaser.html' %}"
                            "{% endif %}{{ term.name }}", "body"),
    # the whole of a year's list reached through a computed name
    ("templates/year.html", "{% set k = 'arti' ~ 'cles' %}{{ year[k]|map(attribute='title')"
                            "|join(',') }}", "title"),
    # the articles of the years and terms a list page lists
    ("templates/years.html", "{% for y in paginator.items %}"
                             "{{ y.articles|map(attribute='title')|join(',') }}{% endfor %}",
     "title"),
    ("templates/taxonomy.html", "{% for t in paginator.items %}"
                                "{{ t['articles']|map(attribute='title')|join(',') }}"
                                "{% endfor %}", "title"),
])
@pytest.mark.parametrize("style", ["cli", "serve"])
def test_edits_follow_templates_that_reach_lists_and_bodies_by_other_names(
        tmp_path: Path, path: str, text: str, op: str, style: str) -> None:
    archive = Archive(tmp_path)
    write_tree(tmp_path, {path: text, "templates/teaser.html":
                          "{% for a in paginator.items %}{{ a['body' ~ '_html'] }}{% endfor %}"})
    builder = Builder(load_config(tmp_path), workers=1)
    builder.build(remember=True)
    for pick in (0, 1, 2):
        changed = archive.apply(op, pick)
        builder.build(changed) if style == "serve" else build(load_config(tmp_path), workers=1)
        assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_a_build_stopped_before_its_pages_move_in_keeps_nothing_it_rendered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages a stopped build rendered (and kept in the cache for the edit shortcut) must not
    outlive it: once its edits are undone, a later shortcut would render from them."""
    archive = Archive(tmp_path)
    _age(tmp_path / "content")
    build(load_config(tmp_path), workers=1)
    saved = {path: path.read_text() for path in archive.articles()}
    archive.apply("date", 0)  # the long way: every page showing it is rendered and kept
    archive.apply("title", 1)

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(generator.build.OutputWriter, "commit", stopped)
        with pytest.raises(KeyboardInterrupt):
            build(load_config(tmp_path), workers=1)
    for path, text in saved.items():
        path.write_text(text)
    _age(tmp_path / "content")
    build(load_config(tmp_path), workers=1)
    archive.apply("body", 2)
    report = build(load_config(tmp_path), workers=1)
    assert report.path == "edit-from-cache"
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


@pytest.mark.parametrize("style", ["cli", "serve"])
def test_an_edit_stopped_after_its_pages_moved_in_is_not_the_ground_of_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, style: str) -> None:
    """An edit path killed while it indexes for search (its pages are in place, the cache
    not yet told): once the edit is undone, the next build must not trust the cache."""
    archive = Archive(tmp_path)
    _age(tmp_path / "content")
    builder = Builder(load_config(tmp_path), workers=1)
    builder.build(remember=style == "serve")
    target = archive.articles()[1]
    saved = target.read_text()
    changed = archive.apply("title", 1)

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(generator.build, "update_index", stopped)
        with pytest.raises(KeyboardInterrupt):
            if style == "serve":
                builder.index_later = False
                builder.build(changed)
            else:
                build(load_config(tmp_path), workers=1)
    target.write_text(saved)
    build(load_config(tmp_path), workers=1)
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_a_failed_build_elsewhere_leaves_no_record_that_vouches_for_this_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build into another folder reads the edited sources into the cache, then fails: the
    record of the build into this folder must not say its output is current."""
    archive = Archive(tmp_path)
    (tmp_path / "folio.toml").write_text(archive._config() + "search = false\n")
    _age(tmp_path)
    build(load_config(tmp_path), workers=1)
    archive.apply("title", 1)

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(generator.build, "render_all", full_disk)
        with pytest.raises(OSError):
            build(replace(load_config(tmp_path), output_dir=str(tmp_path / "elsewhere")),
                  workers=1)
    build(load_config(tmp_path), workers=1)
    assert tree(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")
