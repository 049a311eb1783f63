"""The BLAS thread limit held by several threads at once (a training run, the measurement of the
run before it, the debugger): it stays in force until the last holder leaves, then the count of
before comes back. One threadpoolctl limiter per holder put back what it found on entry (and
OpenBLAS's pool takes its size from one thread at a time), so a measurement that ended during
the next run left that run on OpenBLAS's default threads."""
from __future__ import annotations

import os
import threading
from typing import Callable

import pytest
from threadpoolctl import threadpool_info

from app.training.threads import limited


def blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2 or blas_threads() in (set(), {1}),
                                reason="needs a BLAS that runs more than one thread by default")


def on_thread(fn: Callable[[], None]) -> None:
    thread = threading.Thread(target=fn)
    thread.start()
    thread.join()


def test_a_holder_leaving_first_leaves_the_limit_to_the_other() -> None:
    before = blas_threads()
    measurement, run = limited(1), limited(1)
    on_thread(measurement.__enter__)  # the measurement of the last run, on a thread of its own
    run.__enter__()  # the next run starts while it still goes on
    on_thread(lambda: measurement.__exit__(None, None, None))
    assert blas_threads() == {1}  # the run keeps its one thread
    run.__exit__(None, None, None)
    assert blas_threads() == before


def test_a_thread_takes_the_limit_after_another_gave_it_back() -> None:
    before = blas_threads()
    with limited(1):
        pass
    seen: list[set[int]] = []

    def run() -> None:
        with limited(1):
            seen.append(blas_threads())

    on_thread(run)
    assert seen == [{1}] and blas_threads() == before


def test_holders_asking_for_different_counts_get_the_largest_until_it_leaves() -> None:
    before = blas_threads()
    with limited(1):
        assert blas_threads() == {1}
        with limited(2):
            assert blas_threads() == {2}
        assert blas_threads() == {1}
    assert blas_threads() == before
