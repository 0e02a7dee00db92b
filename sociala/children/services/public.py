"""Reports of concern from the public e-form, and the intake team's step that identifies the child.

Anyone may report without signing in. The report is written by the system actor, with the same
deadlines (rule rows) as one registered by staff. When the child is found in the register it lands in
the intake of the child's district: in the child's open case, or in a new case of the district's
children's unit. Otherwise it waits in the city-wide queue until staff identify the child and link it.
The reporter learns nothing about the child or the case: the receipt is the same either way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_write_case, person_access
from sociala.accounts.services import system_actor
from sociala.cases import services as cases
from sociala.cases.choices import Stage
from sociala.cases.models import Case, CaseType
from sociala.children.choices import MANDATORY_REPORTERS, ReporterType
from sociala.children.models import PublicReportAttempt, ReportOfConcern
from sociala.children.selectors import CHILD_CASE_TYPE, children_units, is_children_unit
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number
from sociala.organization.models import Unit
from sociala.people.models import Person

from . import ADULT_AGE, _complete_safety_deadline, _log, report_deadlines

MAX_TEXT = 10_000
MAX_DESCRIPTION = 2_000
MAX_FIELD = 200
# The reference alphabet leaves out 0/O and 1/I/L, which are read aloud wrongly on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def rate_limit() -> tuple[int, timedelta]:
    """How many reports one address may send within the window (settings, with defaults)."""
    count = int(getattr(settings, "SOCIALA_PUBLIC_REPORT_MAX_PER_WINDOW", 5))
    minutes = int(getattr(settings, "SOCIALA_PUBLIC_REPORT_WINDOW_MINUTES", 60))
    return count, timedelta(minutes=minutes)


def address_key(address: str | None) -> str:
    """A keyed hash of the sender's address: counts reports without storing the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def _new_reference(today) -> str:
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(6))
        reference = f"OA-{today:%y}-{code}"
        if not ReportOfConcern.objects.filter(reference=reference).exists():
            return reference


def children_unit_of(district) -> Unit | None:
    """The children's unit of a district (the unit whose intake receives the district's reports)."""
    if district is None:
        return None
    units = (
        Unit.objects.filter(administration__committee=district)
        .select_related("administration")
        .order_by("pk")
    )
    return next((unit for unit in units if is_children_unit(unit)), None)


def _any_open_child_case(person: Person) -> Case | None:
    """The child's open case, whoever handles it: a new report never opens a second case."""
    return (
        Case.objects.filter(person=person, case_type__code=CHILD_CASE_TYPE)
        .exclude(stage=Stage.CLOSED)
        .select_related("process", "case_type")
        .order_by("received_on", "pk")
        .first()
    )


