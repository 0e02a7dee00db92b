"""Children and young people: reports of concern, safety assessments and initial assessments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from sociala.cases.models import Case, Decision, Intervention
from sociala.organization.models import Committee
from sociala.people.models import Person

from .choices import (
    CommunicationMethod,
    ConsentStatus,
    CourtOutcome,
    HeardHow,
    InterventionKind,
    LvuGrounds,
    PlacementBasis,
    PlanKind,
    ReporterType,
    ReviewOutcome,
    SourceKind,
    TriangleSide,
)


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
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_of_concern",
        help_text="Empty while a report from the public e-form waits in the city-wide queue to be identified",
    )
    district = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_of_concern",
        help_text="The district that handles the report (the child's district); empty until identified",
    )
    reporter_type = models.CharField(max_length=30, choices=ReporterType.choices)
    is_mandatory_reporter = models.BooleanField(default=False)
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(max_length=200, blank=True)
    reporter_organisation = models.CharField(
        max_length=200, blank=True, help_text="The school, clinic or authority of a mandatory reporter"
    )
    text = models.TextField()
    is_from_public_eform = models.BooleanField(default=False)
    reference = models.CharField(
        max_length=20, blank=True, help_text="The receipt number the public e-form gave the reporter"
    )
    child_description = models.TextField(
        blank=True, help_text="What the reporter said about the child (name, age, school, address)"
    )
    identified_at = models.DateTimeField(null=True, blank=True)
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="report_reference_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_reporter_type_display()} {self.received_on}"

    @property
    def awaits_hand_over(self) -> bool:
        """A report from the out-of-hours service that the district has not yet taken over."""
        return self.is_from_out_of_hours_service and self.taken_over_at is None

    @property
    def awaits_identification(self) -> bool:
        """A report from the public e-form whose child the intake team has not yet identified."""
        return self.person_id is None


class PublicReportAttempt(models.Model):
    """One report sent through the public e-form, counted per address for the rate limit.

    Not linked to the report: the address is kept only as a keyed hash, and only for the limit's window,
    so that an anonymous reporter cannot be traced through it."""

    address_key = models.CharField(max_length=64, db_index=True)
    attempted_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.address_key[:8]} {self.attempted_at:%Y-%m-%d %H:%M}"


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


# --- the BBIC investigation --------------------------------------------------------------------


class BbicArea(models.Model):
    """An area of the BBIC triangle (a code list as data, valid from a date)."""

    code = models.SlugField(max_length=60)
    side = models.CharField(max_length=30, choices=TriangleSide.choices)
    name = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160)
    position = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True, help_text="E.g. that the row awaits confirmation")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="bbic_area_version")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        from django.utils import translation

        return self.name_en if translation.get_language() == "en" else self.name


class Investigation(models.Model):
    """A BBIC investigation of a child's need of protection or support, within four months (SoL 20:3)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="child_investigation")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="child_investigations")
    started_on = models.DateField()
    calendar_due_on = models.DateField()
    due_on = models.DateField(help_text="Moved by a recorded extension")
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True, help_text="The overall analysis and assessment")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.case} {self.started_on}"

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


class AreaAssessment(models.Model):
    """What the investigation found in one area of the triangle."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey(BbicArea, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["investigation", "area"], name="area_assessment_once")]

    def __str__(self):
        return f"{self.area} {self.investigation_id}"


class ChildView(models.Model):
    """The child's own view, documented on its own with how the child was heard."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="child_views")
    heard_on = models.DateField()
    heard_how = models.CharField(max_length=20, choices=HeardHow.choices)
    present = models.CharField(max_length=300, blank=True, help_text="Who else was there")
    view = models.TextField(help_text="The child's view in the child's words, or why the child was not heard")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["heard_on", "pk"]

    def __str__(self):
        return f"{self.heard_on} {self.heard_how}"


