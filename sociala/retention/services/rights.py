"""The person's rights: an objection noted on a journal entry, and the register extract."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import emergency_only_access
from sociala.audit.services import record_event
from sociala.cases.choices import JournalStatus
from sociala.cases.models import JournalEntry
from sociala.core.errors import InvalidInput, Message, NotPermitted
from sociala.people.models import Person
from sociala.retention import extract as register_extract
from sociala.retention import selectors
from sociala.retention.choices import IdentityCheck, ReceivedVia
from sociala.retention.models import EntryObjection, RegisterExtractRequest
from sociala.retention.permissions import may_produce_register_extract, may_record_objection

MIN_OBJECTION = 5


@transaction.atomic
def record_entry_objection(
    *, actor, entry: JournalEntry, text: str, received_via: str, received_on: date | None
) -> EntryObjection:
    """Note that the person says a signed entry is wrong (SoL 14 kap. 6 §); the entry is not changed."""
    entry = (
        JournalEntry.objects.select_for_update(of=("self",)).select_related("case__person").get(pk=entry.pk)
    )
    if not may_record_objection(actor, entry):
        raise NotPermitted
    text = (text or "").strip()
    errors: dict[str, Message] = {}
    if entry.status != JournalStatus.SIGNED:
        errors["__all__"] = _(
            "Invändningar antecknas vid signerade anteckningar. Utkastet kan ändras direkt."
        )
    if len(text) < MIN_OBJECTION:
        errors["text"] = _("Skriv vad personen anser är fel (minst 5 tecken).")
    if received_via not in ReceivedVia.values:
        errors["received_via"] = _("Välj hur invändningen kom in.")
    if received_on is None:
        errors["received_on"] = _("Ange när invändningen kom in.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("Datumet kan inte ligga i framtiden.")
    elif entry.signed_at is not None and received_on < timezone.localdate(entry.signed_at):
        errors["received_on"] = _("Invändningen kan inte ha kommit in innan anteckningen signerades.")
    if errors:
        raise InvalidInput(errors)
    assert received_on is not None and entry.case is not None  # checked above
    objection = EntryObjection.objects.create(
        entry=entry, text=text, received_via=received_via, received_on=received_on, recorded_by=actor
    )
    access = emergency_only_access(actor, entry.case.person)
    record_event(
        actor=actor,
        action="record_entry_objection",
        person_id=entry.person_id,
        case_id=entry.case_id,
        object_type="entry_objection",
        object_id=objection.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
        details={"entry": entry.pk, "received_via": received_via},
    )
    return objection


@transaction.atomic
def produce_register_extract(
    *, actor, person: Person, received_on: date | None, identity_check: str
) -> tuple[bytes, RegisterExtractRequest]:
    """Produce the person's register extract (GDPR art. 15) as a PDF, and record that it was produced."""
    person = Person.objects.select_related("district").get(pk=person.pk)
    if not may_produce_register_extract(actor, person):
        raise NotPermitted
    errors: dict[str, Message] = {}
    today = timezone.localdate()
    if received_on is None:
        errors["received_on"] = _("Ange när begäran kom in.")
    elif received_on > today:
        errors["received_on"] = _("Datumet kan inte ligga i framtiden.")
    if identity_check not in IdentityCheck.values:
        errors["identity_check"] = _("Välj hur den som begärde utdraget har styrkt sin identitet.")
    if errors:
        raise InvalidInput(errors)
    assert received_on is not None  # checked above
    content = register_extract.gather(
        person,
        on=today,
        received_on=received_on,
        setting=selectors.retention_setting(),
        table=selectors.rule_table(),
    )
    pdf = register_extract.render(content)
    digest = hashlib.sha256(pdf).hexdigest()
    request = RegisterExtractRequest.objects.create(
        person=person,
        received_on=received_on,
        identity_check=identity_check,
        produced_by=actor,
        sha256=digest,
    )
    record_event(
        actor=actor,
        action="produce_register_extract",
        person_id=person.pk,
        object_type="register_extract",
        object_id=request.pk,
        details={"sections": content.counts(), "sha256": digest, "identity_check": identity_check},
    )
    return pdf, request
