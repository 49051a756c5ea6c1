"""`folio init` and the deploy it sets up: which folders it accepts, the draft example, the
pinned Folio in the site's requirements.txt, and the GitHub Pages workflow's shell steps run
in a fresh virtualenv against a wheel of this checkout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from packaging.requirements import Requirement

from generator.errors import FolioError
from generator.scaffold import (
    GitCheckout,
    Pin,
    folio_pin,
    git_checkout,
    init_site,
    public_git_url,
    requirements_text,
)
from tests.sitekit import REPO, article_text, page

EXAMPLE_TITLE = "An example article"
PAGES_URL = "https://user.github.io/repo"
PIN = Pin("folio-ssg==0.1.0")


def folio(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- which folders `folio init` accepts --------------------------------------------------


def test_init_accepts_a_fresh_clone_holding_only_dot_files(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    (clone / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (clone / ".github/workflows").mkdir(parents=True)
    (clone / ".github/workflows/other.yml").write_text("mine")
    result = folio("init", ".", cwd=clone)
    assert result.returncode == 0, result.stderr
    assert (clone / "folio.toml").is_file() and (clone / ".github/workflows/pages.yml").is_file()
    assert (clone / ".git/HEAD").read_text() == "ref: refs/heads/main\n"
    assert (clone / ".github/workflows/other.yml").read_text() == "mine"


def test_init_refuses_a_folder_with_a_visible_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "notes.txt").write_text("mine")
    before = tree(tmp_path)
    result = folio("init", str(tmp_path))
    assert result.returncode == 1
    assert "not empty (it holds notes.txt)" in result.stderr and "Traceback" not in result.stderr
    assert tree(tmp_path) == before


@pytest.mark.parametrize("existing", [".gitignore", ".github/workflows/pages.yml"])
def test_init_never_overwrites_a_file_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("mine")
    before = tree(tmp_path)
    result = folio("init", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{existing}: already exists" in result.stderr
    assert tree(tmp_path) == before


def test_init_refuses_a_file_where_it_needs_a_folder(tmp_path: Path) -> None:
    (tmp_path / ".github").write_text("mine")
    with pytest.raises(FolioError, match=r"\.github/workflows/pages\.yml: already exists"):
        init_site(tmp_path, title="T", pin=PIN)
    assert tree(tmp_path) == {".github": b"mine"}
    with pytest.raises(FolioError, match="is not a folder"):
        init_site(tmp_path / ".github", title="T", pin=PIN)


# --- the example article is a draft ----------------------------------------------------


def test_fresh_init_builds_and_checks_without_publishing_the_example(tmp_path: Path) -> None:
    site = tmp_path / "new-archive"
    assert folio("init", str(site), "--title", 'The "Quoted" Archive').returncode == 0
    example = next((site / "content/articles").rglob("*.md")).read_text()
    assert "draft: true" in example and "Replace it with your own" in example
    built = folio("build", str(site))
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr + built.stdout and "Built 0 articles" in built.stdout
    home = BeautifulSoup((site / "output/index.html").read_text(), "html.parser")
    assert home.select_one(".site-title").get_text() == 'The "Quoted" Archive'
    assert EXAMPLE_TITLE not in home.get_text()
    for path in (site / "output").rglob("*"):  # not in any list, feed, sitemap or page either
        if path.suffix in {".html", ".xml", ".json", ".txt"}:
            assert EXAMPLE_TITLE not in path.read_text(), path
    assert (site / "output/about/index.html").is_file()
    checked = folio("check", str(site))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    drafts = folio("build", str(site), "--drafts", "--output", str(tmp_path / "drafts"))
    assert drafts.returncode == 0, drafts.stderr
    home = page(tmp_path / "drafts", "/")
    link = next(a for a in home.select(".card-title a") if a.get_text() == EXAMPLE_TITLE)
    article = page(tmp_path / "drafts", link["href"])
    assert article.select_one(".attribution-copyright") is not None


# --- the pinned Folio: requirements.txt from how Folio was installed ------------------------


def distribution(tmp_path: Path, direct_url: dict | None):
    """A distribution of folio-ssg 0.1.0 as pip leaves it, with PEP 610's direct_url.json."""
    from importlib.metadata import PathDistribution

    info = tmp_path / "folio_ssg-0.1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: folio-ssg\nVersion: 0.1.0\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
    return PathDistribution(info)


def no_git(folder: Path) -> GitCheckout | None:
    """Git's answer for a folder that is not a checkout (only local folders are asked)."""
    if not str(folder).startswith("/src/"):
        raise AssertionError(f"git asked about {folder}, though the install was no folder")
    return None


