"""Choices of the care app (äldreomsorg, LSS)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeUnit(models.TextChoices):
    """How the scope of an intervention is measured."""

    HOURS_PER_MONTH = "hours_per_month", _("timmar per månad")
    ACTIVITIES_PER_WEEK = "activities_per_week", _("tillfällen per vecka")
    DAYS_PER_MONTH = "days_per_month", _("dygn per månad")
    PLACE = "place", _("plats")
    NONE = "none", _("ingen omfattning")


class ChoiceMethod(models.TextChoices):
    """How the provider was chosen in the choice scheme (LOV)."""

    CLIENT_CHOSE = "client_chose", _("Den enskilde valde")
    DEFAULT = "default", _("Ickevalsalternativ (kommunens utförare)")


class SignatureMethod(models.TextChoices):
    ON_SCREEN = "on_screen", _("På skärmen")
    ON_PAPER = "on_paper", _("På papper")


class MessageKind(models.TextChoices):
    """What a provider reports back to the caseworker."""

    CHANGED_NEEDS = "changed_needs", _("Förändrade behov")
    DEVIATION = "deviation", _("Avvikelse")
    IN_HOSPITAL = "in_hospital", _("Inlagd på sjukhus")
    DECLINES = "declines", _("Tackar nej till insatsen")


class TerminationReason(models.TextChoices):
    MOVED = "moved", _("Flyttat")
    DECEASED = "deceased", _("Avliden")
    DECLINED = "declined", _("Tackar nej")
