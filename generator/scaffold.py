"""`folio init`: a new archive with a config, a draft example article, a place for overrides,
and a GitHub Pages workflow that installs the very Folio that wrote it (see `folio_pin`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from urllib.request import url2pathname

from generator.errors import FolioError, Problem, fault_hint

DISTRIBUTION = "folio-ssg"
REQUIREMENTS = "requirements.txt"  # what the workflow installs; other hosts read it too

CONFIG = '''\
# Folio site configuration. Every key is optional; see the README for all of them.
title = "{title}"
description = "A curated archive of republished articles."
base_url = "http://localhost:8000/"   # where the site will live, e.g. "https://example.org/archive/"
theme = "default"
language = "en"
per_page = 10
timezone = "UTC"                      # of dates written without one (an IANA name: "Europe/Paris")
# image = "images/cover.jpg"          # pages' default image for social cards (a file in static/)
# logo = "images/logo.png"            # the site's logo, for search engines' structured data

# The taxonomies articles are grouped by (front matter key = list of names).
[taxonomies.regions]
title = "Regions"
singular = "Region"

[taxonomies.themes]
title = "Themes"
singular = "Theme"

[taxonomies.authors]
title = "Authors"
singular = "Author"

[taxonomies.reports]
title = "In-depth reports"
singular = "In-depth report"
'''

ARTICLE = '''\
---
title: "An example article"
date: {date}
draft: true   # an example: never published. Replace it with your own articles, or delete it.
authors: [Jane Example]
regions: [Europe]
themes: [Global Economy]
reports: []
publisher: {title_yaml}
source:
  name: The Example Gazette
  url: null
  date: {date}
copyright: "The Example Gazette, {year}"
summary: "Replace this article with your own; keep the source and copyright."
---

This is an example article, made up by `folio init`, and a **draft**: `folio build` leaves it
out; `folio serve --drafts` or `folio build --drafts` show it. Replace it with your own
articles, or delete it.

Every article keeps its **original source** and its **copyright line** in the front matter;
Folio will not publish one without them.

Import collected articles with `folio import`, or write Markdown files like this one under
`content/articles/YYYY/MM/`.
'''

ABOUT = '''\
---
title: About
menu: 1
---

What this archive collects, and why.
'''

PAGES_WORKFLOW = """\
# Build the archive with Folio and publish it on GitHub Pages.
# Settings > Pages > Source: "GitHub Actions". The site is built for the Pages address
# (https://USER.github.io/REPO/ for a project site, or your custom domain), so every link
# carries the right sub-path. Folio is installed from REQUIREMENTS (the Folio that ran
# `folio init`; edit that file to use another). Folio's build cache and the last output are
# kept between runs, so a deploy after an edit rebuilds only what changed.
name: Publish the archive
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install Folio
        run: pip install -r REQUIREMENTS
      - name: Restore Folio's build cache
        uses: actions/cache@v4
        with:
          path: |
            .folio-cache
            output
          key: folio-cache-${{ runner.os }}-${{ hashFiles('REQUIREMENTS') }}-${{ github.sha }}
          restore-keys: |
            folio-cache-${{ runner.os }}-${{ hashFiles('REQUIREMENTS') }}-
      - id: pages
        uses: actions/configure-pages@v5
      - name: Build
        run: folio build . --base-url "${{ steps.pages.outputs.base_url }}/"
      - name: Check
        run: folio check . --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: output
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
""".replace("REQUIREMENTS", REQUIREMENTS)

OVERRIDES = '''\
Put a template here with the same name as one of the theme's (for example `article.html`)
to override just that template. See the README, "Themes and overrides".
'''

LOCAL_ONLY = (
    "This file URL works on this machine only: GitHub's runner cannot install from it.",
    "Before deploying, point the line below at a source the runner can reach, e.g.",
    f"  {DISTRIBUTION} @ git+https://github.com/OWNER/REPO.git@COMMIT   (Folio's repository)",
    f"  {DISTRIBUTION} @ https://example.org/folio_ssg-VERSION-py3-none-any.whl",
)


@dataclass(frozen=True, slots=True)
class Pin:
    """The requirement that installs this Folio elsewhere, and comments on where it came from."""

    requirement: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GitCheckout:
    """What a git work tree says about itself: where it is published, and its commit."""

    origin: str
    commit: str
    subdirectory: str  # the folder's path inside the repository; "" at its top


GitReader = Callable[[Path], GitCheckout | None]


def init_site(target: Path, *, title: str, pin: Pin | None = None) -> list[Path]:
    """Create the skeleton of a new archive in an empty folder (dot-files such as `.git`
    allowed); refuses, before writing anything, to overwrite any file."""
    files = site_files(title, dt.date.today(), pin or folio_pin(installed_folio()))
    refusal = init_refusal(target, files)
    if refusal:
        raise FolioError(refusal)
    created: list[Path] = []
    folders = [folder for relative in files for folder in (target / relative).parents
               if not folder.exists()]  # made here: removed again if writing fails
    for relative, text in files.items():
        path = target / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as file:  # "x": never replace a file
                created.append(path)
                file.write(text)
        except OSError as exc:
            for done in created:
                done.unlink(missing_ok=True)
            for folder in sorted(set(folders), key=lambda f: len(f.parts), reverse=True):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # (a retry then finds the folder as it was)
            raise FolioError(Problem(f"cannot write: {exc.strerror or exc}", path=path,
                                     hint=fault_hint(exc.errno))) from None
    return created


def site_files(title: str, today: dt.date, pin: Pin) -> dict[str, str]:
    """Every file of a new site by its path in the site folder."""
    title_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return {
        "folio.toml": CONFIG.format(title=title.replace("\\", "\\\\").replace('"', '\\"')),
        f"content/articles/{today:%Y/%m}/an-example-article.md": ARTICLE.format(
            date=today.isoformat(), year=today.year, title_yaml=title_yaml),
        "content/pages/about.md": ABOUT,
        "templates/README.md": OVERRIDES,
        "static/.gitkeep": "",
        REQUIREMENTS: requirements_text(pin),
        ".gitignore": "/output/\n/.folio-cache/\n",
        ".github/workflows/pages.yml": PAGES_WORKFLOW,
    }


def init_refusal(target: Path, files: dict[str, str]) -> list[Problem]:
    """Why `folio init` may not write `files` into `target` (empty when it may)."""
    if target.exists() and not target.is_dir():
        return [Problem("exists and is not a folder; choose a new folder", path=target)]
    try:
        visible = sorted(p.name for p in target.iterdir() if not p.name.startswith(".")) \
            if target.is_dir() else []
    except OSError as exc:
        return [Problem(f"cannot read the folder: {exc.strerror or exc}", path=target)]
    if visible:
        shown = ", ".join(visible[:3]) + (", …" if len(visible) > 3 else "")
        return [Problem(f"folder is not empty (it holds {shown})", path=target,
                        hint="choose a new or empty folder; one with only dot-files such as "
                             ".git is fine")]
    return [Problem("already exists, and folio init never overwrites a file", path=target / name,
                    hint="move it aside, run folio init again, then merge your version back")
            for name in files if _taken(target, Path(name))]


def _taken(target: Path, relative: Path) -> bool:
    """Whether writing `relative` would replace something, or go through a link or a file."""
    path = target / relative
    folders = [target / parent for parent in relative.parents if parent != Path()]
    return os.path.lexists(path) or any(
        folder.is_symlink() or (folder.exists() and not folder.is_dir()) for folder in folders)


def requirements_text(pin: Pin) -> str:
    """The site's requirement file: the pinned Folio, with where it came from."""
    lines = [f"# The Folio this site is built with (.github/workflows/pages.yml runs "
             f"`pip install -r {REQUIREMENTS}`).",
             "# Written by `folio init`; replace the folio-ssg line to build with another Folio.",
             *(f"# {note}" if note else "#" for note in pin.notes), pin.requirement]
    return "\n".join(lines) + "\n"


