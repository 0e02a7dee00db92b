"""The person registry: identity, names, address, protected identity, relations."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from sociala.organization.models import Committee

from .choices import NumberKind, ProtectionLevel, RelationKind


def name_key(text: str) -> str:
    """The lower-case form used for prefix search."""
    return " ".join((text or "").lower().split())


class Person(models.Model):
    """A citizen that a case can be about."""

    personal_identity_number = models.CharField(
        _("personnummer"), max_length=12, unique=True, help_text=_("Canonical 12-character form")
    )
    number_kind = models.CharField(max_length=30, choices=NumberKind.choices)
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    first_name_key = models.CharField(max_length=100, editable=False, db_index=True)
    last_name_key = models.CharField(max_length=100, editable=False, db_index=True)
    birth_date = models.DateField()
    sex = models.CharField(max_length=10, blank=True)
    protection_level = models.CharField(
        max_length=30, choices=ProtectionLevel.choices, blank=True, default=ProtectionLevel.NONE
    )
    street_address = models.CharField(max_length=160, blank=True)
    postal_code = models.CharField(max_length=6, blank=True)
    city = models.CharField(max_length=80, blank=True)
    district = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="residents"
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_deceased = models.BooleanField(default=False)
    deceased_on = models.DateField(null=True, blank=True)
    is_synthetic = models.BooleanField(
        default=False, help_text="Generated number beyond Skatteverket's test list (benchmarks only)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["last_name_key", "first_name_key"], name="person_name_idx"),
            models.Index(Upper("personal_identity_number"), name="person_number_upper_idx"),
            # Prefix search (LIKE 'x%') uses a b-tree only under the C collation or with the pattern
            # operator class; these make it independent of the cluster's locale (PostgreSQL only).
            models.Index(
                fields=["last_name_key"], opclasses=["varchar_pattern_ops"], name="person_last_prefix_idx"
            ),
            models.Index(
                fields=["first_name_key"], opclasses=["varchar_pattern_ops"], name="person_first_prefix_idx"
            ),
            models.Index(
                fields=["personal_identity_number"],
                opclasses=["varchar_pattern_ops"],
                name="person_number_prefix_idx",
            ),
            # Name search within the user's districts (decision 0031): a prefix range per district,
            # covering what the search sorts and filters on, so that PostgreSQL reads the index only.
            models.Index(
                fields=["district", "last_name_key"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                include=["id", "first_name_key", "protection_level"],
                name="person_district_last_idx",
            ),
            models.Index(
                fields=["district", "first_name_key"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                include=["id", "last_name_key", "protection_level"],
                name="person_district_first_idx",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formatted_number(self) -> str:
        value = self.personal_identity_number
        if self.number_kind == NumberKind.RESERVE_NUMBER:
            return value
        return f"{value[:8]}-{value[8:]}"

    @property
    def is_protected(self) -> bool:
        return bool(self.protection_level)

    @property
    def address_is_secret(self) -> bool:
        """Skyddad folkbokföring and fingerade personuppgifter: the address is never shown."""
        return self.protection_level in (
            ProtectionLevel.PROTECTED_REGISTRATION,
            ProtectionLevel.FICTITIOUS_IDENTITY,
        )

    def age_on(self, on: date) -> int:
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Relation(models.Model):
    """How one person stands to another: guardian, child, partner, household member, trustee."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations")
    related = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="related_to")
    kind = models.CharField(max_length=30, choices=RelationKind.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "related", "kind"], name="relation_unique"),
        ]

    def __str__(self):
        return f"{self.person} → {self.related} ({self.kind})"
