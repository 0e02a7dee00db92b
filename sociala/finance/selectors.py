"""Reads of the finance app, restricted by its permissions; reads of personal data are logged."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from sociala.access.policy import restrict_cases
from sociala.audit.services import record_event
from sociala.cases.models import Case, Decision
from sociala.people.models import Person

from .choices import HoldReason, PaymentMethod
from .models import BankAccount, CostCentre, Payment, PaymentRun
from .permissions import bank_account_person, may_view_payment_runs


def runs_for_user(user) -> QuerySet[PaymentRun]:
    """Payment runs the user may see (all of them, for the roles that see runs at all)."""
    if not may_view_payment_runs(user):
        return PaymentRun.objects.none()
    return PaymentRun.objects.select_related("started_by")


def run_for_user(user, run_id: int) -> PaymentRun:
    """One run: 404 when missing or not for this user."""
    run = runs_for_user(user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


@dataclass(frozen=True)
class DistrictTotal:
    """A row of the run summary: one district's payments (counts and money only, no persons)."""

    district: str
    cost_centre: str
    count: int
    total: Decimal


def district_totals(run: PaymentRun) -> list[DistrictTotal]:
    rows = (
        Payment.objects.filter(run=run)
        .values("district__name", "cost_centre")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("district__name")
    )
    return [DistrictTotal(r["district__name"], r["cost_centre"], r["count"], r["total"]) for r in rows]


def method_totals(run: PaymentRun) -> dict[str, dict]:
    """Count and sum per payment method: bank account, payment order."""
    rows = Payment.objects.filter(run=run).values("method").annotate(count=Count("pk"), total=Sum("amount"))
    found = {r["method"]: {"count": r["count"], "total": r["total"]} for r in rows}
    return {
        method: {"label": label, **found.get(method, {"count": 0, "total": Decimal(0)})}
        for method, label in PaymentMethod.choices
    }


def held_counts(run: PaymentRun) -> dict[str, dict]:
    """How many decisions were left out, per reason (no persons)."""
    counts: dict[str, int] = {}
    for entry in run.held:
        counts[entry["reason"]] = counts.get(entry["reason"], 0) + 1
    return {reason: {"label": label, "count": counts.get(reason, 0)} for reason, label in HoldReason.choices}


def held_decisions_for_user(user, run: PaymentRun) -> list[tuple[Decision, str]]:
    """The left-out decisions in cases the user may see, with the reason; the read is logged."""
    reasons = {entry["decision"]: entry["reason"] for entry in run.held}
    if not reasons:
        return []
    visible_cases = restrict_cases(Case.objects.all(), user)
    decisions = list(
        Decision.objects.filter(pk__in=reasons, case__in=visible_cases)
        .select_related("case__person")
        .order_by("case__person__last_name", "pk")
    )
    for decision in decisions:
        record_event(
            actor=user,
            action="view_held_payment",
            person_id=decision.case.person_id,
            case_id=decision.case_id,
            object_type="payment_run",
            object_id=run.pk,
        )
    return [(d, HoldReason(reasons[d.pk]).label) for d in decisions]


def cost_centres() -> QuerySet[CostCentre]:
    return CostCentre.objects.select_related("district").order_by("district__name")


def bank_account_page(user, person_id: int) -> tuple[Person, BankAccount | None, list[BankAccount]]:
    """The person, their current way of payment and the history; 404 when out of scope; logged."""
    person = bank_account_person(user, person_id)
    if person is None:
        raise Http404
    accounts = list(BankAccount.objects.filter(person=person).select_related("registered_by"))
    current = next((a for a in accounts if a.ended_at is None), None)
    record_event(actor=user, action="view_bank_account", person_id=person.pk, object_type="bank_account")
    return person, current, accounts
