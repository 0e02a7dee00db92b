"""Decisions in a child's case (in-home interventions and placements, with the placement record), the
LVU path to the administrative court, the follow-up of placements and the child's versioned plans."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.cases import services as cases
from sociala.cases.choices import Outcome, Stage
from sociala.cases.models import Case, Decision
from sociala.children.choices import (
    PLACEMENT_KINDS,
    CourtOutcome,
    InterventionKind,
    LvuGrounds,
    PlacementBasis,
    PlanKind,
    ReviewOutcome,
)
from sociala.children.models import ChildPlan, LvuMatter, Placement, PlacementReview, PlacementVisit
from sociala.core.errors import InvalidInput

from .investigation import close_rule_deadline, locked_child_case, log, open_rule_deadline

NO_INTERVENTION = "none"
SOL_BASIS = "socialtjänstlagen (2025:400)"
LVU_BASIS = "11 § lagen (1990:52) med särskilda bestämmelser om vård av unga"
LVU_CUSTODY_BASIS = "6 § lagen (1990:52) med särskilda bestämmelser om vård av unga"

# The six-monthly deadline a placement opens, by legal basis (rules in sociala/cases/rules_data.py).
REVIEW_RULES = {
    PlacementBasis.SOL: "child_sol_placement_consideration",
    PlacementBasis.LVU_2: "child_lvu_consideration",
    PlacementBasis.LVU_3: "child_lvu_review",
}
LVU_SUBMISSION = "child_lvu_submission"
LVU_COURT_CUSTODY = "child_lvu_court_custody"
LVU_APPLICATION = "child_lvu_application"
MIN_TEXT = 10


def _lvu_allows(case: Case, basis: str) -> bool:
    """Care under LVU needs the court's granted application (2 § or 3 §) or a decided immediate custody."""
    matters = LvuMatter.objects.filter(case=case)
    if basis == PlacementBasis.LVU_6:
        return (
            matters.filter(custody_decided_on__isnull=False)
            .exclude(custody_outcome=CourtOutcome.REFUSED)
            .exists()
        )
    wanted = {PlacementBasis.LVU_2: ("2", "2_3"), PlacementBasis.LVU_3: ("3", "2_3")}[basis]
    return matters.filter(outcome=CourtOutcome.GRANTED, grounds__in=wanted).exists()


@transaction.atomic
def decide_child_case(
    *,
    actor,
    case: Case,
    kind: str,
    description: str,
    period_start: date | None,
    period_end: date | None,
    motivation: str,
    basis: str = "",
    location_name: str = "",
    location_municipality: str = "",
) -> Decision:
    """The investigation ends with a decision: an in-home intervention, a placement, or no intervention.

    The decision and its PDF letter go through ``cases.services.record_decision`` (delegation, stage,
    completeness); a placement also gets its placement record, which is never culled, and its six-monthly
    consideration deadline."""
    case = locked_child_case(actor, case)
    errors: dict[str, str] = {}
    valid_kinds = set(InterventionKind.values) | {NO_INTERVENTION}
    is_placement = kind in PLACEMENT_KINDS
    if kind not in valid_kinds:
        errors["kind"] = _("Välj vad beslutet gäller.")
    if is_placement:
        if basis not in PlacementBasis.values:
            errors["basis"] = _("Ange om placeringen sker enligt SoL eller LVU.")
        elif basis != PlacementBasis.SOL and not _lvu_allows(case, basis):
            errors["basis"] = _(
                "Vård enligt LVU kräver förvaltningsrättens bifall (2 § eller 3 §) eller ett beslut om "
                "omedelbart omhändertagande (6 §). Registrera det under LVU först."
            )
        if not (location_name or "").strip():
            errors["location_name"] = _("Ange var barnet placeras (familjehem, HVB eller boende).")
    if errors:
        raise InvalidInput(errors)
    if kind == NO_INTERVENTION:
        item = {
            "description": (description or "").strip() or str(_("Utredningen avslutas utan insats")),
            "intervention_kind": "",
            "outcome": Outcome.REFUSED,
            "legal_basis": SOL_BASIS,
        }
    else:
        legal = SOL_BASIS
        if is_placement and basis == PlacementBasis.LVU_6:
            legal = LVU_CUSTODY_BASIS
        elif is_placement and basis != PlacementBasis.SOL:
            legal = LVU_BASIS
        label = str(InterventionKind(kind).label)
        where = f", {location_name.strip()}" if is_placement else ""
        item = {
            "description": (description or "").strip() or f"{label}{where}",
            "intervention_kind": kind,
            "outcome": Outcome.GRANTED,
            "legal_basis": legal,
        }
    decision = cases.record_decision(
        actor=actor,
        case=case,
        items=[item],
        period_start=period_start,
        period_end=period_end,
        motivation=motivation,
        legal_basis=item["legal_basis"],
    )
    if is_placement:
        intervention = decision.items.get().intervention
        placement = Placement.objects.create(
            case=case,
            person_id=case.person_id,
            decision=decision,
            intervention=intervention,
            kind=kind,
            basis=basis,
            location_name=location_name.strip()[:200],
            location_municipality=(location_municipality or "").strip()[:100],
            starts_on=intervention.starts_on,
            ends_on=intervention.ends_on,
            recorded_at=timezone.now(),
        )
        if basis in REVIEW_RULES:
            open_rule_deadline(case, REVIEW_RULES[basis], placement.starts_on)
        log(actor, "create_placement", case, placement, kind=kind, basis=basis)
    return decision


