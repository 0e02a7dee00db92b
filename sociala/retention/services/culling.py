"""Culling: the municipality setting, the committee's decisions, and the real run.

The real run
------------
``start_culling_run`` (the system administrator, under a committee decision in force) creates a run
for today and starts ``manage.py run_culling <id>`` after the transaction commits. The job
(``execute_culling_run``) evaluates every case file that may be due (the same evaluation as the
dry run) and culls each due file whose district a committee decision covers, one transaction per
file (``cull_case_file``):

1. The person's row is locked and the facts are gathered again inside the transaction, so a file
   that received an entry since the evaluation is left alone.
2. Every row of the file is collected (``graph.case_file_nodes``: the person, the cases, every row
   that refers to them) and deleted in an order where a referring row always goes before the row it
   refers to, so ``PROTECT`` is respected; rows that refer to rows of their own model (corrections)
   go newest first. A reference Sociala does not know about stops the delete with ``ProtectedError``:
   the transaction rolls back and the file is left whole, and the run reports it.
3. Nothing of the file may remain (checked by every path, inside the transaction). The anonymous
   count (rule, district, year) is raised, and one audit event records the culling with ids only.
4. After the commit the files on disk are deleted and checked to be gone; a file that cannot be
   removed is listed on the run.

A run is safe to run twice: a culled file is gone, and the second run finds nothing due for it.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F, ProtectedError, Q, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, Message, NotPermitted
from sociala.organization.models import Committee
from sociala.people.models import Person
from sociala.retention import selectors
from sociala.retention.choices import CullingRunStatus
from sociala.retention.facts import case_file_facts
from sociala.retention.graph import delete_order, file_fields, self_references
from sociala.retention.jobs import launch_culling_run
from sociala.retention.models import CullingAuthorization, CullingCount, CullingRun, RetentionSetting
from sociala.retention.permissions import may_administer_culling
from sociala.retention.rules import CullingDecision, NoRuleInForce, RuleTable, culling_decision

logger = logging.getLogger(__name__)

MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
PROGRESS_EVERY = 10


def _stale_after() -> int:
    return int(getattr(settings, "SOCIALA_RETENTION_STALE_SECONDS", 300))


def _require_admin(actor) -> None:
    if not may_administer_culling(actor):
        raise NotPermitted


# --- settings and committee decisions --------------------------------------------------------


@transaction.atomic
def save_retention_setting(
    *,
    actor,
    municipality_code: str,
    municipality_name: str,
    archive_authority: str = "",
    data_protection_contact: str = "",
) -> RetentionSetting:
    """Set the municipality (it decides whether anything is culled) and the contacts shown in extracts."""
    _require_admin(actor)
    code = (municipality_code or "").strip()
    name = (municipality_name or "").strip()
    errors: dict[str, Message] = {}
    if not MUNICIPALITY_CODE.match(code):
        errors["municipality_code"] = _("Ange kommunkoden med fyra siffror, till exempel 0180.")
    if not name:
        errors["municipality_name"] = _("Ange kommunens namn.")
    if errors:
        raise InvalidInput(errors)
    setting = RetentionSetting.objects.select_for_update().filter(pk=1).first()
    before = (
        {"municipality_code": setting.municipality_code, "municipality_name": setting.municipality_name}
        if setting
        else {}
    )
    setting = setting or RetentionSetting(pk=1)
    setting.municipality_code = code
    setting.municipality_name = name
    setting.archive_authority = (archive_authority or "").strip()
    setting.data_protection_contact = (data_protection_contact or "").strip()
    setting.updated_by = actor
    setting.updated_at = timezone.now()
    setting.save()
    record_event(
        actor=actor,
        action="save_retention_setting",
        object_type="retention_setting",
        object_id=setting.pk,
        details={"before": before, "after": {"municipality_code": code, "municipality_name": name}},
    )
    return setting


@transaction.atomic
def record_culling_authorization(
    *,
    actor,
    committee: Committee | None,
    decision_reference: str,
    decided_on: date | None,
    valid_from: date | None,
    valid_to: date | None = None,
) -> CullingAuthorization:
    """Record the committee's decision under which the system administrator may run culling."""
    _require_admin(actor)
    reference = (decision_reference or "").strip()
    errors: dict[str, Message] = {}
    if committee is None:
        errors["committee"] = _("Välj nämnden som har fattat beslutet.")
    if not reference:
        errors["decision_reference"] = _("Ange protokollets paragraf eller diarienummer.")
    if decided_on is None:
        errors["decided_on"] = _("Ange datum för beslutet.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("Beslutet kan inte vara fattat i framtiden.")
    if valid_from is None:
        errors["valid_from"] = _("Ange från vilket datum beslutet gäller.")
    elif decided_on is not None and valid_from < decided_on:
        errors["valid_from"] = _("Beslutet kan inte gälla före den dag det fattades.")
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = _("Slutdatum kan inte ligga före startdatum.")
    if errors:
        raise InvalidInput(errors)
    assert committee is not None and decided_on is not None and valid_from is not None  # checked above
    authorization = CullingAuthorization.objects.create(
        committee=committee,
        decision_reference=reference,
        decided_on=decided_on,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action="record_culling_authorization",
        object_type="culling_authorization",
        object_id=authorization.pk,
        details={
            "committee": committee.code,
            "reference": reference,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
        },
    )
    return authorization


@transaction.atomic
def end_culling_authorization(
    *, actor, authorization: CullingAuthorization, valid_to: date | None
) -> CullingAuthorization:
    """End a committee decision (it was revoked or replaced) from a day on."""
    _require_admin(actor)
    authorization = CullingAuthorization.objects.select_for_update().get(pk=authorization.pk)
    if valid_to is None:
        raise InvalidInput({"valid_to": _("Ange sista dagen beslutet gäller.")})
    if valid_to < authorization.valid_from:
        raise InvalidInput({"valid_to": _("Slutdatum kan inte ligga före startdatum.")})
    before = authorization.valid_to
    authorization.valid_to = valid_to
    authorization.save(update_fields=["valid_to"])
    record_event(
        actor=actor,
        action="end_culling_authorization",
        object_type="culling_authorization",
        object_id=authorization.pk,
        details={"before": before.isoformat() if before else None, "after": valid_to.isoformat()},
    )
    return authorization


# --- the dry run (audited read) --------------------------------------------------------------


def dry_run(*, actor, on_date: date | None, download: bool = False) -> selectors.CullingReport:
    """The report of what culling would do on a day, for the system administrator; the read is logged."""
    _require_admin(actor)
    if on_date is None:
        raise InvalidInput({"on_date": _("Ange ett datum.")})
    earliest = selectors.rule_table().earliest_date()
    if earliest is None or on_date < earliest:
        raise InvalidInput(
            {
                "on_date": _("Det finns inga gallringsregler för datumet. Välj %(day)s eller senare.")
                % {"day": earliest.isoformat() if earliest else "–"}
            }
        )
    try:
        report = selectors.culling_report(on_date)
    except NoRuleInForce as error:
        raise InvalidInput({"on_date": _("Det finns inga gallringsregler för datumet.")}) from error
    record_event(
        actor=actor,
        action="download_culling_report" if download else "view_culling_report",
        object_type="culling_report",
        details={"on_date": on_date.isoformat(), "due": len(report.rows), "examined": report.examined},
    )
    return report


# --- the real run ----------------------------------------------------------------------------


@transaction.atomic
def start_culling_run(*, actor) -> CullingRun:
    """Start culling today's due case files, under the committee's decisions in force today."""
    _require_admin(actor)
    today = timezone.localdate()
    if selectors.retention_setting() is None:
        raise InvalidInput({"__all__": _("Ange kommunen under Inställningar innan gallring körs.")})
    authorizations = selectors.authorizations_in_force(today)
    if not authorizations:
        raise InvalidInput(
            {
                "__all__": _(
                    "Det finns inget beslut av nämnden om gallring som gäller i dag. Registrera beslutet först."
                )
            }
        )
    current = CullingRun.objects.select_for_update().filter(is_open=True).first()
    if current is not None:
        if current.is_active and not current.is_stale(after_seconds=_stale_after()):
            raise InvalidInput({"__all__": _("En gallringskörning pågår redan.")})
        current.status = CullingRunStatus.FAILED
        current.is_open = None
        current.finished_at = timezone.now()
        current.save(update_fields=["status", "is_open", "finished_at"])
    run = CullingRun.objects.create(
        on_date=today,
        started_by=actor,
        authorizations=[
            {"id": a.pk, "committee": a.committee.name, "reference": a.decision_reference}
            for a in authorizations
        ],
    )
    record_event(
        actor=actor,
        action="start_culling_run",
        object_type="culling_run",
        object_id=run.pk,
        details={"on_date": today.isoformat(), "authorizations": [a.pk for a in authorizations]},
    )
    transaction.on_commit(lambda: launch_culling_run(run.pk))
    return run


def _claim(run_id: int) -> CullingRun | None:
    with transaction.atomic():
        run = CullingRun.objects.select_for_update().get(pk=run_id)
        if run.status != CullingRunStatus.CREATED:
            return None
        now = timezone.now()
        run.status = CullingRunStatus.RUNNING
        run.started_at = run.heartbeat_at = now
        run.save(update_fields=["status", "started_at", "heartbeat_at"])
        return run


def execute_culling_run(run_id: int) -> CullingRun:
    """The job: cull every due, authorized case file, one transaction each (safe to run twice)."""
    run = _claim(run_id)
    if run is None:
        return CullingRun.objects.get(pk=run_id)
    try:
        report = selectors.culling_report(run.on_date)
        table = selectors.rule_table()
        due = report.authorized_rows
        CullingRun.objects.filter(pk=run.pk).update(
            progress_total=len(due), unauthorized_count=report.unauthorized_count
        )
        errors: list[dict] = []
        culled = 0
        for index, row in enumerate(due, start=1):
            try:
                if cull_case_file(run=run, person_id=row.person_id, table=table) is not None:
                    culled += 1
            except CullingFailed as error:
                errors.append({"person_id": row.person_id, "error": error.reason})
                record_event(
                    actor=run.started_by,
                    action="cull_case_file_failed",
                    person_id=row.person_id,
                    object_type="case_file",
                    object_id=row.person_id,
                    details={"run": run.pk, "error": error.reason},
                )
            if index % PROGRESS_EVERY == 0 or index == len(due):
                CullingRun.objects.filter(pk=run.pk).update(
                    progress_done=index,
                    heartbeat_at=timezone.now(),
                    culled_count=culled,
                    failed_count=len(errors),
                )
        CullingRun.objects.filter(pk=run.pk).update(
            status=CullingRunStatus.COMPLETED,
            is_open=None,
            finished_at=timezone.now(),
            culled_count=culled,
            failed_count=len(errors),
            errors=errors,
            progress_done=len(due),
        )
        record_event(
            actor=run.started_by,
            action="complete_culling_run",
            object_type="culling_run",
            object_id=run.pk,
            details={"culled": culled, "failed": len(errors), "unauthorized": report.unauthorized_count},
        )
    except Exception:
        logger.exception("culling run %s failed", run.pk)
        CullingRun.objects.filter(pk=run.pk).update(
            status=CullingRunStatus.FAILED, is_open=None, finished_at=timezone.now()
        )
        raise
    return CullingRun.objects.get(pk=run.pk)


class CullingFailed(Exception):
    """A case file could not be culled; it was left whole. ``reason`` names no person."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass
class CulledFile:
    """What one culling removed: rows per model, the files, the rule."""

    person_id: int
    decision: CullingDecision
    rows: dict[str, int]
    files: list[tuple[Storage, str]]


def _collect(person_id: int) -> dict:
    """The primary keys of every row of the person's case file, per model (before anything is deleted)."""
    collected = {}
    for node in delete_order():
        match = Q()
        for path in node.paths:
            match |= Q(**{path: person_id})
        collected[node] = list(
            node.model._default_manager.filter(match).order_by().values_list("pk", flat=True).distinct()
        )
    return collected


def _files_of(collected: dict) -> list[tuple[Storage, str]]:
    files = []
    for node, pks in collected.items():
        names = file_fields(node.model)
        if not names or not pks:
            continue
        for row in node.model._default_manager.filter(pk__in=pks).only("pk", *names):
            for name in names:
                field_file = getattr(row, name)
                if field_file:
                    files.append((field_file.storage, field_file.name))
    return files


def _delete(collected: dict) -> dict[str, int]:
    deleted: Counter = Counter()
    for node, pks in collected.items():
        remaining = set(pks)
        references = self_references(node.model)
        while remaining:
            deletable = set(remaining)
            for name in references:
                deletable -= set(
                    node.model._default_manager.filter(pk__in=remaining)
                    .exclude(**{f"{name}__isnull": True})
                    .values_list(f"{name}_id", flat=True)
                )
            if not deletable:
                raise CullingFailed(f"{node.label}: rows refer to each other in a cycle")
            _count, per_model = node.model._default_manager.filter(pk__in=deletable).delete()
            deleted.update(per_model)
            remaining -= deletable
    return dict(deleted)


def _verify_gone(person_id: int, collected: dict) -> None:
    for node, pks in collected.items():
        match = Q()
        for path in node.paths:
            match |= Q(**{path: person_id})
        if (
            node.model._default_manager.filter(match).exists()
            or node.model._default_manager.filter(pk__in=pks).exists()
        ):
            raise CullingFailed(f"{node.label}: rows remain after the delete")


def _remove_files(run_id: int | None, files: list[tuple[Storage, str]]) -> None:
    """After the commit: delete each file and check it is gone; list the ones that stay."""
    left: list[str] = []
    removed = 0
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete %s", name)
        if storage.exists(name):
            left.append(name)
        else:
            removed += 1
    if run_id is not None:
        with transaction.atomic():
            run = CullingRun.objects.select_for_update().get(pk=run_id)
            run.files_deleted = F("files_deleted") + removed
            run.files_left = [*run.files_left, *left]
            run.save(update_fields=["files_deleted", "files_left"])


def cull_case_file(*, run: CullingRun, person_id: int, table: RuleTable | None = None) -> CulledFile | None:
    """Delete one person's case file in one transaction, if it is still due; ``None`` when it is not.

    Raises ``CullingFailed`` (the file is left whole) when something stops the delete.
    """
    setting = selectors.retention_setting()
    if setting is None:
        raise CullingFailed("no municipality setting")
    table = table or selectors.rule_table()
    try:
        with transaction.atomic():
            person = Person.objects.select_for_update().filter(pk=person_id).first()
            if person is None:
                return None
            facts = case_file_facts(
                [person_id], municipality_code=setting.municipality_code, today=timezone.localdate()
            )[person_id]
            decision = culling_decision(facts, run.on_date, table)
            if not decision.cull:
                return None
            if not selectors.covers(selectors.authorizations_in_force(run.on_date), facts.district_id):
                return None
            collected = _collect(person_id)
            files = _files_of(collected)
            case_ids = sorted(
                next((pks for node, pks in collected.items() if node.label == "cases.Case"), [])
            )
            rows = _delete(collected)
            _verify_gone(person_id, collected)
            _count(run, decision, facts.district_id)
            record_event(
                actor=run.started_by,
                action="cull_case_file",
                person_id=person_id,
                object_type="case_file",
                object_id=person_id,
                details={
                    "run": run.pk,
                    "rule": decision.rule.code,
                    "keep_until": decision.keep_until.isoformat() if decision.keep_until else None,
                    "case_ids": case_ids,
                    "rows": dict(sorted(rows.items())),
                    "files": len(files),
                },
            )
            transaction.on_commit(lambda: _remove_files(run.pk, files))
    except (ProtectedError, RestrictedError) as error:
        blockers = sorted(
            {obj._meta.label for obj in error.protected_objects}
            if isinstance(error, ProtectedError)
            else {obj._meta.label for obj in error.restricted_objects}
        )
        raise CullingFailed(f"referred to by {', '.join(blockers)}") from error
    except CullingFailed:
        raise
    except Exception as error:
        logger.exception("culling case file %s failed", person_id)
        raise CullingFailed(type(error).__name__) from error
    return CulledFile(person_id=person_id, decision=decision, rows=rows, files=files)


def _count(run: CullingRun, decision: CullingDecision, district_id: int | None) -> None:
    count, _created = CullingCount.objects.get_or_create(
        run=run,
        rule_code=decision.rule.code,
        district_id=district_id,
        defaults={
            "year": run.on_date.year,
            "rule_name": decision.rule.name,
            "legal_source": decision.rule.legal_source,
        },
    )
    CullingCount.objects.filter(pk=count.pk).update(count=F("count") + 1)
