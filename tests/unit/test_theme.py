"""Themes: template lookup over the chain, `theme:` prefixes, static files, filters."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import jinja2
import pytest

from generator.config import SiteConfig, for_test
from generator.errors import ThemeError
from generator.model import Article, Source
from generator.pages import site_info
from generator.site import assemble
from generator.theme import BUILTIN_THEMES, format_date, load_theme, theme_chain

BUILTIN_DEFAULT = BUILTIN_THEMES / "default"


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def template_file(config: SiteConfig, name: str) -> Path:
    filename = load_theme(config).env.get_template(name).filename
    assert filename is not None
    return Path(filename).resolve()


def builtin(name: str) -> Path:
    return (BUILTIN_DEFAULT / "templates" / name).resolve()


def test_the_builtin_default_theme_is_used_without_overrides(tmp_path: Path) -> None:
    config = for_test(tmp_path)
    assert [layer.name for layer in theme_chain(config)] == ["default"]
    assert template_file(config, "page.html") == builtin("page.html")


def test_site_templates_override_the_theme(tmp_path: Path) -> None:
    write(tmp_path, {"templates/page.html": "site page"})
    config = for_test(tmp_path)
    assert template_file(config, "page.html") == (tmp_path / "templates/page.html").resolve()
    assert template_file(config, "article.html") == builtin("article.html")


@pytest.mark.parametrize("relative", ["themes/default/templates/page.html",
                                      "themes/default/page.html"])
def test_site_theme_folder_overrides_only_that_template(tmp_path: Path, relative: str) -> None:
    write(tmp_path, {relative: "override"})
    config = for_test(tmp_path)
    assert template_file(config, "page.html") == (tmp_path / relative).resolve()
    assert template_file(config, "base.html") == builtin("base.html")
    layer = theme_chain(config)[0]
    assert layer.folders[0] == tmp_path / "themes/default"


def test_site_templates_win_over_the_site_theme_folder(tmp_path: Path) -> None:
    write(tmp_path, {"templates/page.html": "site", "themes/default/templates/page.html": "t"})
    assert template_file(for_test(tmp_path), "page.html") == (
        tmp_path / "templates/page.html").resolve()


def test_a_theme_that_extends_default_falls_back_to_it(tmp_path: Path) -> None:
    write(tmp_path, {"themes/dark/theme.toml": 'extends = "default"\n',
                     "themes/dark/templates/article.html": "dark article"})
    config = for_test(tmp_path, theme="dark")
    assert [layer.name for layer in theme_chain(config)] == ["dark", "default"]
    dark = (tmp_path / "themes/dark/templates/article.html").resolve()
    assert template_file(config, "article.html") == dark
    assert template_file(config, "base.html") == builtin("base.html")


def test_a_theme_without_a_parent_has_only_its_own_templates(tmp_path: Path) -> None:
    write(tmp_path, {"themes/bare/templates/base.html": "bare"})
    config = for_test(tmp_path, theme="bare")
    assert [layer.name for layer in theme_chain(config)] == ["bare"]
    with pytest.raises(jinja2.TemplateNotFound):
        load_theme(config).env.get_template("article.html")


def test_unknown_theme(tmp_path: Path) -> None:
    with pytest.raises(ThemeError) as info:
        load_theme(for_test(tmp_path, theme="nonexistent"))
    (problem,) = info.value.problems
    assert "'nonexistent' not found" in problem.message
    assert problem.key == "theme"


def test_unknown_parent_theme(tmp_path: Path) -> None:
    write(tmp_path, {"themes/child/theme.toml": 'extends = "missing"\n'})
    with pytest.raises(ThemeError, match="'missing' not found"):
        theme_chain(for_test(tmp_path, theme="child"))


def test_a_cycle_of_themes_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"themes/a/theme.toml": 'extends = "b"\n',
                     "themes/b/theme.toml": 'extends = "a"\n'})
    with pytest.raises(ThemeError, match="extends itself"):
        theme_chain(for_test(tmp_path, theme="a"))


@pytest.mark.parametrize("text", ["extends = default\n", "extends = 5\n"])
def test_a_bad_theme_toml_is_an_error(tmp_path: Path, text: str) -> None:
    write(tmp_path, {"themes/bad/theme.toml": text})
    with pytest.raises(ThemeError) as info:
        theme_chain(for_test(tmp_path, theme="bad"))
    assert info.value.problems[0].path == tmp_path / "themes/bad/theme.toml"


# --- "theme:template" prefixes -------------------------------------------------------------

def test_prefix_reaches_the_builtin_template_past_a_site_override(tmp_path: Path) -> None:
    write(tmp_path, {"templates/base.html": '{% extends "default:base.html" %}'})
    config = for_test(tmp_path)
    assert template_file(config, "base.html") == (tmp_path / "templates/base.html").resolve()
    assert template_file(config, "default:base.html") == builtin("base.html")


def test_an_override_can_extend_the_template_it_replaces(tmp_path: Path) -> None:
    write(tmp_path, {
        "themes/plain/templates/base.html": "<main>{% block content %}base{% endblock %}</main>",
        "templates/base.html": '{% extends "plain:base.html" %}'
                               "{% block content %}[{{ super() }}]{% endblock %}",
    })
    env = load_theme(for_test(tmp_path, theme="plain")).env
    assert env.get_template("base.html").render() == "<main>[base]</main>"


def test_unknown_prefix_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(jinja2.TemplateNotFound):
        load_theme(for_test(tmp_path)).env.get_template("nosuch:base.html")


def test_a_site_theme_override_can_extend_the_builtin_it_replaces(tmp_path: Path) -> None:
    write(tmp_path, {"themes/default/templates/base.html":
                     '{% extends "default:base.html" %}'
                     '{% block head %}<meta name="added">{% endblock %}'})
    config = for_test(tmp_path)
    info = site_info(assemble(config, [], []))
    html = load_theme(config).env.get_template("base.html").render(site=info, url="/")
    assert '<meta name="added">' in html
    assert "<!DOCTYPE html>" in html
    assert template_file(config, "default:base.html") == builtin("base.html")


# --- static files ---------------------------------------------------------------------------

def test_static_files_site_wins_over_theme(tmp_path: Path) -> None:
    write(tmp_path, {
        "static/assets/folio.css": "site css",
        "static/robots.txt": "User-agent: *",
        "static/.nojekyll": "",
        "static/.DS_Store": "junk",
        "static/.git/config": "junk",
        "static/notes.txt~": "backup",
        "themes/default/static/assets/extra.css": "extra",
    })
    config = for_test(tmp_path)
    files = load_theme(config).static_files(config)
    assert files["assets/folio.css"] == tmp_path / "static/assets/folio.css"
    assert files["assets/extra.css"] == tmp_path / "themes/default/static/assets/extra.css"
    assert files["robots.txt"] == tmp_path / "static/robots.txt"
    assert ".nojekyll" in files
    assert not {".DS_Store", ".git/config", "notes.txt~"} & set(files)


def test_static_files_of_the_theme_chain(tmp_path: Path) -> None:
    write(tmp_path, {"themes/dark/theme.toml": 'extends = "default"\n',
                     "themes/dark/static/assets/folio.css": "dark css"})
    config = for_test(tmp_path, theme="dark")
    files = load_theme(config).static_files(config)
    assert files["assets/folio.css"] == tmp_path / "themes/dark/static/assets/folio.css"
    plain = for_test(tmp_path / "elsewhere")
    assert load_theme(plain).static_files(plain)["assets/folio.css"] == (
        BUILTIN_DEFAULT / "static/assets/folio.css")


# --- environment --------------------------------------------------------------------------------

def render_string(config: SiteConfig, source: str, **context: object) -> str:
    return load_theme(config).env.from_string(source).render(**context)


def test_strings_are_autoescaped(tmp_path: Path) -> None:
    assert render_string(for_test(tmp_path), "{{ x }}", x="<b>") == "&lt;b&gt;"


def test_undefined_values_are_errors(tmp_path: Path) -> None:
    with pytest.raises(jinja2.UndefinedError):
        render_string(for_test(tmp_path), "{{ missing }}")


def test_filters_and_globals_use_the_config(tmp_path: Path) -> None:
    config = for_test(tmp_path, base_url="https://example.org/archive/", date_format="%Y/%m")
    day = dt.date(2017, 9, 2)
    assert render_string(config, "{{ d|date }}", d=day) == "2017/09"
    assert render_string(config, "{{ d|date('%-d.%-m.') }}", d=day) == "2.9."
    assert render_string(config, "{{ d|isodate }}", d=day) == "2017-09-02"
    assert render_string(config, "{{ static_url('/assets/folio.css') }}") == (
        "/archive/assets/folio.css")
    assert render_string(config, "{{ '/archive/a/'|abs_url }}") == (
        "https://example.org/archive/a/")
    assert render_string(config, "{{ 1234567|number }}") == "1,234,567"



def test_metadata_filters_use_the_sites_zone_base_url_and_host(tmp_path: Path) -> None:
    config = for_test(tmp_path, base_url="https://example.org/archive/",
                      timezone="Europe/Paris", image="cover.png", title="The Archive")
    day = dt.date(2017, 9, 2)
    assert render_string(config, "{{ d|rfc3339 }}", d=day) == "2017-09-02T00:00:00+02:00"
    assert render_string(config, "{{ d|isodate }}", d=day) == "2017-09-02"  # as shown
    article = Article(Path("content/a.md"), "A", day, "a", "", "", {}, Source("South Front"),
                      None, "C")
    assert render_string(config, "{{ a|source_id }}", a=article) == \
        "tag:example.org,2000:source/south-front"
    linked = dataclasses.replace(article, source=Source("S", "https://o.example/1"))
    assert render_string(config, "{{ a|source_id }}", a=linked) == "https://o.example/1"
    assert render_string(config, "{{ a|image_url }}", a=article) == \
        "https://example.org/archive/cover.png"
    assert render_string(config, "{{ a|description }}", a=article) == \
        "A, from South Front, republished in The Archive."


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (dt.date(2017, 9, 2), "%-d %B %Y", "2 September 2017"),
        (dt.date(2017, 9, 12), "%-d %B %Y", "12 September 2017"),
        (dt.date(2017, 9, 2), "%d/%m/%Y", "02/09/2017"),
        (dt.datetime(2017, 3, 5, 14, 30), "%-d.%-m. %H:%M", "5.3. 14:30"),
        ("not a date", "%Y", "not a date"),
    ],
)
def test_format_date(value: object, fmt: str, expected: str) -> None:
    assert format_date(value, fmt) == expected
