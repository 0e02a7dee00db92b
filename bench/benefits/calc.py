"""Income-support calculations per second in one process: ``python -m bench.benefits.calc``.

Generates varied households (deterministic from ``--seed``: 1–11 persons, couples and single parents,
other adults, children of every age with and without preschool lunch, part-time children, salaries with
and without job stimulus, children's work income, benefits), builds the March 2026 rule table once from
``sociala/benefits/rules_data.py`` (no database needed), and times ``calculate`` over all of them.
``--render`` also times calculating and turning each result into the API's response body (Swedish).
The target in issue 3 is at least 10,000 calculations per second.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sociala.settings")
    os.environ.setdefault("SOCIALA_DEMO_MODE", "1")
    import django

    django.setup()


def rules_data_table(month: date):
    """The rule table of ``month`` from rules_data.py, through unsaved rows (no database)."""
    from sociala.benefits import rules_data
    from sociala.benefits.models import (
        JobStimulus,
        NationalNorm,
        NationalNormChildCost,
        NationalNormCommonCost,
        PriceBaseAmount,
    )
    from sociala.benefits.norms import build_norm_table

    (row,) = [r for r in rules_data.NATIONAL_NORMS if r["valid_from"] <= month <= r["valid_to"]]
    norm = NationalNorm(**{k: v for k, v in row.items() if k not in ("child_costs", "common_costs")})
    (pbb,) = [
        PriceBaseAmount(valid_from=f, valid_to=t, amount=a, legal_source=s)
        for f, t, a, s in rules_data.PRICE_BASE_AMOUNTS
        if f <= month <= t
    ]
    (job,) = [
        JobStimulus(valid_from=f, valid_to=t, disregarded_share=share, legal_source=s)
        for f, t, share, s in rules_data.JOB_STIMULUS
        if f <= month and (t is None or month <= t)
    ]
    return build_norm_table(
        month,
        norm=norm,
        child_costs=[
            NationalNormChildCost(norm=norm, age_from=a, age_to=b, amount=x, amount_with_preschool_lunch=y)
            for a, b, x, y in row["child_costs"]
        ],
        common_costs=[
            NationalNormCommonCost(norm=norm, household_size=n, amount=x)
            for n, x in row["common_costs"].items()
        ],
        price_base_amount=pbb,
        job_stimulus=job,
    )


def households(count: int, seed: int) -> list:
    """``count`` varied, valid households."""
    from sociala.benefits.calculation import Household, Income, Member, ReasonableCosts

    rng = random.Random(seed)
    benefits = ["child_allowance", "housing_allowance", "maintenance_support", "sickness_benefit", "pension"]
    found = []
    for _ in range(count):
        members = [Member("applicant", rng.randint(18, 90))]
        if rng.random() < 0.35:
            members.append(Member("partner", rng.randint(18, 90)))
        if rng.random() < 0.08:
            members.append(Member("other_adult", rng.randint(18, 60)))
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 2, 3, 4, 6, 8))):
            age = rng.randint(0, 20)
            members.append(
                Member(
                    "child",
                    age,
                    preschool_lunch=age <= 6 and rng.random() < 0.7,
                    days_in_household=rng.choice((None, None, None, 15, 10)),
                    work_income_earlier_this_year=rng.choice((0, 0, 30_000, 58_000)) if age >= 16 else 0,
                )
            )
        incomes = []
        for index, member in enumerate(members):
            if member.role != "child" and rng.random() < 0.4:
                incomes.append(Income(index, "employment", rng.randint(1_000, 25_000), rng.random() < 0.3))
            elif member.role == "child" and member.age >= 16 and rng.random() < 0.3:
                incomes.append(Income(index, "employment", rng.randint(500, 9_000)))
        if any(m.role == "child" for m in members):
            incomes.append(Income(None, "child_allowance", 1250 * sum(m.role == "child" for m in members)))
        if rng.random() < 0.5:
            incomes.append(Income(0, rng.choice(benefits), rng.randint(500, 12_000)))
        costs = ReasonableCosts(
            housing=rng.randint(3_000, 16_000),
            household_electricity=rng.choice((0, 300, 450, 700)),
            work_travel=rng.choice((0, 0, 970)),
            home_insurance=rng.choice((0, 120, 180)),
            union_fee=rng.choice((0, 0, 250)),
            unemployment_fund_fee=rng.choice((0, 0, 160)),
        )
        found.append(Household(members=tuple(members), reasonable_costs=costs, incomes=tuple(incomes)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--render", action="store_true", help="also time the API response body")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)

    _setup_django()
    from django.utils import translation

    from sociala.benefits.calculation import calculate

    table = rules_data_table(date(2026, 3, 1))
    work = households(args.households, args.seed)

    # Each result is consumed as it comes, as the monthly run would: holding 200,000 results would
    # time the garbage collector rescanning them, not the calculation.
    total_assistance = with_assistance = lines = 0
    started = time.perf_counter()
    for household in work:
        result = calculate(household, table)
        total_assistance += result.assistance
        with_assistance += result.assistance > 0
        lines += len(result.lines)
    elapsed = time.perf_counter() - started
    figures = {
        "benchmark": "benefits.calc",
        "households": len(work),
        "seconds": round(elapsed, 3),
        "calculations_per_second": round(len(work) / elapsed),
        "lines_per_household": round(lines / len(work), 1),
        "total_assistance": total_assistance,
        "households_with_assistance": with_assistance,
    }
    if args.render:
        from sociala.benefits.api import calculation_out

        with translation.override("sv"):
            started = time.perf_counter()
            for household in work:
                calculation_out(calculate(household, table))
            figures["calculated_and_rendered_per_second"] = round(len(work) / (time.perf_counter() - started))

    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"benefits.calc: {figures['calculations_per_second']:,} calculations/s "
            f"({figures['households']:,} households in {figures['seconds']} s, "
            f"{figures['lines_per_household']} lines each; target 10,000/s)"
        )
        if "calculated_and_rendered_per_second" in figures:
            rendered = figures["calculated_and_rendered_per_second"]
            print(f"benefits.calc: {rendered:,} calculations/s with the API response body (texts in Swedish)")
        print(
            f"  total assistance {figures['total_assistance']:,} kr, "
            f"{figures['households_with_assistance']:,} households with assistance"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
