"""Benchmark: the monthly income-support run for 25,000 households, on SQLite and on PostgreSQL.

    SOCIALA_DEMO_MODE=1 .venv/bin/python -m bench.benefits.monthly_run [--households 25000]
        [--database sqlite|postgres|both] [--json]

``BENCH_HOUSEHOLDS`` sets the default number of households (``BENCH_HOUSEHOLDS=2000`` for a quick
smoke run). Each database runs in its own process: SQLite in a temporary folder (WAL, as in production),
PostgreSQL in the test harness's throw-away cluster (``sociala.testing.postgres``; fsync off, like the
test runs). The data is synthetic, deterministic and bulk-inserted: the demo organisation, 25,000
persons (numbers starting 99, flagged synthetic) with decided income-support cases spread over the 14
districts, bank accounts for 80 % (payment orders for the rest), and per household a March 2026 budget
(1–6 members, a partner for a third of them, 1 in 200 partners also the applicant of another household;
housing and other costs; reported incomes) that has not been calculated yet, budgets of the three months
before it with housing costs (the persons' history), and for 70 % an answered SSBTEK inquiry with
fetched incomes (1 in 20 differing from the reported amount). No housing cost has a receipt, so every
budget gets at least one flag: the worst case for writing flags.

Then it times the three parts of ``benefits.monthly.run_month`` separately: the recalculation of every
budget (all of them change), every automated check, and the payment run (payments, pain.001 built and
validated against the XSD, SIE 4i). Prints seconds; never fails on timing. The target (issue 3) is the
whole run in under 60 seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

MONTH = date(2026, 3, 1)
HISTORY = (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1))
BATCH = 2000
ROOT = Path(__file__).resolve().parents[2]


def _setup(database: str, folder: Path):
    """Point Django at a fresh database of the kind asked for and migrate it; the cluster, if any."""
    os.environ.setdefault("SOCIALA_DEMO_MODE", "1")
    os.environ["SOCIALA_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sociala.settings")
    sys.path.insert(0, str(ROOT))
    cluster = None
    if database == "postgres":
        from sociala.testing.postgres import Cluster

        cluster = Cluster()
        os.environ["DATABASE_URL"] = cluster.start()
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return cluster


def _budgets(count: int, city) -> dict[str, int]:
    """March budgets (not yet calculated), the three months before, inquiries and fetched incomes."""
    from django.utils import timezone

    from sociala.benefits.models import (
        Budget,
        BudgetCost,
        BudgetIncome,
        BudgetMember,
        FetchedIncome,
        IncomeInquiry,
    )
    from sociala.cases.models import Case

    caseworker = city.users["handlaggare.ifo"]
    now = timezone.now()
    cases = list(
        Case.objects.filter(reference__startswith="BENCH-")
        .order_by("reference")
        .values_list("pk", "person__personal_identity_number", "person__birth_date")
    )
    made = {"budgets": 0, "members": 0, "costs": 0, "incomes": 0, "inquiries": 0, "fetched_incomes": 0}

    def new_budget(case_id: int, month: date) -> Budget:
        return Budget(
            case_id=case_id,
            month=month,
            norm=0,
            reasonable_costs=0,
            counted_income=0,
            assistance=0,
            lines=[],
            rule_version="",
            calculated_at=now,
            created_by=caseworker,
            updated_by=caseworker,
            created_at=now,
            updated_at=now,
        )

    for start in range(0, count, BATCH):
        chunk = list(enumerate(cases[start : start + BATCH], start))
        budgets = Budget.objects.bulk_create(new_budget(case_id, MONTH) for _n, (case_id, _, _) in chunk)
        history = Budget.objects.bulk_create(
            new_budget(case_id, month) for _n, (case_id, _, _) in chunk for month in HISTORY
        )
        members, costs, incomes, inquiries, fetched = [], [], [], [], []
        sizes: dict[int, int] = {}
        for (n, (_case_id, number, born)), budget in zip(chunk, budgets, strict=True):
            age = MONTH.year - born.year - ((MONTH.month, MONTH.day) < (born.month, born.day))
            household = [("applicant", number, age)]
            if n % 3 == 0:
                # One partner in 200 is also the applicant of the next household: two households.
                partner = cases[(n + 1) % count][1] if n % 600 == 0 else f"98{n:010d}"
                household.append(("partner", partner, 30 + n % 40))
            household += [("child", "", (n + k * 5) % 18) for k in range(n % 4 if n % 5 else 0)]
            for position, (role, member_number, member_age) in enumerate(household):
                members.append(
                    BudgetMember(
                        budget=budget,
                        position=position,
                        role=role,
                        personal_identity_number=member_number,
                        age=member_age,
                        preschool_lunch=role == "child" and member_age <= 6 and n % 2 == 0,
                    )
                )
            sizes[n] = len(household)
            housing = 4000 + 700 * len(household) + (n * 37) % 2500 + (9000 if n % 97 == 0 else 0)
            costs.append(BudgetCost(budget=budget, item="housing", amount=housing))
            if n % 2:
                costs.append(BudgetCost(budget=budget, item="household_electricity", amount=300 + n % 400))
            if n % 7 == 0:
                costs.append(BudgetCost(budget=budget, item="home_insurance", amount=150))
            children = sum(1 for role, _, _ in household if role == "child")
            reported = []
            if children:
                reported.append(("child_allowance", 1250 * children))
            if n % 3 == 1:
                reported.append(("housing_allowance", 1000 + n % 1500))
            if n % 5 == 2:
                reported.append(("employment", 3000 + n % 9000))
            for position, (kind, amount) in enumerate(reported):
                # Pay is the applicant's (the first member of the household); benefits the household's.
                incomes.append(
                    (
                        BudgetIncome(budget=budget, position=position, type=kind, amount=amount),
                        len(members) - len(household) if kind == "employment" else None,
                    )
                )
            if n % 10 < 7:
                inquiries.append(
                    IncomeInquiry(
                        budget=budget,
                        personal_identity_number=number,
                        period_start=MONTH,
                        period_end=MONTH.replace(day=31),
                        correlation_id=f"bench-{n}",
                        status="answered",
                        requested_by=caseworker,
                        requested_at=now,
                    )
                )
                fetched.append([(kind, amount + (400 if n % 20 == 0 else 0)) for kind, amount in reported])
        for previous, (n, _row) in zip(
            (history[i : i + len(HISTORY)] for i in range(0, len(history), len(HISTORY))), chunk, strict=True
        ):
            for k, budget in enumerate(previous):
                amount = 4000 + 700 * sizes[n] + (n * 37) % 2500 + 30 * k
                costs.append(BudgetCost(budget=budget, item="housing", amount=amount))
        BudgetMember.objects.bulk_create(members, batch_size=BATCH)
        for income, member in incomes:
            income.member = members[member] if member is not None else None
        incomes = [income for income, _member in incomes]
        BudgetCost.objects.bulk_create(costs, batch_size=BATCH)
        BudgetIncome.objects.bulk_create(incomes, batch_size=BATCH)
        inquiries = IncomeInquiry.objects.bulk_create(inquiries, batch_size=BATCH)
        items = [
            FetchedIncome(
                inquiry=inquiry,
                agency="FK",
                income_type=kind,
                description=kind,
                amount=amount,
                period_start=MONTH,
                period_end=MONTH.replace(day=31),
            )
            for inquiry, found in zip(inquiries, fetched, strict=True)
            for kind, amount in found
            if kind != "employment"
        ]
        FetchedIncome.objects.bulk_create(items, batch_size=BATCH)
        made["budgets"] += len(budgets) + len(history)
        made["members"] += len(members)
        made["costs"] += len(costs)
        made["incomes"] += len(incomes)
        made["inquiries"] += len(inquiries)
        made["fetched_incomes"] += len(items)
    return made


def run_one(database: str, households: int) -> dict:
    """Build the data on one database and time the month's run; the figures."""
    with tempfile.TemporaryDirectory(prefix="sociala-bench-month-") as folder:
        cluster = _setup(database, Path(folder))
        try:
            return _measure(database, households)
        finally:
            if cluster is not None:
                cluster.stop()