COMMIT = "0123456789abcdef0123456789abcdef01234567"
CASES = {
    "index": (None, "folio-ssg==0.1.0"),
    "git": ({"url": "https://github.com/o/folio.git",
             "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"}},
            f"folio-ssg @ git+https://github.com/o/folio.git@{COMMIT}"),
    "git over ssh, in a subfolder": (
        {"url": "ssh://git@github.com/o/folio.git", "subdirectory": "py",
         "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
        f"folio-ssg @ git+https://github.com/o/folio.git@{COMMIT}#subdirectory=py"),
    "wheel on this disk": (
        {"url": "file:///tmp/w/folio_ssg-0.1.0-py3-none-any.whl", "archive_info": {}},
        "folio-ssg @ file:///tmp/w/folio_ssg-0.1.0-py3-none-any.whl"),
    "wheel on the web": (
        {"url": "https://example.org/folio_ssg-0.1.0-py3-none-any.whl", "archive_info": {}},
        "folio-ssg @ https://example.org/folio_ssg-0.1.0-py3-none-any.whl"),
    "local folder": ({"url": "file:///src/folio", "dir_info": {}},
                     "folio-ssg @ file:///src/folio"),
}


@pytest.mark.parametrize("case", CASES)
def test_pin_follows_how_folio_was_installed(tmp_path: Path, case: str) -> None:
    direct_url, expected = CASES[case]
    pin = folio_pin(distribution(tmp_path, direct_url), read_git=no_git)
    assert pin.requirement == expected
    local_only = any("works on this machine only" in note for note in pin.notes)
    assert local_only == expected.startswith("folio-ssg @ file:")
    text = requirements_text(pin)
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == [expected] and Requirement(lines[0]).name == "folio-ssg"


def test_pin_of_a_plain_install_from_a_checkout_is_its_commit(tmp_path: Path) -> None:
    plain = {"url": "file:///src/folio", "dir_info": {}}  # `pip install .` in a clone
    pin = folio_pin(distribution(tmp_path, plain), read_git=lambda folder: GitCheckout(
        "https://github.com/o/folio.git", COMMIT, ""))
    assert pin.requirement == f"folio-ssg @ git+https://github.com/o/folio.git@{COMMIT}"
    assert not any("works on this machine only" in note for note in pin.notes)


def test_pin_of_an_editable_checkout(tmp_path: Path) -> None:
    editable = {"url": "file:///src/folio", "dir_info": {"editable": True}}
    asked: list[Path] = []

    def published(folder: Path) -> GitCheckout | None:
        asked.append(folder)
        return GitCheckout("https://github.com/o/folio.git", COMMIT, "")

    pin = folio_pin(distribution(tmp_path, editable), read_git=published)
    assert asked == [Path("/src/folio")]
    assert pin.requirement == f"folio-ssg @ git+https://github.com/o/folio.git@{COMMIT}"
    assert not any("works on this machine only" in note for note in pin.notes)
    unpublished = folio_pin(distribution(tmp_path, editable), read_git=lambda folder: None)
    assert unpublished.requirement == "folio-ssg @ file:///src/folio"
    assert any("works on this machine only" in note for note in unpublished.notes)


def test_git_checkout_reads_origin_and_head_and_hides_credentials(tmp_path: Path) -> None:
    repo = tmp_path / "folio"
    (repo / "py").mkdir(parents=True)

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                              text=True).stdout.strip()

    git("init", "-q")
    (repo / "py/pyproject.toml").write_text("")
    git("add", ".")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "first")
    assert git_checkout(repo) is None  # no remote named origin
    git("remote", "add", "origin", "git@github.com:o/folio.git")
    head = git("rev-parse", "HEAD")
    assert git_checkout(repo / "py") == GitCheckout("https://github.com/o/folio.git", head, "py")
    assert git_checkout(tmp_path) is None  # not a git work tree
    assert public_git_url("https://me:token@github.com/o/f.git") == "https://github.com/o/f.git"
    assert public_git_url("https://git.example.org:8443/f.git") == "https://git.example.org:8443/f.git"


# --- the GitHub Pages workflow, run for real ---------------------------------------------


@pytest.fixture(scope="session")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a virtualenv without Folio, a wheel of this checkout): made once per test session.
    Building the wheel and installing its dependencies use pip's configured index."""
    root = tmp_path_factory.mktemp("deploy")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(root / "wheels"), str(REPO)], check=True, timeout=300)
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True, timeout=120)
    return root / "venv", next((root / "wheels").glob("folio_ssg-*.whl"))