def installed_folio() -> metadata.Distribution | None:
    """The installed distribution of Folio, or None when it runs from a source tree."""
    try:
        return metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def folio_pin(dist: metadata.Distribution | None, read_git: GitReader | None = None) -> Pin:
    """How to install this Folio elsewhere, from how `dist` was installed (PEP 610's
    `direct_url.json`); without a distribution, the source tree Folio runs from."""
    read_git = read_git or git_checkout
    if dist is None:
        source = Path(__file__).resolve().parent.parent
        direct: dict | None = {"url": source.as_uri(), "dir_info": {"editable": True}}
        version = ""
    else:
        direct, version = _direct_url(dist), dist.version
    return pin_from_direct_url(version, direct, read_git)


def _direct_url(dist: metadata.Distribution) -> dict | None:
    try:
        direct = json.loads(dist.read_text("direct_url.json") or "null")
    except ValueError:
        return None
    return direct if isinstance(direct, dict) else None


def pin_from_direct_url(version: str, direct: dict | None, read_git: GitReader) -> Pin:
    """The pin for one install: from an index, a VCS, an archive, or a local folder."""
    if not direct or not isinstance(direct.get("url"), str):
        return Pin(f"{DISTRIBUTION}=={version}", (
            "Installed from a package index. If the index your CI uses has no "
            f"{DISTRIBUTION}, point this line at Folio's git repository instead "
            f"({DISTRIBUTION} @ git+https://…@COMMIT).",))
    url, vcs = direct["url"], direct.get("vcs_info")
    subdirectory = direct.get("subdirectory", "")
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        url = public_git_url(url)
        return _url_pin(f"{vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}", subdirectory,
                        f"Installed from {url} at commit {vcs['commit_id']}.")
    dir_info = direct.get("dir_info")
    if isinstance(dir_info, dict) and url.startswith("file:"):  # a local folder
        folder = Path(url2pathname(urlsplit(url).path))
        how = " (editable install)" if dir_info.get("editable") else ""
        checkout = read_git(folder)
        if checkout:
            return _url_pin(f"git+{checkout.origin}@{checkout.commit}", checkout.subdirectory,
                            f"The commit checked out in {folder}{how} when folio init ran; "
                            "it must be pushed to origin.")
        return _url_pin(url, subdirectory, f"Installed from the folder {folder}{how}, not a "
                                           "git checkout with a remote named origin.")
    return _url_pin(url, subdirectory, f"Installed from {url}.")


