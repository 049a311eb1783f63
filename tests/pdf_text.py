"""Reading a PDF that Qt wrote, without a PDF library: its pages in order and the text each
page draws (content streams inflated with zlib, glyph codes mapped back to characters
through each font's ToUnicode map; ligatures such as "ﬃ" are spelled out)."""
from __future__ import annotations

import re
import unicodedata
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJ.finditer(data)}


def _stream(body: bytes) -> bytes:
    raw = body.split(b"stream", 1)[1]
    raw = raw[1:] if raw.startswith(b"\n") else raw[2:]
    raw = raw.rsplit(b"endstream", 1)[0]
    return zlib.decompress(raw) if b"/FlateDecode" in body.split(b"stream", 1)[0] else raw


def _ref(body: bytes, key: bytes) -> int:
    return int(re.search(rb"/" + key + rb"\s+(\d+) 0 R", body).group(1))  # type: ignore[union-attr]


def _cmap(text: bytes) -> dict[int, str]:
    """Glyph code → characters, from a ToUnicode CMap's bfchar and bfrange sections."""
    out: dict[int, str] = {}

    def chars(hexes: bytes) -> str:
        return bytes.fromhex(hexes.decode()).decode("utf-16-be")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = chars(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[.*?\]|<[0-9A-Fa-f]+>)", block, re.S):
            first, last = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for k, h in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", dst)):
                    out[first + k] = chars(h)
            else:
                base = int(dst[1:-1], 16)
                for k in range(last - first + 1):
                    out[first + k] = chr(base + k)
    return out


def _pages(data: bytes) -> tuple[dict[int, bytes], list[bytes]]:
    """The objects, and the page objects in page order (inherited entries added from /Pages)."""
    objs = _objects(data)
    catalog = next(b for b in objs.values() if re.search(rb"/Type\s*/Catalog", b))
    pages = objs[_ref(catalog, b"Pages")]
    kids = [int(k) for k in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", pages, re.S).group(1))]
    return objs, [objs[kid] + pages for kid in kids]  # a page's own entries first: they win the search


def page_boxes(data: bytes) -> list[tuple[float, float, float, float]]:
    """The MediaBox (x0, y0, x1, y1, in points) of every page, in page order."""
    _, pages = _pages(data)
    number = rb"\s*(-?[\d.]+)"
    return [tuple(float(v) for v in re.search(rb"/MediaBox\s*\[" + number * 4, page).groups())  # type: ignore
            for page in pages]


def page_transforms(data: bytes) -> list[list[tuple[float, ...]]]:
    """The matrices (a, b, c, d, e, f) of every ``cm`` operator of every page's content."""
    objs, pages = _pages(data)
    number = rb"(-?[\d.]+)\s+"
    out = []
    for page in pages:
        content = _stream(objs[_ref(page, b"Contents")])
        out.append([tuple(float(v) for v in m.groups()) for m in re.finditer(number * 6 + rb"cm\b", content)])
    return out


def page_texts(data: bytes) -> list[str]:
    """The text of every page, in page order (whitespace kept as the PDF has it)."""
    objs, pages = _pages(data)
    texts = []
    for page in pages:
        resources = objs[_ref(page, b"Resources")]
        fonts_dict = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
        maps: dict[bytes, dict[int, str]] = {}
        for name, num in re.findall(rb"/(\w+)\s+(\d+) 0 R", fonts_dict.group(1) if fonts_dict else b""):
            font = objs[int(num)]
            if b"/ToUnicode" in font:
                maps[name] = _cmap(_stream(objs[_ref(font, b"ToUnicode")]))
        content = _stream(objs[_ref(page, b"Contents")])
        out, current = [], {}
        for m in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]+)>\s*Tj|(ET)", content):
            if m.group(1):
                current = maps.get(m.group(1), {})
            elif m.group(2):
                h = m.group(2)
                out.append("".join(current.get(int(h[i:i + 4], 16), "?") for i in range(0, len(h), 4)))
            else:
                out.append("\n")
        texts.append(unicodedata.normalize("NFKC", "".join(out)))
    return texts


def squeeze(text: str) -> str:
    """``text`` without any whitespace (Qt places words glyph by glyph)."""
    return re.sub(r"\s+", "", text)
