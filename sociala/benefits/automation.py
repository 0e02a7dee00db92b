"""Automated decisions for standard months: the district switch, the batch, the sampling and the review.

Off by default. An administrator switches a district on under a delegation to the automated
decision-maker (a row in the district's delegation order, ``may_refuse`` off); every switch is audited.
The batch evaluates the DMN table in force (``dmn_table``) on each month's budget that is ready for a
decision in a switched-on district: a "yes" is decided at once as a full grant through the same
``decide_month`` a caseworker uses, with the rule version, the inputs and the matched rules stored;
anything else stays with the caseworker with the table's reason. Only grants are ever automated: the
table's rules send every other outcome to a person, the batch checks the proposal is a full grant, and
``record_decision`` refuses anything else from the automated decision-maker.

A share of the automated decisions (``AutomationRules.review_share``) is picked for review by a person:
the decisions are ordered by a seeded hash of their reference and the first ones taken, so that the
share of each month is exact and the same picks come out on a rerun.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.models import Delegation, User
from sociala.accounts.services.administration import admin_scope
from sociala.audit.services import record_event
from sociala.cases.choices import Outcome, Stage
from sociala.core.errors import InvalidInput, Message, NotPermitted
from sociala.organization.models import Committee

from . import dmn_table
from .budget import INCOME_SUPPORT_CASE_TYPE, add_months
from .budget_choices import CheckKind
from .checks import latest_answers
from .choices import ReviewStatus
from .decision_services import decide_month, proposal_for
from .models import (
    AutomationEvaluation,
    AutomationRules,
    AutomationRuleSet,
    Budget,
    DistrictAutomation,
    IncomeSupportDecision,
)
from .norms import month_label

AUTOMATION_USERNAME = "sociala-automatiska-beslut"
DELEGATION_MISSING = _(
    "Ange punkten i delegationsordningen som ger det automatiska beslutsfattandet rätt att besluta."
)
REVIEW_NOTE_NEEDED = _("Skriv vad som ska ändras (minst 20 tecken).")
ALREADY_REVIEWED = _("Beslutet är redan granskat.")
NO_RULES = _("Det finns inga regler för automatiska beslut för %(month)s.")
AUTOMATED_MOTIVATION = (
    "Beslutet är fattat automatiskt. Din ansökan är ett standardärende: hushållet och kostnaderna är "
    "desamma som förra månaden, inkomsterna stämmer med dem vi har hämtat från myndigheterna och "
    "biståndet är beräknat enligt riksnormen och dina skäliga kostnader."
)

# What each reason code of the table means, in the caseworker's language (the table's own annotation is
# shown when a new version brings a code this list does not know).
REASONS = {
    "flags": _("Kontrollerna flaggade budgeten."),
    "household_changed": _("Hushållet har ändrats sedan förra månaden."),
    "incomes_not_verified": _("Inkomsterna är inte hämtade eller stämmer inte med de redovisade."),
    "beyond_norm": _("Ansökan gäller poster utöver normen."),
    "costs_reduced": _("Kostnaderna godtas inte fullt ut som de söktes."),
    "no_assistance": _("Beräkningen ger inget bistånd; ett avslag prövas alltid av en person."),
    "assistance_changed": _("Biståndet ändras mer än toleransen sedan förra månaden."),
    "previous_not_by_person": _("Förra månadens beslut fattades inte av en person."),
    "standard_case": _("Standardärende: alla villkor för ett automatiskt bifall är uppfyllda."),
    "no_rule": _("Ingen regel i beslutstabellen passade."),
    "not_a_full_grant": _("Förslaget är inte ett fullt bifall."),
    "not_decided": _(
        "Beslutet kunde inte fattas automatiskt (delegation eller ärendets steg); en person beslutar."
    ),
}


INPUT_LABELS = {
    "flag_count": _("Flaggor från kontrollerna"),
    "household_unchanged": _("Hushållet oförändrat sedan förra månaden"),
    "incomes_verified": _("Redovisade inkomster stämmer med hämtade"),
    "beyond_norm_items": _("Poster utöver normen"),
    "costs_as_applied": _("Kostnaderna godtas som de söktes"),
    "assistance": _("Bistånd enligt beräkningen (kr)"),
    "assistance_change": _("Ändring av biståndet sedan förra månaden (kr)"),
    "tolerance": _("Tolerans (kr)"),
    "previous_decided_by_person": _("Förra månadens beslut fattades av en person"),
}


def inputs_in_words(inputs: dict) -> list[tuple[str, str]]:
    """The stored inputs of a decision as (label, value) in the active language."""
    rows = []
    for key, value in inputs.items():
        if isinstance(value, bool):
            shown = str(_("Ja")) if value else str(_("Nej"))
        else:
            shown = str(value)
        rows.append((str(INPUT_LABELS.get(key, key)), shown))
    return rows


def reason_text(code: str, matched: list[dict] | None = None) -> str:
    """The reason in words: the known code's text, else the rule's annotation from the table."""
    if code in REASONS:
        return str(REASONS[code])
    for rule in matched or []:
        if rule.get("id") == code and rule.get("description"):
            return rule["description"]
    return code


def automation_user() -> User:
    """The automated decision-maker: an account that cannot sign in and decides only under delegation."""
    user, created = User.objects.get_or_create(
        username=AUTOMATION_USERNAME,
        defaults={"first_name": "Automatiskt", "last_name": "beslut", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def rule_set_for(month: date) -> AutomationRuleSet:
    """The version of the decision table in force on the first day of ``month``."""
    found = AutomationRuleSet.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if found is None and not AutomationRuleSet.objects.exists():
        _ensure_rows()
        found = AutomationRuleSet.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if found is None:
        raise LookupError(str(NO_RULES % {"month": month_label(month)}))
    return found


def rules_for(month: date) -> AutomationRules:
    """The tolerance, review share and seed in force on the first day of ``month``."""
    found = AutomationRules.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if found is None and not AutomationRules.objects.exists():
        _ensure_rows()
        found = AutomationRules.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if found is None:
        raise LookupError(str(NO_RULES % {"month": month_label(month)}))
    return found


def _ensure_rows() -> None:
    # A flushed test database (browser tests) has lost the migration's rows.
    from .automation_rules_data import load_initial_automation_rules

    load_initial_automation_rules(AutomationRuleSet, AutomationRules)


# --- the district switch ------------------------------------------------------------------------------


def enabled_districts() -> set[int]:
    """The districts (committee ids) where automated decisions are switched on."""
    return set(DistrictAutomation.objects.filter(is_enabled=True).values_list("committee_id", flat=True))


def may_switch(actor, committee: Committee) -> bool:
    """System administrators, and local administrators of the district."""
    return admin_scope(actor).covers_district(committee.pk)


@transaction.atomic
def set_district_automation(
    *, actor, committee: Committee, enabled: bool, delegation_reference: str = ""
) -> DistrictAutomation:
    """Switch automated decisions on or off for a district; on needs the point of the delegation order
    under which the automated decision-maker decides (a delegation that may grant, never refuse)."""
    if not may_switch(actor, committee):
        raise NotPermitted
    today = timezone.localdate()
    setting = DistrictAutomation.objects.select_for_update().filter(committee=committee).first()
    errors: dict[str, Message] = {}
    reference = (delegation_reference or "").strip()
    if enabled and not reference:
        errors["delegation_reference"] = DELEGATION_MISSING
    if errors:
        raise InvalidInput(errors)
    machine = automation_user()
    active = Delegation.objects.filter(
        user=machine, committee=committee, case_type=INCOME_SUPPORT_CASE_TYPE, valid_from__lte=today
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    delegation = None
    if enabled:
        delegation = active.filter(reference=reference, may_refuse=False).first()
        if delegation is None:
            active.update(valid_to=today - timedelta(days=1))
            delegation = Delegation.objects.create(
                user=machine,
                committee=committee,
                case_type=INCOME_SUPPORT_CASE_TYPE,
                reference=reference,
                may_refuse=False,
                valid_from=today,
            )
    else:
        active.update(valid_to=today - timedelta(days=1))
    if setting is None:
        setting = DistrictAutomation(committee=committee, changed_by=actor)
    setting.is_enabled = enabled
    setting.delegation = delegation
    setting.changed_by = actor
    setting.changed_at = timezone.now()
    setting.save()
    record_event(
        actor=actor,
        action="enable_income_support_automation" if enabled else "disable_income_support_automation",
        object_type="district_automation",
        object_id=setting.pk,
        details={"committee": committee.name, "delegation": reference if enabled else ""},
    )
    return setting


# --- the inputs and the batch ------------------------------------------------------------------------


def _member_keys(budget: Budget) -> set[tuple]:
    return {
        ("n", m.personal_identity_number) if m.personal_identity_number else ("p", m.role, m.age)
        for m in budget.members.all()
    }


def inputs_for(budget: Budget, tolerance: int) -> dict:
    """The table's inputs for a month's budget, from the budget, last month's and the checks' flags."""
    previous = Budget.objects.filter(
        case__person_id=budget.case.person_id, month=add_months(budget.month, -1)
    ).first()
    flags = list(budget.flags.all())
    previous_decision = (
        IncomeSupportDecision.objects.filter(budget=previous).select_related("decision").first()
        if previous is not None
        else None
    )
    proposal = proposal_for(budget)
    return {
        "flag_count": len(flags),
        "household_unchanged": previous is not None and _member_keys(previous) == _member_keys(budget),
        "incomes_verified": bool(latest_answers(budget))
        and not any(f.kind == CheckKind.INCOME_DIFFERS for f in flags),
        "beyond_norm_items": len(proposal.beyond_norm),
        "costs_as_applied": proposal.reasonable_costs_applied == budget.reasonable_costs,
        "assistance": budget.assistance,
        "assistance_change": abs(budget.assistance - previous.assistance)
        if previous is not None
        else budget.assistance,
        "tolerance": tolerance,
        "previous_decided_by_person": previous_decision is not None
        and not previous_decision.is_automated
        and previous_decision.decision.outcome != Outcome.REFUSED,
    }


def is_full_grant(inputs: dict) -> bool:
    """Whether the month's proposal is a grant in full: assistance to pay, nothing reduced or beyond."""
    return inputs["assistance"] > 0 and inputs["costs_as_applied"] and inputs["beyond_norm_items"] == 0


