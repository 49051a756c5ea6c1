"""What rendering sees a template read: other articles' bodies, whole term or year lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import for_test
from generator.pages import Job, plan, site_info
from generator.render import render
from generator.theme import load_theme
from generator.tracking import BODIES, LISTS
from tests.unit.test_pages import small_site


def reads_of(tmp_path: Path, template: str, url: str) -> int:
    config = for_test(tmp_path)
    (tmp_path / "templates").mkdir(exist_ok=True)
    for name in ("term.html", "article.html"):
        (tmp_path / "templates" / name).write_text(template)
    site = small_site(config)
    job: Job = next(job for job in plan(site) if job.route.url == url)
    return render(job, load_theme(config), site_info(site)).reads


@pytest.mark.parametrize(("template", "flags"), [
    ("{{ term.name }}{% for a in paginator.items %}{{ a.title }}{% endfor %}", 0),
    ("{% for a in paginator.items %}{{ a.body_html }}{% endfor %}", BODIES),
    ("{% set f = 'word' ~ '_count' %}{% for a in paginator.items %}{{ a[f] }}{% endfor %}",
     BODIES),
    ("{{ paginator.items|map(attribute='body' ~ '_html')|join }}", BODIES),
    ("{{ (paginator.items|first)|attr('digest') }}", BODIES),
    ("{{ term.articles|length }}", LISTS),
    ("{{ taxonomy.terms[0]['arti' ~ 'cles']|map(attribute='body_html')|join }}",
     BODIES | LISTS),
    ("{% if false %}{{ term.articles }}{% endif %}", 0),  # a read never made is not one
])
def test_a_list_page_reads_what_its_template_reaches(tmp_path: Path, template: str,
                                                     flags: int) -> None:
    assert reads_of(tmp_path, template, "/regions/europe/") == flags


@pytest.mark.parametrize(("template", "flags"), [
    ("{{ article.body_html }}{{ article.word_count }}", 0),  # its own body is the page's
    ("{% for n in [newer, older] %}{% if n %}{{ n['body_html'] }}{% endif %}{% endfor %}",
     BODIES),
])
def test_an_article_page_reads_bodies_other_than_its_own(tmp_path: Path, template: str,
                                                         flags: int) -> None:
    assert reads_of(tmp_path, template, "/2017/01/b/") == flags


def test_tracking_ends_with_the_render(tmp_path: Path) -> None:
    env = load_theme(for_test(tmp_path)).env
    article = small_site(for_test(tmp_path)).articles[0]
    with env.tracking() as reads:
        env.from_string("{{ a.body_html }}").render(a=article)
    env.from_string("{{ a.word_count }}").render(a=article)
    assert reads.bodies == {article.source_path} and env.reads is None