@contextlib.contextmanager
def _timed(part: str):
    """[wall-clock seconds, this process's CPU seconds] spent in the block; ``BENCH_PROFILE=part`` prints its cProfile."""
    elapsed = [0.0, 0.0]
    profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") == part else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    try:
        yield elapsed
    finally:
        if profiler is not None:
            profiler.disable()
        elapsed[0] = time.perf_counter() - started
        elapsed[1] = time.process_time() - cpu
        if profiler is not None:
            pstats.Stats(profiler, stream=sys.stderr).sort_stats(
                os.environ.get("BENCH_PROFILE_SORT", "cumulative")
            ).print_stats(40)


def _measure(database: str, households: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from bench.finance.payment_run import _households
    from sociala.benefits import monthly
    from sociala.benefits.models import Budget
    from sociala.demo.organization import build_city
    from sociala.finance import services
    from sociala.finance.models import CostCentre

    settings.SOCIALA_FINANCE = {"job_runner": "none"}
    city = build_city()
    for index, committee in enumerate(city.districts.values()):
        CostCentre.objects.create(
            district=committee,
            code=f"61{index:02d}",
            name=committee.name,
            updated_by=city.users["controller"],
        )
    t0 = time.perf_counter()
    _households(households, city)
    made = _budgets(households, city)
    setup_seconds = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    actor = city.users["chef.ifo"]
    load_before = os.getloadavg()[0]

    with _timed("calculation") as calculation:
        recalculation = monthly.recalculate_month(actor=actor, month=MONTH)
    with _timed("checks") as checking:
        checks = monthly.check_month(actor=actor, month=MONTH)
    with _timed("payment_run") as paying:
        run, _created = services.start_payment_run(
            actor=actor, payment_date=timezone.localdate() + timedelta(days=2)
        )
        run = services.execute_payment_run(run.pk)
    calculation_seconds, check_seconds, payment_seconds = calculation[0], checking[0], paying[0]
    load_after = os.getloadavg()[0]

    assert recalculation.budgets == households, recalculation.budgets
    assert run.payment_count == households, run.payment_count
    assert Budget.objects.filter(month=MONTH, checked_at__isnull=True).count() == 0
    total = calculation_seconds + check_seconds + payment_seconds
    return {
        "database": database,
        "households": households,
        "rows_inserted": made,
        "budgets_recalculated": len(recalculation.changed),
        "budgets_refused": len(recalculation.refused),
        "budgets_checked": checks.budgets,
        "flags": dict(sorted(checks.flags.items())),
        "payments": run.payment_count,
        "total_sek": str(run.total_amount),
        "seconds_setup_data": round(setup_seconds, 2),
        "seconds_calculation": round(calculation_seconds, 2),
        "seconds_checks": round(check_seconds, 2),
        "seconds_payment_run": round(payment_seconds, 2),
        "seconds_total": round(total, 2),
        # The machine is shared: the CPU time of this process (not the PostgreSQL server's) and the
        # load average before and after say how much of the wall-clock time was waiting for a core.
        "cpu_seconds_calculation": round(calculation[1], 2),
        "cpu_seconds_checks": round(checking[1], 2),
        "cpu_seconds_payment_run": round(paying[1], 2),
        "load_average_before": round(load_before, 1),
        "load_average_after": round(load_after, 1),
        "target_seconds": 60,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=int(os.environ.get("BENCH_HOUSEHOLDS", "25000")))
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    if args.database != "both":
        figures = run_one(args.database, args.households)
    else:
        # One process per database: Django is set up once per process.
        figures = {"benchmark": "benefits.monthly_run", "households": args.households}
        for database in ("sqlite", "postgres"):
            completed = subprocess.run(  # noqa: S603 - this module again, fixed arguments
                [
                    sys.executable,
                    "-m",
                    "bench.benefits.monthly_run",
                    "--database",
                    database,
                    "--households",
                    str(args.households),
                    "--json",
                ],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            if completed.returncode:
                print(completed.stderr.strip(), file=sys.stderr)
                figures[database] = {"error": completed.returncode}
                continue
            figures[database] = json.loads(completed.stdout[completed.stdout.index("{") :])
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    for database, found in (
        [(args.database, figures)]
        if args.database != "both"
        else [(d, figures[d]) for d in ("sqlite", "postgres")]
    ):
        if "error" in found:
            print(f"benefits.monthly_run on {database}: failed ({found['error']})")
            continue
        print(
            f"benefits.monthly_run on {database}: {found['households']:,} households in {found['seconds_total']} s "
            f"(calculation {found['seconds_calculation']} s, checks {found['seconds_checks']} s, "
            f"payment run {found['seconds_payment_run']} s; target 60 s; CPU of this process "
            f"{found['cpu_seconds_calculation'] + found['cpu_seconds_checks'] + found['cpu_seconds_payment_run']:.1f} s, "
            f"load average {found['load_average_before']}; data set up in "
            f"{found['seconds_setup_data']} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
