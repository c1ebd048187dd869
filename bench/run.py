"""`make bench`: run every benchmark in turn; each prints its figures and its ratio to a baseline.

    python bench/run.py [ingest] [series] [scan] [coding] [coding_eval] [load] [scale]   (default: all)

The benchmarks need ../shared/ beside the checkout for the GDELT rows the ingest benchmark is built
from; they are not part of the test suite (the suite never times anything).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["ingest", "series", "scan", "coding", "coding_eval", "load", "scale"]


def main(argv: list[str]) -> int:
    chosen = argv or BENCHMARKS
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    for name in chosen:
        print(f"\n=== bench/{name}.py", flush=True)
        if subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
