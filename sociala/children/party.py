"""What a guardian, as a party (FL 10 §), may see of a child's case in the portal, and the reply they send.

Decision record 0021: a guardian with custody sees, for each child in their custody, the child's cases:
the stage in words, the communications addressed to them (with the reply date, and a reply they send
here), and the decisions with a letter addressed to them. Never the reports of concern (who reported
is secret, OSL 26:5), never another guardian's communication, never the child's own view, never the
investigation's working notes. When the child or another guardian has protected identity, nothing that
reveals where they live is shown: the child's address, the district and unit, the caseworker, the
placement's location; such words are also blanked out of the texts shown.

The guardian is not a staff user: reads and the reply are written by the system actor, and the audit
event names the guardian (``person_id`` is the child, ``details.guardian`` the guardian).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.cases.choices import Stage
from sociala.cases.models import Case, Decision
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.choices import RelationKind
from sociala.people.models import Person

from .models import GuardianCommunication
from .selectors import CHILD_CASE_TYPE

MAX_REPLY = 5000
HIDDEN = "[skyddad uppgift]"

STATUS_TEXT = {
    Stage.INTAKE: _("Vi har fått en anmälan och bedömer om vi ska utreda barnets situation."),
    Stage.INVESTIGATION: _("Vi utreder barnets situation."),
    Stage.COMMUNICATION: _("Utredningen är klar. Du får läsa den och säga vad du tycker innan vi beslutar."),
    Stage.DECISION: _("Vi ska besluta om barnet ska få stöd eller skydd."),
    Stage.INTERVENTION: _("Beslutet gäller. Barnet får det stöd eller skydd som beslutet säger."),
    Stage.FOLLOW_UP: _("Beslutet gäller. Vi följer upp hur det går för barnet."),
    Stage.CLOSED: _("Ärendet är avslutat."),
}


def children_in_custody(guardian: Person) -> list[Person]:
    """The children whom the population register names this person guardian of, today."""
    today = timezone.localdate()
    return list(
        Person.objects.filter(
            relations__related=guardian,
            relations__kind=RelationKind.GUARDIAN,
        )
        .filter(Q(relations__valid_to__isnull=True) | Q(relations__valid_to__gte=today))
        .distinct()
        .order_by("birth_date", "pk")
    )


def other_guardians(child: Person, guardian: Person) -> list[Person]:
    """The child's other guardians (the other side, seen from this guardian)."""
    today = timezone.localdate()
    return list(
        Person.objects.filter(related_to__person=child, related_to__kind=RelationKind.GUARDIAN)
        .filter(Q(related_to__valid_to__isnull=True) | Q(related_to__valid_to__gte=today))
        .exclude(pk=guardian.pk)
        .distinct()
    )


def hides_residence(child: Person, recipient: Person) -> bool:
    """True when material for ``recipient`` must not reveal where the child or the other guardian lives:
    the child or another guardian has protected identity (any level, to be on the safe side; the
    register does not say whom the child lives with)."""
    if child.is_protected:
        return True
    return any(other.is_protected for other in other_guardians(child, recipient))


def secret_words(child: Person, recipient: Person, case: Case | None = None) -> list[str]:
    """The words that would reveal a protected residence: addresses, districts, units, placements."""
    people = [child, *other_guardians(child, recipient)]
    words: list[str] = []
    for person in people:
        words += [person.street_address, person.postal_code, person.city]
        if person.postal_code and len(person.postal_code) == 5:
            words.append(f"{person.postal_code[:3]} {person.postal_code[3:]}")
        if person.district_id:
            words.append(person.district.name)
    if case is not None:
        words += [case.district.name if case.district_id else "", case.unit.name if case.unit_id else ""]
        for placement in case.placements.all():
            words += [placement.location_name, placement.location_municipality]
    return sorted({w.strip() for w in words if w and len(w.strip()) >= 3}, key=len, reverse=True)


