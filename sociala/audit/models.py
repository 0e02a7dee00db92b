"""The append-only, hash-chained access and change log, and the log review built on it."""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One read or write of personal data (or another audited action), chained to the one before."""

    seq = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    user_id = models.BigIntegerField(null=True, db_index=True)
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=40)
    person_id = models.BigIntegerField(null=True, db_index=True)
    case_id = models.BigIntegerField(null=True, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    is_emergency = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["person_id", "occurred_at"], name="audit_person_time_idx"),
            # A user's latest events of a kind (the start page's recently opened persons).
            models.Index(fields=["user_id", "action", "-seq"], name="audit_user_action_seq_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit events are append-only")

    def canonical(self) -> str:
        """The fields the hash covers, in a stable text form."""
        return json.dumps(
            {
                "seq": self.seq,
                "occurred_at": self.occurred_at.isoformat(),
                "user_id": self.user_id,
                "username": self.username,
                "role": self.role,
                "action": self.action,
                "person_id": self.person_id,
                "case_id": self.case_id,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "is_emergency": self.is_emergency,
                "reason": self.reason,
                "details": self.details,
                "prev_hash": self.prev_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()


class AuditChainHead(models.Model):
    """The single row that holds the chain's last sequence number and hash; locked while appending."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"head #{self.seq}"


# --- Log review (loggkontroll) -------------------------------------------------------------------------


class ReviewRuleCode(models.TextChoices):
    """The rules that flag an access for review."""

    EMERGENCY_ACCESS = "emergency_access", _("Nödåtkomst")
    PROTECTED_PERSON = "protected_person", _("Person med skyddade personuppgifter")
    OUTSIDE_CASELOAD = "outside_caseload", _("Person utanför egna ärenden och enhet")
    MANY_PERSONS = "many_persons", _("Ovanligt många personer under en dag")
    SAME_SURNAME = "same_surname", _("Samma efternamn som användaren")
    SAME_ADDRESS = "same_address", _("Samma adress som användaren")
    RANDOM_SAMPLE = "random_sample", _("Slumpvis stickprov")


class ReviewRule(models.Model):
    """A flagging rule as data: on or off, and its threshold (persons per day), from a date."""

    code = models.CharField(max_length=30, choices=ReviewRuleCode.choices)
    is_active = models.BooleanField(default=True)
    threshold = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="many_persons: more distinct persons than this in a day; random_sample: accesses drawn per district and month",
    )
    valid_from = models.DateField()

    class Meta:
        ordering = ["code", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="review_rule_unique")]

    def __str__(self):
        return f"{self.code} från {self.valid_from}"


class ReviewCursor(models.Model):
    """How far the review run has read the audit log (the single row id=1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"review read to #{self.last_seq}"


class ReviewVerdictChoice(models.TextChoices):
    OK = "ok", _("Utan anmärkning")
    FOLLOW_UP = "follow_up", _("Behöver följas upp")
    BREACH = "breach", _("Otillåten åtkomst")


class ReviewFlag(models.Model):
    """One access flagged for review: a user's reads of one person on one day (or, for many persons,
    the user's whole day), by one rule."""

    rule = models.CharField(max_length=30, choices=ReviewRuleCode.choices)
    user_id = models.BigIntegerField(db_index=True)
    username = models.CharField(max_length=150)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    day = models.DateField(db_index=True)
    district_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    first_event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    verdict = models.CharField(max_length=20, choices=ReviewVerdictChoice.choices, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "user_id", "person_id", "day"], name="review_flag_unique"
            ),
            models.UniqueConstraint(
                fields=["rule", "user_id", "day"],
                condition=models.Q(person_id__isnull=True),
                name="review_flag_unique_without_person",
            ),
        ]
        indexes = [models.Index(fields=["district_id", "day"], name="review_flag_district_day_idx")]

    def __str__(self):
        return f"{self.rule} {self.username} {self.day}"


class ReviewVerdict(models.Model):
    """A reviewer's verdict on a flagged access, with a comment; a later verdict replaces the shown one,
    the earlier ones stay."""

    flag = models.ForeignKey(ReviewFlag, on_delete=models.PROTECT, related_name="verdicts")
    verdict = models.CharField(max_length=20, choices=ReviewVerdictChoice.choices)
    comment = models.TextField(blank=True)
    reviewer_id = models.BigIntegerField()
    reviewer_username = models.CharField(max_length=150)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.verdict} by {self.reviewer_username}"
