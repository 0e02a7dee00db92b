from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtectionLevel(models.TextChoices):
    """Protected identity (skyddade personuppgifter), three levels."""

    NONE = "", _("Ingen")
    CONFIDENTIALITY_MARKED = "confidentiality_marked", _("Sekretessmarkering")
    PROTECTED_REGISTRATION = "protected_registration", _("Skyddad folkbokföring")
    FICTITIOUS_IDENTITY = "fictitious_identity", _("Fingerade personuppgifter")


class NumberKind(models.TextChoices):
    PERSONAL_IDENTITY_NUMBER = "personal_identity_number", _("Personnummer")
    COORDINATION_NUMBER = "coordination_number", _("Samordningsnummer")
    RESERVE_NUMBER = "reserve_number", _("Reservnummer")


class RelationKind(models.TextChoices):
    """How ``related`` stands to ``person``."""

    GUARDIAN = "guardian", _("Vårdnadshavare")
    CHILD = "child", _("Barn")
    PARTNER = "partner", _("Make/maka/sambo")
    HOUSEHOLD_MEMBER = "household_member", _("Annan i hushållet")
    TRUSTEE = "trustee", _("God man")
    ADMINISTRATOR = "administrator", _("Förvaltare")


INVERSE_RELATION: dict[str, str] = {
    RelationKind.GUARDIAN: RelationKind.CHILD,
    RelationKind.CHILD: RelationKind.GUARDIAN,
    RelationKind.PARTNER: RelationKind.PARTNER,
    RelationKind.HOUSEHOLD_MEMBER: RelationKind.HOUSEHOLD_MEMBER,
}