def blank_out(text: str, words: list[str]) -> str:
    """The text with every secret word replaced (case-insensitive)."""
    for word in words:
        text = re.sub(re.escape(word), HIDDEN, text, flags=re.IGNORECASE)
    return text


@dataclass
class PartyCase:
    """One child's case as the guardian may see it."""

    case: Case
    child: Person
    status: str
    hides_residence: bool
    words: list[str] = field(default_factory=list)
    communications: list[GuardianCommunication] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def shown(self, text: str) -> str:
        return blank_out(text, self.words) if self.hides_residence else text


def _log(guardian: Person, action: str, *, child_id: int | None, case_id: int | None, **details) -> None:
    record_event(
        actor=system_actor(),
        action=action,
        person_id=child_id,
        case_id=case_id,
        object_type=details.pop("object_type", "case"),
        object_id=details.pop("object_id", case_id or ""),
        details={"channel": "portal", "guardian": guardian.pk, **details},
    )


def cases_of_guardian(guardian: Person, *, session_details: dict | None = None) -> list[tuple[Person, list]]:
    """Per child in custody, the child's cases (newest first); the read is logged once, naming them."""
    children = children_in_custody(guardian)
    by_child: dict[int, list[Case]] = {child.pk: [] for child in children}
    for case in (
        Case.objects.filter(person__in=children, case_type__code=CHILD_CASE_TYPE)
        .order_by("-received_on", "-pk")
        .only("pk", "person_id", "reference", "received_on", "stage")
    ):
        by_child[case.person_id].append(case)
    rows = [
        (child, [(case, STATUS_TEXT.get(case.stage, "")) for case in by_child[child.pk]])
        for child in children
    ]
    record_event(
        actor=system_actor(),
        action="portal_view_children_cases",
        object_type="list",
        details={
            "channel": "portal",
            "guardian": guardian.pk,
            "person_ids": [c.pk for c in children],
            "case_ids": [case.pk for _child, cases in rows for case, _s in cases],
            **(session_details or {}),
        },
    )
    return rows


def build_party_case(case: Case, child: Person, guardian: Person) -> PartyCase:
    """The case as material for this guardian: what they are entitled to, with residence hidden."""
    hidden = hides_residence(child, guardian)
    return PartyCase(
        case=case,
        child=child,
        status=str(STATUS_TEXT.get(case.stage, "")),
        hides_residence=hidden,
        words=secret_words(child, guardian, case) if hidden else [],
        communications=list(
            GuardianCommunication.objects.filter(investigation__case=case, guardian=guardian)
            .select_related("investigation")
            .order_by("sent_on", "pk")
        ),
        decisions=list(case.decisions.prefetch_related("items").order_by("decided_on", "pk")),
    )


def party_case(
    guardian: Person,
    case_id: int,
    *,
    session_details: dict | None = None,
    action: str = "portal_view_child_case",
) -> PartyCase | None:
    """One of the children's cases as the guardian may see it, or None (missing and not theirs alike)."""
    children = {child.pk: child for child in children_in_custody(guardian)}
    case = (
        Case.objects.filter(pk=case_id, person_id__in=list(children), case_type__code=CHILD_CASE_TYPE)
        .select_related("district", "unit", "assigned_to", "person")
        .first()
    )
    if case is None:
        return None
    found = build_party_case(case, children[case.person_id], guardian)
    _log(
        guardian,
        action,
        child_id=found.child.pk,
        case_id=case.pk,
        communications=[c.pk for c in found.communications],
        decisions=[d.pk for d in found.decisions],
        **(session_details or {}),
    )
    return found


