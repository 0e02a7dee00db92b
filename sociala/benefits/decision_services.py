"""The month's decision in an income-support case, made from the budget: one decision per application.

The försörjningsstöd item is the calculation (norm + reasonable costs − counted income); what was
applied for is the norm and the costs the person applied for (the e-application's, else the budget's)
less the same incomes, so a cost accepted at a lower amount makes the item partly granted. Items beyond
the norm (livsföring i övrigt) are added one by one, each granted, partly granted or refused with a
motivation. The decision goes through ``cases.services.record_decision`` (delegation, communication
before a refusal, completeness), and the letter with the budget calculation is written here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sociala.cases import services as case_services
from sociala.cases.choices import Outcome
from sociala.cases.models import Case, Decision
from sociala.core.errors import InvalidInput, Message
from sociala.core.money import format_sek
from sociala.documents.models import Document
from sociala.documents.services import render_pdf, store_generated_pdf

from .budget import INCOME_SUPPORT_CASE_TYPE, lines_from_data
from .choices import BeyondNormItem, LinePart, ReasonableCost
from .explanations import line_text
from .models import Budget, IncomeSupportDecision
from .norms import month_label

ALREADY_DECIDED = _("Månaden är redan beslutad.")
NOT_INCOME_SUPPORT = _("Beslut från en budget fattas bara i ärenden om ekonomiskt bistånd.")
KIND_MISSING = _("Välj vad posten gäller.")
APPLIED_MISSING = _("Ange sökt belopp i hela kronor.")
GRANTED_FULL = _("Vid bifall är beviljat belopp detsamma som det sökta.")
GRANTED_PART = _("Vid delvis bifall är beviljat belopp mer än 0 och mindre än det sökta.")
GRANTED_NONE = _("Vid avslag är beviljat belopp 0 kr.")
OUTCOME_MISSING = _("Välj bifall, delvis bifall eller avslag.")
MOTIVATION_NEEDED = _("Skriv varför (minst 20 tecken): delvis bifall och avslag ska motiveras.")
SUPPORT_MOTIVATION_NEEDED = _(
    "Skriv varför biståndet blir lägre än det sökta (minst 20 tecken), till exempel vilken kostnad som "
    "inte godtas fullt ut."
)
MIN_MOTIVATION = 20


@dataclass(frozen=True)
class BeyondNormInput:
    """An item beyond the norm as the caseworker decides it: amounts in whole kronor."""

    kind: str
    description: str = ""
    applied: int | None = None
    granted: int | None = None
    outcome: str = ""
    motivation: str = ""


@dataclass(frozen=True)
class Proposal:
    """The decision as the budget and the application suggest it, before the caseworker changes it."""

    budget: Budget
    costs_applied: dict[str, int]
    reasonable_costs_applied: int
    applied_assistance: int
    support_outcome: str
    beyond_norm: tuple[BeyondNormInput, ...] = field(default_factory=tuple)

    @property
    def assistance(self) -> int:
        return max(self.budget.assistance, 0)

    @property
    def support_outcome_label(self) -> str:
        return str(Outcome(self.support_outcome).label)


def _submitted(case: Case, month: date) -> dict:
    """The e-application's checked answers for the month, if the case came from one."""
    application = getattr(case, "income_support_application", None)
    if application is None or application.month != month:
        return {}
    return application.submitted or {}


def outcome_of_amounts(applied: int, granted: int) -> str:
    """Granted when all, refused when nothing, else partly granted."""
    if granted <= 0:
        return Outcome.REFUSED
    if granted >= applied:
        return Outcome.GRANTED
    return Outcome.PARTLY_GRANTED


def proposal_for(budget: Budget) -> Proposal:
    """Pre-fill the month's decision from the budget and the application."""
    submitted = _submitted(budget.case, budget.month)
    costs = {c.item: c.amount for c in budget.costs.all()}
    applied = dict(costs)
    for item, amount in (submitted.get("reasonable_costs") or {}).items():
        if item in ReasonableCost.values and isinstance(amount, int):
            applied[item] = amount
    applied_total = sum(applied.values())
    applied_assistance = max(
        budget.norm + max(applied_total, budget.reasonable_costs) - budget.counted_income, 0
    )
    beyond = tuple(
        BeyondNormInput(
            kind=row.get("kind") if row.get("kind") in BeyondNormItem.values else BeyondNormItem.OTHER,
            description=(row.get("description") or "").strip(),
            applied=row.get("amount"),
            granted=row.get("amount"),
            outcome=Outcome.GRANTED,
        )
        for row in submitted.get("other_costs") or []
        if isinstance(row.get("amount"), int) and row.get("amount") > 0
    )
    return Proposal(
        budget=budget,
        costs_applied=applied,
        reasonable_costs_applied=max(applied_total, budget.reasonable_costs),
        applied_assistance=applied_assistance,
        support_outcome=outcome_of_amounts(applied_assistance, budget.assistance),
        beyond_norm=beyond,
    )


