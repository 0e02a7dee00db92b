"""Fees (avgifter): the rules as data, income declarations, fee decisions and client invoices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from sociala.organization.models import Committee
from sociala.people.models import Person

from .choices import DeclarationSource, FeeDecisionReason, Household, PriceUnit, ServiceType

# --- rules as data (ARCHITECTURE rule 3) -----------------------------------------------------


class PriceBaseAmount(models.Model):
    """The price base amount (prisbasbelopp) of a calendar year, set by the government each autumn."""

    year = models.PositiveSmallIntegerField(unique=True)
    amount = models.PositiveIntegerField(help_text="Whole kronor per year")
    legal_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class FeeFormula(models.Model):
    """The statutory factors of the price base amount for max fees and minimum amounts, from a date."""

    valid_from = models.DateField(unique=True)
    max_fee_factor = models.DecimalField(
        max_digits=6, decimal_places=4, help_text="Home care, day activity, health care (SoL 32:6 § 1)"
    )
    housing_max_fee_factor = models.DecimalField(
        max_digits=6, decimal_places=4, help_text="Housing in residential care (SoL 32:6 § 2)"
    )
    minimum_amount_single_factor = models.DecimalField(max_digits=6, decimal_places=4)
    minimum_amount_spouse_factor = models.DecimalField(
        max_digits=6, decimal_places=4, help_text="Each of two spouses or cohabitants (SoL 32:8)"
    )
    legal_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.valid_from}"


class MinimumAmountRaise(models.Model):
    """A local rule, not statute: the municipality raises the minimum amount for persons under an age limit.

    Many municipalities raise it by 10 % below 61 or 65 years, because younger persons have costs the
    national minimum amount does not cover. A row with ``percent`` 0 ends the raise from its date.
    """

    valid_from = models.DateField(unique=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, help_text="10.00 means +10 %")
    age_limit = models.PositiveSmallIntegerField(help_text="The raise applies to persons younger than this")
    local_decision = models.CharField(
        max_length=200, help_text="The municipal decision that sets the rule (it is local, not statute)"
    )

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.valid_from}: +{self.percent} % under {self.age_limit}"


class PriceListEntry(models.Model):
    """The municipality's price of an intervention kind from a date (a local decision), and the fee
    service it is charged as: the decision's scope times this price is the "price of granted services"."""

    intervention_kind = models.SlugField(max_length=60)
    service_type = models.CharField(max_length=30, choices=ServiceType.choices)
    unit = models.CharField(max_length=20, choices=PriceUnit.choices)
    price = models.DecimalField(max_digits=9, decimal_places=2, help_text="Kronor per unit")
    valid_from = models.DateField()
    local_decision = models.CharField(max_length=200, help_text="The municipal decision that sets the price")

    class Meta:
        ordering = ["intervention_kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention_kind", "valid_from"], name="price_list_entry_version"
            )
        ]

    def __str__(self):
        return f"{self.intervention_kind} {self.price} {self.unit} från {self.valid_from}"


# --- a client's fee --------------------------------------------------------------------------


class IncomeDeclaration(models.Model):
    """A client's declared income and housing cost (inkomstuppgift), entered by staff or in the portal."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="income_declarations")
    household = models.CharField(max_length=10, choices=Household.choices)
    monthly_net_income = models.PositiveIntegerField(
        help_text="Expected net income per month over the next 12 months, incl. housing supplement; "
        "for spouses their joint income"
    )
    housing_cost = models.PositiveIntegerField(help_text="The client's own housing cost per month")
    changed_on = models.DateField(help_text="From when the declared circumstances apply")
    received_on = models.DateField()
    source = models.CharField(
        max_length=10, choices=DeclarationSource.choices, default=DeclarationSource.STAFF
    )
    note = models.TextField(blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="income_declarations"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.person_id} {self.received_on}"


class FeeDecision(models.Model):
    """An avgiftsbeslut: the client's fee per month from a month on, with the calculation that explains it.

    The decision is a legal record: its calculation, inputs and rule version never change. A change
    (a new income declaration, new services, a new price base amount) is a new decision from the month
    after the change; the old one then ends the month before (``valid_to``) and points to its
    replacement. A replaced decision that had not started yet ends before it began: it never applied.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="fee_decisions")
    declaration = models.ForeignKey(IncomeDeclaration, on_delete=models.PROTECT, related_name="fee_decisions")
    reference = models.CharField(max_length=30, unique=True)
    reason = models.CharField(max_length=20, choices=FeeDecisionReason.choices)
    valid_from = models.DateField(help_text="The first day of the first month the fee applies")
    valid_to = models.DateField(
        null=True, blank=True, help_text="The last day it applies; empty: until further notice"
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    district = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="fee_decisions", help_text="Decides and is paid"
    )
    age = models.PositiveSmallIntegerField(help_text="The client's age on valid_from")
    individual_adjustment = models.IntegerField(default=0)
    adjustment_reason = models.TextField(blank=True)
    inputs = models.JSONField(help_text="The calculation's input exactly as computed (FeeInput)")
    rules = models.JSONField(help_text="The rule version used (FeeRules.version())")
    lines = models.JSONField(help_text="The explained lines of the calculation, in Swedish")
    fee_basis = models.IntegerField()
    minimum_amount = models.IntegerField()
    reserved_amount = models.IntegerField()
    fee_capacity = models.IntegerField()
    max_fee = models.IntegerField()
    fee = models.IntegerField(help_text="Whole kronor per month")
    legal_basis = models.CharField(max_length=200)
    appeal_instructions = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fee_decisions"
    )
    decided_on = models.DateField()
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_from", "-decided_at"]
        indexes = [models.Index(fields=["person", "valid_from"], name="fee_decision_person_idx")]

    def __str__(self):
        return f"{self.reference} {self.fee} kr/mån från {self.valid_from}"

    @property
    def never_applied(self) -> bool:
        return self.valid_to is not None and self.valid_to < self.valid_from


class ClientInvoice(models.Model):
    """A monthly invoice to a client for one month's fee, paid with an OCR reference."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="client_invoices")
    fee_decision = models.ForeignKey(FeeDecision, on_delete=models.PROTECT, related_name="invoices")
    month = models.DateField(help_text="The first day of the month the fee is for")
    amount = models.PositiveIntegerField(help_text="Whole kronor")
    ocr_reference = models.CharField(max_length=25, unique=True)
    district = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="client_invoices")
    issued_on = models.DateField()
    due_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="client_invoices"
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="client_invoice_per_month")]

    def __str__(self):
        return f"{self.ocr_reference} {self.amount} kr"

    @property
    def number(self) -> str:
        """The invoice number printed on the invoice: the OCR reference without its two control digits."""
        return self.ocr_reference[:-2]
