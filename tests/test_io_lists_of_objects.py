"""Every list of objects in a file (nodes, edges, references, expanded layers) is read by one rule,
``jsoncheck.objects``: not a list, or an entry not an object, is named at its place."""
from __future__ import annotations

import json
import re

import pytest
from helpers import EXAMPLES

from core import io
from core.io import jsoncheck as jc


def test_each_entry_comes_with_its_place() -> None:
    assert list(jc.objects([{"a": 1}, {}], "things")) == [("things[0]", {"a": 1}), ("things[1]", {})]
    assert list(jc.objects([], "things")) == []
    with pytest.raises(jc.Bad) as err:
        list(jc.objects([{}, 3], "things"))
    assert (err.value.where, err.value.reason) == ("things[1]", "expected an object, found a number (3)")


@pytest.mark.parametrize("key, value, message", [
    ("edges", {}, "edges: expected a list, found an object"),
    ("references", [{"node": "W1", "quantity": "value", "value": 1, "source": "s"}, "x"],
     "references[1]: expected an object, found text ('x')"),
    ("expanded", 7, "expanded: expected a list, found a number (7)"),
    ("expanded", [[]], "expanded[0]: expected an object, found a list of 0"),
])
def test_a_list_or_an_entry_of_the_wrong_kind_is_named(key: str, value: object, message: str) -> None:
    doc = json.loads((EXAMPLES / "mazur.json").read_text(encoding="utf-8"))
    doc[key] = value
    with pytest.raises(io.FormatError, match=re.escape(message)):
        io.loads(json.dumps(doc))
