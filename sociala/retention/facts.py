"""Gathering the facts the culling rules need about persons' case files, in batches.

``last_entry_on`` is the latest date anything was recorded in the file. For the models this app
knows, the dates that mark an entry are named in ``ENTRY_DATES`` (the event or signing date, never a
system date such as a deadline's automatic closing); a model another app adds later counts with all
its timestamps (``DateTimeField``), ``expires_at`` excepted. ``NOT_ENTRIES`` are rows of the file that
record no entry: access grants, citizen log-in sessions, register extracts, relations.

The circumstances (SoL 16 kap. 1 § second paragraph) are the cases, interventions, orders and fee
decisions: an open case, an active order or a fee decision in force makes the file ongoing; the
latest end of them is ``circumstances_ended_on``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import DateTimeField, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from sociala.cases.choices import OrderStatus, Stage
from sociala.cases.models import Case, Deadline, Intervention, JournalEntry, Order
from sociala.children.models import InitialAssessment
from sociala.documents.models import Document
from sociala.fees.models import FeeDecision
from sociala.people.models import Person

from .graph import case_file_nodes
from .rules import CaseFileFacts, MatterFacts, add_years

BATCH = 500
CHILD_INVESTIGATION_DEADLINE = "child_investigation"

ENTRY_DATES: dict[str, tuple[str, ...]] = {
    "people.Person": ("created_at",),
    "cases.Case": ("received_on", "opened_at", "closed_at"),
    "cases.Decision": ("decided_on", "decided_at"),
    "cases.Intervention": ("starts_on",),
    "cases.Order": ("sent_at", "ended_at"),
    "cases.JournalEntry": ("occurred_on", "created_at", "signed_at"),
    "documents.Document": ("uploaded_at",),
    "children.ReportOfConcern": ("received_on", "registered_at", "taken_over_at"),
    "children.SafetyAssessment": ("assessed_on", "recorded_at"),
    "children.InitialAssessment": ("decided_on", "recorded_at"),
    "fees.IncomeDeclaration": ("received_on", "registered_at"),
    "fees.FeeDecision": ("decided_on", "decided_at"),
    "fees.ClientInvoice": ("issued_on", "issued_at"),
    "finance.Payment": ("created_at",),
    "finance.BankAccount": ("registered_at", "ended_at"),
    "access.Consent": ("recorded_at", "withdrawal_recorded_at"),
    "retention.EntryObjection": ("received_on", "recorded_at"),
}
NOT_ENTRIES = frozenset(
    {
        "access.EmergencyAccess",
        "cases.Deadline",
        "cases.DecisionItem",
        "people.Relation",
        "portal.CitizenSession",
        "processes.ProcessInstance",
        "retention.RegisterExtractRequest",
    }
)
IGNORED_TIMESTAMPS = frozenset({"expires_at"})


def entry_fields(model) -> tuple[str, ...]:
    """The fields of a case-file model whose dates are entries in the file."""
    label = model._meta.label
    if label in NOT_ENTRIES:
        return ()
    names = {f.name for f in model._meta.concrete_fields}
    if label in ENTRY_DATES:
        return tuple(name for name in ENTRY_DATES[label] if name in names)
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, DateTimeField) and f.name not in IGNORED_TIMESTAMPS
    )


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _latest(values: Iterable[date | None], *, not_after: date) -> date | None:
    days = [v for v in values if v is not None and v <= not_after]
    return max(days) if days else None


def last_entries(person_ids: list[int], *, today: date) -> dict[int, date]:
    """The last entry of each person's case file (one query per model and path to the person)."""
    found: dict[int, date] = {}
    for node in case_file_nodes():
        fields = entry_fields(node.model)
        if not fields:
            continue
        for path in node.paths:
            rows = (
                node.model._default_manager.filter(**{f"{path}__in": person_ids})
                .order_by()
                .values(path)
                .annotate(**{f"latest_{i}": Max(name) for i, name in enumerate(fields)})
            )
            for row in rows:
                person_id = row[path]
                latest = _latest((_as_date(row[f"latest_{i}"]) for i in range(len(fields))), not_after=today)
                if latest is not None and (person_id not in found or latest > found[person_id]):
                    found[person_id] = latest
    return found


