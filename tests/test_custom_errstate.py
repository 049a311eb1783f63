"""A call into a custom layer made through the window's executor (another thread) keeps the caller's
NumPy error state: a layer check that ignores the NaN of log(-1) prints no RuntimeWarning."""
from __future__ import annotations

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from custom_helpers import LOG_OF_NEGATIVE

from core.custom.check import check_layer
from core.custom.runner import set_executor


def test_the_callers_error_state_goes_with_the_call(trust) -> None:
    trust.allow([LOG_OF_NEGATIVE])
    pool = ThreadPoolExecutor(1)
    threads: list[int] = []

    def on_the_pool(work):
        def noted():
            threads.append(threading.get_ident())
            return work()
        return pool.submit(noted).result()

    old = set_executor(on_the_pool)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a RuntimeWarning from the layer would raise in the check
            result = check_layer(LOG_OF_NEGATIVE, [np.array([1.0, 2.0])], node="bad")
    finally:
        set_executor(old)
        pool.shutdown()
    assert threads and threading.get_ident() not in threads  # the calls did run on another thread
    assert result.failure is None and not result.checkable