def runner_env(venv: Path) -> dict[str, str]:
    """This environment with the venv's bin/ first on PATH (as setup-python's), and neither
    the test's own virtualenv nor its PYTHONPATH."""
    here = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != here)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    return env | {"PATH": f"{venv / 'bin'}{os.pathsep}{path}", "VIRTUAL_ENV": str(venv)}


def run_steps(workflow: dict, site: Path, venv: Path) -> dict[str, str]:
    """Run the build job's shell steps in the site as GitHub's runner does; returns each
    step's output by name."""
    env = runner_env(venv)
    assert shutil.which("folio", path=env["PATH"]) in {None, str(venv / "bin/folio")}
    outputs = {}
    for step in workflow["jobs"]["build"]["steps"]:
        if "run" not in step:
            continue
        script = step["run"].replace("${{ steps.pages.outputs.base_url }}", PAGES_URL)
        assert "${{" not in script, script
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                              cwd=site, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{step['name']}:\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, done.stderr
        outputs[step["name"]] = done.stdout
    return outputs


def cache_step(workflow: dict) -> dict:
    step = next(s for s in workflow["jobs"]["build"]["steps"]
                if s.get("uses", "").startswith("actions/cache@"))
    assert step["uses"] == "actions/cache@v4"
    return step["with"]


def test_pages_workflow_installs_the_pinned_folio_and_builds_incrementally(
        tmp_path: Path, fresh_venv: tuple[Path, Path]) -> None:
    venv, wheel = fresh_venv
    site = tmp_path / "checkout"
    init_site(site, title="Archive", pin=PIN)
    requirements = site / "requirements.txt"  # pointed elsewhere, as the README says
    requirements.write_text(requirements.read_text().replace("folio-ssg==0.1.0",
                                                             f"folio-ssg @ {wheel.as_uri()}"))
    (site / "content/articles/2020/01/one.md").parent.mkdir(parents=True)
    (site / "content/articles/2020/01/one.md").write_text(article_text(title="One"))
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text())
    cache = cache_step(workflow)
    cached = cache["path"].split()
    assert cached == [".folio-cache", "output"]
    prefix = "folio-cache-${{ runner.os }}-${{ hashFiles('requirements.txt') }}-"
    assert cache["key"] == prefix + "${{ github.sha }}"
    assert cache["restore-keys"].strip() == prefix
    steps = [s.get("name") or s["uses"] for s in workflow["jobs"]["build"]["steps"]]
    assert steps.index("Install Folio") < steps.index("Build") < steps.index("Check")
    assert steps.index("Restore Folio's build cache") < steps.index("Build")
    assert steps[-1].startswith("actions/upload-pages-artifact@")
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert workflow["permissions"]["pages"] == "write"

    cold = run_steps(workflow, site, venv)  # the first deploy: nothing to restore
    where = subprocess.run(["python", "-c", "import generator; print(generator.__file__)"],
                           cwd=site, env=runner_env(venv), capture_output=True, text=True)
    assert where.stdout.startswith(str(venv)), where.stdout
    assert "Built 1 articles" in cold["Build"] and " 0 unchanged" in cold["Build"]
    home = BeautifulSoup((site / "output/index.html").read_text(), "html.parser")
    links = [a["href"] for a in home.select("a[href]") if a["href"].startswith("/")]
    assert links and all(link.startswith("/repo/") for link in links)
    assert home.select_one(".card-title a")["href"] == "/repo/2020/01/one/"

    # The next push: a new checkout at the same place (new mtimes), the cache restored (with
    # its mtimes, as tar keeps them), one article's body edited.
    previous = site.rename(tmp_path / "previous-run")
    shutil.copytree(previous, site, copy_function=shutil.copy,
                    ignore=shutil.ignore_patterns(*cached))
    for name in cached:
        shutil.copytree(previous / name, site / name)
    edited = site / "content/articles/2020/01/one.md"
    edited.write_text(edited.read_text().replace("Body text.", "An edited body."))
    warm = run_steps(workflow, site, venv)["Build"]
    pages, read, rendered = map(int, re.search(r"(\d+) pages \((\d+) files? read, (\d+) pages "
                                               r"rendered\)", warm).groups())
    assert read == 1 and rendered < pages, warm  # the other pages came from the cache
    assert "An edited body." in page(site / "output", "/2020/01/one/").get_text()
