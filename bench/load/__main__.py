"""Load test: gunicorn with 2 workers on loopback against a generated scale on PostgreSQL, driven by
locust for a bounded time; reports requests per second, p95, error rate and worker memory.

    python -m bench.load --scale 10000 [--seconds 60] [--users 20]

Needs the scale generated (python -m bench.scale_db --scale N --engine postgres).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.scale_db import BENCH_DIR, database, is_generated

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PORT = 8765


def _fixtures(path: Path, caseworkers: int) -> None:
    """Sessions, API tokens and own open cases of the benchmark caseworker and of the generated
    colleagues with the most open cases, one identity per simulated user in turn: the city's staff
    at work, each in their own unit and caseload (and each under their own rate limits)."""
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count, Q
    from django.test import Client

    from bench.pages import NAME_PREFIXES
    from bench.pages import _fixtures as page_fixtures
    from sociala.accounts.models import User
    from sociala.api.tests.conftest import bearer
    from sociala.cases.choices import Stage
    from sociala.cases.models import Case

    settings.ALLOWED_HOSTS = ["*"]
    bench_user, _open, _big = page_fixtures()
    others = (
        User.objects.exclude(pk=bench_user.pk)
        .annotate(open_cases=Count("assigned_cases", filter=~Q(assigned_cases__stage=Stage.CLOSED)))
        .filter(open_cases__gt=0)
        .order_by("-open_cases", "pk")[: caseworkers - 1]
    )
    identities = []
    for user in [bench_user, *others]:
        cases = list(
            Case.objects.filter(assigned_to=user).exclude(stage=Stage.CLOSED).select_related("person")[:80]
        )
        client = Client()
        client.force_login(user)
        identities.append(
            {
                "username": user.username,
                "session": client.cookies["sessionid"].value,
                "authorization": bearer(user)["HTTP_AUTHORIZATION"],
                "persons": [c.person_id for c in cases],
                "cases": [c.pk for c in cases],
                "numbers": [c.person.formatted_number for c in cases],
            }
        )
    path.write_text(json.dumps({"identities": identities, "prefixes": NAME_PREFIXES}), encoding="utf-8")


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(t) for t in text]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--caseworkers", type=int, default=40, help="distinct staff identities")
    args = parser.parse_args()
    if not is_generated(args.scale, "postgres"):
        print(f"postgres {args.scale}: not generated, skipped", file=sys.stderr)
        print(json.dumps({"skipped": f"postgres {args.scale} not generated"}))
        return 0
    fixtures = BENCH_DIR / f"load-{args.scale}.json"
    with database(args.scale, "postgres") as url:
        _fixtures(fixtures, args.caseworkers)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SOCIALA_DEMO_MODE": "1",
            "SOCIALA_LOAD_FIXTURES": str(fixtures),
            # Every simulated member of staff comes from 127.0.0.1: the per-address limits (meant for
            # one machine) are lifted, the per-token and per-user limits stay as configured.
            "SOCIALA_RATE_LIMIT_API_PER_ADDRESS": "1000000/60",
            "SOCIALA_RATE_LIMIT_PUBLIC_PER_ADDRESS": "1000000/60",
        }
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "sociala.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            time.sleep(4)
            prefix = BENCH_DIR / f"load-{args.scale}"
            subprocess.run(  # noqa: S603
                [
                    str(BIN / "locust"), "-f", str(Path(__file__).parent / "locustfile.py"), "--headless",
                    "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
                    "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary",
                ],
                cwd=ROOT, env=env, check=False, capture_output=True,
            )  # fmt: skip
            workers = _children(server.pid)
            memory = {str(pid): round(_rss_kb(pid) / 1024, 1) for pid in workers}
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    result = {
        "scale": args.scale,
        "seconds": args.seconds,
        "users": args.users,
        "caseworkers": args.caseworkers,
        "requests": int(total["Request Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "error_rate": round(int(total["Failure Count"]) / max(1, int(total["Request Count"])), 4),
        "worker_rss_mb": memory,
        "p95_by_page_ms": {name: float(row["95%"]) for name, row in rows.items() if name != "Aggregated"},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