def _check_beyond_norm(items: list[BeyondNormInput]) -> tuple[list[BeyondNormInput], dict[str, Message]]:
    errors: dict[str, Message] = {}
    clean = []
    for index, item in enumerate(items):
        key = f"beyond_norm.{index}"
        if item.kind not in BeyondNormItem.values:
            errors[f"{key}.kind"] = KIND_MISSING
        if item.applied is None or item.applied <= 0:
            errors[f"{key}.applied"] = APPLIED_MISSING
            clean.append(item)
            continue
        granted = item.granted or 0
        if item.outcome == Outcome.GRANTED and granted != item.applied:
            errors[f"{key}.granted"] = GRANTED_FULL
        elif item.outcome == Outcome.PARTLY_GRANTED and not 0 < granted < item.applied:
            errors[f"{key}.granted"] = GRANTED_PART
        elif item.outcome == Outcome.REFUSED and granted != 0:
            errors[f"{key}.granted"] = GRANTED_NONE
        elif item.outcome not in Outcome.values:
            errors[f"{key}.outcome"] = OUTCOME_MISSING
        if item.outcome in (Outcome.PARTLY_GRANTED, Outcome.REFUSED) and (
            len(item.motivation.strip()) < MIN_MOTIVATION
        ):
            errors[f"{key}.motivation"] = MOTIVATION_NEEDED
        clean.append(replace(item, granted=granted, description=item.description.strip()))
    return clean, errors


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _support_scope(budget: Budget, proposal: Proposal) -> str:
    with translation.override("sv"):
        return str(
            _("Norm %(norm)s + skäliga kostnader %(costs)s − inkomster %(income)s")
            % {
                "norm": format_sek(budget.norm),
                "costs": format_sek(budget.reasonable_costs),
                "income": format_sek(budget.counted_income),
            }
        )


def _items(budget: Budget, proposal: Proposal, support_motivation: str, beyond: list[BeyondNormInput]):
    case = budget.case
    with translation.override("sv"):
        support = {
            "description": str(_("Försörjningsstöd för %(month)s") % {"month": month_label(budget.month)}),
            "outcome": proposal.support_outcome,
            "scope": _support_scope(budget, proposal),
            "amount": proposal.assistance,
            "legal_basis": case.case_type.legal_basis,
            "motivation": support_motivation.strip(),
        }
        items = [support]
        for item in beyond:
            label = str(BeyondNormItem(item.kind).label)
            items.append(
                {
                    "description": f"{label}: {item.description}" if item.description else label,
                    "outcome": item.outcome,
                    "scope": str(_("Sökt %(amount)s") % {"amount": format_sek(item.applied or 0)}),
                    "amount": item.granted or 0,
                    "legal_basis": case.case_type.legal_basis,
                    "motivation": item.motivation.strip(),
                }
            )
    return items


@transaction.atomic
def decide_month(
    *,
    actor,
    budget: Budget,
    motivation: str,
    support_motivation: str = "",
    beyond_norm: list[BeyondNormInput] | tuple[BeyondNormInput, ...] = (),
    automation: dict | None = None,
) -> Decision:
    """Make the month's one decision from the budget: the försörjningsstöd item and each item beyond the
    norm, with the letter (outcome, calculation, items, reasons, legal basis, appeal).

    ``automation`` is for the automated batch only (rule set, inputs, matched rules)."""
    budget = (
        Budget.objects.select_for_update(of=("self",)).select_related("case__case_type").get(pk=budget.pk)
    )
    if budget.case.case_type.code != INCOME_SUPPORT_CASE_TYPE:
        raise InvalidInput({"__all__": NOT_INCOME_SUPPORT})
    if IncomeSupportDecision.objects.filter(budget=budget).exists():
        raise InvalidInput({"__all__": ALREADY_DECIDED})
    proposal = proposal_for(budget)
    beyond, errors = _check_beyond_norm(list(beyond_norm))
    if proposal.support_outcome != Outcome.GRANTED and len(support_motivation.strip()) < MIN_MOTIVATION:
        errors["support_motivation"] = SUPPORT_MOTIVATION_NEEDED
    if errors:
        raise InvalidInput(errors)
    decision = case_services.record_decision(
        actor=actor,
        case=budget.case,
        items=_items(budget, proposal, support_motivation, beyond),
        period_start=budget.month,
        period_end=_month_end(budget.month),
        motivation=motivation,
        produce_letter=False,
        is_automated=automation is not None,
    )
    IncomeSupportDecision.objects.create(
        decision=decision,
        budget=budget,
        month=budget.month,
        norm=budget.norm,
        reasonable_costs=budget.reasonable_costs,
        reasonable_costs_applied=proposal.reasonable_costs_applied,
        counted_income=budget.counted_income,
        assistance=proposal.assistance,
        is_automated=automation is not None,
        rule_set=(automation or {}).get("rule_set"),
        inputs=(automation or {}).get("inputs", {}),
        matched_rules=(automation or {}).get("matched_rules", []),
    )
    store_month_letter(actor=actor, decision=decision)
    return decision


def calculation_rows(budget_lines: list[dict]) -> list[tuple[str, str, list[tuple[str, int]]]]:
    """The calculation's lines by part, in words: (part code, part label, [(text, amount)])."""
    lines = lines_from_data(budget_lines)
    return [
        (part, str(label), [(line_text(line), line.amount) for line in lines if line.part == part])
        for part, label in LinePart.choices
    ]


def month_letter_pdf(decision: Decision) -> bytes:
    """The month's decision letter as PDF (Swedish): outcome first, then the calculation and the items."""
    record = IncomeSupportDecision.objects.select_related("budget", "rule_set").get(decision=decision)
    items = list(decision.items.all())
    with translation.override("sv"):
        return render_pdf(
            "benefits/decision_letter.html",
            {
                "decision": decision,
                "record": record,
                "case": decision.case,
                "person": decision.case.person,
                "items": items,
                "granted_total": sum(i.amount or 0 for i in items if i.outcome != Outcome.REFUSED),
                "parts": calculation_rows(record.budget.lines),
                "month_text": month_label(record.month),
                "municipality_name": settings.SOCIALA_MUNICIPALITY_NAME,
            },
        )


def store_month_letter(*, actor, decision: Decision) -> Document:
    """Produce the month's letter and keep it in the case file, under the title the portal looks for."""
    return store_generated_pdf(
        actor=actor,
        person=decision.case.person,
        case=decision.case,
        kind=Document.Kind.DECISION_LETTER,
        title=f"Beslut {decision.reference}",
        data=month_letter_pdf(decision),
    )
