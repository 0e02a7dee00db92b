"""The BBIC investigation: the triangle per area, the child's own view, other sources, the extension of
the four months under delegation, the completion, and the communication to each guardian."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_write_case
from sociala.audit.services import record_event
from sociala.cases import services as cases
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import Case, Deadline
from sociala.children.choices import CommunicationMethod, ConsentStatus, HeardHow, SourceKind
from sociala.children.models import (
    AreaAssessment,
    BbicArea,
    ChildView,
    GuardianCommunication,
    InformationSource,
    Investigation,
    InvestigationExtension,
)
from sociala.children.selectors import CHILD_CASE_TYPE, INVESTIGATION_RULE
from sociala.core.deadlines import compute_deadline
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.choices import RelationKind
from sociala.people.models import Person

# The point of the delegation order that covers extending an investigation beyond four months;
# a delegation for "*" (the unit manager's) covers it too.
EXTENSION_DELEGATION = "child_investigation_extension"
PARTY_RELATIONS = (RelationKind.GUARDIAN, RelationKind.TRUSTEE)
MIN_TEXT = 10
MIN_REASONS = 20


def log(actor, action: str, case: Case, obj, **details) -> None:
    """A write in a child's case, in the audit log (flagged when made under emergency access)."""
    cases._log(actor, action, case, obj, **details)


def locked_child_case(actor, case: Case) -> Case:
    """The child's case, locked for the write, when the actor may write in it (else NotPermitted)."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("case_type", "process", "person", "district")
        .get(pk=case.pk)
    )
    if case.case_type.code != CHILD_CASE_TYPE or not can_write_case(actor, case):
        raise NotPermitted
    return case


def open_rule_deadline(case: Case, code: str, start: date) -> Deadline:
    """Open a deadline in the case by the rule in force on the start day (rules are data)."""
    rule = cases.rule_in_force(code, start)
    computed = compute_deadline(start, rule.amount, rule.unit, moves_to_working_day=rule.moves_to_working_day)
    return Deadline.objects.create(
        case=case,
        rule=rule,
        title=rule.name,
        starts_on=start,
        calendar_due_on=computed.calendar_due_on,
        due_on=computed.due_on,
        assigned_to=case.assigned_to,
    )


def close_rule_deadline(case: Case, code: str) -> int:
    """Mark the case's open deadlines of a rule as done."""
    return case.deadlines.filter(rule__code=code, status=DeadlineStatus.OPEN).update(
        status=DeadlineStatus.DONE, done_at=timezone.now()
    )


def ensure_investigation(case: Case) -> Investigation | None:
    """The case's investigation, created from its four-month deadline once the case is investigated."""
    found = Investigation.objects.filter(case=case).first()
    if found is not None:
        return found
    deadline = case.deadlines.filter(rule__code=INVESTIGATION_RULE).order_by("pk").first()
    if deadline is None:
        return None
    return Investigation.objects.create(
        case=case,
        person_id=case.person_id,
        started_on=deadline.starts_on,
        calendar_due_on=deadline.calendar_due_on,
        due_on=deadline.due_on,
    )


def areas_in_force(on: date) -> list[BbicArea]:
    """The triangle's areas valid on a date: the latest version of each code."""
    rows = BbicArea.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    latest: dict[str, BbicArea] = {}
    for area in rows.order_by("code", "-valid_from"):
        latest.setdefault(area.code, area)
    return sorted(latest.values(), key=lambda a: (a.position, a.code))


