"""``make bench``: run every benchmark, print its figures, and write them to bench/results/latest.json.

Benchmarks print figures; they never fail on timing. Each runs in its own process so that one
benchmark's caches and database do not colour another's figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCHMARKS = {
    "benefits.calculation": [sys.executable, "-m", "bench.benefits.calc", "--json"],
    "finance.payment_run": [sys.executable, "-m", "bench.finance"],
    # SQLite and PostgreSQL; BENCH_HOUSEHOLDS=2000 for a quick run.
    "benefits.monthly_run": [sys.executable, "-m", "bench.benefits.monthly_run", "--json"],
}


# City-scale page benchmarks (bench/pages.py): one entry per scale and engine, for the scales in
# BENCH_SCALES (comma-separated; PostgreSQL at each, SQLite too at 10,000). A scale that has not been
# generated (python -m bench.scale_db) is skipped with a line saying so.
DEFAULT_SCALES = "10000,100000,1000000"
for _scale in os.environ.get("BENCH_SCALES", DEFAULT_SCALES).split(","):
    if _scale.strip():
        for _engine in ("postgres", "sqlite") if int(_scale) <= 10000 else ("postgres",):
            BENCHMARKS[f"pages.{_engine}.{int(_scale)}"] = [
                sys.executable, "-m", "bench.pages", "--scale", str(int(_scale)), "--engine", _engine,
            ]  # fmt: skip


def main() -> int:
    results: dict[str, object] = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    for name, command in BENCHMARKS.items():
        print(f"== {name} ==", flush=True)
        completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        print(completed.stdout.strip())
        if completed.returncode != 0:
            print(completed.stderr.strip(), file=sys.stderr)
            results[name] = {"error": completed.returncode}
            continue
        results[name] = json.loads(completed.stdout[completed.stdout.index("{") :])
    out = Path(__file__).resolve().parent / "results" / "latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
