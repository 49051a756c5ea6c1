"""A batch of inputs: read them all, decide what happens to each, then write.

Every input gets one `Outcome`. Nothing is written until every input has been read and
every output checked, so two inputs that are one article, or that claim one path, are all
reported and none is written. An article already in the archive is found by its identity
(`identity.py`, indexed once per batch by `archive.py`), wherever its file is and whatever
its title has become, and that file is the one considered. An existing file is replaced
only with `force`, and only when the importer wrote it and nobody has edited it since (see
`writer.is_untouched`).
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path, PurePosixPath

from generator import parallel
from generator.config import SiteConfig
from generator.importer.archive import Archive, load_archive
from generator.importer.convert import convert
from generator.importer.identity import Identity, identity_of, same_article
from generator.importer.readers import suffixes
from generator.importer.record import ArticleImportError, ImportedArticle
from generator.importer.writer import is_untouched, recorded_origin, relative_path, render

#: Statuses, in the order a summary lists them; the last three fail the batch.
STATUSES = ("imported", "updated", "unchanged", "skipped", "collision", "conflict", "failed")
FAILURES = frozenset({"collision", "conflict", "failed"})


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one input. `output` is relative to the site folder."""

    input: Path
    status: str
    output: PurePosixPath | None = None
    article: ImportedArticle | None = None
    message: str = ""  # why it was skipped or failed
    category: str | None = None  # for failures: empty, not-text, not-an-article, truncated, …
    text: str = ""  # the file to write (imported / updated)
    identity: Identity | None = None  # what makes the input's article the same one later
    known_as: str = ""  # why the existing file at `output` holds this article (if it does)

    @property
    def failed(self) -> bool:
        return self.status in FAILURES

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.article.warnings if self.article is not None else ()

    @property
    def draft(self) -> bool:
        return self.article is not None and self.article.draft


@dataclass(frozen=True, slots=True)
class BatchReport:
    outcomes: tuple[Outcome, ...]
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def warning_count(self) -> int:
        return sum(len(outcome.warnings) for outcome in self.outcomes)

    @property
    def failed(self) -> bool:
        return any(outcome.failed for outcome in self.outcomes)


def run_batch(paths: Sequence[Path], config: SiteConfig, *, force: bool = False,
              dry_run: bool = False, workers: int | None = None) -> BatchReport:
    """Import every input under `paths` into the site; the table of contents of `folio import`.
    The inputs are read in `workers` processes (default: all CPUs)."""
    inputs, missing = find_inputs(paths, config)
    outcomes = [*missing, *read_inputs(inputs, workers)]
    decided = decide(outcomes, config, force=force)
    if not dry_run:
        write(decided, config.root)
    return BatchReport(tuple(decided), dry_run=dry_run)


def find_inputs(paths: Sequence[Path], config: SiteConfig) -> tuple[list[Path], list[Outcome]]:
    """Files given, and the readable files in folders given (recursively, in name order);
    the site's own content and output folders are never inputs."""
    wanted = suffixes()
    excluded = [config.content_path.resolve(), config.output_path.resolve()]
    found: list[Path] = []
    missing: list[Outcome] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += [p for p in sorted(path.rglob("*"))
                      if p.is_file() and p.suffix.lower() in wanted
                      and not _hidden(p.relative_to(path))
                      and not any(p.resolve().is_relative_to(x) for x in excluded)]
        else:
            missing.append(Outcome(path, "failed", category="missing",
                                   message="no such file or folder"))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values()), missing


def _hidden(relative: PurePosixPath | Path) -> bool:
    """Hidden, editor and backup files, and the `Page_files/` folder a browser's "Save page
    as… complete" writes beside a page (its frames and scripts are not articles)."""
    name = relative.name
    return (any(part.startswith((".", "_")) for part in relative.parts)
            or any(part.endswith("_files") for part in relative.parts[:-1])
            or name.startswith("#") or name.endswith("~"))


READ_CHUNK = 8  # inputs a process reads per task: few enough to spread a small batch


def read_inputs(paths: Sequence[Path], workers: int | None = None) -> list[Outcome]:
    """Every input read and converted, in order; in parallel when there are several."""
    count = parallel.default_workers() if workers is None else max(1, workers)
    chunks = parallel.chunks(paths, READ_CHUNK)
    with parallel.few_collections():
        return [outcome for chunk in parallel.run(_read_chunk, None, chunks, count)
                for outcome in chunk]


