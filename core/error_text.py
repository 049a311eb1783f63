"""The one line a person reads when something failed: the error's own message, never the name of
its Python class (``LayerError: ...``), a message of several lines joined into one."""
from __future__ import annotations

# the errors whose message is written for the person (a user's mistake, bad data, a layer's code)
_SPOKEN: tuple[type[BaseException], ...] = (ValueError, OSError, ArithmeticError)


def error_text(exc: BaseException) -> str:
    """``exc`` as one line without its class name; an unexpected error says it is one."""
    text = " ".join(str(exc).split())
    if isinstance(exc, MemoryError):
        return "not enough memory"
    if isinstance(exc, _SPOKEN) and text:
        return text
    return f"an internal error ({text}); please report it" if text else \
        "an internal error with no message; please report it"
