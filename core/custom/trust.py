"""The trust boundary: a custom layer's code runs only when its exact text is trusted.

Trust is kept as SHA-256 hashes of code texts. :data:`SESSION` holds what this process may run
(the user said yes, wrote the code in the window, or gave ``--trust-code``);
:class:`TrustStore` remembers hashes across sessions in a plain text file (one hash a line) the
window keeps in the user's config folder. Nothing here executes code.
"""
from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from typing import Iterable


@lru_cache(maxsize=1024)
def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


class TrustedCode:
    """A set of trusted code hashes, safe to read from worker threads.

    One rule for every run: user code is asked about before it runs. The stepper asks by hash at
    every step; a trainer whose plan is bound compares :attr:`generation` before every update and
    asks by hash again only when it changed (:mod:`core.custom.kernels`)."""

    def __init__(self) -> None:
        self._hashes: set[str] = set()
        self._lock = threading.Lock()
        self.generation = 0  # goes up whenever trust is taken back

    def allow(self, codes: Iterable[str]) -> None:
        with self._lock:
            self._hashes.update(code_hash(c) for c in codes)

    def allow_hashes(self, hashes: Iterable[str]) -> None:
        with self._lock:
            self._hashes.update(hashes)

    def revoke_all(self) -> None:
        with self._lock:
            self._hashes.clear()
            self.generation += 1

    def state(self) -> tuple[int, int]:
        """Changes whenever trust is given or taken back (what a cached validation depends on)."""
        with self._lock:
            return self.generation, len(self._hashes)

    def is_trusted(self, code: str) -> bool:
        return self.trusts_hash(code_hash(code))

    def trusts_hash(self, digest: str) -> bool:
        """Whether the code whose :func:`code_hash` is ``digest`` is trusted (a caller that keeps
        the hash of its code asks so, without hashing the text again)."""
        return digest in self._hashes

    def all_trusted(self, codes: Iterable[str]) -> bool:
        return all(self.is_trusted(c) for c in codes)


SESSION = TrustedCode()


class TrustStore:
    """Hashes of trusted code remembered in a file; a missing or unreadable file trusts nothing."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)

    def hashes(self) -> set[str]:
        try:
            with open(self.path, encoding="utf-8") as f:
                return {line.strip() for line in f if len(line.strip()) == 64}
        except OSError:
            return set()

    def remember(self, codes: Iterable[str]) -> None:
        known = self.hashes()
        new = {code_hash(c) for c in codes} - known
        if not new:
            return
        from core.io.atomic import write_atomic  # here: core.io needs the ops, which need this module

        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        write_atomic(self.path, "".join(f"{h}\n" for h in sorted(known | new)).encode("ascii"))

    def knows(self, codes: Iterable[str]) -> bool:
        known = self.hashes()
        return all(code_hash(c) in known for c in codes)
