"""Spread per-item work over processes: forked workers inherit the read-only site model,
so only small task descriptions and results cross process boundaries."""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

# Set by the parent just before it forks and cleared after: forked workers read their
# function and its state from here instead of having them pickled for every task.
_WORK: tuple[Callable[[Any, Any], Any], Any] | None = None


def default_workers() -> int:
    """How many processes to use: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    import multiprocessing  # here, not at the top: a build with one worker never needs it

    return "fork" in multiprocessing.get_all_start_methods()


def run(func: Callable[[Any, Task], Result], state: Any, tasks: Sequence[Task],
        workers: int) -> Iterator[Result]:
    """Yield func(state, task) for every task, in order; in `workers` processes when it pays
    and it is safe: never from a process that runs other threads (a forked child can hang on
    a lock one of them held; `folio serve` builds in parallel before its threads start)."""
    if workers <= 1 or len(tasks) < 2 or not can_fork() or threading.active_count() > 1:
        for task in tasks:
            yield func(state, task)
        return
    global _WORK
    _WORK = (func, state)
    gc.freeze()  # inherited objects stay out of the workers' collections: no scans, no copies
    try:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        # this process works too, so one process fewer copies the inherited objects it
        # touches (at 10,000 articles a seventh of the build's memory)
        processes = min(workers, len(tasks)) - 1
        with context.Pool(processes) as pool:
            yield from _shared_with(pool, processes, func, state, tasks)
    finally:
        _WORK = None
        gc.unfreeze()


def _shared_with(pool: Any, processes: int, func: Callable[[Any, Task], Result], state: Any,
                 tasks: Sequence[Task]) -> Iterator[Result]:
    """Results in order; the pool's workers are kept two unfinished tasks ahead each, and
    whenever the next result is not ready this process does the next task no one started."""
    ahead = 2 * processes
    queued: dict[int, Any] = {}  # task index -> the pool's AsyncResult
    done: dict[int, Result] = {}  # results this process made ahead of their turn
    started = 0
    for index in range(len(tasks)):
        while index not in done:
            while started < len(tasks) and \
                    sum(not result.ready() for result in queued.values()) < ahead:
                queued[started] = pool.apply_async(_call, (tasks[started],))
                started += 1
            waiting = queued.get(index)
            if waiting is None or waiting.ready() or started >= len(tasks):
                if waiting is not None:
                    done[index] = waiting.get()
                    del queued[index]
                continue
            done[started] = func(state, tasks[started])
            started += 1
        yield done.pop(index)


def _call(task: Any) -> Any:
    assert _WORK is not None, "parallel.run sets the work before forking"
    func, state = _WORK
    return func(state, task)


@contextlib.contextmanager
def few_collections() -> Iterator[None]:
    """Collect cyclic garbage rarely while a build allocates millions of acyclic objects:
    with the default thresholds the collector rescans the growing site over and over."""
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def chunks(items: Sequence[Task], size: int) -> list[Sequence[Task]]:
    """Consecutive slices of at most `size` items."""
    return [items[start:start + size] for start in range(0, len(items), size)]
