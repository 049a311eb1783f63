"""What is kept per custom-layer code text is bounded: the compiled classes, the layer calls and
the codes seen writing in place keep their documented number of most recently used entries, an
edited layer never runs the old text's class, and the caches stay whole under several threads."""
from __future__ import annotations

import threading

import numpy as np

from core.custom import op, runner
from core.custom.cache import BoundedCache
from core.custom.templates import MUL


def edited(i: int) -> str:
    """The Multiply layer as the user might leave it after edit number ``i``: its output times ``i``."""
    return MUL.replace("out = x * y", f"out = x * y * {i}")


def test_the_template_is_the_one_edited() -> None:
    assert edited(3) != MUL


def test_compiled_classes_keep_the_most_recent_cache_size(trust) -> None:
    runner.forget_compiled()
    codes = [edited(i) for i in range(runner.CACHE_SIZE + 40)]
    trust.allow(codes)
    first = runner.layer_class(codes[0])
    for code in codes[1:]:
        runner.layer_class(code)
    assert len(runner._compiled) == runner.CACHE_SIZE
    again = runner.layer_class(codes[0])  # forgotten, so compiled anew: another class object
    assert again is not first
    assert runner.layer_class(codes[-1]) is runner.layer_class(codes[-1])  # kept


def test_layer_calls_keep_the_most_recent_calls_kept(trust) -> None:
    codes = [edited(i) for i in range(op.CALLS_KEPT + 10)]
    trust.allow(codes)
    for code in codes:
        op.layer_call({"code": code, op.NODE_KEY: "price"})
    assert len(op._calls) == op.CALLS_KEPT
    assert (codes[0], "price") not in op._calls and (codes[-1], "price") in op._calls


def test_an_edited_layer_runs_its_new_text_after_the_old_one_was_forgotten(trust) -> None:
    runner.forget_compiled()
    codes = [edited(i) for i in range(2, runner.CACHE_SIZE + 4)]
    trust.allow(codes)
    x, y = np.array([3.0]), np.array([5.0])
    assert op.layer_call({"code": codes[0], op.NODE_KEY: "n"}).forward([x, y])[0].tolist() == [30.0]
    for code in codes[1:]:
        op.layer_call({"code": code, op.NODE_KEY: "n"})
    assert op.layer_call({"code": codes[-1], op.NODE_KEY: "n"}).forward([x, y])[0].tolist() == [15.0 * (len(codes) + 1)]
    assert op.layer_call({"code": codes[0], op.NODE_KEY: "n"}).forward([x, y])[0].tolist() == [30.0]


def test_codes_seen_writing_in_place_keep_the_most_recent_cache_size() -> None:
    codes = [edited(i) + "# in place\n" for i in range(runner.CACHE_SIZE + 5)]
    for code in codes:
        runner.noticed_in_place(code)
    assert len(runner._in_place) == runner.CACHE_SIZE
    assert not runner.writes_in_place(codes[0]) and runner.writes_in_place(codes[-1])


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: BoundedCache[str, int] = BoundedCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    assert cache.get("a") == 0  # a is now the most recently used
    cache.put("d", 3)
    assert "b" not in cache and [k in cache for k in "acd"] == [True, True, True]
    assert len(cache) == 3


def test_the_cache_stays_whole_under_several_threads() -> None:
    cache: BoundedCache[tuple[int, int], int] = BoundedCache(16)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(3000):
                cache.put((t, i), i)
                cache.get((t, i - 1))
                cache.get((t - 1, i))
        except BaseException as exc:  # noqa: BLE001 - any failure is the test's answer
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(cache) == 16
