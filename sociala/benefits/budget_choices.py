"""Choices of the monthly budget, the income inquiry and the automated checks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckKind(models.TextChoices):
    """An automated check on a month's budget; a flag names the check that fired and why."""

    INCOME_DIFFERS = "income_differs", _("Redovisad och hämtad inkomst skiljer sig")
    TWO_HOUSEHOLDS = "two_households", _("Samma person i två hushåll")
    COST_OUTSIDE_HISTORY = "cost_outside_history", _("Kostnad långt från personens tidigare")
    COST_OUTSIDE_DISTRICT = "cost_outside_district", _("Kostnad långt från stadsdelens vanliga")
    MISSING_RECEIPT = "missing_receipt", _("Underlag saknas")


class InquiryStatus(models.TextChoices):
    """How an inquiry to SSBTEK went."""

    ANSWERED = "answered", _("Besvarad")
    FAILED = "failed", _("Misslyckades")


class Agency(models.TextChoices):
    """The agencies behind SSBTEK's answers."""

    AF = "AF", _("Arbetsförmedlingen")
    CSN = "CSN", _("CSN")
    FK = "FK", _("Försäkringskassan")
    PM = "PM", _("Pensionsmyndigheten")
    SKV = "SKV", _("Skatteverket")
    SO = "SO", _("Arbetslöshetskassan")
    TNS = "TNS", _("Transportstyrelsen")
    MIV = "MIV", _("Migrationsverket")
