"""Cases and everything recorded in them: deadlines, decisions, interventions, orders, journal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sociala.core.choices import ServiceArea
from sociala.core.deadlines import DAYS, MONTHS, WEEKS, YEARS
from sociala.organization.models import Committee, Provider, Unit
from sociala.people.models import Person
from sociala.processes.models import ProcessInstance

from .choices import (
    DeadlineStatus,
    IntakeKind,
    JournalCategory,
    JournalStatus,
    OrderStatus,
    Outcome,
    Stage,
)


class CaseType(models.Model):
    """A kind of case (ansökan om hemtjänst …) with its process and default legal basis; data, not code."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160)
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    intake_kind = models.CharField(max_length=30, choices=IntakeKind.choices)
    process_code = models.SlugField(max_length=60)
    legal_basis = models.CharField(max_length=200)
    intervention_kind = models.CharField(max_length=60, blank=True)
    is_party_initiated = models.BooleanField(default=True)
    deadline_rules = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            'Deadlines to open, e.g. [{"rule": "appeal_period", "on": "decided"}]; "on" is opened, decided, '
            'granted or a process step; "until" is the step that completes it'
        ),
    )

    class Meta:
        ordering = ["service_area", "name"]

    def __str__(self):
        return self.name_en if translation.get_language() == "en" else self.name


class Case(models.Model):
    """An ärende: one matter about one person in one service area."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    district = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="cases")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.INTAKE)
    reference = models.CharField(max_length=30, unique=True)
    intake_kind = models.CharField(max_length=30, choices=IntakeKind.choices)
    received_on = models.DateField()
    sought = models.TextField(
        _("vad som söks"), help_text="What the person applies for or what the report is about"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_reason = models.CharField(max_length=200, blank=True)
    communicated_on = models.DateField(
        null=True, blank=True, help_text="When the party was given the material (FL 25 §)"
    )
    process = models.OneToOneField(ProcessInstance, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "stage"], name="case_unit_stage_idx"),
            models.Index(fields=["assigned_to", "stage"], name="case_assignee_stage_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.case_type}"

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED


class DeadlineRule(models.Model):
    """A statutory or local deadline as data, valid from a date (rules are data)."""

    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160)
    amount = models.PositiveIntegerField()
    unit = models.CharField(
        max_length=10,
        choices=[(DAYS, _("dagar")), (WEEKS, _("veckor")), (MONTHS, _("månader")), (YEARS, _("år"))],
    )
    moves_to_working_day = models.BooleanField(
        default=False, help_text="Lag 1930:173: a deadline on a holiday moves to the next weekday"
    )
    legal_source = models.CharField(max_length=120, blank=True)
    completes_when_due = models.BooleanField(
        default=False, help_text="A deadline that only marks time passing (the appeal period) ends by itself"
    )
    valid_from = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="deadline_rule_version")]
        ordering = ["code", "-valid_from"]

    def __str__(self):
        return f"{self.label} ({self.amount} {self.unit})"

    @property
    def label(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name


class Deadline(models.Model):
    """A bevakning: something that must be done in a case by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(DeadlineRule, null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    calendar_due_on = models.DateField()
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_deadlines",
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="deadline_status_due_idx"),
            # The open deadlines of a person's cases, soonest first (the person page).
            models.Index(fields=["case", "status", "due_on"], name="deadline_case_status_due_idx"),
        ]

    def __str__(self):
        return f"{self.title} {self.due_on}"

    @property
    def label(self) -> str:
        """The rule's name in the user's language; the stored title for deadlines without a rule."""
        return self.rule.label if self.rule is not None else self.title

    def days_left(self, today=None) -> int:
        today = today or timezone.localdate()
        return (self.due_on - today).days

    @property
    def is_overdue(self) -> bool:
        return self.status == DeadlineStatus.OPEN and self.due_on < timezone.localdate()


class Decision(models.Model):
    """A beslut: complete per rule 6, immutable once made; a letter is produced as PDF."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    reference = models.CharField(max_length=30, unique=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    sought = models.TextField()
    period_start = models.DateField()
    period_end = models.DateField(null=True, blank=True)
    legal_basis = models.CharField(max_length=200)
    motivation = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    delegation_reference = models.CharField(max_length=40)
    decided_on = models.DateField()
    decided_at = models.DateTimeField(default=timezone.now)
    appeal_instructions = models.TextField()
    is_automated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.reference} {self.get_outcome_display()}"


class DecisionItem(models.Model):
    """One thing applied for in a decision, granted or refused on its own."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(max_length=300)
    intervention_kind = models.CharField(max_length=60, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    scope = models.CharField(
        max_length=200, blank=True, help_text="Hours per month, activities per week, or amount"
    )
    amount = models.IntegerField(null=True, blank=True, help_text="Whole kronor, where the item is money")
    legal_basis = models.CharField(max_length=200)
    motivation = models.TextField(blank=True)

    def __str__(self):
        return self.description


class Intervention(models.Model):
    """An insats granted by a decision item."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interventions")
    decision_item = models.OneToOneField(DecisionItem, on_delete=models.PROTECT, related_name="intervention")
    kind = models.CharField(max_length=60)
    description = models.CharField(max_length=300)
    scope = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.description


class Order(models.Model):
    """A beställning: an intervention sent to the provider that carries it out."""

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="orders")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.ACTIVE)
    sent_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    instructions = models.TextField(blank=True)

    def __str__(self):
        return f"{self.intervention} → {self.provider}"


class JournalEntry(models.Model):
    """A journal note about a person, in a case or not; locked once signed, corrected by a new entry."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="journal_entries")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    category = models.CharField(max_length=20, choices=JournalCategory.choices)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=JournalStatus.choices, default=JournalStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="journal_entries"
    )
    occurred_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    correction_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [
            models.Index(fields=["person", "status", "-occurred_on"], name="journal_person_idx"),
            models.Index(fields=["case", "status", "-occurred_on"], name="journal_case_idx"),
        ]
        verbose_name_plural = "journal entries"

    def __str__(self):
        return self.title or self.get_category_display()

    @property
    def is_signed(self) -> bool:
        return self.status == JournalStatus.SIGNED


class Phrase(models.Model):
    """A reusable text (fras/mall) to insert into a journal entry; editable per unit or for everyone."""

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="phrases")
    title = models.CharField(max_length=120)
    text = models.TextField()
    category = models.CharField(max_length=20, choices=JournalCategory.choices, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title
