"""folio.toml: defaults, type checks naming key and line, suggestions, URL patterns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.config import PROVENANCE, SiteConfig, for_test, load_config, parse_config
from generator.errors import ConfigError

CONTRACT_TAXONOMIES = ("regions", "themes", "authors", "reports")  # CONTENT.md


def write_config(root: Path, text: str) -> Path:
    (root / "folio.toml").write_text(text, encoding="utf-8")
    return root


def config_error(root: Path, text: str) -> ConfigError:
    write_config(root, text)
    with pytest.raises(ConfigError) as info:
        load_config(root)
    return info.value


def problem_for(error: ConfigError, key: str):
    matches = [p for p in error.problems if p.key == key]
    assert matches, f"no problem names {key!r}: {error}"
    return matches[0]


# --- defaults -----------------------------------------------------------------------------

def test_no_config_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == SiteConfig(root=tmp_path)
    assert config.base_path == "/"
    assert config.drafts is False
    assert config.content_path == tmp_path / "content"
    assert config.output_path == tmp_path / "output"


def test_empty_config_file_is_the_same_as_none(tmp_path: Path) -> None:
    assert load_config(write_config(tmp_path, "")) == SiteConfig(root=tmp_path)


def test_default_taxonomies_are_the_contract_lists(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert tuple(t.key for t in config.taxonomies) == (*CONTRACT_TAXONOMIES, "sources",
                                                       "publishers")
    for taxonomy in config.taxonomies:
        assert taxonomy.index_url == f"/{taxonomy.key}/"
        assert taxonomy.term_url == f"/{taxonomy.key}/{{slug}}/"
        assert config.taxonomy(taxonomy.key) is taxonomy
    assert config.taxonomy("countries") is None


def test_load_config_reads_values_and_flags(tmp_path: Path) -> None:
    write_config(tmp_path, 'title = "Archive"\nper_page = 25\nallow_html = true\n'
                           '[params]\nlogo = "x.svg"\n')
    config = load_config(tmp_path, drafts=True)
    assert (config.title, config.per_page, config.allow_html) == ("Archive", 25, True)
    assert config.params == {"logo": "x.svg"}
    assert config.drafts is True


def test_base_url_argument_overrides_the_file(tmp_path: Path) -> None:
    write_config(tmp_path, 'base_url = "https://example.org/"\n')
    config = load_config(tmp_path, base_url="http://localhost:9000/preview")
    assert config.base_url == "http://localhost:9000/preview/"
    assert config.base_path == "/preview/"


def test_for_test_replaces_only_the_given_fields(tmp_path: Path) -> None:
    config = for_test(tmp_path, per_page=3, base_url="https://example.org/archive/")
    assert config.per_page == 3
    assert config.base_path == "/archive/"
    assert config.title == SiteConfig(root=tmp_path).title


def test_parse_config_validates_a_decoded_table_without_a_file(tmp_path: Path) -> None:
    assert parse_config({"title": "T"}, tmp_path).title == "T"
    with pytest.raises(ConfigError) as info:
        parse_config({"per_page": "ten", "thme": "x"}, tmp_path)
    assert [(p.key, p.path, p.line) for p in info.value.problems] == [
        ("per_page", None, None), ("thme", None, None)]


# --- type errors: key and line --------------------------------------------------------------

@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("title", "5"),
        ("description", "[\"a\"]"),
        ("base_url", "42"),
        ("theme", "true"),
        ("language", "1.5"),
        ("per_page", '"ten"'),
        ("per_page", "true"),  # a boolean is not a number, even though bool is an int
        ("terms_per_page", "2.5"),
        ("allow_html", '"yes"'),
        ("typographer", "1"),
        ("date_format", "{ x = 1 }"),
        ("summary_words", '"forty"'),
        ("content_dir", "1"),
        ("static_dir", "false"),
        ("output_dir", "[]"),
    ],
)
def test_type_error_names_key_and_line(tmp_path: Path, key: str, value: str) -> None:
    error = config_error(tmp_path, f"# my archive\n\n{key} = {value}\n")
    problem = problem_for(error, key)
    assert problem.line == 3
    assert problem.message.startswith("must be")
    assert f"folio.toml:3: '{key}'" in str(error)


@pytest.mark.parametrize("key", ["per_page", "terms_per_page", "summary_words"])
@pytest.mark.parametrize("value", [0, -5])
def test_counts_must_be_positive(tmp_path: Path, key: str, value: int) -> None:
    problem = problem_for(config_error(tmp_path, f"{key} = {value}\n"), key)
    assert "1 or more" in problem.message


@pytest.mark.parametrize("theme", ["../evil", "a/b", "dark theme"])
def test_theme_must_be_a_folder_name(tmp_path: Path, theme: str) -> None:
    problem_for(config_error(tmp_path, f'theme = "{theme}"\n'), "theme")


@pytest.mark.parametrize(("key", "value"), [("params", "5"), ("urls", '"x"')])
def test_tables_must_be_tables(tmp_path: Path, key: str, value: str) -> None:
    problem = problem_for(config_error(tmp_path, f"{key} = {value}\n"), key)
    assert "table" in problem.message


# --- unknown keys -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "key", "suggestion"),
    [
        ('thme = "dark"\n', "thme", "theme"),
        ("per_pgae = 5\n", "per_pgae", "per_page"),
        ("[urls]\nartcle = '/{slug}/'\n", "urls.artcle", "article"),
        ("[taxonomies.countries]\ntitel = 'Countries'\n", "taxonomies.countries.titel", "title"),
    ],
)
def test_unknown_key_suggests_the_close_one(
    tmp_path: Path, text: str, key: str, suggestion: str
) -> None:
    problem = problem_for(config_error(tmp_path, text), key)
    assert problem.message == "unknown key"
    assert problem.hint == f"did you mean '{suggestion}'?"


def test_unknown_key_without_close_match_lists_known_keys(tmp_path: Path) -> None:
    problem = problem_for(config_error(tmp_path, "zzzzzz = 1\n"), "zzzzzz")
    assert problem.hint is not None
    assert "known keys" in problem.hint
    assert "base_url" in problem.hint


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    error = config_error(tmp_path, 'title = 5\nper_page = "ten"\nthme = "dark"\n')
    assert [(p.key, p.line) for p in error.problems] == [
        ("title", 1), ("per_page", 2), ("thme", 3)]
    assert "3 problems" in str(error)


def test_problems_in_tables_are_collected_with_top_level_ones(tmp_path: Path) -> None:
    error = config_error(tmp_path, 'per_page = 0\n[urls]\narticle = "/{title}/"\n'
                                   '[taxonomies.Countries]\n')
    assert {p.key for p in error.problems} == {"per_page", "urls.article",
                                                "taxonomies.Countries"}


# --- base_url -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("given", "base_url", "base_path"),
    [
        ("https://example.org/archive", "https://example.org/archive/", "/archive/"),
        ("https://example.org/archive/", "https://example.org/archive/", "/archive/"),
        ("https://example.org", "https://example.org/", "/"),
        ("http://localhost:8000/a/b", "http://localhost:8000/a/b/", "/a/b/"),
    ],
)
def test_base_url_is_normalised(tmp_path: Path, given: str, base_url: str,
                                base_path: str) -> None:
    config = load_config(write_config(tmp_path, f'base_url = "{given}"\n'))
    assert config.base_url == base_url
    assert config.base_path == base_path


@pytest.mark.parametrize("url", ["example.org/archive", "/archive/", "ftp://example.org/",
                                 "https://", "javascript:alert(1)"])
def test_invalid_base_url(tmp_path: Path, url: str) -> None:
    problem = problem_for(config_error(tmp_path, f'\nbase_url = "{url}"\n'), "base_url")
    assert problem.line == 2
    assert "http" in problem.message


@pytest.mark.parametrize("url", ["https://example.org/archive?x=1", "https://example.org/#top"])
def test_base_url_with_query_or_fragment_is_rejected(tmp_path: Path, url: str) -> None:
    problem = problem_for(config_error(tmp_path, f'base_url = "{url}"\n'), "base_url")
    assert problem.line == 1


# --- syntax and encoding ----------------------------------------------------------------------

def test_toml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    error = config_error(tmp_path, 'title = "Archive"\n\nper_page = ten\n')
    assert len(error.problems) == 1
    assert error.problems[0].line == 3
    assert "not valid TOML" in error.problems[0].message


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "folio.toml").write_bytes(b'title = "Caf\xe9"\n')
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(tmp_path)


# --- taxonomies --------------------------------------------------------------------------------

def test_taxonomies_as_a_list_of_names_replace_the_defaults(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, 'taxonomies = ["regions", "countries"]\n'))
    assert [t.key for t in config.taxonomies if t.key not in PROVENANCE] == ["regions", "countries"]
    countries = config.taxonomy("countries")
    assert countries is not None
    assert countries.title == "Countries"
    assert countries.term_url == "/countries/{slug}/"
    assert countries.index_url == "/countries/"
    regions = config.taxonomy("regions")
    assert regions is not None and regions.title == "Regions"


def test_taxonomies_as_tables(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, """
[taxonomies.countries]
title = "Countries"
singular = "Country"
url = "/c/{slug}/"
index_url = "/c/"
"""))
    assert [t.key for t in config.taxonomies if t.key not in PROVENANCE] == ["countries"]
    countries = config.taxonomies[0]
    assert (countries.title, countries.singular) == ("Countries", "Country")
    assert (countries.term_url, countries.index_url) == ("/c/{slug}/", "/c/")


def test_empty_taxonomy_table_uses_derived_names(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, "[taxonomies.news_sources]\n"))
    (taxonomy,) = [t for t in config.taxonomies if t.key not in PROVENANCE]
    assert taxonomy.title == "News Sources"
    assert taxonomy.term_url == "/news_sources/{slug}/"


def test_urls_term_pattern_applies_to_every_taxonomy(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, '[urls]\nterm = "/topics/{taxonomy}/{slug}/"\n'))
    assert {t.key: t.term_url for t in config.taxonomies}["regions"] == "/topics/regions/{slug}/"
    assert all(t.term_url == f"/topics/{t.key}/{{slug}}/" for t in config.taxonomies)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('taxonomies = "regions"\n', "taxonomies"),
        ("taxonomies = [1, 2]\n", "taxonomies"),
        ('taxonomies = ["Countries"]\n', "taxonomies.Countries"),
        ('taxonomies = ["title"]\n', "taxonomies.title"),
        ("[taxonomies]\ncountries = 5\n", "taxonomies.countries"),
        ("[taxonomies.countries]\nurl = 5\n", "taxonomies.countries.url"),
        ("[taxonomies.countries]\nurl = '/c/{name}/'\n", "taxonomies.countries.url"),
        ("[taxonomies.countries]\nurl = '/c/'\n", "taxonomies.countries.url"),
        ("[taxonomies.countries]\nindex_url = '/c/{slug}.html'\n",
         "taxonomies.countries.index_url"),
    ],
)
def test_invalid_taxonomies(tmp_path: Path, text: str, key: str) -> None:
    problem_for(config_error(tmp_path, text), key)


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('title = "Archive"\n\n[taxonomies.countries]\ntitle = 5\n',
         "taxonomies.countries.title", 4),
        ('title = "Archive"\n[urls]\npage = "/p/"\n[taxonomies.countries]\npage = 1\n',
         "taxonomies.countries.page", 5),
        ('[urls]\nyear = "/{year}/"\n\n[taxonomies.places]\n[taxonomies.Countries]\n',
         "taxonomies.Countries", 5),
    ],
)
def test_line_of_a_key_in_a_table_is_its_own(tmp_path: Path, text: str, key: str,
                                             line: int) -> None:
    assert problem_for(config_error(tmp_path, text), key).line == line


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('title = "Archive"\nurls.article = "/{title}/"\n', "urls.article", 2),
        ('title = "Archive"\n[taxonomies]\ncountries.title = 5\n',
         "taxonomies.countries.title", 3),
    ],
)
def test_line_of_a_dotted_key(tmp_path: Path, text: str, key: str, line: int) -> None:
    assert problem_for(config_error(tmp_path, text), key).line == line


# --- URL patterns ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("key", "pattern", "message"),
    [
        ("article", "/{year}/{title}/", "unknown placeholder {title}"),
        ("page", "/{slug}/{year}/", "unknown placeholder {year}"),
        ("year", "/{year}/{slug}/", "unknown placeholder {slug}"),
        ("years", "/archives/{year}/", "unknown placeholder {year}"),
        ("article", "/{year}/{month}/", "must contain {slug}"),
        ("page", "/pages/", "must contain {slug}"),
        ("term", "/{taxonomy}/", "must contain {slug}"),
        ("article", "{year}/{slug}/", "must start with '/'"),
        ("page", "pages/{slug}.html", "must start with '/'"),
        ("article", "/{slug}", "must end with '/' or '.html'"),
        ("year", "/{year}.html", "must end with '/'"),
        ("article", "/{year/{slug}/", "not a valid pattern"),
    ],
)
def test_invalid_url_patterns(tmp_path: Path, key: str, pattern: str, message: str) -> None:
    error = config_error(tmp_path, f'[urls]\n{key} = "{pattern}"\n')
    problem = problem_for(error, f"urls.{key}")
    assert message in problem.message
    assert problem.line == 2


def test_unknown_placeholder_hint_lists_the_allowed_ones(tmp_path: Path) -> None:
    problem = problem_for(config_error(tmp_path, '[urls]\npage = "/{title}/"\n'), "urls.page")
    assert problem.hint == "allowed: {slug}"


@pytest.mark.parametrize(
    ("key", "pattern"),
    [
        ("article", "/{year}/{slug}.html"),
        ("article", "/{year}/{month}/{day}/{slug}/"),
        ("page", "/pages/{slug}/"),
        ("year", "/archive/{year}/"),
        ("years", "/by-year/"),
    ],
)
def test_valid_url_patterns_are_used(tmp_path: Path, key: str, pattern: str) -> None:
    config = load_config(write_config(tmp_path, f'[urls]\n{key} = "{pattern}"\n'))
    assert getattr(config.urls, key) == pattern


@pytest.mark.parametrize("value", ["5", '"/{taxonomy}/"', '["/{slug}/"]', '"/t/{slug}/"'])
def test_invalid_term_pattern_is_a_config_error(tmp_path: Path, value: str) -> None:
    problem_for(config_error(tmp_path, f"[urls]\nterm = {value}\n"), "urls.term")


@pytest.mark.parametrize("name", ["publisher", "copyright", "summary", "draft", "slug"])
def test_a_taxonomy_cannot_take_an_article_fields_name(tmp_path: Path, name: str) -> None:
    error = config_error(tmp_path, f'taxonomies = ["regions", "{name}"]\n')
    problem_for(error, f"taxonomies.{name}")


def test_provenance_pages_can_be_switched_off(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, "provenance = false\n"))
    assert tuple(t.key for t in config.taxonomies) == CONTRACT_TAXONOMIES


@pytest.mark.parametrize("text", ['feed_content = "everything"\n', "feed_entries = 0\n",
                                  'feeds = "yes"\n', 'taxonomies = ["regions", "sources"]\n'])
def test_feed_and_provenance_settings_are_validated(tmp_path: Path, text: str) -> None:
    key = text.split(" ")[0]
    error = config_error(tmp_path, text)
    assert any(p.key and p.key.startswith(key) for p in error.problems), error


def test_base_url_with_a_doubled_slash_keeps_one(tmp_path: Path) -> None:
    config = load_config(tmp_path, base_url="https://user.github.io/archive//")
    assert config.base_url == "https://user.github.io/archive/"
    assert config.base_path == "/archive/"


# --- metadata: time zone, default image, logo ---------------------------------------------

def test_time_zone_image_and_logo_are_read(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, 'timezone = "Europe/Paris"\n'
                                      'image = "images/cover.jpg"\n'
                                      'logo = "https://cdn.example/logo.png"\n'))
    assert (config.timezone, config.image, config.logo) == (
        "Europe/Paris", "images/cover.jpg", "https://cdn.example/logo.png")
    assert str(config.zone) == "Europe/Paris"
    assert load_config(write_config(tmp_path, "")).zone is dt.UTC  # the default


def test_an_unknown_time_zone_names_the_key_and_line_and_a_near_name(tmp_path: Path) -> None:
    error = config_error(tmp_path, 'title = "A"\ntimezone = "europe/paris"\n')
    problem = problem_for(error, "timezone")
    assert problem.message == "unknown time zone 'europe/paris'"
    assert problem.line == 2
    assert problem.hint == "did you mean 'Europe/Paris'?"
    far = problem_for(config_error(tmp_path, 'timezone = "Atlantis"\n'), "timezone")
    assert "IANA" in (far.hint or "")


@pytest.mark.parametrize(("key", "value"), [("image", "ftp://host/a.jpg"),
                                            ("logo", "javascript:alert(1)"),
                                            ("image", "../outside.png"), ("logo", "5"),
                                            ("timezone", "3")])
def test_bad_images_and_zones_are_config_errors(tmp_path: Path, key: str, value: str) -> None:
    text = f"{key} = {value}\n" if value.isdigit() else f'{key} = "{value}"\n'
    problem_for(config_error(tmp_path, text), key)


@pytest.mark.parametrize("name", ["updated", "image"])
def test_a_taxonomy_cannot_take_a_metadata_fields_name(tmp_path: Path, name: str) -> None:
    problem_for(config_error(tmp_path, f'taxonomies = ["{name}"]\n'), f"taxonomies.{name}")
