"""Every write of the citizens' portal: logins, e-applications, sending them as cases, secure messages.

The citizen is not a staff user. Writes on the citizen's behalf are made by the system actor
(``accounts.services.system_actor``) and the audit event names the citizen: the person, the portal
login (``citizen_session``) and the e-ID provider. Drafts are the citizen's own working copy and are
not logged at every keystroke; what is sent, uploaded into the case file or written as a message is.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_write_case
from sociala.accounts.choices import Role
from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.cases import services as case_services
from sociala.cases.choices import Stage
from sociala.cases.models import Case, CaseType
from sociala.children.selectors import is_children_unit
from sociala.core.choices import ServiceArea
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.core.errors import Message as ErrorMessage
from sociala.documents.services import sniff_content_type, store_upload
from sociala.organization.models import Unit
from sociala.people.choices import ProtectionLevel, RelationKind
from sociala.people.models import Person, Relation

from . import answers as answer_rules
from .choices import ApplicationStatus, MessageSender
from .models import (
    ApplicationAttachment,
    CitizenSession,
    CompletionItem,
    CompletionRequest,
    IncomeSupportApplication,
    Message,
)

INCOME_SUPPORT_CASE_TYPE = "income_support_application"
MAX_ATTACHMENTS = 30
MAX_MESSAGE_LENGTH = 5000
MAX_COMPLETION_ITEMS = 10
MAX_COMPLETION_DAYS = 60
# Months are always named in Swedish in the case record, whatever the citizen's language.
MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def idle_minutes() -> int:
    """A portal login ends after this many minutes without a request."""
    return int(getattr(settings, "SOCIALA_PORTAL_IDLE_MINUTES", 30))


def citizen_details(citizen: CitizenSession, **extra) -> dict:
    """Who acted, for the audit event of a write made on a citizen's behalf."""
    return {"channel": "portal", "citizen_session": citizen.pk, "idp": citizen.issuer, **extra}


def _check_citizen(citizen: CitizenSession | None) -> CitizenSession:
    if citizen is None or citizen.ended_at is not None:
        raise NotPermitted
    return citizen


# --- logins ------------------------------------------------------------------------------------


@transaction.atomic
def start_citizen_session(*, identity) -> CitizenSession | None:
    """Sign a citizen in after a verified e-ID login; None when the person is not in the register."""
    person = Person.objects.filter(
        personal_identity_number=identity.personal_identity_number, is_deceased=False
    ).first()
    if person is None:
        record_event(
            actor=system_actor(),
            action="portal_login_refused",
            object_type="citizen_session",
            details={"channel": "portal", "idp": identity.issuer, "reason": "not_in_register"},
        )
        return None
    auth_time = datetime.fromtimestamp(identity.auth_time, tz=UTC) if identity.auth_time else None
    citizen = CitizenSession.objects.create(
        person=person,
        issuer=identity.issuer[:300],
        subject=identity.subject[:300],
        acr=identity.acr[:300],
        auth_time=auth_time,
    )
    record_event(
        actor=system_actor(),
        action="portal_login",
        person_id=person.pk,
        object_type="citizen_session",
        object_id=citizen.pk,
        details=citizen_details(citizen, acr=citizen.acr),
    )
    return citizen


def active_citizen_session(session_id, *, now: datetime | None = None) -> CitizenSession | None:
    """The login behind a browser session, if it has not ended or been idle too long (then it ends)."""
    if not session_id:
        return None
    citizen = (
        CitizenSession.objects.select_related("person").filter(pk=session_id, ended_at__isnull=True).first()
    )
    if citizen is None:
        return None
    now = now or timezone.now()
    if now - citizen.last_seen_at > timedelta(minutes=idle_minutes()):
        end_citizen_session(citizen=citizen, reason="idle")
        return None
    if now - citizen.last_seen_at > timedelta(seconds=60):
        CitizenSession.objects.filter(pk=citizen.pk).update(last_seen_at=now)
        citizen.last_seen_at = now
    return citizen


