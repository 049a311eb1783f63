"""Export speed: the NumPy script, the notebook and the PyTorch code of every shipped example
(goal: under 1 s each), and Mazur's lesson PDF (goal: under 5 s).

Each export is timed from the file on disk to the text in memory (load, validate, compile the
program, write the code), best of 5. The baseline, in the same process, is loading the file
alone; the ratio says what the export adds to reading the graph. The lesson PDF is timed from
the graph to the PDF's bytes (a canvas of its own, every step run and drawn), best of 3, against
one PNG picture of the same canvas. Last, the command line end to end in a new process
(interpreter start included), once per kind.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_export.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.lesson.book import LessonBook  # noqa: E402
from app.lesson.render import application, lesson_pdf  # noqa: E402
from app.window.screenshot import export_png  # noqa: E402
from core import io  # noqa: E402
from core.export import export_notebook, export_script, export_torch  # noqa: E402

EXAMPLES = ROOT / "resources" / "examples"
EXPORT_GOAL, PDF_GOAL = 1.0, 5.0
KINDS: dict[str, Callable[..., str]] = {"script": export_script, "notebook": export_notebook, "torch": export_torch}


def best(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    bytecode = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores); PYTHONDONTWRITEBYTECODE={bytecode}")
    worst = 0.0
    print(f"{'example':14} {'load':>9} " + " ".join(f"{k:>10}" for k in KINDS) + "   ratio to load (worst)")
    for path in sorted(EXAMPLES.glob("*.json")):
        load = best(lambda p=path: io.load(p), 5)
        times = {k: best(lambda f=f, p=path: f(io.load(p)), 5) for k, f in KINDS.items()}
        worst = max(worst, *times.values())
        ratio = max(times.values()) / load
        print(f"{path.stem:14} {load * 1e3:7.1f}ms " + " ".join(f"{t * 1e3:8.1f}ms" for t in times.values())
              + f"   {ratio:5.1f}x")
    print(f"slowest export {worst * 1e3:.0f} ms: {'within' if worst < EXPORT_GOAL else 'OVER'} the goal of "
          f"{EXPORT_GOAL:g} s ({worst / EXPORT_GOAL:.2f} of it)")

    application()
    mazur = io.load(EXAMPLES / "mazur.json")
    pdf = best(lambda: lesson_pdf(mazur), 3)
    with tempfile.TemporaryDirectory() as tmp:
        book = LessonBook(mazur)
        png = best(lambda: export_png(book.scene, Path(tmp) / "canvas.png"), 3)
        book.close()
    pages = 1 + len(book.steps)
    print(f"Mazur lesson PDF ({pages} pages): {pdf:.2f} s, {pdf / pages * 1e3:.0f} ms a page; one canvas PNG "
          f"{png * 1e3:.0f} ms (ratio {pdf / png:.1f}); {'within' if pdf < PDF_GOAL else 'OVER'} the goal of "
          f"{PDF_GOAL:g} s ({pdf / PDF_GOAL:.2f} of it)")

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        for out in ("mazur.py", "mazur.ipynb", "mazur.pdf"):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "app", "export", str(EXAMPLES / "mazur.json"), str(Path(tmp) / out)],
                           cwd=ROOT, env=env, check=True, capture_output=True)
            print(f"command line, new process: export mazur.json {out}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