def _read_chunk(_: None, paths: Sequence[Path]) -> list[Outcome]:
    return [read_input(path) for path in paths]


def read_input(path: Path) -> Outcome:
    """Read and convert one input; failures become outcomes, never exceptions."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Outcome(path, "failed", category="unreadable",
                       message=f"cannot be read: {exc.strerror}")
    try:
        article = convert(data, path)
    except ArticleImportError as exc:
        hint = exc.problems[0].hint
        return Outcome(path, "failed", category=exc.category,
                       message=exc.reason + (f" ({hint})" if hint else ""))
    except Exception as exc:  # untrusted input: whatever a reader (or a
        # library under it) trips on fails this input, and the batch goes on
        return Outcome(path, "failed", category="unreadable-page",
                       message=f"the reader could not make sense of it ({type(exc).__name__}); "
                               "collect the page again, or report it as a bug")
    assert article.origin is not None  # convert always records it
    return Outcome(path, "imported", article=article, text=render(article),
                   identity=identity_of(article, article.origin.digest))


def decide(outcomes: Iterable[Outcome], config: SiteConfig, *, force: bool,
           archive: Archive | None = None) -> list[Outcome]:
    """Give every readable input its output path and final status: one input per article,
    the article's existing file (found by identity in `archive`, else by path), one input
    per path, then what the existing file allows."""
    if archive is None:
        archive = load_archive(config.root, config.content_dir)
    content = PurePosixPath(Path(config.content_dir).as_posix())
    result = _one_input_per_article(list(outcomes))
    result = [_place(outcome, archive, content) for outcome in result]
    result = _one_input_per_path(result)
    return [_against_existing(o, config.root / o.output, force)
            if o.status == "imported" and o.output is not None else o for o in result]


def _one_input_per_article(outcomes: list[Outcome]) -> list[Outcome]:
    """Inputs that are one article: the same bytes are imported once; different versions
    all collide (which one is the article is for the curator to say)."""
    result = list(outcomes)
    for members, reason in _same_article_groups(outcomes):
        first, *rest = members
        if len({_digest(outcomes[i]) for i in members}) == 1:
            for i in rest:
                result[i] = replace(outcomes[i], status="skipped", text="",
                                    message=f"same content as {outcomes[first].input}")
            continue
        for i in members:
            others = ", ".join(str(outcomes[j].input) for j in members if j != i)
            result[i] = replace(outcomes[i], status="collision", category="collision", text="",
                                message=f"{others} holds the same article ({reason}) with "
                                "other content: import one of them")
    return result


def _same_article_groups(outcomes: Sequence[Outcome]) -> list[tuple[list[int], str]]:
    """Groups of two or more inputs that are one article (in input order), each with why;
    only inputs that share an index key are compared."""
    parent = list(range(len(outcomes)))
    why: dict[int, str] = {}

    def top(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, outcome in enumerate(outcomes):
        if outcome.status == "imported" and outcome.identity is not None:
            for key in outcome.identity.index_keys():
                buckets[key].append(index)
    for members in buckets.values():
        for one, other in combinations(members, 2):
            if top(one) == top(other):
                continue
            identities = (outcomes[one].identity, outcomes[other].identity)
            assert identities[0] is not None and identities[1] is not None
            if reason := same_article(*identities):
                why.setdefault(top(one), reason)
                parent[top(other)] = top(one)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(outcomes)):
        groups[top(index)].append(index)
    return [(members, why.get(root, "the same article")) for root, members in groups.items()
            if len(members) > 1]


def _place(outcome: Outcome, archive: Archive, content: PurePosixPath) -> Outcome:
    """Where an input's article goes: the file that already holds it (wherever a curator
    put it, with its slug, so its URL stays), else articles/YYYY/MM/<slug>.md."""
    if outcome.status != "imported" or outcome.article is None or outcome.identity is None:
        return outcome
    found = archive.find(outcome.identity)
    if len(found) > 1:
        paths = ", ".join(str(entry.path) for entry, _ in found)
        return replace(outcome, status="collision", category="collision", text="",
                       message=f"the archive holds this article in {len(found)} files "
                       f"({paths}): keep one, then import it again")
    computed = content / relative_path(outcome.article)
    if not found:
        return replace(outcome, output=computed)
    existing, reason = found[0]
    article = replace(outcome.article, slug=existing.slug)
    note = f"its file, recognised by {reason}" if existing.path != computed else ""
    return replace(outcome, article=article, text=render(article), output=existing.path,
                   known_as=reason, message=note)


def _one_input_per_path(outcomes: list[Outcome]) -> list[Outcome]:
    """Two different articles that would be written to one path both collide."""
    claims: dict[PurePosixPath, list[int]] = defaultdict(list)
    for index, outcome in enumerate(outcomes):
        if outcome.status == "imported" and outcome.output is not None:
            claims[outcome.output].append(index)
    result = list(outcomes)
    for output, indexes in claims.items():
        if len(indexes) < 2:
            continue
        for i in indexes:
            others = ", ".join(str(outcomes[j].input) for j in indexes if j != i)
            result[i] = replace(outcomes[i], status="collision", category="collision", text="",
                                message=f"{output} would also be written by {others} (same "
                                "title and month): give one a `slug:` by hand, or import "
                                "them one at a time")
    return result


def _digest(outcome: Outcome) -> str:
    assert outcome.article is not None and outcome.article.origin is not None
    return outcome.article.origin.digest


def _against_existing(outcome: Outcome, target: Path, force: bool) -> Outcome:
    """The status of an input whose output file may already exist."""
    try:
        existing = target.read_bytes()
    except FileNotFoundError:
        return outcome
    except OSError as exc:
        return replace(outcome, status="failed", category="unwritable", text="",
                       message=f"{outcome.output} cannot be read: {exc.strerror}")
    if existing == outcome.text.encode("utf-8"):
        return replace(outcome, status="unchanged", text="")
    try:
        existing_text = existing.decode("utf-8")
    except UnicodeDecodeError:
        existing_text = ""
    origin = recorded_origin(existing_text)
    ours = outcome.article.origin if outcome.article is not None else None
    if origin is not None and ours is not None and origin.file != ours.file \
            and origin.digest == ours.digest:
        return replace(outcome, status="unchanged", text="",
                       message=f"already imported from {origin.file}")
    if origin is not None and ours is not None and not outcome.known_as:
        # the file was imported, but not recognised as this article (by its input, address,
        # or byline and text): another article with the same title and month, even when its
        # input had the same file name (every page of a mirror is index.html)
        return replace(outcome, status="collision", category="collision", text="",
                       message=f"{outcome.output} already holds another article imported from "
                       f"{origin.file} (same title and month): give one a `slug:` by hand")
    return _replace_or_keep(outcome, existing_text, origin is not None, force)


def _replace_or_keep(outcome: Outcome, existing_text: str, imported: bool,
                     force: bool) -> Outcome:
    """An existing file of this article that differs: replaced only with --force, and only
    when nobody has edited it since the importer wrote it."""
    untouched = imported and is_untouched(existing_text)
    known = f" ({outcome.message})" if outcome.message else ""
    if not force:
        why = ("the importer's output for this input has changed" if untouched else
               "it was edited since it was imported" if imported else
               "it was not written by the importer")
        return replace(outcome, status="skipped", text="",
                       message=f"{outcome.output} exists and differs ({why}){known}; "
                       + ("use --force to replace it" if untouched else "it is kept"))
    if not untouched:
        why = ("it was edited since it was imported" if imported
               else "it was not written by the importer")
        return replace(outcome, status="conflict", category="edited", text="",
                       message=f"{outcome.output} exists and {why}{known}: --force never "
                       "overwrites a curator's edits; move the file away to import it again, "
                       "then carry your edits over")
    return replace(outcome, status="updated")


def write(outcomes: Iterable[Outcome], root: Path) -> None:
    """Write the files of imported and updated inputs, each atomically."""
    for outcome in outcomes:
        if outcome.status in ("imported", "updated") and outcome.output is not None:
            write_atomic(root / outcome.output, outcome.text)


def write_atomic(target: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except OSError as exc:  # a full disk, a read-only folder: name the file it was for
        Path(temporary).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
