"""Choices of the finance app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    """How a payee receives money: to a bank account, or as a payment order (utbetalningskort) by post."""

    BANK_ACCOUNT = "bank_account", _("Insättning på bankkonto")
    PAYMENT_ORDER = "payment_order", _("Utbetalningskort")


class PaymentRunStatus(models.TextChoices):
    """Where a payment run is: created → running → completed, or failed (and then resumed)."""

    CREATED = "created", _("Skapad")
    RUNNING = "running", _("Pågår")
    COMPLETED = "completed", _("Klar")
    FAILED = "failed", _("Misslyckades")


class HoldReason(models.TextChoices):
    """Why a payable decision was left out of a run (it stays payable for the next run)."""

    NO_PAYMENT_ROUTE = "no_payment_route", _("Inget konto och ingen adress som får användas")
    DECEASED = "deceased", _("Betalningsmottagaren är avliden")