class GuardianCommunication(models.Model):
    """Kommunicering of the investigation to one guardian, a party (FL 25 §), with the reply deadline."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="communications")
    # SET_NULL: the guardian's own case file may be culled while the child's is kept; the name stays.
    guardian = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    guardian_name = models.CharField(max_length=200)
    sent_on = models.DateField()
    method = models.CharField(max_length=20, choices=CommunicationMethod.choices)
    reply_due_on = models.DateField()
    replied_on = models.DateField(null=True, blank=True)
    reply = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    reply_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_on", "pk"]

    def __str__(self):
        return f"{self.guardian_id} {self.sent_on}"


class InformationSource(models.Model):
    """Another source consulted in the investigation: who, when, what, and whether there was consent."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="sources")
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    source_name = models.CharField(max_length=200)
    contacted_on = models.DateField()
    what = models.TextField()
    consent = models.CharField(max_length=20, choices=ConsentStatus.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contacted_on", "pk"]

    def __str__(self):
        return f"{self.source_name} {self.contacted_on}"


class InvestigationExtension(models.Model):
    """A decision, under delegation, to extend the four months for special reasons (SoL 20:3)."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="extensions")
    previous_due_on = models.DateField()
    new_due_on = models.DateField()
    reasons = models.TextField()
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delegation_reference = models.CharField(max_length=40)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_on", "pk"]

    def __str__(self):
        return f"{self.previous_due_on} → {self.new_due_on}"


# --- placements, LVU, follow-up, plans ---------------------------------------------------------


class Placement(models.Model):
    """A placement of a child outside the home, decided in a case; the record is never culled."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="placements")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="placements")
    intervention = models.OneToOneField(Intervention, on_delete=models.PROTECT, related_name="placement")
    kind = models.CharField(max_length=40, choices=InterventionKind.choices)
    basis = models.CharField(max_length=10, choices=PlacementBasis.choices)
    location_name = models.CharField(max_length=200, help_text="The family home, HVB or housing")
    location_municipality = models.CharField(max_length=100, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.location_name} {self.starts_on}"

    @property
    def is_lvu(self) -> bool:
        return self.basis != PlacementBasis.SOL


class PlacementVisit(models.Model):
    """A visit to a placed child by the responsible social worker."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField()
    spoke_alone = models.BooleanField(default=False)
    notes = models.TextField()
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return str(self.visited_on)


class PlacementReview(models.Model):
    """The statutory six-monthly consideration (övervägande) or review (prövning) of a placement."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="reviews")
    rule_code = models.SlugField(max_length=60)
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    reasons = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.rule_code} {self.reviewed_on}"


class LvuMatter(models.Model):
    """The LVU path of a case: immediate custody (6 §) and the application for care to the
    administrative court (4 §), with the dates the statute counts from and the court's outcomes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="lvu_matters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="lvu_matters")
    grounds = models.CharField(max_length=5, choices=LvuGrounds.choices)
    court = models.CharField(max_length=120)
    custody_decided_on = models.DateField(null=True, blank=True, help_text="Omedelbart omhändertagande, 6 §")
    custody_executed_on = models.DateField(null=True, blank=True)
    custody_submitted_on = models.DateField(null=True, blank=True, help_text="Underställt rätten, 7 §")
    custody_outcome = models.CharField(max_length=10, choices=CourtOutcome.choices, blank=True)
    custody_outcome_on = models.DateField(null=True, blank=True)
    application_sent_on = models.DateField(null=True, blank=True, help_text="Ansökan om vård, 4 §")
    application_reasons = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=CourtOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"LVU {self.get_grounds_display()} {self.case_id}"


class ChildPlan(models.Model):
    """A vårdplan or genomförandeplan for the child, versioned: a change is a new version."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="child_plans")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="child_plans")
    kind = models.CharField(max_length=30, choices=PlanKind.choices)
    version = models.PositiveIntegerField()
    established_on = models.DateField()
    goals = models.TextField()
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "version"], name="child_plan_version")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"
