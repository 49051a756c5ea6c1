"""The pure parts of `folio check`: reading pages, resolving URLs, comparing attribution."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.check import (
    Attribution,
    Context,
    Finding,
    Reference,
    Target,
    check_page,
    check_site,
    compare_attribution,
    load_site,
    page_url,
    read_front_matter,
    resolve,
    scan_html,
)
from generator.config import for_test, load_config
from generator.content import SourceFile, read_source
from generator.site import assemble
from tests.sitekit import REPO, article_text, build_site, write_tree

ATTRIBUTION = """<aside class="attribution" aria-label="Source and copyright">
  <h2 class="attribution-title">Source and copyright</h2>
  <dl>
    <div class="attribution-source">
      <dt>Original source</dt>
      <dd><a href="https://outlet.example/x" rel="noopener">The Outlet &amp; Co</a>,
        <time datetime="2020-01-01">1 January 2020</time></dd>
    </div>
    <div class="attribution-publisher">
      <dt>Published by</dt>
      <dd>Test Publisher, <time datetime="2020-01-02">2 January 2020</time></dd>
    </div>
    <div class="attribution-copyright">
      <dt>Copyright</dt>
      <dd>© The Outlet &amp; Co, 2020</dd>
    </div>
  </dl>
</aside>"""
EXPECTED = Attribution("content/articles/x.md", "The Outlet & Co", "https://outlet.example/x",
                       "2020-01-01", "Test Publisher", "The Outlet & Co, 2020")


# -- scan_html -------------------------------------------------------------------------------
def test_scan_finds_every_url_attribute_and_id() -> None:
    scan = scan_html("""<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/assets/site.css"><script src="/assets/app.js"></script>
</head><body><main id="main"><h2 id="part-one">One</h2><a name="legacy"></a>
<a href="/x/">x</a><img src="/i.png" srcset="/i-2x.png 2x, /i-3x.png 3x" alt="">
<picture><source srcset="/p.webp"></picture><iframe src="/embed/"></iframe>
<video src="/v.mp4" poster="/v.jpg"></video><p class="x">no URL</p></main></body></html>""")
    assert [(r.tag, r.attr, r.value) for r in scan.references] == [
        ("link", "href", "/assets/site.css"), ("script", "src", "/assets/app.js"),
        ("a", "href", "/x/"), ("img", "src", "/i.png"), ("img", "srcset", "/i-2x.png"),
        ("img", "srcset", "/i-3x.png"), ("source", "srcset", "/p.webp"),
        ("iframe", "src", "/embed/"), ("video", "src", "/v.mp4"), ("video", "poster", "/v.jpg"),
    ]
    assert scan.ids == {"main", "part-one", "legacy"}
    assert scan.attribution is None


def test_scan_skips_comments_and_script_text_and_reads_awkward_attributes() -> None:
    scan = scan_html("""<!-- <a href="/commented/"> -->
<script>document.write('<a href="/scripted/">');</script>
<STYLE>a[href="/styled/"] {}</STYLE>
<A HREF='/upper/' TITLE="a > b">up</A>
<a title="x" href=/bare/>bare</a>
<a href="/q/?a=1&amp;b=2">entities</a>
<a data-href="/data/">not a link</a>""")
    assert [r.value for r in scan.references] == ["/upper/", "/bare/", "/q/?a=1&b=2"]


def test_scan_takes_the_whole_attribution_aside() -> None:
    page = f"<body><aside class=other></aside>{ATTRIBUTION}<aside class=later></aside></body>"
    scan = scan_html(page)
    assert scan.attribution == ATTRIBUTION
    nested = "<aside class='attribution'><aside>inner</aside><dd>after</dd></aside><p>x</p>"
    assert scan_html(nested).attribution == nested[:-len("<p>x</p>")]


class _Reference(HTMLParser):
    """What html.parser sees: the same URLs and ids the scanner must find."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        for attr in ("href", "src", "srcset", "poster"):
            value = values.get(attr)
            if value is not None and tag in ("a", "link", "img", "script", "source", "iframe",
                                             "video", "audio", "track", "embed", "area"):
                if attr == "srcset":
                    self.urls += [(tag, attr, c.split()[0]) for c in value.split(",")]
                elif not (attr == "poster" and tag != "video"):
                    self.urls.append((tag, attr, value))


