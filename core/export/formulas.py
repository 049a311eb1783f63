"""What a step computes, in words: the op's formula text with the graph's names in it.

The inspector fills ``op.forward_formula`` and ``op.backward_formulas`` with numbers; an
export writes their symbolic part (``out = x · W + b``) with the node names put in for the
ports (``affine1 = x · W1 + b1``), as a comment or a notebook's markdown line.
"""
from __future__ import annotations

import re
from typing import Mapping

from core.ops import Op
from core.ops.base import Attrs

_ASCII_WORD = "A-Za-z0-9_"


def symbolic(template: str) -> str:
    """The part of a formula template before the numbers: ``out = x · W + b``."""
    parts = template.split(" = ")
    kept = []
    for part in parts:
        if "{" in part:
            break
        kept.append(part)
    return " = ".join(kept)


def rename(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each whole word in ``names`` replaced (``x`` but not the x of ``exp``)."""
    if not names:
        return text
    words = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![{_ASCII_WORD}])({words})(?![{_ASCII_WORD}])")
    return pattern.sub(lambda m: names[m.group(1)], text)


def forward_text(op: Op, attrs: Attrs, node: str, sources: Mapping[str, str]) -> str:
    """``affine1 = x · W1 + b1`` (the ports named after the nodes feeding them)."""
    return rename(symbolic(op.formulas(attrs)[0]), {**sources, "out": node})


def backward_text(op: Op, attrs: Attrs, node: str, sources: Mapping[str, str], ports: list[str]) -> str:
    """The gradients a backward step sends, one formula per port, separated by ``;``."""
    names = {**sources, "out": node}
    templates = op.formulas(attrs)[1]
    return "; ".join(rename(symbolic(templates.get(p, "")), names) for p in ports if templates.get(p))