def parties_of(child: Person) -> list[Person]:
    """The child's guardians (and a god man, for a child without guardians here): the parties."""
    today = timezone.localdate()
    return list(
        Person.objects.filter(
            related_to__person=child,
            related_to__kind__in=PARTY_RELATIONS,
        )
        .filter(Q(related_to__valid_to__isnull=True) | Q(related_to__valid_to__gte=today))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _ongoing(actor, case: Case, stage: str = Stage.INVESTIGATION) -> tuple[Case, Investigation]:
    case = locked_child_case(actor, case)
    investigation = ensure_investigation(case)
    if investigation is None:
        raise InvalidInput({"__all__": _("Ingen utredning är inledd i ärendet.")})
    if case.stage != stage:
        if stage == Stage.INVESTIGATION:
            raise InvalidInput({"__all__": _("Utredningen är avslutad och kan inte ändras.")})
        raise InvalidInput({"__all__": _("Ärendet är inte i steget kommunicering.")})
    return case, investigation


def _past_date(errors: dict, key: str, value: date | None, earliest: date, message) -> None:
    if value is None:
        errors[key] = message
    elif value > timezone.localdate():
        errors[key] = _("Datumet kan inte ligga i framtiden.")
    elif value < earliest:
        errors[key] = _("Datumet kan inte ligga före ärendets start.")


@transaction.atomic
def save_area_assessment(*, actor, case: Case, area_code: str, text: str) -> AreaAssessment:
    """Document what the investigation found in one area of the triangle (a new text replaces the old)."""
    case, investigation = _ongoing(actor, case)
    areas = {a.code: a for a in areas_in_force(investigation.started_on)}
    errors: dict[str, str] = {}
    if area_code not in areas:
        errors["area"] = _("Välj ett område i BBIC-triangeln.")
    if len((text or "").strip()) < MIN_TEXT:
        errors["text"] = _("Beskriv vad utredningen visar inom området (minst 10 tecken).")
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    assessment, created = AreaAssessment.objects.select_for_update().get_or_create(
        investigation=investigation,
        area=areas[area_code],
        defaults={"text": text.strip(), "recorded_by": actor, "recorded_at": now, "updated_at": now},
    )
    if not created:
        assessment.text, assessment.recorded_by, assessment.updated_at = text.strip(), actor, now
        assessment.save(update_fields=["text", "recorded_by", "updated_at"])
    log(actor, "save_bbic_area", case, assessment, area=area_code, created=created)
    return assessment


@transaction.atomic
def record_child_view(
    *, actor, case: Case, heard_on: date | None, heard_how: str, present: str, view: str
) -> ChildView:
    """Document the child's own view, and how the child was heard, in a record of its own."""
    case, investigation = _ongoing(actor, case)
    errors: dict[str, str] = {}
    _past_date(errors, "heard_on", heard_on, case.received_on, _("Ange när barnet hördes."))
    if heard_how not in HeardHow.values:
        errors["heard_how"] = _("Välj hur barnet hördes.")
    if len((view or "").strip()) < MIN_TEXT:
        errors["view"] = (
            _("Skriv varför barnet inte har hörts (minst 10 tecken).")
            if heard_how == HeardHow.NOT_HEARD
            else _("Skriv barnets egen syn, gärna med barnets ord (minst 10 tecken).")
        )
    if errors:
        raise InvalidInput(errors)
    record = ChildView.objects.create(
        investigation=investigation,
        heard_on=heard_on,
        heard_how=heard_how,
        present=(present or "").strip()[:300],
        view=view.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    log(actor, "create_child_view", case, record, heard_how=heard_how)
    return record


@transaction.atomic
def record_information_source(
    *,
    actor,
    case: Case,
    source_kind: str,
    source_name: str,
    contacted_on: date | None,
    what: str,
    consent: str,
) -> InformationSource:
    """Record another source consulted: who, when, what they said, and whether there was consent."""
    case, investigation = _ongoing(actor, case)
    errors: dict[str, str] = {}
    if source_kind not in SourceKind.values:
        errors["source_kind"] = _("Välj vilken sorts källa.")
    if not (source_name or "").strip():
        errors["source_name"] = _("Ange vem som lämnade uppgifterna.")
    _past_date(errors, "contacted_on", contacted_on, case.received_on, _("Ange när kontakten togs."))
    if len((what or "").strip()) < MIN_TEXT:
        errors["what"] = _("Skriv vad källan uppgav (minst 10 tecken).")
    if consent not in ConsentStatus.values:
        errors["consent"] = _("Ange om det finns samtycke till kontakten.")
    if errors:
        raise InvalidInput(errors)
    source = InformationSource.objects.create(
        investigation=investigation,
        source_kind=source_kind,
        source_name=source_name.strip()[:200],
        contacted_on=contacted_on,
        what=what.strip(),
        consent=consent,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    log(actor, "create_information_source", case, source, source_kind=source_kind, consent=consent)
    return source


def extension_delegation(actor, case: Case, on: date):
    """The actor's delegation to extend the investigation, if any."""
    for delegation in actor.delegations.all():
        if delegation.covers(EXTENSION_DELEGATION, case.district_id, on):
            return delegation
    return None


@transaction.atomic
def extend_investigation(
    *, actor, case: Case, new_due_on: date | None, reasons: str
) -> InvestigationExtension:
    """Extend the four months for special reasons (SoL 20:3), under delegation: the deadline moves."""
    case = locked_child_case(actor, case)
    investigation = ensure_investigation(case)
    if investigation is None:
        raise InvalidInput({"__all__": _("Ingen utredning är inledd i ärendet.")})
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    today = timezone.localdate()
    delegation = extension_delegation(actor, case, today)
    errors: dict[str, str] = {}
    if delegation is None:
        errors["__all__"] = _("Du har inte delegation att förlänga utredningstiden.")
    elif case.stage not in (Stage.INVESTIGATION, Stage.COMMUNICATION, Stage.DECISION):
        errors["__all__"] = _("Utredningen är redan avslutad med beslut.")
    if new_due_on is None:
        errors["new_due_on"] = _("Ange det nya slutdatumet.")
    elif new_due_on <= investigation.due_on:
        errors["new_due_on"] = _("Det nya datumet ska ligga efter nuvarande slutdatum.")
    if len((reasons or "").strip()) < MIN_REASONS:
        errors["reasons"] = _("Skriv de särskilda skälen till förlängningen (minst 20 tecken).")
    if errors:
        raise InvalidInput(errors)
    extension = InvestigationExtension.objects.create(
        investigation=investigation,
        previous_due_on=investigation.due_on,
        new_due_on=new_due_on,
        reasons=reasons.strip(),
        decided_on=today,
        decided_by=actor,
        delegation_reference=delegation.reference,
        recorded_at=timezone.now(),
    )
    investigation.due_on = new_due_on
    investigation.save(update_fields=["due_on"])
    # The deadline moves; an escalation of the old date no longer holds.
    case.deadlines.filter(rule__code=INVESTIGATION_RULE, status=DeadlineStatus.OPEN).update(
        due_on=new_due_on, calendar_due_on=new_due_on, escalated_to=None, escalated_at=None
    )
    log(
        actor,
        "extend_child_investigation",
        case,
        extension,
        previous_due_on=extension.previous_due_on.isoformat(),
        new_due_on=new_due_on.isoformat(),
        delegation=delegation.reference,
    )
    return extension


@transaction.atomic
def complete_investigation(*, actor, case: Case, summary: str) -> Investigation:
    """End the investigation with the overall assessment; the case moves on to communication."""
    case, investigation = _ongoing(actor, case)
    errors: dict[str, str] = {}
    documented = set(investigation.areas.values_list("area__code", flat=True))
    missing = [a.label for a in areas_in_force(investigation.started_on) if a.code not in documented]
    if missing:
        errors["__all__"] = _("Dokumentera alla områden i triangeln först: %(areas)s") % {
            "areas": ", ".join(missing)
        }
    elif not investigation.child_views.exists():
        errors["__all__"] = _("Dokumentera barnets egen syn först (eller varför barnet inte har hörts).")
    if len((summary or "").strip()) < MIN_REASONS:
        errors["summary"] = _("Skriv den samlade bedömningen (minst 20 tecken).")
    if errors:
        raise InvalidInput(errors)
    investigation.completed_on = timezone.localdate()
    investigation.completed_by = actor
    investigation.summary = summary.strip()
    investigation.save(update_fields=["completed_on", "completed_by", "summary"])
    cases.complete_step(actor=actor, case=case, step=Stage.INVESTIGATION, data={"refusal_intended": False})
    log(actor, "complete_child_investigation", case, investigation)
    return investigation


@transaction.atomic
def record_guardian_communication(
    *,
    actor,
    case: Case,
    guardian: Person,
    sent_on: date | None,
    method: str,
    reply_due_on: date | None,
) -> GuardianCommunication:
    """Send the investigation to one guardian for comments (FL 25 §), with the date a reply is due."""
    case, investigation = _ongoing(actor, case, Stage.COMMUNICATION)
    errors: dict[str, str] = {}
    if guardian.pk not in {p.pk for p in parties_of(case.person)}:
        errors["guardian"] = _("Välj en av barnets vårdnadshavare.")
    _past_date(errors, "sent_on", sent_on, case.received_on, _("Ange när utredningen skickades."))
    if method not in CommunicationMethod.values:
        errors["method"] = _("Välj hur utredningen skickades.")
    if reply_due_on is None:
        errors["reply_due_on"] = _("Ange sista dag för svar.")
    elif sent_on is not None and reply_due_on <= sent_on:
        errors["reply_due_on"] = _("Sista dag för svar ska ligga efter den dag utredningen skickades.")
    if errors:
        raise InvalidInput(errors)
    communication = GuardianCommunication.objects.create(
        investigation=investigation,
        guardian=guardian,
        guardian_name=guardian.full_name[:200],
        sent_on=sent_on,
        method=method,
        reply_due_on=reply_due_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    log(actor, "create_guardian_communication", case, communication, guardian_id=guardian.pk)
    return communication


@transaction.atomic
def record_guardian_reply(
    *, actor, communication: GuardianCommunication, replied_on: date | None, reply: str
) -> GuardianCommunication:
    """Record one guardian's reply to the communication."""
    communication = GuardianCommunication.objects.select_for_update().get(pk=communication.pk)
    case = locked_child_case(actor, communication.investigation.case)
    errors: dict[str, str] = {}
    if communication.replied_on is not None:
        errors["__all__"] = _("Svaret är redan registrerat.")
    _past_date(errors, "replied_on", replied_on, communication.sent_on, _("Ange när svaret kom in."))
    if replied_on is not None and replied_on < communication.sent_on:
        errors["replied_on"] = _("Svaret kan inte ha kommit före utskicket.")
    if len((reply or "").strip()) < 2:
        errors["reply"] = _("Skriv vad vårdnadshavaren svarade (eller att hen inte hade något att tillägga).")
    if errors:
        raise InvalidInput(errors)
    communication.replied_on = replied_on
    communication.reply = reply.strip()
    communication.reply_recorded_at = timezone.now()
    communication.save(update_fields=["replied_on", "reply", "reply_recorded_at"])
    log(actor, "record_guardian_reply", case, communication, guardian_id=communication.guardian_id)
    return communication


def communication_status(investigation: Investigation, parties: list[Person], today: date):
    """Per party: the latest communication, and whether the party has had the chance to answer."""
    latest: dict[int, GuardianCommunication] = {}
    for c in investigation.communications.order_by("sent_on", "pk"):
        latest[c.guardian_id] = c
    rows = []
    for person in parties:
        c = latest.get(person.pk)
        done = c is not None and (c.replied_on is not None or c.reply_due_on < today)
        rows.append((person, c, done))
    return rows


@transaction.atomic
def finish_communication(*, actor, case: Case) -> Case:
    """Every guardian has been sent the investigation and answered or let the reply date pass."""
    case, investigation = _ongoing(actor, case, Stage.COMMUNICATION)
    parties = parties_of(case.person)
    if not parties:
        raise InvalidInput(
            {
                "__all__": _(
                    "Barnet har ingen registrerad vårdnadshavare. Registrera relationen i personakten."
                )
            }
        )
    waiting = [
        p.full_name
        for p, _c, done in communication_status(investigation, parties, timezone.localdate())
        if not done
    ]
    if waiting:
        raise InvalidInput(
            {
                "__all__": _("Vänta på svar eller på sista svarsdag från: %(names)s")
                % {"names": ", ".join(waiting)}
            }
        )
    case = cases.complete_step(actor=actor, case=case, step=Stage.COMMUNICATION)
    record_event(
        actor=actor,
        action="finish_guardian_communication",
        person_id=case.person_id,
        case_id=case.pk,
        object_type="investigation",
        object_id=investigation.pk,
        details={"parties": [p.pk for p in parties]},
    )
    return case