def test_scan_agrees_with_html_parser_on_every_page_of_the_demo(tmp_path: Path) -> None:
    site = tmp_path / "demo"
    write_tree(site, {"folio.toml": (REPO / "folio.toml").read_text(encoding="utf-8")})
    for path in (REPO / "content").rglob("*.md"):
        write_tree(site, {str(path.relative_to(REPO)): path.read_text(encoding="utf-8")})
    build_site(site)
    pages = sorted((site / "output").rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        text = path.read_text(encoding="utf-8")
        reference = _Reference()
        reference.feed(text)
        scan = scan_html(text)
        assert [(r.tag, r.attr, r.value) for r in scan.references] == reference.urls, path
        assert scan.ids == reference.ids, path


# -- resolve ---------------------------------------------------------------------------------
ROOT = "http://localhost:8000/"
SUB = "https://example.org/archive/"


@pytest.mark.parametrize(("value", "here", "base", "target"), [
    ("/2020/01/x/", "/", ROOT, Target("internal", "2020/01/x/index.html")),
    ("/", "/a/", ROOT, Target("internal", "index.html")),
    ("/assets/site.css?v=3", "/", ROOT, Target("internal", "assets/site.css")),
    ("/2020/01/x/#part", "/", ROOT, Target("internal", "2020/01/x/index.html", "part")),
    ("#main", "/2020/01/x/", ROOT, Target("internal", "2020/01/x/index.html", "main")),
    ("../y/", "/2020/01/x/", ROOT, Target("internal", "2020/01/y/index.html")),
    ("img.png", "/2020/01/x/", ROOT, Target("internal", "2020/01/x/img.png")),
    ("/a%20b/", "/", ROOT, Target("internal", "a b/index.html")),
    ("/regions", "/", ROOT, Target("internal", "regions")),
    ("http://localhost:8000/2020/", "/", ROOT, Target("internal", "2020/index.html")),
    ("https://other.example/x", "/", ROOT, Target("external")),
    ("//cdn.example/x.js", "/", ROOT, Target("external")),
    ("mailto:someone@example.org", "/", ROOT, Target("skip")),
    ("data:image/png;base64,AAAA", "/", ROOT, Target("skip")),
    ("   ", "/", ROOT, Target("skip")),
    ("/archive/2020/", "/archive/", SUB, Target("internal", "2020/index.html")),
    ("/archive", "/archive/x/", SUB, Target("internal", "index.html")),
    ("/2020/", "/archive/", SUB, Target("outside")),
    ("/archive/../x/", "/archive/", SUB, Target("outside")),
    ("../../../x/", "/archive/a/", SUB, Target("outside")),
    ("https://example.org/archive/a/", "/archive/", SUB, Target("internal", "a/index.html")),
    ("https://example.org/blog/", "/archive/", SUB, Target("external")),
])
def test_resolve(value: str, here: str, base: str, target: Target) -> None:
    assert resolve(value, here, base) == target


def test_page_url() -> None:
    assert page_url("index.html", "/") == "/"
    assert page_url("2020/01/x/index.html", "/archive/") == "/archive/2020/01/x/"
    assert page_url("404.html", "/") == "/404.html"
    assert page_url("a b/index.html", "/") == "/a%20b/"


# -- attribution -----------------------------------------------------------------------------
def test_matching_attribution_passes() -> None:
    assert compare_attribution(EXPECTED, ATTRIBUTION) == []


def test_missing_attribution_block() -> None:
    [(element, message)] = compare_attribution(EXPECTED, None)
    assert element == "aside.attribution"
    assert message.startswith("missing") and "content/articles/x.md" in message


def test_each_disagreement_names_expected_and_found() -> None:
    shown = (ATTRIBUTION.replace("© The Outlet &amp; Co, 2020", "© Someone Else, 2019")
             .replace("https://outlet.example/x", "https://elsewhere.example/")
             .replace('datetime="2020-01-01"', 'datetime="2019-12-31"')
             .replace("Test Publisher", "Other Publisher"))
    assert compare_attribution(EXPECTED, shown) == [
        (".attribution-source a", "expected a link to https://outlet.example/x, found "
                                  "https://elsewhere.example/"),
        (".attribution-source time", "expected the date 2020-01-01, found 2019-12-31"),
        (".attribution-publisher dd", 'expected containing "Test Publisher" (front matter), '
                                      'found "Other Publisher, 2 January 2020"'),
        (".attribution-copyright dd", 'expected "© The Outlet & Co, 2020" (front matter), '
                                      'found "© Someone Else, 2019"'),
    ]


def test_missing_parts_and_parts_the_front_matter_lacks() -> None:
    start = ATTRIBUTION.index('<div class="attribution-source">')
    end = ATTRIBUTION.index('<div class="attribution-publisher">')
    without_source = ATTRIBUTION[:start] + ATTRIBUTION[end:]
    assert compare_attribution(EXPECTED, without_source) == [
        (".attribution-source dd", 'missing: expected "The Outlet & Co" (front matter)')]
    assert compare_attribution(replace(EXPECTED, publisher=None), ATTRIBUTION) == [
        (".attribution-publisher dd", 'shows "Test Publisher, 2 January 2020", which the '
                                      "front matter does not have")]


# -- check_page ------------------------------------------------------------------------------
def _context(files: set[str], base_url: str = ROOT,
             attributions: dict[str, Attribution] | None = None) -> Context:
    return Context("/nowhere", base_url, frozenset(files), attributions or {})


def test_check_page_reports_missing_targets_and_fragments() -> None:
    files = {"index.html", "a/index.html", "assets/site.css"}
    page = """<link rel="stylesheet" href="/assets/site.css"><link rel="icon" href="/fav.ico">
<main id="main"><a href="#main">ok</a><a href="#gone">x</a><a href="/a/">ok</a>
<a href="/a/#later">pending</a><a href="/b/">x</a><img src="/i.png">
<a href="https://example.com/">ext</a><a href="https://example.com/">ext</a>
<a href="mailto:x@example.org">mail</a></main>"""
    result = check_page("index.html", page, _context(files))
    assert result.findings == (
        Finding("index.html", '<link href="/fav.ico">', "no such file"),
        Finding("index.html", '<a href="#gone">', 'no element with id "gone" on this page'),
        Finding("index.html", '<a href="/b/">', "no such page"),
        Finding("index.html", '<img src="/i.png">', "no such file"),
    )
    assert result.links == 10
    assert result.external == {"https://example.com/": 2}
    assert result.ids == {"main"}
    assert [(path, fragment) for _, path, fragment in result.pending] == \
        [("a/index.html", "later")]


def test_check_page_reports_links_outside_the_sub_path() -> None:
    files = {"index.html", "x/index.html"}
    page = '<a href="/archive/x/">ok</a><a href="/x/">outside</a><a href="/archive">root</a>'
    result = check_page("index.html", page, _context(files, SUB))
    assert result.findings == (Finding("index.html", '<a href="/x/">',
                                       "outside the site's sub-path /archive/"),)


def test_check_page_compares_the_attribution_of_article_pages_only() -> None:
    context = _context({"a/index.html", "b/index.html"}, attributions={"a/index.html": EXPECTED})
    assert check_page("b/index.html", "<p>no aside</p>", context).findings == ()
    [finding] = check_page("a/index.html", "<p>no aside</p>", context).findings
    assert (finding.path, finding.element) == ("a/index.html", "aside.attribution")


def test_reference_and_finding_formats() -> None:
    assert Reference("a", "href", "/nope/").element == '<a href="/nope/">'
    finding = Finding("2017/09/x/index.html", '<a href="/nope/">', "no such page")
    assert finding.format("output") == \
        'output/2017/09/x/index.html: <a href="/nope/">: no such page'


# -- the site --------------------------------------------------------------------------------
def test_front_matter_only_parse_gives_the_same_route_and_attribution(tmp_path: Path) -> None:
    text = article_text("# Heading\n\nA long body with [a link](https://x.example/).",
                        title="Windows file", slug="custom-slug", date="2019-05-06",
                        source={"name": "Outlet", "url": "https://outlet.example/a",
                                "date": "2019-05-05"})
    path = tmp_path / "content/articles/a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    config = for_test(tmp_path)
    quick = read_front_matter(SourceFile(path, "article"), config).item
    full = read_source(SourceFile(path, "article"), config).item
    assert quick is not None and full is not None
    for name in ("title", "date", "slug", "source", "publisher", "copyright", "draft", "names"):
        assert getattr(quick, name) == getattr(full, name), name


def test_front_matter_problems_are_still_reported(tmp_path: Path) -> None:
    path = tmp_path / "content/articles/a.md"
    write_tree(tmp_path, {"content/articles/a.md": article_text(copyright=None)})
    parsed = read_front_matter(SourceFile(path, "article"), for_test(tmp_path))
    assert parsed.item is None and [p.key for p in parsed.problems] == ["copyright"]


def test_check_site_wants_a_page_for_every_published_article(tmp_path: Path) -> None:
    site_dir = write_tree(tmp_path / "site", {
        "content/articles/2020/01/one.md": article_text(title="One"),
        "content/articles/2020/01/two.md": article_text(title="Two", draft=True,
                                                        copyright=None),
    })
    site = load_site(load_config(site_dir), workers=1)
    assert {a.slug: a.draft for a in site.articles} == {"one": False, "two": True}
    output = write_tree(tmp_path / "out", {"index.html": "<p>nothing</p>"})
    report = check_site(output, site.config.base_url, site, workers=1)
    assert report.findings == (Finding("2020/01/one/index.html", "article page",
                                       "missing: no page for the published article "
                                       "content/articles/2020/01/one.md"),)
    assert (report.pages, report.articles) == (1, 0)


def test_check_site_checks_fragments_across_pages_in_parallel(tmp_path: Path) -> None:
    pages = {f"p{n}/index.html": f'<h2 id="h{n}">x</h2><a href="/p{n + 1}/#h{n + 1}">next</a>'
             for n in range(450)}
    output = write_tree(tmp_path / "out", pages)
    site = assemble(for_test(tmp_path), [], [])
    report = check_site(output, ROOT, site, workers=2)
    assert report.pages == 450 and report.links == 450
    assert report.findings == (Finding("p449/index.html", '<a href="/p450/#h450">',
                                       "no such page"),)
    (output / "p10/index.html").write_text('<h2 id="renamed">x</h2><a href="/p11/#h11">n</a>')
    report = check_site(output, ROOT, site, workers=2)
    assert {f.path: f.message for f in report.findings} == {
        "p9/index.html": 'no element with id "h10" on p10/index.html',
        "p449/index.html": "no such page"}


def test_resolve_tells_the_site_host_with_a_query_from_another_host() -> None:
    assert resolve("http://localhost:8000?q=1", "/", ROOT) == Target("internal", "index.html")
    assert resolve("http://localhost:8001/", "/", ROOT) == Target("external")
    assert resolve("HTTPS://EXAMPLE.ORG/archive/#top", "/archive/", SUB) == \
        Target("internal", "index.html", "top")