@transaction.atomic
def reply_to_communication(
    *, guardian: Person, communication: GuardianCommunication, reply: str, session_details: dict | None = None
) -> GuardianCommunication:
    """The guardian's own reply to the communication addressed to them, sent from the portal."""
    communication = (
        GuardianCommunication.objects.select_for_update(of=("self",))
        .select_related("investigation__case")
        .get(pk=communication.pk)
    )
    case = communication.investigation.case
    if communication.guardian_id != guardian.pk or case.person_id not in {
        c.pk for c in children_in_custody(guardian)
    }:
        raise NotPermitted
    reply = (reply or "").strip()
    errors: dict[str, str] = {}
    if communication.replied_on is not None:
        errors["__all__"] = _("Du har redan svarat.")
    elif case.stage != Stage.COMMUNICATION:
        errors["__all__"] = _("Det går inte längre att svara här. Ring din handläggare.")
    if not reply:
        errors["reply"] = _("Skriv ditt svar. Har du inget att tillägga kan du skriva det.")
    elif len(reply) > MAX_REPLY:
        errors["reply"] = _("Skriv högst %(max)s tecken.") % {"max": MAX_REPLY}
    if errors:
        raise InvalidInput(errors)
    communication.replied_on = timezone.localdate()
    communication.reply = reply
    communication.reply_recorded_at = timezone.now()
    communication.save(update_fields=["replied_on", "reply", "reply_recorded_at"])
    _log(
        guardian,
        "portal_guardian_reply",
        child_id=case.person_id,
        case_id=case.pk,
        object_type="guardian_communication",
        object_id=communication.pk,
        **(session_details or {}),
    )
    return communication


def letter_context(party: PartyCase, guardian: Person) -> dict:
    """What every letter to a guardian needs: the sender, shown without the district when hidden."""
    return {
        "party": party,
        "case": party.case,
        "child": party.child,
        "guardian": guardian,
        "municipality_name": settings.SOCIALA_MUNICIPALITY_NAME,
        "footer_district": "Socialtjänsten" if party.hides_residence else party.case.district.name,
    }


def communication_letter_pdf(
    party: PartyCase, guardian: Person, communication: GuardianCommunication
) -> bytes:
    """The letter that sends the investigation to one guardian for comments (Swedish)."""
    from django.utils import translation

    from sociala.documents.services import render_pdf

    investigation = communication.investigation
    with translation.override("sv"):
        return render_pdf(
            "children/guardian_communication_letter.html",
            {
                **letter_context(party, guardian),
                "communication": communication,
                "summary": party.shown(investigation.summary),
            },
        )


def _appeal_for(party: PartyCase, decision: Decision) -> str:
    """The appeal instructions; when hidden, sent through the municipality instead of the district."""
    text = decision.appeal_instructions
    if not party.hides_residence:
        return text
    via = f"socialtjänsten i {settings.SOCIALA_MUNICIPALITY_NAME} (via kommunens kontaktcenter)"
    if party.case.district_id:
        text = text.replace(party.case.district.name, via)
    return party.shown(text)


def decision_letter_pdf(party: PartyCase, guardian: Person, decision: Decision) -> bytes:
    """The decision about the child, in a letter addressed to the guardian (Swedish)."""
    from django.utils import translation

    from sociala.documents.services import render_pdf

    items = [
        {
            "description": party.shown(item.description),
            "scope": party.shown(item.scope),
            "outcome": item.get_outcome_display(),
        }
        for item in decision.items.all()
    ]
    with translation.override("sv"):
        return render_pdf(
            "children/guardian_decision_letter.html",
            {
                **letter_context(party, guardian),
                "decision": decision,
                "items": items,
                "motivation": party.shown(decision.motivation),
                "appeal": _appeal_for(party, decision),
            },
        )


def log_letter(
    guardian: Person, party: PartyCase, kind: str, object_id: int, session_details: dict | None = None
) -> None:
    """A letter opened in the portal is a read of the case."""
    _log(
        guardian,
        "portal_view_child_letter",
        child_id=party.child.pk,
        case_id=party.case.pk,
        object_type=kind,
        object_id=object_id,
        hides_residence=party.hides_residence,
        **(session_details or {}),
    )
