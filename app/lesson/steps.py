"""Which steps a lesson shows: the text a person types (``6-10`` or ``1-5, 8``) read into step
numbers. One reader for the command line's ``--range`` and the window's Pages field, so both
accept the same text and say the same thing about a mistake. No Qt here."""
from __future__ import annotations

from collections.abc import Sequence

EXAMPLE = "1-5, 8"
DASHES = ("-", "–")  # the hyphen people type and the en dash the workbench writes (1–38)


def parse_steps(text: str, count: int | None = None) -> list[int]:
    """The step numbers ``text`` names, in order, each once: step numbers and ranges ``A-B``
    separated by commas. With ``count`` (the program's steps) every number must be one of them.

    Raises ``ValueError`` with one line naming the entry that is wrong."""
    if not text.strip():
        raise ValueError(f"no steps given: write step numbers or ranges, like {EXAMPLE}")
    chosen: set[int] = set()
    for raw in text.split(","):
        entry = raw.strip()
        if not entry:
            raise ValueError(f"an empty entry between commas in {text.strip()!r}: write them like {EXAMPLE}")
        first, last = _entry(entry)
        if first < 1:
            raise ValueError(f"{entry!r}: steps count from 1")
        if last < first:
            raise ValueError(f"{entry!r} goes backwards: write the smaller step first, like {last}-{first}")
        if count is not None and last > count:
            raise ValueError(f"{entry!r} is past the last step: the steps are within 1–{count}")
        chosen.update(range(first, last + 1))
    return sorted(chosen)


def check_steps(steps: Sequence[int], count: int) -> list[int]:
    """``steps`` sorted, each once; raises ``ValueError`` naming a step outside 1..``count``."""
    if not steps:
        raise ValueError("no steps given: a lesson shows at least one step")
    for step in steps:
        if not 1 <= step <= count:
            raise ValueError(f"step {step} is not in the program: the steps are within 1–{count}")
    return sorted(set(steps))


def _entry(entry: str) -> tuple[int, int]:
    """``A-B`` or ``N`` as (first, last); ``ValueError`` naming the entry when it is neither."""
    for dash in DASHES:
        if dash in entry[1:]:  # a dash after the first character: a range (a leading one is a sign)
            cut = entry.index(dash, 1)
            first, last = entry[:cut].strip(), entry[cut + 1:].strip()
            break
    else:
        first = last = entry
    try:
        return int(first), int(last)
    except ValueError:
        raise ValueError(f"{entry!r} is not a step number or a range like 6-10") from None
