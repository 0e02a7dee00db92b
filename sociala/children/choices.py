"""Choices of the children app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReporterType(models.TextChoices):
    """Who made a report of concern; authorities working with children must report (SoL 14 kap. 1 §)."""

    ANONYMOUS_PUBLIC = "anonymous_public", _("Privatperson, anonym")
    NAMED_PUBLIC = "named_public", _("Privatperson, med namn")
    SCHOOL = "school", _("Skola")
    PRESCHOOL = "preschool", _("Förskola")
    POLICE = "police", _("Polisen")
    HEALTH_CARE = "health_care", _("Hälso- och sjukvården")
    SOCIAL_SERVICES = "social_services", _("Socialtjänsten")
    OTHER_AUTHORITY = "other_authority", _("Annan myndighet")


# Reporters under the duty to report (anmälningsskyldighet); the others report voluntarily.
MANDATORY_REPORTERS = frozenset(
    {
        ReporterType.SCHOOL,
        ReporterType.PRESCHOOL,
        ReporterType.POLICE,
        ReporterType.HEALTH_CARE,
        ReporterType.SOCIAL_SERVICES,
        ReporterType.OTHER_AUTHORITY,
    }
)