@transaction.atomic
def end_citizen_session(*, citizen: CitizenSession, reason: str = "logout") -> None:
    """Sign the citizen out (or end an idle login)."""
    updated = CitizenSession.objects.filter(pk=citizen.pk, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    citizen.ended_at = citizen.ended_at or timezone.now()
    if updated:
        record_event(
            actor=system_actor(),
            action="portal_logout",
            person_id=citizen.person_id,
            object_type="citizen_session",
            object_id=citizen.pk,
            details=citizen_details(citizen, reason=reason),
        )


# --- the e-application -------------------------------------------------------------------------


def application_months(today: date | None = None) -> list[date]:
    """The months a person may apply for: this month and the next."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    return [this_month, next_month]


def month_name_sv(month: date) -> str:
    return f"{MONTHS_SV[month.month - 1]} {month.year}"


def _registry_household(person: Person, month: date) -> list[dict]:
    """For a first application: the partner and children the population register knows of.

    Persons with protected identity are left out: the citizen adds them by hand if they live here.
    """
    relations = (
        Relation.objects.filter(person=person, kind__in=[RelationKind.PARTNER, RelationKind.CHILD])
        .select_related("related")
        .order_by("kind", "related__birth_date")
    )
    rows = []
    for relation in relations:
        related = relation.related
        if relation.valid_to is not None and relation.valid_to < month:
            continue
        if related.is_deceased or related.protection_level != ProtectionLevel.NONE:
            continue
        age = answer_rules.age_on(related.birth_date, month)
        if relation.kind == RelationKind.CHILD and age > answer_rules.MAX_CHILD_AGE:
            continue
        rows.append(
            {
                "role": "partner" if relation.kind == RelationKind.PARTNER else "child",
                "first_name": related.first_name,
                "personal_identity_number": related.formatted_number,
                "occupation": "",
                "days_in_household": "",
                "preschool_lunch": False,
            }
        )
    return rows


@transaction.atomic
def start_application(*, citizen: CitizenSession, month: date) -> IncomeSupportApplication:
    """Open (or continue) the person's application for a month, prefilled from the last one sent."""
    citizen = _check_citizen(citizen)
    if month not in application_months():
        raise InvalidInput({"month": _("Du kan söka för den här månaden och nästa månad.")})
    existing = IncomeSupportApplication.objects.filter(person_id=citizen.person_id, month=month).first()
    if existing is not None:
        return existing
    previous = (
        IncomeSupportApplication.objects.filter(
            person_id=citizen.person_id, status=ApplicationStatus.SENT, month__lt=month
        )
        .order_by("-month")
        .first()
    )
    if previous is not None:
        # Everything but this month's changes carries over; the person checks and corrects it.
        answers = {step: previous.answers.get(step, {}) for step in ("household", "costs", "incomes")}
    else:
        answers = {"household": {"occupation": "", "members": _registry_household(citizen.person, month)}}
    application = IncomeSupportApplication.objects.create(
        person_id=citizen.person_id, month=month, answers=answers, prefilled_from=previous
    )
    record_event(
        actor=system_actor(),
        action="portal_start_application",
        person_id=citizen.person_id,
        object_type="income_support_application",
        object_id=application.pk,
        details=citizen_details(
            citizen, month=month.strftime("%Y-%m"), prefilled_from=getattr(previous, "pk", None)
        ),
    )
    return application


def _locked_draft(citizen: CitizenSession, application: IncomeSupportApplication) -> IncomeSupportApplication:
    citizen = _check_citizen(citizen)
    locked = IncomeSupportApplication.objects.select_for_update().get(pk=application.pk)
    if locked.person_id != citizen.person_id:
        raise NotPermitted
    if not locked.is_draft:
        raise InvalidInput({"__all__": _("Ansökan är redan skickad och kan inte ändras.")})
    return locked


@transaction.atomic
def save_answers(
    *, citizen: CitizenSession, application: IncomeSupportApplication, step: str, raw: dict
) -> IncomeSupportApplication:
    """Keep one question group's answers as typed (autosave); they are checked when the person moves on."""
    if step not in answer_rules.GROUPS:
        raise InvalidInput({"step": _("Okänd fråga.")})
    locked = _locked_draft(citizen, application)
    locked.answers = {**locked.answers, step: raw}
    locked.updated_at = timezone.now()
    locked.save(update_fields=["answers", "updated_at"])
    return locked


@transaction.atomic
def add_attachment(
    *, citizen: CitizenSession, application: IncomeSupportApplication, uploaded_file, title: str
) -> ApplicationAttachment:
    """Add a receipt or document (a PDF or a photo) to a draft, checked by its content."""
    locked = _locked_draft(citizen, application)
    title = (title or "").strip()
    errors: dict[str, ErrorMessage] = {}
    if not title:
        errors["title"] = _("Skriv vad det är för underlag.")
    data = b""
    if uploaded_file is None:
        errors["file"] = _("Välj en fil.")
    elif uploaded_file.size > settings.SOCIALA_MAX_UPLOAD_BYTES:
        errors["file"] = _("Filen är för stor. Största tillåtna storlek är %(mb)s MB.") % {
            "mb": settings.SOCIALA_MAX_UPLOAD_BYTES // (1024 * 1024)
        }
    else:
        data = uploaded_file.read()
        if not data:
            errors["file"] = _("Filen är tom.")
        elif sniff_content_type(data[:16]) is None:
            errors["file"] = _("Det går bara att skicka PDF-filer och bilder (JPEG eller PNG).")
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        errors["file"] = _("Du kan skicka högst %(max)s filer med en ansökan.") % {"max": MAX_ATTACHMENTS}
    if errors:
        raise InvalidInput(errors)
    sniffed = sniff_content_type(data[:16])
    assert sniffed is not None  # checked above
    content_type, extension = sniffed
    attachment = ApplicationAttachment(
        application=locked,
        title=title[:200],
        original_name=(getattr(uploaded_file, "name", "") or "")[:255],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(*, citizen: CitizenSession, attachment: ApplicationAttachment) -> None:
    """Take a file off a draft."""
    _locked_draft(citizen, attachment.application)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def income_support_unit(district) -> Unit | None:
    """The unit that handles income support in a district: its IFO unit for adults."""
    units = Unit.objects.filter(
        administration__committee=district, service_area=ServiceArea.INDIVIDUAL_FAMILY
    ).order_by("pk")
    return next((unit for unit in units if not is_children_unit(unit)), None)


def _previous_caseworker(person: Person, unit: Unit):
    """The caseworker of the person's last income-support case in the unit, if they still work there."""
    last = (
        Case.objects.filter(
            person=person, unit=unit, case_type__code=INCOME_SUPPORT_CASE_TYPE, assigned_to__isnull=False
        )
        .select_related("assigned_to")
        .order_by("-received_on", "-pk")
        .first()
    )
    caseworker = last.assigned_to if last is not None else None
    if caseworker is None or not caseworker.is_active:
        return None
    works_there = any(
        a.unit_id == unit.pk and a.role in (Role.CASEWORKER, Role.UNIT_MANAGER)
        for a in caseworker.active_assignments()
    )
    return caseworker if works_there else None


@transaction.atomic
def open_case_from_e_application(
    *, citizen: CitizenSession, application: IncomeSupportApplication, sought: str
) -> Case:
    """Register a sent e-application as a case in the district the person lives in.

    ``cases.services.open_case`` serves staff: it needs an actor who sees the person and works in the
    unit. Here the party itself applies, so the case is written by the system actor, in the IFO unit
    of the person's district (protected identity included: the district is known, the address is not
    shown), assigned to the person's caseworker from last time when there is one, with the same
    process, deadlines and audit event as a case opened by staff.
    """
    actor = system_actor()
    person = application.person
    if person.district_id is None:
        raise InvalidInput(
            {
                "__all__": _(
                    "Vi vet inte vilken stadsdel du bor i. Ring kommunens kontaktcenter så hjälper vi dig."
                )
            }
        )
    unit = income_support_unit(person.district)
    if unit is None:
        raise InvalidInput(
            {"__all__": _("Din stadsdel tar inte emot e-ansökningar ännu. Ring kommunens kontaktcenter.")}
        )
    case_type = CaseType.objects.get(code=INCOME_SUPPORT_CASE_TYPE)
    received_on = timezone.localdate()
    return case_services.register_case(
        actor=actor,
        person=person,
        case_type=case_type,
        unit=unit,
        received_on=received_on,
        sought=sought,
        assigned_to=_previous_caseworker(person, unit),
        details=citizen_details(citizen, application=application.pk),
    )


def sought_text(result: dict, month: date) -> str:
    """What the case is about, for the case record (Swedish)."""
    text = f"Ekonomiskt bistånd för {month_name_sv(month)} (e-ansökan)."
    labels = {
        "medicine": "medicin",
        "health_care": "läkarvård",
        "dental_care": "tandvård",
        "glasses": "glasögon",
        "childcare": "avgift för förskola eller fritids",
        "other": "annat",
    }
    extra = [
        f"{labels.get(row['kind'], row['kind'])} {row['amount']} kr" for row in result.get("other_costs", [])
    ]
    if extra:
        text += " Söker även för: " + ", ".join(extra) + "."
    return text


@transaction.atomic
def send_application(
    *, citizen: CitizenSession, application: IncomeSupportApplication, declaration: bool
) -> IncomeSupportApplication:
    """Send the application: check every answer, open the case, move the files into the case file."""
    locked = _locked_draft(citizen, application)
    person = Person.objects.get(pk=locked.person_id)
    locked.person = person
    result, failed = answer_rules.normalized(
        locked.answers, month=locked.month, applicant_name=person.first_name
    )
    errors: dict[str, ErrorMessage] = {}
    for step in failed:
        errors[step] = _("Svaren under ”%(title)s” behöver kompletteras eller rättas.") % {
            "title": answer_rules.STEP_TITLES[step]
        }
    if not declaration:
        errors["declaration"] = _("Kryssa i rutan för att intyga att uppgifterna stämmer.")
    if errors:
        raise InvalidInput(errors)
    result["calculation_input"]["members"][0]["age"] = answer_rules.age_on(person.birth_date, locked.month)
    case = open_case_from_e_application(
        citizen=citizen, application=locked, sought=sought_text(result, locked.month)
    )
    actor = system_actor()
    moved = []
    for attachment in locked.attachments.all():
        with attachment.file.open("rb") as handle:
            data = handle.read()
        document = store_upload(
            actor=actor,
            person=person,
            case=case,
            uploaded_file=ContentFile(data, name=attachment.original_name or attachment.file.name),
            title=attachment.title,
        )
        moved.append(str(attachment.file.name))
        attachment.document = document
        attachment.file = ""
        attachment.save(update_fields=["document", "file"])
    now = timezone.now()
    locked.status = ApplicationStatus.SENT
    locked.submitted = result
    locked.case = case
    locked.sent_at = now
    locked.declared_at = now
    locked.updated_at = now
    locked.save(update_fields=["status", "submitted", "case", "sent_at", "declared_at", "updated_at"])
    record_event(
        actor=actor,
        action="portal_send_application",
        person_id=person.pk,
        case_id=case.pk,
        object_type="income_support_application",
        object_id=locked.pk,
        details=citizen_details(citizen, month=locked.month.strftime("%Y-%m"), attachments=len(moved)),
    )
    storage = ApplicationAttachment._meta.get_field("file").storage

    def delete_moved_files() -> None:
        for name in moved:
            storage.delete(name)

    transaction.on_commit(delete_moved_files)
    return locked


# --- messages and requests for completion -------------------------------------------------------


def _message_event(actor, action: str, case: Case, message: Message, **details) -> None:
    record_event(
        actor=actor,
        action=action,
        person_id=case.person_id,
        case_id=case.pk,
        object_type="portal_message",
        object_id=message.pk,
        details=details,
    )


@transaction.atomic
def send_citizen_message(
    *,
    citizen: CitizenSession,
    application: IncomeSupportApplication,
    text: str,
    uploaded_file=None,
    completion_item: CompletionItem | None = None,
) -> Message:
    """A message from the citizen to the caseworker, with a file for the case file, or an answer to a
    request for completion."""
    citizen = _check_citizen(citizen)
    if application.person_id != citizen.person_id:
        raise NotPermitted
    if application.case_id is None:
        raise InvalidInput({"text": _("Skicka ansökan först.")})
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=application.case_id)
    text = (text or "").strip()
    errors: dict[str, ErrorMessage] = {}
    if not text and uploaded_file is None:
        errors["text"] = _("Skriv ett meddelande eller bifoga en fil.")
    if len(text) > MAX_MESSAGE_LENGTH:
        errors["text"] = _("Meddelandet är för långt (högst %(max)s tecken).") % {"max": MAX_MESSAGE_LENGTH}
    if completion_item is not None:
        completion_item = CompletionItem.objects.select_related("request").get(pk=completion_item.pk)
        if completion_item.request.case_id != case.pk:
            raise NotPermitted
        if completion_item.request.completed_at is not None:
            errors["text"] = _("Den här begäran om komplettering är redan besvarad.")
    if errors:
        raise InvalidInput(errors)
    actor = system_actor()
    document = None
    if uploaded_file is not None:
        title = (
            f"Komplettering: {completion_item.description}"[:200]
            if completion_item is not None
            else "Bilaga till meddelande från den enskilde"
        )
        document = store_upload(
            actor=actor, person=case.person, case=case, uploaded_file=uploaded_file, title=title
        )
    message = Message.objects.create(
        case=case,
        sender=MessageSender.CITIZEN,
        text=text,
        document=document,
        completion_item=completion_item,
    )
    if completion_item is not None:
        now = timezone.now()
        CompletionItem.objects.filter(pk=completion_item.pk, received_at__isnull=True).update(received_at=now)
        request = completion_item.request
        if not request.items.filter(received_at__isnull=True).exists():
            CompletionRequest.objects.filter(pk=request.pk, completed_at__isnull=True).update(
                completed_at=now
            )
    _message_event(
        actor,
        "portal_citizen_message",
        case,
        message,
        **citizen_details(
            citizen,
            completion_item=getattr(completion_item, "pk", None),
            document=getattr(document, "pk", None),
        ),
    )
    return message


def _staff_case(actor, case: Case) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    if not can_write_case(actor, case):
        raise NotPermitted
    if not hasattr(case, "income_support_application"):
        # Messages go to the portal, which shows cases that started as e-applications.
        raise InvalidInput(
            {"text": _("Ärendet kom inte in som e-ansökan; den enskilde ser det inte i e-tjänsten.")}
        )
    return case


@transaction.atomic
def send_staff_message(*, actor, case: Case, text: str) -> Message:
    """A message from a caseworker to the citizen's portal."""
    case = _staff_case(actor, case)
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": _("Skriv ett meddelande.")})
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(
            {"text": _("Meddelandet är för långt (högst %(max)s tecken).") % {"max": MAX_MESSAGE_LENGTH}}
        )
    message = Message.objects.create(case=case, sender=MessageSender.STAFF, sent_by=actor, text=text)
    _message_event(actor, "portal_staff_message", case, message)
    return message


@transaction.atomic
def request_completion(
    *, actor, case: Case, items: list[str], due_on: date | None, text: str = ""
) -> CompletionRequest:
    """Ask the citizen for more information: the items needed and the date by which to send them."""
    case = _staff_case(actor, case)
    today = timezone.localdate()
    items = [item.strip()[:300] for item in items if item and item.strip()]
    errors: dict[str, ErrorMessage] = {}
    if not items:
        errors["items"] = _("Skriv minst en sak som behövs.")
    elif len(items) > MAX_COMPLETION_ITEMS:
        errors["items"] = _("Begär högst %(max)s saker åt gången.") % {"max": MAX_COMPLETION_ITEMS}
    if due_on is None:
        errors["due_on"] = _("Ange sista dag för kompletteringen.")
    elif due_on <= today:
        errors["due_on"] = _("Sista dag måste ligga efter i dag.")
    elif due_on > today + timedelta(days=MAX_COMPLETION_DAYS):
        errors["due_on"] = _("Sista dag får ligga högst %(days)s dagar fram.") % {"days": MAX_COMPLETION_DAYS}
    if case.stage == Stage.CLOSED or case.decisions.exists():
        errors["__all__"] = _("Ärendet är redan avgjort.")
    if errors:
        raise InvalidInput(errors)
    assert due_on is not None  # checked above
    request = CompletionRequest.objects.create(case=case, due_on=due_on, created_by=actor)
    CompletionItem.objects.bulk_create([CompletionItem(request=request, description=item) for item in items])
    body = (text or "").strip() or str(_("Vi behöver mer information för att kunna behandla din ansökan."))
    message = Message.objects.create(
        case=case, sender=MessageSender.STAFF, sent_by=actor, text=body, completion_request=request
    )
    _message_event(
        actor, "portal_request_completion", case, message, items=len(items), due_on=due_on.isoformat()
    )
    return request


def mark_read_by_staff(*, actor, case: Case) -> int:
    """The citizen's messages in the case are read (the page that shows them calls this)."""
    if not can_write_case(actor, case):
        return 0
    return Message.objects.filter(case=case, sender=MessageSender.CITIZEN, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_read_by_citizen(*, citizen: CitizenSession, application: IncomeSupportApplication) -> int:
    """The caseworker's messages are read by the citizen."""
    if application.person_id != citizen.person_id or application.case_id is None:
        return 0
    return Message.objects.filter(
        case_id=application.case_id, sender=MessageSender.STAFF, read_at__isnull=True
    ).update(read_at=timezone.now())