@dataclass
class RunResult:
    """What a batch did: decisions made, months left to caseworkers, and decisions picked for review."""

    decided: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    sampled: list[int] = field(default_factory=list)


def candidates(month: date, committee_ids: set[int] | None = None):
    """The month's budgets in switched-on districts, ready for a decision and not yet decided."""
    enabled = DistrictAutomation.objects.filter(is_enabled=True).values_list("committee_id", flat=True)
    budgets = Budget.objects.filter(
        month=month,
        case__case_type__code=INCOME_SUPPORT_CASE_TYPE,
        case__district_id__in=enabled,
        case__stage=Stage.DECISION,
        decisions__isnull=True,
    )
    if committee_ids is not None:
        budgets = budgets.filter(case__district_id__in=committee_ids)
    return budgets.select_related("case__case_type", "case__person").order_by("pk")


def run_automated_decisions(*, actor, month: date, committee_ids: set[int] | None = None) -> RunResult:
    """Decide the month's standard cases in switched-on districts (safe to run twice: a decided month is
    not a candidate again), leave the rest to the caseworkers with the reason, and pick the review share."""
    month = month.replace(day=1)
    rule_set, rules = rule_set_for(month), rules_for(month)
    machine = automation_user()
    result = RunResult()
    for budget in candidates(month, committee_ids):
        inputs = inputs_for(budget, rules.assistance_tolerance)
        evaluation = dmn_table.evaluate(rule_set.source, inputs)
        automate = evaluation.automate and is_full_grant(inputs)
        reason = evaluation.reason if evaluation.automate == automate else "not_a_full_grant"
        evaluation_row = {
            "budget": budget,
            "rule_set": rule_set,
            "inputs": inputs,
            "matched_rules": evaluation.matched_data(),
        }
        if not automate:
            AutomationEvaluation.objects.create(**evaluation_row, reason=reason, is_automated=False)
            result.left.append(budget.pk)
            continue
        try:
            with transaction.atomic():
                decision = decide_month(
                    actor=machine,
                    budget=budget,
                    motivation=AUTOMATED_MOTIVATION,
                    automation={
                        "rule_set": rule_set,
                        "inputs": inputs,
                        "matched_rules": evaluation.matched_data(),
                    },
                )
                AutomationEvaluation.objects.create(**evaluation_row, reason=reason, is_automated=True)
        except (InvalidInput, NotPermitted):
            # record_decision said no (e.g. the delegation ended meanwhile): a person decides.
            AutomationEvaluation.objects.create(**evaluation_row, reason="not_decided", is_automated=False)
            result.left.append(budget.pk)
        else:
            result.decided.append(decision.pk)
    result.sampled = pick_for_review(month, rules)
    record_event(
        actor=actor,
        action="run_income_support_automation",
        object_type="list",
        details={
            "month": month_label(month),
            "rule_version": rule_set.version,
            "decided": len(result.decided),
            "left": len(result.left),
            "sampled": len(result.sampled),
        },
    )
    return result


