"""Run every benchmarks/bench_*.py script in turn, each in its own process, and print its output.

Run: .venv/bin/python benchmarks/run_all.py  (or `make bench`). Exits 1 when a script failed.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=env, check=False)
        if result.returncode != 0:
            failed.append(script.name)
            print(f"!! {script.name} exited with {result.returncode}", flush=True)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
