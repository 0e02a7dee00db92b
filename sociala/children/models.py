"""Children and young people: reports of concern, safety assessments and initial assessments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from sociala.cases.models import Case
from sociala.organization.models import Committee
from sociala.people.models import Person

from .choices import ReporterType


class ReportOfConcern(models.Model):
    """An orosanmälan about a child; several reports about the same child join the child's open case."""

    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_of_concern",
        help_text="Empty while a report from the out-of-hours service waits for the district's hand-over",
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reports_of_concern")
    district = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="reports_of_concern",
        help_text="The district that handles the report (the child's district when it came in)",
    )
    reporter_type = models.CharField(max_length=30, choices=ReporterType.choices)
    is_mandatory_reporter = models.BooleanField(default=False)
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    received_on = models.DateField()
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registered_reports_of_concern"
    )
    is_from_out_of_hours_service = models.BooleanField(default=False)
    safety_assessment_due_on = models.DateField()
    initial_assessment_calendar_due_on = models.DateField(null=True, blank=True)
    initial_assessment_due_on = models.DateField(
        null=True, blank=True, help_text="Empty when the report joined a case already past the intake"
    )
    taken_over_at = models.DateTimeField(null=True, blank=True)
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="taken_over_reports_of_concern",
    )

    class Meta:
        ordering = ["received_on", "registered_at", "pk"]
        indexes = [
            models.Index(
                fields=["district", "is_from_out_of_hours_service", "registered_at"],
                name="report_handover_idx",
            ),
            models.Index(fields=["person", "received_on"], name="report_person_idx"),
        ]

    def __str__(self):
        return f"{self.get_reporter_type_display()} {self.received_on}"

    @property
    def awaits_hand_over(self) -> bool:
        """A report from the out-of-hours service that the district has not yet taken over."""
        return self.is_from_out_of_hours_service and self.taken_over_at is None


class SafetyAssessment(models.Model):
    """A skyddsbedömning of one report, the same day: does the child need protection at once?"""

    report = models.OneToOneField(ReportOfConcern, on_delete=models.PROTECT, related_name="safety_assessment")
    assessed_on = models.DateField()
    needs_immediate_protection = models.BooleanField()
    reasoning = models.TextField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safety_assessments"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    is_from_out_of_hours_service = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.assessed_on} {self.needs_immediate_protection}"

    @property
    def is_in_time(self) -> bool:
        return self.assessed_on <= self.report.safety_assessment_due_on


class InitialAssessment(models.Model):
    """A förhandsbedömning: the decision whether to open an investigation, with the reasons."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="initial_assessment")
    decided_on = models.DateField()
    opens_investigation = models.BooleanField()
    reasons = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="initial_assessments"
    )
    delegation_reference = models.CharField(max_length=40)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.decided_on} {self.opens_investigation}"