# --- LVU ------------------------------------------------------------------------------------------


def _past(errors: dict, key: str, value: date | None, earliest: date | None = None) -> None:
    if value is not None and value > timezone.localdate():
        errors[key] = _("Datumet kan inte ligga i framtiden.")
    elif value is not None and earliest is not None and value < earliest:
        errors[key] = _("Datumet kan inte ligga före det föregående steget.")


@transaction.atomic
def start_lvu_matter(
    *,
    actor,
    case: Case,
    grounds: str,
    court: str,
    custody_decided_on: date | None = None,
    custody_executed_on: date | None = None,
) -> LvuMatter:
    """Start the LVU path: the grounds, the court, and an immediate custody (6 §) if one was decided."""
    case = locked_child_case(actor, case)
    errors: dict[str, str] = {}
    if not case.is_open:
        errors["__all__"] = _("Ärendet är avslutat.")
    if grounds not in LvuGrounds.values:
        errors["grounds"] = _("Välj grund för vård enligt LVU.")
    if not (court or "").strip():
        errors["court"] = _("Ange förvaltningsrätten.")
    _past(errors, "custody_decided_on", custody_decided_on, case.received_on)
    if custody_executed_on is not None and custody_decided_on is None:
        errors["custody_executed_on"] = _("Ange först när omhändertagandet beslutades.")
    _past(errors, "custody_executed_on", custody_executed_on, custody_decided_on)
    if errors:
        raise InvalidInput(errors)
    matter = LvuMatter.objects.create(
        case=case,
        person_id=case.person_id,
        grounds=grounds,
        court=court.strip()[:120],
        custody_decided_on=custody_decided_on,
        custody_executed_on=custody_executed_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if custody_decided_on is not None:
        open_rule_deadline(case, LVU_SUBMISSION, custody_decided_on)
    if custody_executed_on is not None:
        open_rule_deadline(case, LVU_APPLICATION, custody_executed_on)
    log(
        actor,
        "create_lvu_matter",
        case,
        matter,
        grounds=grounds,
        immediate_custody=custody_decided_on is not None,
    )
    return matter


@transaction.atomic
def record_lvu_progress(
    *,
    actor,
    matter: LvuMatter,
    custody_executed_on: date | None = None,
    custody_submitted_on: date | None = None,
    custody_outcome: str = "",
    custody_outcome_on: date | None = None,
    application_sent_on: date | None = None,
    application_reasons: str = "",
    outcome: str = "",
    outcome_on: date | None = None,
) -> LvuMatter:
    """Record the next dates of the LVU path; what is recorded stays (a date is never overwritten)."""
    matter = LvuMatter.objects.select_for_update().get(pk=matter.pk)
    case = locked_child_case(actor, matter.case)
    errors: dict[str, str] = {}
    changes: dict[str, object] = {}

    def take(field: str, value, earliest: date | None = None, needs: str | None = None, message=None):
        if value in (None, ""):
            return
        if getattr(matter, field) not in (None, ""):
            errors[field] = _("Redan registrerat.")
            return
        if needs is not None and getattr(matter, needs) in (None, "") and needs not in changes:
            errors[field] = message
            return
        if isinstance(value, date):
            _past(errors, field, value, earliest)
        changes[field] = value

    no_custody = _("Det finns inget beslut om omedelbart omhändertagande i ärendet.")
    take(
        "custody_executed_on",
        custody_executed_on,
        matter.custody_decided_on,
        "custody_decided_on",
        no_custody,
    )
    take(
        "custody_submitted_on",
        custody_submitted_on,
        matter.custody_decided_on,
        "custody_decided_on",
        no_custody,
    )
    if custody_outcome and custody_outcome not in CourtOutcome.values:
        errors["custody_outcome"] = _("Välj bifall eller avslag.")
    if bool(custody_outcome) != bool(custody_outcome_on):
        errors["custody_outcome_on"] = _("Ange både rättens beslut och datum.")
    take(
        "custody_outcome",
        custody_outcome,
        needs="custody_submitted_on",
        message=_("Registrera först när omhändertagandet underställdes rätten."),
    )
    take("custody_outcome_on", custody_outcome_on, matter.custody_submitted_on or custody_submitted_on)
    take("application_sent_on", application_sent_on, case.received_on)
    if application_sent_on and len((application_reasons or "").strip()) < MIN_TEXT:
        errors["application_reasons"] = _("Sammanfatta ansökans grunder (minst 10 tecken).")
    if outcome and outcome not in CourtOutcome.values:
        errors["outcome"] = _("Välj bifall eller avslag.")
    if bool(outcome) != bool(outcome_on):
        errors["outcome_on"] = _("Ange både rättens dom och datum.")
    take(
        "outcome", outcome, needs="application_sent_on", message=_("Registrera först när ansökan skickades.")
    )
    take("outcome_on", outcome_on, matter.application_sent_on or application_sent_on)
    if errors:
        raise InvalidInput(errors)
    if not changes:
        raise InvalidInput({"__all__": _("Fyll i minst en uppgift.")})
    if application_sent_on:
        changes["application_reasons"] = application_reasons.strip()
    for field, value in changes.items():
        setattr(matter, field, value)
    matter.updated_at = timezone.now()
    matter.save()
    if "custody_executed_on" in changes:
        open_rule_deadline(case, LVU_APPLICATION, matter.custody_executed_on)
    if "custody_submitted_on" in changes:
        close_rule_deadline(case, LVU_SUBMISSION)
        open_rule_deadline(case, LVU_COURT_CUSTODY, matter.custody_submitted_on)
    if "custody_outcome" in changes:
        close_rule_deadline(case, LVU_COURT_CUSTODY)
    if "application_sent_on" in changes:
        close_rule_deadline(case, LVU_APPLICATION)
    log(
        actor,
        "update_lvu_matter",
        case,
        matter,
        fields=sorted(k for k in changes if k != "application_reasons"),
    )
    return matter


# --- follow-up of placements ----------------------------------------------------------------------


def _placement_case(actor, placement: Placement) -> tuple[Placement, Case]:
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    return placement, locked_child_case(actor, placement.case)


@transaction.atomic
def record_placement_visit(
    *, actor, placement: Placement, visited_on: date | None, spoke_alone: bool, notes: str
) -> PlacementVisit:
    """A visit to the placed child, with the date and whether the social worker spoke with the child alone."""
    placement, case = _placement_case(actor, placement)
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = _("Ange datum för besöket.")
    else:
        _past(errors, "visited_on", visited_on, placement.starts_on)
    if len((notes or "").strip()) < MIN_TEXT:
        errors["notes"] = _("Skriv vad som kom fram vid besöket (minst 10 tecken).")
    if errors:
        raise InvalidInput(errors)
    visit = PlacementVisit.objects.create(
        placement=placement,
        visited_on=visited_on,
        spoke_alone=bool(spoke_alone),
        notes=notes.strip(),
        visited_by=actor,
        recorded_at=timezone.now(),
    )
    log(actor, "create_placement_visit", case, visit, placement_id=placement.pk)
    return visit


@transaction.atomic
def record_placement_review(
    *, actor, placement: Placement, reviewed_on: date | None, outcome: str, reasons: str
) -> PlacementReview:
    """The six-monthly consideration (SoL, LVU 2 §) or review (LVU 3 §): the deadline closes, and the
    next one opens from this date while the care goes on."""
    placement, case = _placement_case(actor, placement)
    code = REVIEW_RULES.get(placement.basis)
    errors: dict[str, str] = {}
    if code is None:
        errors["__all__"] = _(
            "Ett omedelbart omhändertagande prövas av förvaltningsrätten, inte genom övervägande."
        )
    elif placement.ends_on is not None and placement.ends_on < timezone.localdate():
        errors["__all__"] = _("Placeringen har upphört.")
    if reviewed_on is None:
        errors["reviewed_on"] = _("Ange datum.")
    else:
        _past(errors, "reviewed_on", reviewed_on, placement.starts_on)
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = _("Välj om vården fortsätter.")
    if len((reasons or "").strip()) < MIN_TEXT:
        errors["reasons"] = _("Skriv skälen (minst 10 tecken).")
    if errors:
        raise InvalidInput(errors)
    review = PlacementReview.objects.create(
        placement=placement,
        rule_code=code,
        reviewed_on=reviewed_on,
        outcome=outcome,
        reasons=reasons.strip(),
        decided_by=actor,
        recorded_at=timezone.now(),
    )
    close_rule_deadline(case, code)
    if outcome == ReviewOutcome.CONTINUE:
        open_rule_deadline(case, code, reviewed_on)
    log(actor, "create_placement_review", case, review, rule=code, outcome=outcome)
    return review


# --- the child's plans ----------------------------------------------------------------------------


@transaction.atomic
def save_child_plan(
    *, actor, case: Case, kind: str, established_on: date | None, goals: str, text: str
) -> ChildPlan:
    """A new version of the child's vårdplan or genomförandeplan; earlier versions stay as they were."""
    case = locked_child_case(actor, case)
    errors: dict[str, str] = {}
    if kind not in PlanKind.values:
        errors["kind"] = _("Välj vårdplan eller genomförandeplan.")
    if case.stage in (Stage.INTAKE, Stage.CLOSED):
        errors["__all__"] = _("En plan upprättas när barnet får en insats eller placeras.")
    if established_on is None:
        errors["established_on"] = _("Ange när planen upprättades.")
    else:
        _past(errors, "established_on", established_on, case.received_on)
    if len((goals or "").strip()) < MIN_TEXT:
        errors["goals"] = _("Skriv målen med insatsen (minst 10 tecken).")
    if len((text or "").strip()) < MIN_TEXT:
        errors["text"] = _("Skriv hur insatsen ska genomföras (minst 10 tecken).")
    if errors:
        raise InvalidInput(errors)
    latest = ChildPlan.objects.filter(case=case, kind=kind).aggregate(v=Max("version"))["v"] or 0
    plan = ChildPlan.objects.create(
        case=case,
        person_id=case.person_id,
        kind=kind,
        version=latest + 1,
        established_on=established_on,
        goals=goals.strip(),
        text=text.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    log(actor, "create_child_plan", case, plan, kind=kind, version=plan.version)
    return plan
