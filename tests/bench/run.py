"""`make bench`: every benchmark, one JSON line each: {name, value, unit, floor, ratio, target}."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    failed = 0
    for bench in sorted(HERE.glob("bench_*.py")):
        # One process per benchmark: no warm caches or shared servers between them.
        print(f"# {bench.stem}", file=sys.stderr, flush=True)
        failed += subprocess.call([sys.executable, str(bench)], cwd=HERE) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
