"""Writes of the access app: emergency access and consent records."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.services import reauthenticate
from sociala.audit.services import record_event
from sociala.core.choices import ServiceArea
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.models import Person

from .models import Consent, ConsentForm, ConsentGiver, ConsentScope, EmergencyAccess
from .policy import can_request_emergency_access, person_access, scope_for

MIN_REASON_LENGTH = 10


def grant_emergency_access(
    *, actor, person: Person, reason: str, password: str | None = None, ip: str | None = None
) -> EmergencyAccess:
    """Give the actor time-limited access to one person, with a stated reason, flagged for review.

    The staff form passes the actor's ``password`` again (re-authentication); a wrong one counts as a
    failed sign-in (recorded outside the grant's transaction, so that it stays) and grants nothing."""
    if not can_request_emergency_access(actor):
        raise NotPermitted
    if password is not None:
        reauthenticate(user=actor, password=password, ip=ip)
    return _grant_emergency_access(actor=actor, person=person, reason=reason)


@transaction.atomic
def _grant_emergency_access(*, actor, person: Person, reason: str) -> EmergencyAccess:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise InvalidInput({"reason": str(_("Skriv varför du behöver nödåtkomst (minst 10 tecken)."))})
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        user=actor,
        person=person,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=settings.SOCIALA_EMERGENCY_ACCESS_MINUTES),
    )
    record_event(
        actor=actor,
        action="emergency_access_granted",
        person_id=person.pk,
        object_type="emergency_access",
        object_id=grant.pk,
        is_emergency=True,
        reason=reason,
        details={"expires_at": grant.expires_at.isoformat()},
    )
    if hasattr(actor, "_access_scope"):
        del actor._access_scope
    return grant


# --- Consent -------------------------------------------------------------------------------------------


def _check_consent_actor(actor, person: Person, areas: set[str]) -> None:
    """Consent is recorded by someone who works with the person in one of the areas it concerns."""
    access = person_access(actor, person)
    scope = scope_for(actor)
    if not access.allowed or access.is_emergency or not scope.case_unit_ids:
        raise NotPermitted
    if not (areas & scope.service_areas):
        raise InvalidInput(
            {"from_area": str(_("Du kan bara registrera samtycke som gäller ditt eget verksamhetsområde."))}
        )


@transaction.atomic
def record_consent(
    *,
    actor,
    person: Person,
    scope: str,
    from_area: str,
    form: str,
    valid_from,
    valid_to=None,
    to_area: str = "",
    outside_party: str = "",
    purpose: str = "",
    given_by: str = ConsentGiver.PERSON,
    given_by_name: str = "",
) -> Consent:
    """Record a person's consent to share information from one area with another area or an outside party."""
    errors: dict = {}
    outside_party = (outside_party or "").strip()
    given_by_name = (given_by_name or "").strip()
    if scope not in ConsentScope.values:
        errors["scope"] = _("Välj vad samtycket gäller.")
    if from_area not in ServiceArea.values:
        errors["from_area"] = _("Välj verksamhetsområde.")
    if scope == ConsentScope.BETWEEN_AREAS:
        if to_area not in ServiceArea.values:
            errors["to_area"] = _("Välj vilket verksamhetsområde uppgifterna får lämnas till.")
        elif to_area == from_area:
            errors["to_area"] = _("Välj ett annat verksamhetsområde än det uppgifterna kommer från.")
        outside_party = ""
    elif scope == ConsentScope.OUTSIDE_PARTY:
        if not outside_party:
            errors["outside_party"] = _("Skriv vem uppgifterna får lämnas till.")
        to_area = ""
    if form not in ConsentForm.values:
        errors["form"] = _("Välj hur samtycket lämnades.")
    if given_by not in ConsentGiver.values:
        errors["given_by"] = _("Välj vem som lämnade samtycket.")
    elif given_by != ConsentGiver.PERSON and not given_by_name:
        errors["given_by_name"] = _("Skriv namnet på den som lämnade samtycket.")
    if valid_from is None:
        errors["valid_from"] = _("Ange från vilket datum samtycket gäller.")
    elif valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("Slutdatum kan inte vara före startdatum.")
    if errors:
        raise InvalidInput(errors)
    _check_consent_actor(actor, person, {from_area, to_area} - {""})
    consent = Consent.objects.create(
        person=person,
        scope=scope,
        from_area=from_area,
        to_area=to_area,
        outside_party=outside_party,
        purpose=(purpose or "").strip(),
        given_by=given_by,
        given_by_name=given_by_name if given_by != ConsentGiver.PERSON else "",
        form=form,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=actor,
        action="record_consent",
        person_id=person.pk,
        object_type="consent",
        object_id=consent.pk,
        details={
            "scope": scope,
            "from_area": from_area,
            "to_area": to_area,
            "outside_party": outside_party,
            "form": form,
            "given_by": given_by,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
        },
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor, consent: Consent, withdrawn_on, form: str) -> Consent:
    """Note that the person withdrew a consent; it no longer holds from ``withdrawn_on``."""
    consent = Consent.objects.select_for_update(of=("self",)).select_related("person").get(pk=consent.pk)
    _check_consent_actor(actor, consent.person, {consent.from_area, consent.to_area} - {""})
    errors: dict = {}
    if consent.withdrawn_on is not None:
        errors["withdrawn_on"] = _("Samtycket är redan återkallat.")
    elif withdrawn_on is None:
        errors["withdrawn_on"] = _("Ange från vilket datum samtycket är återkallat.")
    elif withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = _("Ett återkallande gäller från den dag det lämnas, inte i framtiden.")
    if form not in ConsentForm.values:
        errors["form"] = _("Välj hur återkallandet lämnades.")
    if errors:
        raise InvalidInput(errors)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_form = form
    consent.withdrawn_by = actor
    consent.withdrawal_recorded_at = timezone.now()
    consent.save(update_fields=["withdrawn_on", "withdrawal_form", "withdrawn_by", "withdrawal_recorded_at"])
    record_event(
        actor=actor,
        action="withdraw_consent",
        person_id=consent.person_id,
        object_type="consent",
        object_id=consent.pk,
        details={"withdrawn_on": withdrawn_on.isoformat(), "form": form},
    )
    return consent