def _circumstances(person_ids: list[int]) -> tuple[set[int], dict[int, date]]:
    """Persons whose circumstances go on, and when the others' last circumstance ended."""
    ongoing: set[int] = set()
    ended: dict[int, list[date]] = defaultdict(list)
    for person_id, stage, closed_at in Case.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "stage", "closed_at"
    ):
        if stage != Stage.CLOSED:
            ongoing.add(person_id)
        elif closed_at is not None:
            ended[person_id].append(timezone.localdate(closed_at))
    for person_id, ends_on in Intervention.objects.filter(
        case__person_id__in=person_ids, ends_on__isnull=False
    ).values_list("case__person_id", "ends_on"):
        if ends_on is not None:
            ended[person_id].append(ends_on)
    for person_id, status, ended_at in Order.objects.filter(
        intervention__case__person_id__in=person_ids
    ).values_list("intervention__case__person_id", "status", "ended_at"):
        if status == OrderStatus.ACTIVE:
            ongoing.add(person_id)
        elif ended_at is not None:
            ended[person_id].append(timezone.localdate(ended_at))
    for person_id, valid_to, replaced_by in FeeDecision.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "valid_to", "replaced_by_id"
    ):
        if valid_to is None and replaced_by is None:
            ongoing.add(person_id)
        elif valid_to is not None:
            ended[person_id].append(valid_to)
    return ongoing, {pid: max(days) for pid, days in ended.items() if days}


def _matters(person_ids: list[int]) -> dict[int, list[MatterFacts]]:
    cases = list(
        Case.objects.filter(person_id__in=person_ids)
        .order_by("pk")
        .values_list("pk", "person_id", "case_type__code")
    )
    case_ids = [c[0] for c in cases]
    investigated = set(
        InitialAssessment.objects.filter(case_id__in=case_ids, opens_investigation=True).values_list(
            "case_id", flat=True
        )
    ) | set(
        Deadline.objects.filter(case_id__in=case_ids, rule__code=CHILD_INVESTIGATION_DEADLINE).values_list(
            "case_id", flat=True
        )
    )
    interventions: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for case_id, kind, starts_on in (
        Intervention.objects.filter(case_id__in=case_ids)
        .order_by("pk")
        .values_list("case_id", "kind", "starts_on")
    ):
        interventions[case_id].append((kind, starts_on))
    found: dict[int, list[MatterFacts]] = defaultdict(list)
    for case_id, person_id, case_type in cases:
        found[person_id].append(
            MatterFacts(
                case_id=case_id,
                case_type=case_type,
                investigation_opened=case_id in investigated,
                interventions=tuple(interventions[case_id]),
            )
        )
    return found


def _district_of_files(person_ids: list[int]) -> dict[int, int | None]:
    """The district a case file belongs to: that of the person's latest case, else where the person lives."""
    districts: dict[int, int | None] = dict(
        Person.objects.filter(pk__in=person_ids).values_list("pk", "district_id")
    )
    for person_id, district_id in (
        Case.objects.filter(person_id__in=person_ids)
        .order_by("received_on", "pk")
        .values_list("person_id", "district_id")
    ):
        districts[person_id] = district_id
    return districts


def case_file_facts(
    person_ids: Iterable[int], *, municipality_code: str, today: date
) -> dict[int, CaseFileFacts]:
    """The facts of each person's case file, gathered in batches."""
    ids = list(person_ids)
    result: dict[int, CaseFileFacts] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        births = dict(Person.objects.filter(pk__in=batch).values_list("pk", "birth_date"))
        latest = last_entries(batch, today=today)
        ongoing, ended = _circumstances(batch)
        matters = _matters(batch)
        districts = _district_of_files(batch)
        for person_id in batch:
            if person_id not in births:
                continue
            result[person_id] = CaseFileFacts(
                person_id=person_id,
                birth_date=births[person_id],
                municipality_code=municipality_code,
                last_entry_on=latest.get(person_id, today),
                circumstances_ended_on=ended.get(person_id),
                is_ongoing=person_id in ongoing,
                matters=tuple(matters.get(person_id, ())),
                district_id=districts.get(person_id),
            )
    return result


def candidates(on_date: date, years: int) -> QuerySet[Person]:
    """Persons whose case file may be due for culling on ``on_date``: a generous pre-selection.

    Only files with nothing in the main tables after the cut-off (the day ``years`` before, plus a
    few days for 29 February) can be due; the rules decide the rest exactly.
    """
    cutoff = add_years(on_date, -years) + timedelta(days=3)
    recent_case = Case.objects.filter(person=OuterRef("pk")).filter(
        ~Q(stage=Stage.CLOSED) | Q(received_on__gt=cutoff) | Q(closed_at__date__gt=cutoff)
    )
    recent_entry = JournalEntry.objects.filter(person=OuterRef("pk")).filter(
        Q(occurred_on__gt=cutoff) | Q(created_at__date__gt=cutoff) | Q(signed_at__date__gt=cutoff)
    )
    recent_document = Document.objects.filter(person=OuterRef("pk"), uploaded_at__date__gt=cutoff)
    return (
        Person.objects.filter(created_at__date__lte=cutoff)
        .exclude(Exists(recent_case))
        .exclude(Exists(recent_entry))
        .exclude(Exists(recent_document))
        .order_by("pk")
    )
