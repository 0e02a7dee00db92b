"""Emergency access grants (nödåtkomst) and consent records (samtycke)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sociala.core.choices import ServiceArea
from sociala.people.models import Person


class EmergencyAccess(models.Model):
    """Time-limited access to one person outside the user's normal scope, with a stated reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="emergency_accesses")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="emergency_lookup_idx")]

    def __str__(self):
        return f"{self.user} → {self.person} ({self.granted_at:%Y-%m-%d %H:%M})"


class ConsentScope(models.TextChoices):
    """What a consent lets the social services share."""

    BETWEEN_AREAS = "between_areas", _("Mellan verksamhetsområden")
    OUTSIDE_PARTY = "outside_party", _("Med en utomstående part")


class ConsentForm(models.TextChoices):
    """How the consent was given."""

    WRITTEN = "written", _("Skriftligt")
    ORAL = "oral", _("Muntligt")
    DIGITAL = "digital", _("Digitalt (e-legitimation)")


class ConsentGiver(models.TextChoices):
    """Who gave the consent for the person."""

    PERSON = "person", _("Personen själv")
    GUARDIAN = "guardian", _("Vårdnadshavare")
    TRUSTEE = "trustee", _("God man")
    ADMINISTRATOR = "administrator", _("Förvaltare")


class Consent(models.Model):
    """A samtycke: the person lets information from one service area be shared with another area or an
    outside party for a period (OSL 12:2). A withdrawal ends it from the day it is withdrawn."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    scope = models.CharField(max_length=20, choices=ConsentScope.choices)
    from_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    to_area = models.CharField(max_length=30, choices=ServiceArea.choices, blank=True)
    outside_party = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(blank=True)
    given_by = models.CharField(max_length=20, choices=ConsentGiver.choices, default=ConsentGiver.PERSON)
    given_by_name = models.CharField(max_length=160, blank=True, help_text="When someone else gave it")
    form = models.CharField(max_length=20, choices=ConsentForm.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="The last day; empty: until withdrawn")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    withdrawn_on = models.DateField(null=True, blank=True, help_text="No longer valid from this day")
    withdrawal_form = models.CharField(max_length=20, choices=ConsentForm.choices, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["person", "from_area", "to_area"], name="consent_lookup_idx")]

    def __str__(self):
        target = (
            self.get_to_area_display() if self.scope == ConsentScope.BETWEEN_AREAS else self.outside_party
        )
        return f"{self.person}: {self.get_from_area_display()} → {target}"

    def is_valid_on(self, day) -> bool:
        return (
            self.valid_from <= day
            and (self.valid_to is None or self.valid_to >= day)
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )


def valid_consents(on) -> models.QuerySet:
    """Consents in force on a day (not yet ended, not withdrawn)."""
    return Consent.objects.filter(valid_from__lte=on).filter(
        models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gt=on),
    )
