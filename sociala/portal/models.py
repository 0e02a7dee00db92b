"""The citizens' portal: e-ID logins, monthly e-applications, secure messages and requests for completion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from sociala.cases.models import Case
from sociala.documents.models import Document
from sociala.people.models import Person

from .choices import ApplicationStatus, MessageSender


class CitizenSession(models.Model):
    """A citizen's login to the portal with e-ID; the browser's session holds only this row's id.

    A citizen is not a staff ``User``: staff pages never open for this login.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="portal_sessions")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    acr = models.CharField(max_length=300, blank=True)
    auth_time = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.person_id} {self.started_at:%Y-%m-%d %H:%M}"


class IncomeSupportApplication(models.Model):
    """A monthly e-application for ekonomiskt bistånd: a draft the citizen fills in, then sent as a case.

    ``answers`` holds the answers as typed, one entry per question group, so a draft can be left and
    continued; ``submitted`` holds the checked answers at sending, including the calculation input.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="income_support_applications")
    month = models.DateField(help_text="The first day of the month applied for")
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    submitted = models.JSONField(default=dict, blank=True)
    prefilled_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="income_support_application"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    declared_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="portal_one_application_per_month"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.month:%Y-%m} {self.status}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT


class ApplicationAttachment(models.Model):
    """A receipt or document added to an e-application; moved into the case file when it is sent."""

    application = models.ForeignKey(
        IncomeSupportApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="portal/attachments/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class CompletionRequest(models.Model):
    """A request for completion (begäran om komplettering): what the caseworker needs, and by when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="completion_requests")
    due_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.case_id} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None


class CompletionItem(models.Model):
    """One thing asked for in a request for completion; received when the citizen has answered it."""

    request = models.ForeignKey(CompletionRequest, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(max_length=300)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description


class Message(models.Model):
    """A secure message in a case, between the citizen (in the portal) and the caseworkers."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="portal_messages")
    sender = models.CharField(max_length=10, choices=MessageSender.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    completion_request = models.ForeignKey(
        CompletionRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    completion_item = models.ForeignKey(
        CompletionItem, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True, help_text="When the other side first read it")

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["case", "sender", "read_at"], name="portal_message_unread_idx")]

    def __str__(self):
        return f"{self.case_id} {self.sender} {self.sent_at:%Y-%m-%d %H:%M}"