def sampling_key(seed: str, reference: str) -> str:
    return hashlib.sha256(f"{seed}:{reference}".encode()).hexdigest()


def choose_for_review(share: Decimal, seed: str, references: list[str], *, already: int) -> list[str]:
    """Which of the not yet picked decisions (by reference) to pick, so that ``already`` + picked is the
    share of all of them, rounded half up; the order is the seeded hash, so a rerun picks the same."""
    total = len(references) + already
    target = int((share * total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    ordered = sorted(references, key=lambda reference: sampling_key(seed, reference))
    return ordered[: max(target - already, 0)]


@transaction.atomic
def pick_for_review(month: date, rules: AutomationRules) -> list[int]:
    """Flag for review as many of the month's automated decisions as make the share exact."""
    automated = list(
        IncomeSupportDecision.objects.select_for_update(of=("self",))
        .filter(month=month, is_automated=True)
        .select_related("decision")
    )
    already = sum(1 for r in automated if r.review_status)
    by_reference = {r.decision.reference: r for r in automated if not r.review_status}
    picked = [
        by_reference[reference]
        for reference in choose_for_review(
            rules.review_share, rules.sampling_seed, list(by_reference), already=already
        )
    ]
    IncomeSupportDecision.objects.filter(pk__in=[r.pk for r in picked]).update(
        review_status=ReviewStatus.TO_REVIEW
    )
    return [r.decision_id for r in picked]


def review_list(user):
    """Automated decisions picked for review in the units the user manages or works in."""
    from sociala.access.policy import scope_for

    units = scope_for(user).case_unit_ids
    return (
        IncomeSupportDecision.objects.filter(
            review_status=ReviewStatus.TO_REVIEW, decision__case__unit_id__in=units
        )
        .select_related("decision__case__person", "rule_set")
        .order_by("month", "pk")
    )


# --- the review by a person --------------------------------------------------------------------------


@transaction.atomic
def review_automated_decision(
    *, actor, record: IncomeSupportDecision, confirm: bool, note: str = ""
) -> IncomeSupportDecision:
    """A person's review of a picked automated decision: confirmed, or marked to be changed (the
    caseworker then reconsiders it, omprövning); the review is audited."""
    from sociala.access.policy import scope_for

    record = (
        IncomeSupportDecision.objects.select_for_update(of=("self",))
        .select_related("decision__case")
        .get(pk=record.pk)
    )
    case = record.decision.case
    if (
        case.unit_id not in scope_for(actor).manager_unit_ids
        and case.unit_id not in scope_for(actor).case_unit_ids
    ):
        raise NotPermitted
    if record.review_status != ReviewStatus.TO_REVIEW:
        raise InvalidInput({"__all__": ALREADY_REVIEWED})
    note = (note or "").strip()
    if not confirm and len(note) < 20:
        raise InvalidInput({"note": REVIEW_NOTE_NEEDED})
    record.review_status = ReviewStatus.CONFIRMED if confirm else ReviewStatus.CHANGED
    record.reviewed_by = actor
    record.reviewed_at = timezone.now()
    record.review_note = note
    record.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note"])
    record_event(
        actor=actor,
        action="review_automated_decision",
        person_id=case.person_id,
        case_id=case.pk,
        object_type="decision",
        object_id=record.decision_id,
        details={"status": record.review_status},
    )
    return record
