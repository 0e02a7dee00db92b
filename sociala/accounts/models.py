"""Staff users, their assignments (role and scope) and delegations."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from sociala.core.choices import ServiceArea
from sociala.organization.models import Committee, Provider, Team, Unit

from .choices import PERSONAL_DATA_ROLES, Role


class User(AbstractUser):
    """A staff member who signs in to Sociala."""

    title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The staff member's own home address (from the HR system), so that log review can flag reads of
    # persons at the same address.
    street_address = models.CharField(max_length=160, blank=True)
    postal_code = models.CharField(max_length=6, blank=True)

    def __str__(self):
        return self.get_full_name() or self.username

    def active_assignments(self, on=None):
        """Assignments in force today (cached per user object)."""
        on = on or timezone.localdate()
        cache = getattr(self, "_assignment_cache", None)
        if cache is None or cache[0] != on:
            rows = [
                a
                for a in self.assignments.select_related(
                    "unit__administration__committee", "committee", "provider"
                )
                if a.valid_from <= on and (a.valid_to is None or a.valid_to >= on)
            ]
            cache = (on, rows)
            self._assignment_cache = cache
        return cache[1]

    @property
    def roles(self) -> set[str]:
        return {a.role for a in self.active_assignments()}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def handles_personal_data(self) -> bool:
        return bool(self.roles & PERSONAL_DATA_ROLES)

    @property
    def primary_role(self) -> str:
        assignments = self.active_assignments()
        return assignments[0].role if assignments else ""


class Assignment(models.Model):
    """A user's role in a unit, team, district or provider for a period (a behörighet)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="District scope for local administrators; empty means the unit's district.",
    )
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    service_areas = models.JSONField(default=list, blank=True)
    valid_from = models.DateField(default=timezone.localdate)
    valid_to = models.DateField(
        null=True, blank=True, help_text="The last day in force; empty: until further notice."
    )
    team_access = models.ForeignKey(
        "TeamAccess",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="The team's access this assignment was given from, if any.",
    )
    # Recertification: the day a manager or administrator last confirmed this access (the day it was
    # given, to begin with). Access not confirmed within the period in force expires.
    certified_on = models.DateField(default=timezone.localdate)
    certified_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="certified_assignments"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"

    def is_active_on(self, on) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)

    @property
    def district_id(self) -> int | None:
        """The district (committee) this assignment belongs to, or None for city-wide roles."""
        if self.committee_id:
            return self.committee_id
        if self.unit is not None:
            return self.unit.administration.committee_id
        if self.team is not None:
            return self.team.unit.administration.committee_id
        return None

    @property
    def district(self) -> Committee | None:
        if self.committee_id:
            return self.committee
        if self.unit is not None:
            return self.unit.administration.committee
        return None

    @property
    def areas(self) -> set[str]:
        if self.service_areas:
            return set(self.service_areas)
        if self.unit is not None:
            return {self.unit.service_area}
        return set(ServiceArea.values)


class Delegation(models.Model):
    """A right, under the committee's delegation order, to decide a kind of case."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="delegations")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="delegations")
    case_type = models.CharField(max_length=60, help_text="Case type code, or * for every type")
    reference = models.CharField(max_length=40, help_text="Point in the delegation order, e.g. 3.1.2")
    may_refuse = models.BooleanField(default=True)
    valid_from = models.DateField(default=timezone.localdate)
    valid_to = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} {self.case_type} ({self.reference})"

    def covers(self, case_type: str, committee_id: int, on) -> bool:
        return (
            self.case_type in ("*", case_type)
            and self.committee_id == committee_id
            and self.valid_from <= on
            and (self.valid_to is None or self.valid_to >= on)
        )


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"token for {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class TeamAccess(models.Model):
    """One assignment every member of a team gets: a role in the team's unit, in some service areas."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="accesses")
    role = models.CharField(max_length=30, choices=Role.choices)
    service_areas = models.JSONField(default=list, blank=True)
    valid_from = models.DateField(default=timezone.localdate)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["team", "role", "id"]

    def __str__(self):
        return f"{self.team} – {self.get_role_display()}"

    def is_active_on(self, on) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class RecertificationRule(models.Model):
    """How many days access stays in force without being confirmed again (a rule as data)."""

    period_days = models.PositiveIntegerField()
    valid_from = models.DateField(unique=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.period_days} dagar från {self.valid_from}"


class LoginAttempt(models.Model):
    """One password or second-factor attempt, for counting failures per user name and per address."""

    username = models.CharField(max_length=150, db_index=True, help_text="As typed, in lower case")
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    succeeded = models.BooleanField()
    attempted_at = models.DateTimeField(db_index=True)

    def __str__(self):
        outcome = "ok" if self.succeeded else "failed"
        return f"{self.username} {outcome} {self.attempted_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238): the shared secret and the last time step used."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(null=True, blank=True)

    def __str__(self):
        return f"TOTP for {self.user}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class WebAuthnCredential(models.Model):
    """A user's security key or platform authenticator (WebAuthn): its public key and signature counter."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="webauthn_credentials")
    name = models.CharField(max_length=60, help_text="The user's own name for it, e.g. 'Gul nyckel'")
    # The credential id as base64url (what the browser sends back at sign-in).
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField(help_text="The COSE public key from the attestation")
    sign_count = models.BigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.name} ({self.user})"
