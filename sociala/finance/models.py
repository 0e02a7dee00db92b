"""Payments of income support: payees' bank accounts, payment runs, payments, cost centres."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sociala.cases.models import Decision
from sociala.organization.models import Committee
from sociala.people.models import Person

from .choices import PaymentMethod, PaymentRunStatus


def end_to_end_id(payment_id: int) -> str:
    """A payment's id as the bank sees it (EndToEndId, at most 35 characters)."""
    return f"SOC-P{payment_id}"


class BankAccount(models.Model):
    """How a person is paid: a Swedish bank account (or IBAN), or payment order; entered by staff.

    A change is a new row; the previous row gets ``ended_at``. At most one row per person is
    current, which the database enforces.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bank_accounts")
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    clearing_number = models.CharField(max_length=5, blank=True)
    account_number = models.CharField(max_length=15, blank=True)
    iban = models.CharField(max_length=34, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registered_bank_accounts"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="bank_account_one_current"
            ),
            models.CheckConstraint(
                condition=Q(method=PaymentMethod.PAYMENT_ORDER)
                | ~Q(iban="")
                | (~Q(clearing_number="") & ~Q(account_number="")),
                name="bank_account_has_account_or_is_payment_order",
            ),
        ]

    def __str__(self):
        return self.masked

    @property
    def masked(self) -> str:
        """The account with all but the last four digits hidden, for lists and logs."""
        if self.method == PaymentMethod.PAYMENT_ORDER:
            return str(PaymentMethod.PAYMENT_ORDER.label)
        if self.iban:
            return f"IBAN ••••{self.iban[-4:]}"
        return f"{self.clearing_number}-••••{self.account_number[-4:]}"


class CostCentre(models.Model):
    """A kostnadsställe: the object of the cost-centre dimension that a district's costs are booked on."""

    district = models.OneToOneField(Committee, on_delete=models.PROTECT, related_name="cost_centre")
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class PaymentRun(models.Model):
    """A utbetalningskörning: pays every approved, unpaid income-support decision on one payment date.

    Only one run per payment date, and only one run at a time that is not completed (``is_open``
    is True until completion, NULL after, so the partial unique constraint holds at most one open
    run). A failed run keeps the payments it made and is resumed, never replaced: its payments are
    in no bank file yet.
    """

    payment_date = models.DateField(unique=True)
    status = models.CharField(
        max_length=20, choices=PaymentRunStatus.choices, default=PaymentRunStatus.CREATED
    )
    is_open = models.BooleanField(null=True, default=True, editable=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker_token = models.CharField(max_length=32, blank=True, editable=False)
    attempts = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    payment_count = models.PositiveIntegerField(default=0)
    payment_order_count = models.PositiveIntegerField(default=0)
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    held = models.JSONField(default=list, blank=True, help_text="Decisions left out: [{decision, reason}]")
    error = models.TextField(blank=True)
    message_id = models.CharField(max_length=35, blank=True)
    bank_file = models.FileField(upload_to="finance/runs/", blank=True)
    bank_file_sha256 = models.CharField(max_length=64, blank=True)
    accounting_file = models.FileField(upload_to="finance/runs/", blank=True)

    class Meta:
        ordering = ["-payment_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_open"], condition=Q(is_open=True), name="payment_run_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.payment_date} {self.get_status_display()}"

    @property
    def progress_percent(self) -> int:
        if self.status == PaymentRunStatus.COMPLETED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_active(self) -> bool:
        return self.status in (PaymentRunStatus.CREATED, PaymentRunStatus.RUNNING)

    def is_stale(self, now=None, after_seconds: int = 300) -> bool:
        """A running run whose worker stopped writing heartbeats (the process died)."""
        if self.status != PaymentRunStatus.RUNNING:
            return False
        seen = self.heartbeat_at or self.started_at or self.created_at
        return ((now or timezone.now()) - seen).total_seconds() > after_seconds


class Payment(models.Model):
    """One decision paid once: the amount and the payee's details as they were sent to the bank.

    ``decision`` is unique, so a decision can never be paid twice, whatever runs or retries do.
    The payee's name, account and address are copied here because the bank file and the accounts
    must show what was actually paid, even after the register changes.
    """

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="payments")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="payment")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="payments")
    district = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    cost_centre = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    creditor_name = models.CharField(max_length=140)
    clearing_number = models.CharField(max_length=5, blank=True)
    account_number = models.CharField(max_length=15, blank=True)
    iban = models.CharField(max_length=34, blank=True)
    street_address = models.CharField(max_length=160, blank=True)
    postal_code = models.CharField(max_length=6, blank=True)
    city = models.CharField(max_length=80, blank=True)
    remittance_information = models.CharField(max_length=140)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return f"{self.end_to_end_id} {self.amount}"

    @property
    def end_to_end_id(self) -> str:
        return end_to_end_id(self.pk)