def _validate(data: dict) -> tuple[dict, str]:
    """Check the form's answers; returns them cleaned and the child's number in canonical form ('')."""
    errors: dict[str, str] = {}
    clean = {key: (data.get(key) or "").strip() for key in data}
    reporter_type = clean.get("reporter_type", "")
    if reporter_type not in ReporterType.values:
        errors["reporter_type"] = _("Välj vem du är.")
    for field in ("reporter_name", "reporter_contact", "reporter_organisation"):
        if len(clean.get(field, "")) > MAX_FIELD:
            errors[field] = _("Skriv högst %(max)s tecken.") % {"max": MAX_FIELD}
    if reporter_type == ReporterType.ANONYMOUS_PUBLIC:
        # An anonymous reporter leaves nothing that identifies them, even if typed before choosing.
        clean["reporter_name"] = clean["reporter_contact"] = clean["reporter_organisation"] = ""
    elif reporter_type == ReporterType.NAMED_PUBLIC:
        clean["reporter_organisation"] = ""
        if not clean.get("reporter_name"):
            errors["reporter_name"] = _("Skriv ditt namn, eller välj att vara anonym.")
    elif reporter_type in MANDATORY_REPORTERS:
        if not clean.get("reporter_organisation"):
            errors["reporter_organisation"] = _("Skriv vilken verksamhet du anmäler från.")
        if not clean.get("reporter_name"):
            errors["reporter_name"] = _(
                "Skriv ditt namn. Du anmäler i din yrkesroll och kan inte vara anonym."
            )
        if not clean.get("reporter_contact"):
            errors["reporter_contact"] = _("Skriv ett telefonnummer eller en e-postadress där vi når dig.")
    number = ""
    if clean.get("child_number"):
        try:
            number = parse_identity_number(clean["child_number"]).value
        except InvalidIdentityNumber as error:
            errors["child_number"] = error.message
    description = clean.get("child_description", "")
    if not number and len(description) < 3:
        errors["child_description"] = _(
            "Skriv barnets personnummer, eller vad du vet om barnet: namn, ålder, skola eller adress."
        )
    elif len(description) > MAX_DESCRIPTION:
        errors["child_description"] = _("Skriv högst %(max)s tecken.") % {"max": MAX_DESCRIPTION}
    text = clean.get("text", "")
    if not text:
        errors["text"] = _("Skriv vad du är orolig för.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("Skriv högst %(max)s tecken.") % {"max": MAX_TEXT}
    if errors:
        raise InvalidInput(errors)
    return clean, number


@transaction.atomic
def submit_public_report(
    *,
    address: str | None,
    reporter_type: str,
    text: str,
    reporter_name: str = "",
    reporter_contact: str = "",
    reporter_organisation: str = "",
    child_number: str = "",
    child_description: str = "",
) -> ReportOfConcern:
    """Receive a report of concern from the public e-form; returns the report (the view shows only its
    reference). Raises InvalidInput per field, or on ``__all__`` when the address sent too many."""
    clean, number = _validate(
        {
            "reporter_type": reporter_type,
            "text": text,
            "reporter_name": reporter_name,
            "reporter_contact": reporter_contact,
            "reporter_organisation": reporter_organisation,
            "child_number": child_number,
            "child_description": child_description,
        }
    )
    count, window = rate_limit()
    key = address_key(address)
    now = timezone.now()
    PublicReportAttempt.objects.filter(attempted_at__lt=now - window).delete()
    if PublicReportAttempt.objects.filter(address_key=key).count() >= count:
        raise InvalidInput(
            {
                "__all__": _(
                    "Du har skickat många anmälningar på kort tid. Vänta en stund och försök igen, "
                    "eller ring socialtjänsten."
                )
            }
        )
    PublicReportAttempt.objects.create(address_key=key, attempted_at=now)

    actor = system_actor()
    today = timezone.localdate()
    description = clean["child_description"]
    person = None
    if number:
        person = (
            Person.objects.select_for_update(of=("self",))
            .filter(personal_identity_number=number, is_deceased=False)
            .select_related("district")
            .first()
        )
        if person is not None and (person.birth_date > today or person.age_on(today) >= ADULT_AGE):
            person = None
        if person is None or children_unit_of(person.district) is None:
            # The intake team identifies the child from what the reporter gave.
            given = _("Personnummer enligt anmälaren: %(number)s") % {"number": clean["child_number"]}
            description = f"{given}\n{description}".strip()
            person = None
    case = joined = None
    if person is not None:
        case = _any_open_child_case(person)
        joined = case is not None
        if case is None:
            case = cases.register_case(
                actor=actor,
                person=person,
                case_type=CaseType.objects.get(code=CHILD_CASE_TYPE),
                unit=children_unit_of(person.district),
                received_on=today,
                sought=clean["text"],
                assigned_to=None,
                details={"channel": "public_eform"},
            )
    safety_due, initial_calendar, initial_due = report_deadlines(case, today)
    report = ReportOfConcern.objects.create(
        case=case,
        person=person,
        district_id=case.district_id if case else None,
        reporter_type=clean["reporter_type"],
        is_mandatory_reporter=clean["reporter_type"] in MANDATORY_REPORTERS,
        reporter_name=clean["reporter_name"],
        reporter_contact=clean["reporter_contact"],
        reporter_organisation=clean["reporter_organisation"],
        text=clean["text"],
        is_from_public_eform=True,
        reference=_new_reference(today),
        child_description=description,
        received_on=today,
        registered_at=now,
        registered_by=actor,
        safety_assessment_due_on=safety_due,
        initial_assessment_calendar_due_on=initial_calendar,
        initial_assessment_due_on=initial_due,
    )
    report.joined_open_case = bool(joined)
    _log(
        actor,
        "create_report_of_concern",
        report,
        person_id=report.person_id,
        case_id=report.case_id,
        channel="public_eform",
        reporter_type=report.reporter_type,
        identified=person is not None,
        joined_open_case=bool(joined),
    )
    return report


@transaction.atomic
def identify_report_child(*, actor, report: ReportOfConcern, person: Person) -> ReportOfConcern:
    """The intake team identifies the child of a public report: it joins the child's open case, or opens
    one in the child's district (the actor's own children's unit there, else the district's). A child
    outside the actor's scope is handed over to its district's intake; the actor does not see the person."""
    report = ReportOfConcern.objects.select_for_update(of=("self",)).get(pk=report.pk)
    units = children_units(actor)
    if not units:
        raise NotPermitted
    if report.person_id is not None:
        raise InvalidInput({"__all__": _("Barnet i anmälan är redan identifierat.")})
    person = Person.objects.select_for_update(of=("self",)).select_related("district").get(pk=person.pk)
    access = person_access(actor, person)
    own = next((u for u in units if u.administration.committee_id == person.district_id), None)
    if not access.allowed and own is not None:
        raise NotPermitted
    if person.birth_date > report.received_on or person.age_on(report.received_on) >= ADULT_AGE:
        raise InvalidInput(
            {"number": _("En orosanmälan gäller ett barn: personen var inte under 18 år när den kom in.")}
        )
    unit = own or children_unit_of(person.district)
    if unit is None:
        raise InvalidInput({"number": _("Barnet har ingen stadsdel i registret. Kontakta förvaltningen.")})
    case = _any_open_child_case(person)
    joined = case is not None
    if case is None:
        case_type = CaseType.objects.get(code=CHILD_CASE_TYPE)
        if own is not None:
            case = cases.open_case(
                actor=actor,
                person=person,
                case_type=case_type,
                received_on=report.received_on,
                sought=report.text,
                unit=own,
            )
        else:
            # The child lives in another district: the case goes to that district's intake, unassigned.
            case = cases.register_case(
                actor=actor,
                person=person,
                case_type=case_type,
                unit=unit,
                received_on=report.received_on,
                sought=report.text,
                assigned_to=None,
                details={"channel": "public_eform", "identified_from": report.pk},
            )
    _safety, initial_calendar, initial_due = report_deadlines(case, report.received_on)
    report.person = person
    report.case = case
    report.district_id = case.district_id
    report.initial_assessment_calendar_due_on = initial_calendar
    report.initial_assessment_due_on = initial_due
    report.identified_at = timezone.now()
    report.identified_by = actor
    report.save(
        update_fields=[
            "person",
            "case",
            "district",
            "initial_assessment_calendar_due_on",
            "initial_assessment_due_on",
            "identified_at",
            "identified_by",
        ]
    )
    _log(
        actor,
        "identify_report_of_concern",
        report,
        person_id=person.pk,
        case_id=case.pk,
        access=access if access.allowed else None,
        joined_open_case=joined,
        handed_to_district=own is None,
    )
    if can_write_case(actor, case):
        _complete_safety_deadline(actor, case)
    return report
