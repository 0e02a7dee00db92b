"""The append-only, hash-chained access and change log."""

from __future__ import annotations

import hashlib
import json

from django.db import models


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
        indexes = [models.Index(fields=["person_id", "occurred_at"], name="audit_person_time_idx")]

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
