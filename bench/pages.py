"""Page benchmarks at city scale: server time in-process (Django's test client), per scenario.

    python -m bench.pages --scale 10000 --engine sqlite|postgres [--quick] [--requests N]

Needs the scale generated first (``python -m bench.scale_db --scale N --engine E``); prints a
"not generated" line and ``{"skipped": ...}`` otherwise. For each scenario: p50/p95/p99 of the
server time over N requests (1,000 by default, 100 with --quick), the number of queries of one
request, and the share of the time spent inside ``record_event`` (the audit log): measured by
wrapping the function in this process only, so logging cannot be turned off anywhere.
The signed-journal scenario writes; it runs inside one transaction that is rolled back at the end,
so the database stays as generated.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench.scale_db import ENGINES, database, is_generated

SCENARIOS = [
    "search_number",
    "search_name",
    "person_page",
    "case_500_entries",
    "journal_sign",
    "start_page",
    "api_person",
]
NAME_PREFIXES = ["and", "joh", "kar", "nil", "eri", "lar", "ols", "per", "sve", "gus", "ali", "moh", "has"]


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not sorted_ms:
        return 0.0
    rank = max(1, min(len(sorted_ms), round(p / 100 * len(sorted_ms) + 0.5)))
    return round(sorted_ms[rank - 1], 2)


class AuditTimer:
    """Wraps ``record_event`` wherever it was imported, adding up the time spent inside it."""

    def __init__(self):
        self.seconds = 0.0
        self.calls = 0
        self._patched: list[tuple[object, object]] = []

    def install(self) -> None:
        from sociala.audit import services

        original = services.record_event

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        for module in list(sys.modules.values()):
            if getattr(module, "record_event", None) is original:
                module.record_event = timed
                self._patched.append((module, original))

    def reset(self) -> None:
        self.seconds, self.calls = 0.0, 0


def _fixtures():
    """The users and objects the scenarios use, found in the generated data."""
    from collections import Counter

    from sociala.accounts.models import User
    from sociala.cases.choices import Stage
    from sociala.cases.models import Case, JournalEntry
    from sociala.demo.scale import BENCH_CASEWORKER

    user = User.objects.get(username=BENCH_CASEWORKER)
    open_cases = list(
        Case.objects.filter(assigned_to=user)
        .exclude(stage=Stage.CLOSED)
        .select_related("person")
        .order_by("pk")
    )
    counts = Counter(
        JournalEntry.objects.filter(case__in=[c.pk for c in open_cases]).values_list("case_id", flat=True)
    )
    big_case = counts.most_common(1)[0][0]
    return user, open_cases, big_case


def run(
    scale: int, engine: str, requests: int, profile: str | None = None, only: list[str] | None = None
) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from sociala.api.tests.conftest import bearer

    call_command("migrate", verbosity=0)  # a scale generated before the latest index migrations
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    # The rate limits stay on (their cost is part of every request) but so high that a thousand
    # requests a minute from one token do not meet them: the benchmark measures pages, not 429s.
    settings.SOCIALA_RATE_LIMITS = {
        name: value if name == "cache" else "1000000/60"
        for name, value in settings.SOCIALA_RATE_LIMITS.items()
    }
    timer = AuditTimer()
    timer.install()
    user, open_cases, big_case = _fixtures()
    persons = [c.person for c in open_cases]
    writable = [c for c in open_cases if c.pk != big_case]
    client = Client()
    client.force_login(user)
    api_headers = bearer(user)
    today = timezone.localdate().isoformat()

    def request_for(name: str, i: int):
        person = persons[i % len(persons)]
        if name == "search_number":
            return (
                "get",
                reverse("web:person_search"),
                {"q": person.formatted_number},
                {"HTTP_HX_REQUEST": "true"},
            )
        if name == "search_name":
            return (
                "get",
                reverse("web:person_search"),
                {"q": NAME_PREFIXES[i % len(NAME_PREFIXES)]},
                {"HTTP_HX_REQUEST": "true"},
            )
        if name == "person_page":
            return "get", reverse("web:person_detail", args=[person.pk]), {}, {}
        if name == "case_500_entries":
            return "get", reverse("web:case_detail", args=[big_case]), {}, {}
        if name == "journal_sign":
            case = writable[i % len(writable)]
            data = {
                "category": "contact",
                "title": "Telefonsamtal",
                "text": f"Samtal med den enskilde om ansökan ({i}).",
                "occurred_on": today,
                "action": "sign",
            }
            return "post", reverse("web:journal_save", args=[case.pk]), data, {}
        if name == "start_page":
            return "get", reverse("web:start"), {}, {}
        if name == "api_person":
            return "get", f"/api/v1/persons/{person.pk}", {}, api_headers
        raise ValueError(name)

    def call(name: str, i: int):
        method, url, data, headers = request_for(name, i)
        response = getattr(client, method)(url, data, **headers)
        expected = 302 if name == "journal_sign" else 200
        if response.status_code != expected:
            raise RuntimeError(f"{name}: {url} gave {response.status_code}")
        return response

    if profile:
        return _profile(profile, call, requests)
    results: dict[str, dict] = {}
    for name in only or SCENARIOS:
        with transaction.atomic():
            for i in range(3):  # warm caches (templates, scope) before measuring
                call(name, i)
            with CaptureQueriesContext(connection) as captured:
                call(name, 3)
            queries = len(captured.captured_queries)
            times: list[float] = []
            timer.reset()
            started_all = time.perf_counter()
            for i in range(requests):
                started = time.perf_counter()
                call(name, i)
                times.append((time.perf_counter() - started) * 1000)
            total = time.perf_counter() - started_all
            audit_share = timer.seconds / total if total else 0.0
            if name == "journal_sign":
                transaction.set_rollback(True)
        times.sort()
        results[name] = {
            "n": requests,
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "p99_ms": percentile(times, 99),
            "queries": queries,
            "audit_share": round(audit_share, 3),
            "audit_calls_per_request": round(timer.calls / requests, 2),
        }
        print(
            f"{engine} {scale:>8} {name:<18} p50 {results[name]['p50_ms']:7.2f} ms  p95 "
            f"{results[name]['p95_ms']:7.2f} ms  p99 {results[name]['p99_ms']:7.2f} ms  "
            f"{queries:3d} queries  audit {audit_share:5.1%}",
            file=sys.stderr,
            flush=True,
        )
    return results


def _profile(name: str, call, requests: int) -> dict:
    """cProfile of one scenario (after warming up), printed by cumulative and by own time."""
    import cProfile
    import pstats

    from django.db import transaction

    with transaction.atomic():
        for i in range(3):
            call(name, i)
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(requests):
            call(name, i)
        profiler.disable()
        transaction.set_rollback(True)
    from bench.scale_db import BENCH_DIR

    profiler.dump_stats(BENCH_DIR / f"profile-{name}.prof")  # for snakeviz or pstats
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    stats.print_callers(r"query.py:\d+\(filter\)|compiler.py:\d+\(execute_sql\)")
    return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--engine", choices=ENGINES, default="postgres")
    parser.add_argument("--quick", action="store_true", help="100 requests per scenario instead of 1,000")
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--profile", choices=SCENARIOS, help="print a cProfile of one scenario instead")
    parser.add_argument("--only", choices=SCENARIOS, nargs="+", help="run these scenarios only")
    args = parser.parse_args(argv)
    requests = args.requests or (100 if args.quick else 1000)
    if not is_generated(args.scale, args.engine):
        line = (
            f"{args.engine} {args.scale}: not generated, skipped "
            f"(python -m bench.scale_db --scale {args.scale} --engine {args.engine})"
        )
        print(line, file=sys.stderr)
        print(json.dumps({"skipped": line}))
        return 0
    with database(args.scale, args.engine):
        results = run(args.scale, args.engine, requests, args.profile, args.only)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
