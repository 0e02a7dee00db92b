"""Communication before a refusal (kommunicering, FL 25 §): the investigation is sent to the client with a
date to answer by; the decision waits until the client has answered or the date has passed."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sociala.care.models import Communication, InterventionKind, Investigation
from sociala.care.selectors import format_scope, kind_labels
from sociala.cases import services as case_services
from sociala.cases.choices import Stage
from sociala.cases.models import Case
from sociala.core.errors import InvalidInput, Message
from sociala.documents.services import render_pdf

from .common import check_care_case, check_past_date, check_text, lock_case, log

MIN_REASONS = 20


def _material(investigation: Investigation | None) -> dict:
    """The investigation as it is sent: background, each described life area, the proposals (Swedish)."""
    if investigation is None:
        return {"background": "", "areas": [], "proposals": []}
    with translation.override("sv"):
        labels = kind_labels()
        return {
            "background": investigation.background,
            "areas": [
                {
                    "area": a.life_area.name,
                    "needs": a.needs,
                    "resources": a.resources,
                    "goals": a.goals,
                    "person_view": a.person_view,
                }
                for a in investigation.assessments.select_related("life_area")
                if not a.is_empty
            ],
            "proposals": [
                {
                    "kind": labels.get(p.intervention_kind, p.intervention_kind),
                    "description": p.description,
                    "scope": format_scope(p.scope_amount, _unit_of(p.intervention_kind)),
                    "goals": p.goals,
                }
                for p in investigation.proposals.all()
            ],
        }


def _unit_of(code: str) -> str:
    kind = InterventionKind.objects.filter(code=code).first()
    return kind.scope_unit if kind else "none"


def _waiting(case: Case, today: date) -> Communication | None:
    """The latest communication the client may still answer."""
    latest = case.care_communications.order_by("-sent_on", "-pk").first()
    if latest is not None and not latest.is_answered_or_passed(today):
        return latest
    return None


@transaction.atomic
def send_communication(
    *, actor, case: Case, considered_refusal: str, sent_on: date | None = None
) -> Communication:
    """Send the investigation to the client with what is considered refused and why, and the last day to
    answer (the deadline rule ``communication_reply``, a deadline on the caseworker's start page)."""
    case = lock_case(case)
    check_care_case(actor, case)
    today = timezone.localdate()
    sent_on = sent_on or today
    errors: dict[str, Message] = {}
    if case.stage != Stage.COMMUNICATION:
        errors["__all__"] = _("Kommunicering görs när utredningen är klar och avslag övervägs.")
    elif _waiting(case, today) is not None:
        errors["__all__"] = _("Ett kommuniceringsbrev väntar redan på svar.")
    reasons = check_text(
        errors,
        "considered_refusal",
        considered_refusal,
        required=_("Skriv vad som kan komma att avslås och varför."),
    )
    if reasons and len(reasons) < MIN_REASONS and "considered_refusal" not in errors:
        errors["considered_refusal"] = _("Skriv vad som kan komma att avslås och varför (minst 20 tecken).")
    check_past_date(errors, "sent_on", sent_on, message=_("Ange när brevet skickas."))
    if sent_on is not None and sent_on < case.received_on:
        errors["sent_on"] = _("Brevet kan inte ha skickats innan ärendet kom in.")
    if errors:
        raise InvalidInput(errors)
    deadline = case_services.open_deadline(
        actor=actor, case=case, rule_code=case_services.COMMUNICATION_REPLY_RULE, starts_on=sent_on
    )
    communication = Communication.objects.create(
        case=case,
        considered_refusal=reasons,
        material=_material(Investigation.objects.filter(case=case).first()),
        sent_on=sent_on,
        reply_due_on=deadline.due_on,
        deadline=deadline,
        sent_by=actor,
    )
    log(actor, "create_care_communication", case, communication, reply_due_on=deadline.due_on.isoformat())
    return communication


@transaction.atomic
def record_communication_reply(
    *, actor, communication: Communication, replied_on: date | None, reply: str
) -> Communication:
    """Record the client's answer (or that the client had nothing to add); the reply deadline is done."""
    case = lock_case(communication.case)
    check_care_case(actor, case)
    communication = Communication.objects.select_for_update().get(pk=communication.pk)
    errors: dict[str, Message] = {}
    if communication.replied_on is not None:
        errors["__all__"] = _("Svaret är redan registrerat.")
    check_past_date(errors, "replied_on", replied_on, message=_("Ange när svaret kom in."))
    if replied_on is not None and replied_on < communication.sent_on:
        errors["replied_on"] = _("Svaret kan inte ha kommit före brevet.")
    reply = check_text(
        errors,
        "reply",
        reply,
        required=_("Skriv vad den enskilde svarade (eller att hen inte hade något att tillägga)."),
    )
    if errors:
        raise InvalidInput(errors)
    communication.replied_on = replied_on
    communication.reply = reply
    communication.reply_recorded_by = actor
    communication.reply_recorded_at = timezone.now()
    communication.save(update_fields=["replied_on", "reply", "reply_recorded_by", "reply_recorded_at"])
    case_services.complete_deadline(actor=actor, deadline=communication.deadline)
    log(actor, "record_care_communication_reply", case, communication)
    return communication


@transaction.atomic
def finish_communication(*, actor, case: Case) -> Case:
    """End the communication step: the client has been sent the material and has answered, or the last
    day to answer has passed. Then the case is ready for the decision."""
    case = lock_case(case)
    check_care_case(actor, case)
    today = timezone.localdate()
    if case.stage != Stage.COMMUNICATION:
        raise InvalidInput({"__all__": _("Ärendet är inte i steget kommunicering.")})
    if not case.care_communications.exists():
        raise InvalidInput({"__all__": _("Skicka kommuniceringsbrevet först.")})
    waiting = _waiting(case, today)
    if waiting is not None:
        raise InvalidInput(
            {
                "__all__": _(
                    "Den enskilde har till och med %(date)s på sig att svara. Registrera svaret eller "
                    "vänta tills dagen har passerat."
                )
                % {"date": waiting.reply_due_on.isoformat()}
            }
        )
    return case_services.complete_step(actor=actor, case=case, step=Stage.COMMUNICATION)


def communication_letter_pdf(communication: Communication) -> bytes:
    """The communication letter as PDF bytes (always Swedish), made from the row as it was sent."""
    case = communication.case
    with translation.override("sv"):
        return render_pdf(
            "care/communication_letter.html",
            {
                "communication": communication,
                "case": case,
                "person": case.person,
                "material": communication.material,
                "municipality_name": settings.SOCIALA_MUNICIPALITY_NAME,
            },
        )
