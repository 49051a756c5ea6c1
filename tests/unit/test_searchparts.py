"""searchparts.py: which part each page goes to, and what a build must index again."""

from __future__ import annotations

from dataclasses import replace

from generator.searchparts import (
    IndexedPage,
    IndexPlan,
    SearchPage,
    SearchState,
    after_index,
    known_pages,
    part_cap,
    plan_index,
    refreshed,
    search_jobs,
)


def pages(count: int, stamp: str = "1", start: int = 0) -> list[SearchPage]:
    """`count` article pages, one a day from 2001-01-01 on."""
    return [SearchPage(f"a{n:05d}/index.html", f"2001-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}"
                       f"#{n:05d}", stamp) for n in range(start, start + count)]


def carry_out(state: SearchState | None, plan: IndexPlan) -> SearchState:
    """The state after indexing `plan` (ids made up from the paths)."""
    def indexed(paths: tuple[str, ...]) -> dict[str, IndexedPage]:
        return {p: IndexedPage(plan.stamps[p], f"id-{p}", {"region": ("X",)}, plan.files[p])
                for p in paths}
    return after_index(state, plan, {name: indexed(paths) for name, _, paths in plan.parts},
                       indexed(plan.delta))


def built(now: list[SearchPage], **options: int) -> SearchState:
    return carry_out(None, plan_index(None, now, **options))


def edit(now: list[SearchPage], *numbers: int, stamp: str = "2") -> list[SearchPage]:
    return [SearchPage(p.path, p.key, stamp) if i in numbers else p for i, p in enumerate(now)]


def test_a_first_index_splits_the_pages_in_date_order_into_parts_under_the_cap() -> None:
    now = list(reversed(pages(25)))
    plan = plan_index(None, now, part_size=10)
    assert plan.reason == "no index yet: 25 pages in 3 parts"
    assert not plan.delta and not plan.keep
    assert len(plan.parts) == 3 and all(len(paths) <= 10 for _, _, paths in plan.parts)
    flat = [path for _, _, paths in plan.parts for path in paths]
    assert flat == [p.path for p in sorted(now, key=lambda p: p.key)]
    lows = [low for _, low, _ in plan.parts]
    assert lows[0] == "" and lows == sorted(lows)
    assert len({name for name, _, _ in plan.parts}) == 3


def test_unchanged_pages_need_no_indexing() -> None:
    now = pages(25)
    state = built(now, part_size=10)
    plan = plan_index(state, now, part_size=10)
    assert plan.nothing and not plan.parts and not plan.delta


def test_an_edited_page_goes_to_the_delta_and_its_part_is_kept() -> None:
    now = pages(25)
    state = built(now, part_size=10)
    edited = edit(now, 12)
    plan = plan_index(state, edited, part_size=10)
    assert plan.delta == (now[12].path,) and not plan.parts
    assert plan.keep == tuple(part.name for part in state.parts)
    owner = next(part.name for part in state.parts if now[12].path in part.pages)
    assert plan.superseded == {owner: (now[12].path,)}
    after = carry_out(state, plan)
    assert plan_index(after, edited, part_size=10).nothing  # the delta is current now
    assert plan_index(after, edit(edited, 12, stamp="3"), part_size=10).delta == (now[12].path,)


def test_a_deleted_page_is_superseded_and_a_new_one_goes_to_the_delta() -> None:
    now = pages(25)
    state = built(now, part_size=10)
    newer = pages(1, start=400)  # dated after every other page
    plan = plan_index(state, now[1:] + newer, part_size=10)
    assert plan.delta == (newer[0].path,)
    assert plan.superseded == {state.parts[0].name: (now[0].path,)}
    assert not plan.parts
    after = carry_out(state, plan)
    later = plan_index(after, now[2:] + newer, part_size=10)  # the delta as it was
    assert not later.nothing and later.superseded == {
        state.parts[0].name: (now[0].path, now[1].path)}


def test_a_full_delta_is_compacted_into_the_parts_it_came_from_only() -> None:
    now = pages(30)
    state = built(now, part_size=10)
    edited = edit(now, 1, 2, 3)  # all three in the first part
    plan = plan_index(state, edited, part_size=10, delta_size=2)
    assert plan.reason.startswith("compaction") and not plan.delta
    assert [name for name, _, _ in plan.parts] == [state.parts[0].name]
    assert plan.keep == tuple(part.name for part in state.parts[1:])
    after = carry_out(state, plan)
    assert [part.name for part in after.parts] == [part.name for part in state.parts]
    assert plan_index(after, edited, part_size=10, delta_size=2).nothing


def test_an_overfull_part_is_split_under_new_names() -> None:
    now = pages(20)
    state = built(now, part_size=10)
    last = state.parts[-1]
    grown = now + pages(5, start=300)  # newer than everything: the last part's range
    plan = plan_index(state, grown, part_size=10)
    assert plan.reason.startswith("compaction")
    names = [name for name, _, _ in plan.parts]
    assert last.name not in names and len(names) == 2
    assert all(len(paths) <= 10 for _, _, paths in plan.parts)
    after = carry_out(state, plan)
    used = {part.name for part in state.parts} | set(names)
    assert len(used) == len(state.parts) + 2  # a name is never used twice
    assert plan_index(after, grown, part_size=10).nothing
    assert sum(len(part.pages) for part in after.parts) == 25


def test_a_missing_bundle_file_means_indexing_everything_again() -> None:
    now = pages(12)
    state = built(now, part_size=10)
    plan = plan_index(state, now, part_size=10, bundles_intact=False)
    assert sum(len(paths) for _, _, paths in plan.parts) == 12 and not plan.keep
    assert not {name for name, _, _ in plan.parts} & {part.name for part in state.parts}


def test_no_pages_no_parts() -> None:
    plan = plan_index(None, [], part_size=10)
    assert plan.parts == () and plan.delta == ()


def test_the_automatic_part_size_keeps_about_twenty_parts_of_at_least_2000_pages() -> None:
    assert part_cap(500, 0) == 2000
    assert part_cap(10_000, 0) == 2000
    assert part_cap(100_000, 0) == 5000
    assert part_cap(100_000, 300) == 300


def test_two_pagefind_runs_at_once_only_for_small_parts() -> None:
    small = plan_index(None, pages(30), part_size=10)
    big = replace(small, parts=tuple((name, low, paths * 300)  # 3,000 pages a part
                                     for name, low, paths in small.parts))
    assert search_jobs(small, 2) == 2 and search_jobs(small, 1) == 1
    assert search_jobs(big, 2) == 1


def test_a_page_rewritten_to_the_same_text_keeps_its_stamp_under_its_new_file() -> None:
    now = [SearchPage(p.path, p.key, p.stamp, "10:1") for p in pages(12)]
    state = built(now, part_size=10)
    same = plan_index(state, now, part_size=10)
    assert refreshed(state, same) is state  # nothing to note
    rewritten = [SearchPage(p.path, p.key, p.stamp, "10:2") for p in now]
    plan = plan_index(state, rewritten, part_size=10)
    assert plan.nothing
    after = refreshed(state, plan)
    assert {page.file for page in known_pages(after).values()} == {"10:2"}
    assert refreshed(after, plan) is after
