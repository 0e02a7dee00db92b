"""The month's run: the batch checks flag exactly as the per-budget checks do, in a fixed number of
queries; the batch recalculation writes only what changed; the run pays the approved decisions."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sociala.accounts.models import User
from sociala.audit.models import AuditEvent
from sociala.benefits import monthly
from sociala.benefits.budget import BudgetInput, MemberInput
from sociala.benefits.budget_choices import CheckKind
from sociala.benefits.checks import findings_for
from sociala.benefits.models import Budget, BudgetFlag, CheckRules, IncomeSupportDecision
from sociala.cases.choices import Stage
from sociala.cases.models import Case
from sociala.core.errors import NotPermitted
from sociala.finance.models import CostCentre, PaymentRun
from sociala.finance.tests.factories import give_account, make_decision
from sociala.tests.factories import make_person

from . import test_budget_support as support
from .test_budget_support import MARCH, income, make_budget, open_income_case, single, upload
from .test_checks import answered

applicant, case = support.applicant, support.case

FEBRUARY = date(2026, 2, 1)
JANUARY = date(2026, 1, 1)


def couple(person, partner_number, housing=7000) -> BudgetInput:
    return BudgetInput(
        members=(
            MemberInput(role="applicant", personal_identity_number=person.personal_identity_number),
            MemberInput(role="partner", personal_identity_number=partner_number, name="Per Partner"),
        ),
        costs={"housing": (housing, None)},
    )


def varied_month(city) -> list[Budget]:
    """March budgets that make every check fire somewhere and stay quiet elsewhere."""
    made = []
    # Eleven singles in Rinkeby-Kista, one far above the others' housing; two with receipts.
    for index in range(11):
        person = make_person(city)
        own = open_income_case(city, person)
        housing = 14000 if index == 10 else 6000 + 50 * index
        receipts = {"housing": upload(city, own).pk} if index < 2 else None
        made.append(make_budget(city, own, data=single(person, housing=housing, receipts=receipts)))
    # A person with a history of 6000 a month and 9000 in March (the rules are data: two months will do).
    CheckRules.objects.update(cost_min_history=2)
    person = make_person(city)
    own = open_income_case(city, person)
    for month in (JANUARY, FEBRUARY):
        make_budget(city, own, month=month, data=single(person, housing=6000))
    made.append(make_budget(city, own, data=single(person, housing=9000, electricity=400)))
    # Reported incomes against answers: a difference, an agency error, a gross amount, nothing fetched.
    person = make_person(city)
    budget = make_budget(
        city,
        open_income_case(city, person),
        data=single(person, incomes=[income("housing_allowance", 1000), income("pension", 2000)]),
    )
    answered(budget, [("FK", "housing_allowance", 1310, True), ("FK", "activity_support", 8630, False)])
    made.append(budget)
    person = make_person(city)
    budget = make_budget(
        city, open_income_case(city, person), data=single(person, incomes=[income("housing_allowance", 900)])
    )
    answered(budget, [("FK", "housing_allowance", 1310, True)], agency_errors=[{"agency": "FK"}])
    answered(budget, [("SO", "unemployment_benefit", 5000, True)], number=person.personal_identity_number)
    made.append(budget)
    # A partner who is also the applicant of a household in Bromma.
    partner = make_person(city, district="Bromma", first_name="Per", last_name="Partner")
    person = make_person(city)
    made.append(
        make_budget(
            city, open_income_case(city, person), data=couple(person, partner.personal_identity_number)
        )
    )
    bromma = open_income_case(city, partner, username="handlaggare.ifo.bromma")
    made.append(make_budget(city, bromma, data=single(partner), username="handlaggare.ifo.bromma"))
    return made


def stored(budget) -> list[tuple[str, dict]]:
    return [(f.kind, f.params) for f in BudgetFlag.objects.filter(budget=budget).order_by("pk")]


def test_the_month_flags_every_budget_exactly_as_the_per_budget_checks_do(city):
    budgets = varied_month(city)
    one_by_one = {b.pk: findings_for(b) for b in budgets}
    kinds = {kind for found in one_by_one.values() for kind, _params in found}
    assert kinds == set(CheckKind.values)  # the data set makes every check fire somewhere

    assert monthly.month_findings(MARCH) == one_by_one
    BudgetFlag.objects.all().delete()
    result = monthly.check_month(actor=city.users["chef.ifo"], month=MARCH)

    assert result.budgets == len(budgets)
    assert {b.pk: stored(b) for b in budgets} == one_by_one
    assert sum(result.flags.values()) == sum(len(found) for found in one_by_one.values())
    assert Budget.objects.filter(month=MARCH, checked_at__isnull=True).count() == 0
    event = AuditEvent.objects.filter(action="check_budgets").get()
    assert event.details["budgets"] == len(budgets)


def test_a_district_run_keeps_the_two_household_flags_of_other_districts_in_step(city):
    partner = make_person(city, district="Bromma")
    person = make_person(city)
    ours = make_budget(
        city, open_income_case(city, person), data=couple(person, partner.personal_identity_number)
    )
    bromma = open_income_case(city, partner, username="handlaggare.ifo.bromma")
    theirs = make_budget(city, bromma, data=single(partner), username="handlaggare.ifo.bromma")
    BudgetFlag.objects.all().delete()

    monthly.check_month(actor=city.users["chef.ifo"], month=MARCH, district=city.districts["Rinkeby-Kista"])

    assert [kind for kind, _p in stored(ours)] == ["two_households", "missing_receipt"]
    # Bromma's budget was outside the run; its two-household flag is there again, its others untouched.
    assert stored(theirs) == [k for k in findings_for(theirs) if k[0] == "two_households"]
    assert stored(theirs)[0][1]["other_budget_id"] == ours.pk


def test_checking_a_month_costs_the_same_number_of_queries_for_two_budgets_or_eight(city):
    actor = city.users["chef.ifo"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            monthly.check_month(actor=User.objects.get(pk=actor.pk), month=MARCH)
        return len(queries)

    for _ in range(2):
        person = make_person(city)
        budget = make_budget(city, open_income_case(city, person), data=single(person, electricity=1200))
        answered(budget, [("FK", "housing_allowance", 1310, True)])
    few = count()
    for _ in range(6):
        person = make_person(city)
        budget = make_budget(city, open_income_case(city, person), data=single(person, electricity=1200))
        answered(budget, [("FK", "housing_allowance", 1310, True)])
    assert count() == few
    assert BudgetFlag.objects.filter(budget__month=MARCH).count() == 8 * 3  # income, 2 receipts each


def test_the_month_is_recalculated_in_a_fixed_number_of_queries_and_only_changes_are_written(city):
    budgets = varied_month(city)
    right = {b.pk: (b.assistance, b.lines, b.rule_version) for b in budgets}
    wrong = budgets[3]
    Budget.objects.filter(pk=wrong.pk).update(assistance=1, norm=0, lines=[])
    closed = budgets[4]
    Case.objects.filter(pk=closed.case_id).update(stage=Stage.CLOSED)
    Budget.objects.filter(pk=closed.pk).update(assistance=2)
    lines_only = budgets[5]  # the same figures, but the explained lines are not what the rules give
    Budget.objects.filter(pk=lines_only.pk).update(lines=[])

    with CaptureQueriesContext(connection) as queries:
        result = monthly.recalculate_month(actor=city.users["chef.ifo"], month=MARCH)

    assert result.budgets == len(budgets) - 1  # the closed case's budget is left alone
    assistance = right[lines_only.pk][0]
    assert result.changed == [(wrong.pk, 1, right[wrong.pk][0]), (lines_only.pk, assistance, assistance)]
    assert result.refused == []
    wrong.refresh_from_db()
    assert (wrong.assistance, wrong.lines, wrong.rule_version) == right[wrong.pk]
    assert Budget.objects.get(pk=closed.pk).assistance == 2
    # The actor's roles, the rule table (5 reads), three input reads, the budgets and the stored lines of
    # those whose figures came out the same, one write, the audit event.
    assert len(queries) <= 19
    lines_only.refresh_from_db()
    assert lines_only.lines == right[lines_only.pk][1]
    event = AuditEvent.objects.filter(action="recalculate_budgets").get()
    assert event.details["changed"][0] == [wrong.pk, wrong.case_id, 1, right[wrong.pk][0]]


def test_a_decided_budget_keeps_the_figures_it_was_decided_on(city):
    budgets = varied_month(city)
    decided, open_one = budgets[0], budgets[1]
    IncomeSupportDecision.objects.create(
        decision=make_decision(city),
        budget=decided,
        month=decided.month,
        norm=decided.norm,
        reasonable_costs=decided.reasonable_costs,
        reasonable_costs_applied=decided.reasonable_costs,
        counted_income=decided.counted_income,
        assistance=decided.assistance,
    )
    Budget.objects.filter(pk__in=[decided.pk, open_one.pk]).update(assistance=1)

    result = monthly.recalculate_month(actor=city.users["chef.ifo"], month=MARCH)

    assert result.budgets == len(budgets) - 1
    assert Budget.objects.get(pk=decided.pk).assistance == 1  # as stored when decided: not rewritten
    assert [pk for pk, _before, _after in result.changed] == [open_one.pk]


def test_only_the_unit_manager_or_the_system_runs_the_month_and_a_refusal_changes_nothing(city, case):
    budget = make_budget(city, case)
    Budget.objects.filter(pk=budget.pk).update(assistance=1)
    BudgetFlag.objects.all().delete()
    for username in ("handlaggare.ifo", "controller"):
        with pytest.raises(NotPermitted):
            monthly.run_month(actor=city.users[username], month=MARCH)
    assert Budget.objects.get(pk=budget.pk).assistance == 1
    assert BudgetFlag.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["recalculate_budgets", "check_budgets"]).exists()


def test_the_month_run_pays_the_approved_decisions(city, case, settings):
    settings.SOCIALA_FINANCE = {"job_runner": "none"}
    make_budget(city, case)
    CostCentre.objects.create(
        district=city.districts["Rinkeby-Kista"], code="6100", name="RK", updated_by=city.users["controller"]
    )
    decision = make_decision(city, case.person)
    give_account(city, case.person)

    done = monthly.run_month(
        actor=city.users["chef.ifo"], month=MARCH, payment_date=timezone.localdate() + timedelta(days=2)
    )

    assert done.recalculation.budgets == 1
    assert done.checks.budgets == 1
    run = PaymentRun.objects.get()
    assert done.payment_run == run
    assert (run.status, run.payment_count, run.total_amount) == ("completed", 1, 12140)
    assert run.payments.get().decision_id == decision.pk
    assert run.bank_file.name and run.accounting_file.name


def test_the_command_runs_the_month_as_the_system_and_refuses_to_pay_without_a_unit_manager(city, case):
    make_budget(city, case)
    Budget.objects.update(assistance=1)
    out = io.StringIO()

    call_command("run_month", "--month", "2026-03", stdout=out)

    assert (
        out.getvalue()
        == "2026-03: 1 budgets, 1 recalculated with new figures, 0 refused by the rules; 1 flags.\n"
    )
    assert AuditEvent.objects.get(action="recalculate_budgets").username == "sociala-system"
    with pytest.raises(CommandError, match="sociala-system may not run the month or pay"):
        call_command("run_month", "--month", "2026-03", "--payment-date", "2099-01-01")
    assert not PaymentRun.objects.exists()
    assert (
        AuditEvent.objects.filter(action="recalculate_budgets").count() == 1
    )  # the refused run wrote nothing


def test_the_benchmarks_month_runs_with_a_fixed_number_of_reads(city, settings):
    """A smoke test of ``bench.benefits.monthly_run`` on 30 households: the batch path's query count."""
    from bench.benefits.monthly_run import MONTH as BENCH_MONTH
    from bench.benefits.monthly_run import _budgets
    from bench.finance.payment_run import _households

    settings.SOCIALA_FINANCE = {"job_runner": "none"}
    for code, name in enumerate(city.districts):
        CostCentre.objects.create(
            district=city.districts[name], code=f"61{code}", name=name, updated_by=city.users["controller"]
        )
    _households(30, city)
    made = _budgets(30, city)
    assert made["budgets"] == 30 * 4
    actor = User.objects.get(username="chef.ifo")

    with CaptureQueriesContext(connection) as queries:
        done = monthly.run_month(
            actor=actor, month=BENCH_MONTH, payment_date=timezone.localdate() + timedelta(days=2)
        )
    writes = ("INSERT", "UPDATE", "DELETE")
    reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert (done.recalculation.budgets, len(done.recalculation.changed), done.checks.budgets) == (30, 30, 30)
    assert done.payment_run.payment_count == 30
    # Recalculation, checks and the payment run (one chunk); the per-budget path reads ~10 times a budget.
    assert len(reads) <= 50
    assert sum(q["sql"].startswith(writes) for q in queries.captured_queries) <= 20
