"""Single sign-on for staff: who a user is at an identity provider, and which groups give which access."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, User
from sociala.organization.models import Committee, Provider, Unit


class ExternalIdentity(models.Model):
    """A staff user as known to one identity provider: the provider's stable subject (OIDC ``sub``, SAML
    persistent NameID). Signing in through that provider finds the user by this row, never by name."""

    idp = models.CharField(max_length=40, help_text="The provider's key in SOCIALA_SSO_PROVIDERS")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idp", "subject"], name="sso_identity_unique_subject")]
        ordering = ["idp", "subject"]

    def __str__(self):
        return f"{self.idp}:{self.subject} → {self.user}"


class GroupMapping(models.Model):
    """A rule: members of this group at this identity provider get this role in this unit, district or
    provider, while the rule is in force."""

    idp = models.CharField(max_length=40, help_text="The provider's key in SOCIALA_SSO_PROVIDERS")
    group = models.CharField(max_length=255, help_text="The group's name or id as the provider sends it")
    role = models.CharField(max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="sso_group_mappings"
    )
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="sso_group_mappings"
    )
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="sso_group_mappings"
    )
    service_areas = models.JSONField(default=list, blank=True)
    valid_from = models.DateField(default=timezone.localdate)
    valid_to = models.DateField(
        null=True, blank=True, help_text="The last day in force; empty: until further notice."
    )

    class Meta:
        ordering = ["idp", "group", "id"]

    def __str__(self):
        return f"{self.idp}:{self.group} → {self.role}"

    def is_active_on(self, on) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class ProvisionedAssignment(models.Model):
    """Marks an assignment as given by an identity provider's group: only these are changed at sign-in;
    assignments an administrator gave by hand are never touched."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="provisioned")
    mapping = models.ForeignKey(GroupMapping, on_delete=models.PROTECT, related_name="assignments")
    idp = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.assignment} ← {self.mapping}"
