"""Choices shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceArea(models.TextChoices):
    """Verksamhetsområde."""

    INDIVIDUAL_FAMILY = "individual_family", _("Individ- och familjeomsorg")
    ELDERLY = "elderly", _("Äldreomsorg")
    DISABILITY = "disability", _("Funktionsnedsättning (SoL/LSS)")
    HEALTH = "health", _("Hälso- och sjukvård")
