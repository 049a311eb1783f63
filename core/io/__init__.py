"""Files: the versioned JSON format (``fileformat``), its reading checks (``jsoncheck``), its diff-friendly
text (``jsontext``) and atomic writing (``atomic``). ``from core import io`` gives the format's API."""
from core.io.fileformat import (
    FORMAT,
    VERSION,
    DataFileMissing,
    FormatError,
    dumps,
    from_dict,
    load,
    loads,
    save,
    to_dict,
)

__all__ = ["FORMAT", "VERSION", "DataFileMissing", "FormatError", "dumps", "from_dict", "load", "loads", "save",
           "to_dict"]
