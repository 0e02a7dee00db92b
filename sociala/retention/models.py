"""Culling (gallring) rules and runs, archive settings, and the person's rights (objections, extracts)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation

from sociala.organization.models import Committee

from .choices import CullingRunStatus, IdentityCheck, ReceivedVia, RuleKind

# --- rules as data (ARCHITECTURE rule 3) -----------------------------------------------------


class CullingRule(models.Model):
    """A culling rule with its legal source, valid from a date; a change is a new row (rules are data).

    Which fields matter depends on ``kind``: a base rule culls ``years`` after the last entry (its
    ``case_types`` pick the law: ``lss_*`` for LSS); a research municipality rule names municipality
    and county codes; a research sample rule names birth days; a permanent or age-limit rule names
    the case types or intervention kinds whose records it keeps (``*`` at the end matches a prefix).
    """

    code = models.SlugField(max_length=60)
    kind = models.CharField(max_length=30, choices=RuleKind.choices)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    legal_source = models.CharField(max_length=300)
    valid_from = models.DateField()
    years = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Base rules: years to keep")
    age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Age-limit rules: kept until the person has turned this age"
    )
    case_types = models.JSONField(default=list, blank=True, help_text="Case type codes; 'lss_*' is a prefix")
    intervention_kinds = models.JSONField(default=list, blank=True)
    only_as_child = models.BooleanField(
        default=False, help_text="Applies when the person was under 18 when the intervention started"
    )
    requires_investigation = models.BooleanField(
        default=False, help_text="Applies only when an investigation was opened (not after a decision not to)"
    )
    birth_days = models.JSONField(default=list, blank=True)
    municipality_codes = models.JSONField(default=list, blank=True)
    county_codes = models.JSONField(default=list, blank=True)
    note = models.TextField(
        blank=True, help_text="What an administrator must know, e.g. an unverified source"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="culling_rule_version")]
        ordering = ["code", "-valid_from"]

    def __str__(self):
        return f"{self.label} ({self.valid_from})"

    @property
    def label(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name


class RetentionSetting(models.Model):
    """The installation's municipality and contacts: one row (id 1), changed by the system administrator.

    The municipality decides whether anything is culled at all: in the research municipalities
    (SoF 13 kap. 1 §) nothing is. Until it is set, culling refuses to run.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    municipality_code = models.CharField(max_length=4, help_text="Kommunkod, four digits (SCB)")
    municipality_name = models.CharField(max_length=120)
    archive_authority = models.CharField(
        max_length=200, blank=True, help_text="The archive authority that receives archive packages"
    )
    data_protection_contact = models.CharField(
        max_length=300, blank=True, help_text="How to reach the data protection officer (shown in extracts)"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.municipality_name} ({self.municipality_code})"

    @property
    def county_code(self) -> str:
        return self.municipality_code[:2]


class CullingAuthorization(models.Model):
    """The committee's recorded decision that lets the system administrator run culling (gallringsbeslut).

    A district committee's decision covers the case files of its district; a city-wide committee's
    (the social or elderly committee) covers every district.
    """

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="culling_authorizations")
    decision_reference = models.CharField(max_length=120, help_text="The minutes' reference, e.g. § 12")
    decided_on = models.DateField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_from", "-pk"]

    def __str__(self):
        return f"{self.committee} {self.decision_reference}"

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def is_city_wide(self) -> bool:
        return self.committee.kind != Committee.Kind.DISTRICT


class CullingRun(models.Model):
    """One real culling run on a day: what it culled, counted per rule; the job's progress.

    At most one run is open at a time (``is_open`` True until it ends, NULL after).
    """

    on_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=CullingRunStatus.choices, default=CullingRunStatus.CREATED
    )
    is_open = models.BooleanField(null=True, default=True, editable=False)
    authorizations = models.JSONField(
        default=list, help_text="The committee decisions in force: [{id, committee, reference}]"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    progress_total = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    culled_count = models.PositiveIntegerField(default=0)
    unauthorized_count = models.PositiveIntegerField(
        default=0, help_text="Due case files of districts without a committee decision in force"
    )
    failed_count = models.PositiveIntegerField(default=0)
    files_deleted = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{person_id, error}]: left whole")
    files_left = models.JSONField(default=list, blank=True, help_text="Files that could not be removed")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_open"], condition=Q(is_open=True), name="culling_run_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.on_date} {self.get_status_display()}"

    @property
    def progress_percent(self) -> int:
        if self.status == CullingRunStatus.COMPLETED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_active(self) -> bool:
        return self.status in (CullingRunStatus.CREATED, CullingRunStatus.RUNNING)

    def is_stale(self, now=None, after_seconds: int = 300) -> bool:
        """A running run whose worker stopped writing heartbeats (the process died)."""
        if self.status != CullingRunStatus.RUNNING:
            return False
        seen = self.heartbeat_at or self.started_at or self.created_at
        return ((now or timezone.now()) - seen).total_seconds() > after_seconds


class CullingCount(models.Model):
    """How many case files a run culled under one rule in one district: anonymous, kept for good."""

    run = models.ForeignKey(CullingRun, on_delete=models.PROTECT, related_name="counts")
    year = models.PositiveSmallIntegerField()
    rule_code = models.SlugField(max_length=60)
    rule_name = models.CharField(max_length=200)
    legal_source = models.CharField(max_length=300)
    district = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="culling_counts"
    )
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-year", "rule_code", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "rule_code", "district"], name="culling_count_per_run_rule_district"
            ),
            models.UniqueConstraint(
                fields=["run", "rule_code"],
                condition=Q(district__isnull=True),
                name="culling_count_no_district",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.rule_code} {self.district_id}: {self.count}"


# --- the person's rights ---------------------------------------------------------------------


class EntryObjection(models.Model):
    """The person's objection that a journal entry is wrong, noted with the entry (SoL 14 kap. 6 §, LSS 21 b §).

    The entry itself is never changed; an objection is never changed either (a new statement is a new
    objection).
    """

    entry = models.ForeignKey("cases.JournalEntry", on_delete=models.PROTECT, related_name="objections")
    text = models.TextField(help_text="What the person says is wrong, in the person's words")
    received_via = models.CharField(max_length=20, choices=ReceivedVia.choices)
    received_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.entry_id} {self.received_on}"


class RegisterExtractRequest(models.Model):
    """A person's request for a register extract (GDPR art. 15) and when it was answered; not the extract.

    The PDF itself is not kept (it copies everything); its checksum is, to show what was sent.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="register_extracts")
    received_on = models.DateField()
    identity_check = models.CharField(max_length=20, choices=IdentityCheck.choices)
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-produced_at", "-pk"]

    def __str__(self):
        return f"{self.person_id} {self.received_on}"
