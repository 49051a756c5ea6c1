"""`folio init`: a new archive with a config, one example article and a place for overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.errors import FolioError

CONFIG = '''\
# Folio site configuration. Every key is optional; see the README for all of them.
title = "{title}"
description = "A curated archive of republished articles."
base_url = "http://localhost:8000/"   # where the site will live, e.g. "https://example.org/archive/"
theme = "default"
language = "en"
per_page = 10

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

This is an example article. Every article keeps its **original source** and its
**copyright line** in the front matter; Folio will not publish one without them.

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
# carries the right sub-path.
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
        run: pip install folio-ssg
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
"""

OVERRIDES = '''\
Put a template here with the same name as one of the theme's (for example `article.html`)
to override just that template. See the README, "Themes and overrides".
'''


def init_site(target: Path, *, title: str) -> list[Path]:
    """Create the skeleton of a new archive; refuses a folder that already has files."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FolioError(f"{target}: folder exists and is not empty; choose a new folder")
    today = dt.date.today()
    title_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    files = {
        "folio.toml": CONFIG.format(title=title.replace("\\", "\\\\").replace('"', '\\"')),
        f"content/articles/{today:%Y/%m}/an-example-article.md": ARTICLE.format(
            date=today.isoformat(), year=today.year, title_yaml=title_yaml),
        "content/pages/about.md": ABOUT,
        "templates/README.md": OVERRIDES,
        "static/.gitkeep": "",
        ".gitignore": "/output/\n/.folio-cache/\n",
        ".github/workflows/pages.yml": PAGES_WORKFLOW,
    }
    created = []
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return created
