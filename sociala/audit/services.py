"""Writing to the audit log and verifying its chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def record_event(
    *,
    actor,
    action: str,
    person_id: int | None = None,
    case_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    is_emergency: bool = False,
    reason: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain. Every read of personal data and every write calls this."""
    if actor is None:
        raise ValueError("an audit event needs an actor")
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            user_id=getattr(actor, "pk", None),
            username=getattr(actor, "username", str(actor)),
            role=getattr(actor, "primary_role", "") or "",
            action=action,
            person_id=person_id,
            case_id=case_id,
            object_type=object_type,
            object_id=str(object_id),
            is_emergency=is_emergency,
            reason=reason,
            details=details or {},
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        AuditChainHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclass
class VerificationResult:
    """The outcome of checking the chain: ok, or the first event that breaks it."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 5000) -> VerificationResult:
    """Recompute every hash in order; name the first removed, altered or reordered event."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    queryset = AuditEvent.objects.order_by("seq")
    for event in queryset.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return VerificationResult(False, checked, expected_seq, "event missing")
        if event.prev_hash != expected_prev:
            return VerificationResult(False, checked, event.seq, "link to previous event broken")
        if event.compute_hash() != event.hash:
            return VerificationResult(False, checked, event.seq, "event altered")
        expected_prev = event.hash
        expected_seq += 1
        last_seq = event.seq
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != last_seq or head_hash != expected_prev:
        return VerificationResult(False, checked, last_seq + 1, "events removed from the end")
    return VerificationResult(True, checked)
