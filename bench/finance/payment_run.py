"""Benchmark: the payment part of the monthly income-support run for 25,000 households on SQLite.

    SOCIALA_DEMO_MODE=1 .venv/bin/python -m bench.finance [--households 25000]

Builds a throw-away SQLite database (in a temporary folder, WAL like production) with the demo
organisation, 25,000 decided income-support cases (one per household, 80 % with a bank account,
20 % paid by payment order, spread over the 14 districts), then times what a payment run does:
collect the payable decisions, insert one payment per decision (with its audit event), build
the pain.001.001.03 file and validate it against the XSD, build the SIE 4i file, complete the
run. Prints seconds; never fails on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def _setup(folder: Path) -> None:
    os.environ.setdefault("SOCIALA_DEMO_MODE", "1")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["SOCIALA_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sociala.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _households(count: int, city) -> None:
    """Persons, decided cases, decisions with items and bank accounts, in bulk."""
    from django.utils import timezone

    from sociala.cases.choices import IntakeKind, Outcome, Stage
    from sociala.cases.models import Case, CaseType, Decision, DecisionItem
    from sociala.finance.models import BankAccount
    from sociala.people.choices import NumberKind
    from sociala.people.models import Person

    kind = CaseType.objects.get(code="income_support_application")
    districts = list(city.districts)
    caseworker = city.users["handlaggare.ifo"]
    today = timezone.localdate()
    batch = 2000
    for start in range(0, count, batch):
        numbers = range(start, min(start + batch, count))
        persons = Person.objects.bulk_create(
            Person(
                personal_identity_number=f"99{n:010d}",
                number_kind=NumberKind.PERSONAL_IDENTITY_NUMBER,
                first_name="Bench",
                last_name=f"Hushåll {n}",
                first_name_key="bench",
                last_name_key=f"hushåll {n}",
                birth_date=date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
                street_address=f"Bänkgatan {n % 200 + 1}",
                postal_code="16440",
                city="Kista",
                district=city.districts[districts[n % len(districts)]],
                is_synthetic=True,
            )
            for n in numbers
        )
        cases = Case.objects.bulk_create(
            Case(
                person=person,
                case_type=kind,
                service_area=kind.service_area,
                unit=city.unit(districts[n % len(districts)], "individual_family"),
                district=city.districts[districts[n % len(districts)]],
                stage=Stage.FOLLOW_UP,
                reference=f"BENCH-{n:07d}",
                intake_kind=IntakeKind.APPLICATION,
                received_on=today,
                sought="Försörjningsstöd",
            )
            for n, person in zip(numbers, persons, strict=True)
        )
        decisions = Decision.objects.bulk_create(
            Decision(
                case=case,
                reference=f"BB-{n:07d}",
                outcome=Outcome.GRANTED,
                sought="Försörjningsstöd",
                period_start=date(today.year, today.month, 1),
                legal_basis="4 kap. 1 § SoL",
                motivation="Benchmark",
                decided_by=caseworker,
                delegation_reference="3.1.1",
                decided_on=today,
                appeal_instructions="-",
            )
            for n, case in zip(numbers, cases, strict=True)
        )
        DecisionItem.objects.bulk_create(
            DecisionItem(
                decision=decision,
                description=description,
                outcome=Outcome.GRANTED,
                amount=amount + n % 1000,
                legal_basis="4 kap. 1 § SoL",
            )
            for n, decision in zip(numbers, decisions, strict=True)
            for description, amount in (("Riksnorm", 5220), ("Boendekostnad", 6500))
        )
        BankAccount.objects.bulk_create(
            BankAccount(
                person=person,
                method="bank_account",
                clearing_number="3300",
                account_number=f"{7000000000 + n}",
                registered_by=caseworker,
            )
            for n, person in zip(numbers, persons, strict=True)
            if n % 5
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=25_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sociala-bench-finance-") as folder:
        _setup(Path(folder))
        from django.conf import settings
        from django.utils import timezone

        from sociala.demo.organization import build_city
        from sociala.finance import pain001, services
        from sociala.finance.conf import finance_config
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
        _households(args.households, city)
        setup_seconds = time.perf_counter() - t0

        t0 = time.perf_counter()
        run, _created = services.start_payment_run(
            actor=city.users["chef.ifo"], payment_date=timezone.localdate() + timedelta(days=2)
        )
        run = services.execute_payment_run(run.pk)
        run_seconds = time.perf_counter() - t0
        assert run.payment_count == args.households, run.payment_count

        # The file part on its own: build the pain.001 from the run's payments and validate it.
        transfers = services.run_transfers(run)
        t0 = time.perf_counter()
        data = pain001.build_pain001(
            message_id=run.message_id,
            created_at=timezone.localtime(),
            payment_date=run.payment_date,
            transfers=transfers,
            config=finance_config(),
        )
        build_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        pain001.validate_pain001(data)
        validate_seconds = time.perf_counter() - t0

        figures = {
            "benchmark": "finance.payment_run",
            "database": "sqlite",
            "households": args.households,
            "payments": run.payment_count,
            "payment_orders": run.payment_order_count,
            "total_sek": str(run.total_amount),
            "bank_file_bytes": len(data),
            "seconds_setup_data": round(setup_seconds, 2),
            "seconds_payment_run": round(run_seconds, 2),
            "seconds_pain001_build": round(build_seconds, 2),
            "seconds_pain001_validate": round(validate_seconds, 2),
        }
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
