"""A document's title, by one rule for the title bar, the opening window and the document: its
file's name; a shipped example (opened as an untitled copy) its name and "(example)"; no file:
"Untitled". Imports nothing, so the window's first paint can use it before the engine loads."""
from __future__ import annotations


def document_title(name: str | None, example: bool = False) -> str:
    """The title of a document whose file is called ``name`` (None: no file), ``example`` when it
    is an untitled copy of the shipped example of that name."""
    if name is None:
        return "Untitled"
    return f"{name} (example)" if example else name