def _url_pin(url: str, subdirectory: str, origin_note: str) -> Pin:
    fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
    local = urlsplit(url).scheme.endswith("file")  # file:, git+file:
    notes = (origin_note, *LOCAL_ONLY) if local else (origin_note,)
    return Pin(f"{DISTRIBUTION} @ {url}{fragment}", notes)


def git_checkout(folder: Path) -> GitCheckout | None:
    """The remote `origin` and HEAD commit of the git work tree at `folder`, if it has both."""
    try:
        origin = _git(folder, "remote", "get-url", "origin")
        head = _git(folder, "rev-parse", "HEAD", "--show-prefix") + "\n"
    except (OSError, subprocess.SubprocessError):
        return None
    commit, prefix = head.split("\n")[:2]
    if "://" not in origin and (origin.startswith((".", "/")) or (folder / origin).is_dir()):
        origin = (folder / origin).resolve().as_uri()  # a clone of a repository on this disk
    return GitCheckout(public_git_url(origin), commit, prefix.strip("/"))


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          check=True, timeout=10).stdout.strip()


def public_git_url(url: str) -> str:
    """`url` as a CI runner can fetch it: SSH (`git@host:path`, `ssh://`) as https, which needs
    no key, and never with a password or token (the site's requirement file gets committed)."""
    if "://" not in url and ":" in url and not url.startswith("/"):  # scp-style git@host:path
        host, _, path = url.partition(":")
        url = f"ssh://{host}/{path.lstrip('/')}"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ssh"}:
        return url
    scheme = "https" if parts.scheme == "ssh" else parts.scheme
    port = f":{parts.port}" if parts.port and scheme == parts.scheme else ""
    return urlunsplit(parts._replace(scheme=scheme, netloc=f"{parts.hostname or ''}{port}"))
