"""parallel.py: work spread over forked processes, in order, and never forked beside threads."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import parallel


def pid_of(state: int, task: int) -> tuple[int, int]:
    time.sleep(0.002 * (task % 3))  # uneven tasks: results finish out of order
    return task * state, os.getpid()


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork")
def test_results_come_in_order_from_this_process_and_one_worker_fewer() -> None:
    # in a fresh interpreter: this test process may run other tests' threads, and then
    # parallel.run rightly does not fork
    code = ("import os; from generator import parallel; from tests.unit.test_parallel import "
            "pid_of; r = list(parallel.run(pid_of, 10, list(range(60)), workers=3)); "
            "pids = {p for _, p in r}; "
            "print([v for v, _ in r] == [n * 10 for n in range(60)], os.getpid() in pids, "
            "len(pids))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert run.stdout.split() == ["True", "True", "3"]  # this process and two workers


def test_a_process_running_other_threads_does_not_fork() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        results = list(parallel.run(pid_of, 1, list(range(8)), workers=2))
    finally:
        release.set()
        other.join()
    assert [value for value, _ in results] == list(range(8))
    assert {pid for _, pid in results} == {os.getpid()}
