"""Every write to cases: opening, moving through the process, deadlines, decisions, orders, journal."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import (
    can_write_case,
    person_access,
    scope_for,
    write_access,
)
from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, Delegation
from sociala.audit.services import record_event
from sociala.core.deadlines import compute_deadline
from sociala.core.errors import InvalidInput, Message, NotPermitted
from sociala.documents.models import Document
from sociala.documents.services import render_pdf, store_generated_pdf
from sociala.organization.models import Provider, Unit
from sociala.processes import services as processes
from sociala.processes.models import ProcessInstance

from .choices import DeadlineStatus, JournalStatus, OrderStatus, Outcome, Stage
from .models import (
    Case,
    CaseType,
    Deadline,
    DeadlineRule,
    Decision,
    DecisionItem,
    Intervention,
    JournalEntry,
    Order,
    Phrase,
)

# The deadline rule of a party's time to answer a communication (FL 25 §): while one is open and its
# day has not passed, the communication step cannot be completed.
COMMUNICATION_REPLY_RULE = "communication_reply"
# Interventions carried out by a provider, so the intervention step needs an order.
KINDS_NEEDING_ORDER = frozenset({"home_care", "lss_contact_person"})
MIN_MOTIVATION = 20


def _log(actor, action: str, case: Case, obj, **details) -> None:
    """Record a write in a case in the audit log: who, which person and case, which object, and
    whether the actor reached the person only through emergency access (then flagged with the reason)."""
    access = write_access(actor, case)
    record_event(
        actor=actor,
        action=action,
        person_id=case.person_id,
        case_id=case.pk,
        object_type=str(obj._meta.verbose_name).replace(" ", "_"),
        object_id=obj.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
        details=details,
    )


def _check_case_write(actor, case: Case) -> None:
    if not can_write_case(actor, case):
        raise NotPermitted


def _process(case: Case) -> ProcessInstance:
    """The case's running process; every case gets one when it is opened."""
    if case.process is None:
        raise processes.StepNotReady(f"case {case.pk} has no process")
    return case.process


def _set_stage_from_process(case: Case) -> None:
    instance = _process(case)
    if instance.is_finished:
        case.stage = Stage.CLOSED
        case.closed_at = case.closed_at or timezone.now()
    else:
        case.stage = instance.ready_steps[0] if instance.ready_steps else case.stage


def rule_in_force(code: str, on: date) -> DeadlineRule:
    """The version of a deadline rule valid on a date."""
    rule = DeadlineRule.objects.filter(code=code, valid_from__lte=on).order_by("-valid_from").first()
    if rule is None:
        raise LookupError(f"no deadline rule {code!r} in force on {on}")
    return rule


def _open_deadlines(case: Case, trigger: str, start: date) -> list[Deadline]:
    created = []
    for spec in case.case_type.deadline_rules:
        if spec.get("on") != trigger:
            continue
        if case.deadlines.filter(rule__code=spec["rule"], status=DeadlineStatus.OPEN).exists():
            continue
        rule = rule_in_force(spec["rule"], start)
        computed = compute_deadline(
            start, rule.amount, rule.unit, moves_to_working_day=rule.moves_to_working_day
        )
        created.append(
            Deadline.objects.create(
                case=case,
                rule=rule,
                title=rule.name,
                starts_on=start,
                calendar_due_on=computed.calendar_due_on,
                due_on=computed.due_on,
                assigned_to=case.assigned_to,
            )
        )
    return created


@transaction.atomic
def open_deadline(*, actor, case: Case, rule_code: str, starts_on: date) -> Deadline:
    """Open a deadline of a rule from a date that an action set (a letter sent), not a process step."""
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    _check_case_write(actor, case)
    rule = rule_in_force(rule_code, starts_on)
    computed = compute_deadline(
        starts_on, rule.amount, rule.unit, moves_to_working_day=rule.moves_to_working_day
    )
    deadline = Deadline.objects.create(
        case=case,
        rule=rule,
        title=rule.name,
        starts_on=starts_on,
        calendar_due_on=computed.calendar_due_on,
        due_on=computed.due_on,
        assigned_to=case.assigned_to,
    )
    _log(actor, "create_deadline", case, deadline, rule=rule_code, due_on=deadline.due_on.isoformat())
    return deadline


def _close_deadlines_until(case: Case, step: str) -> None:
    codes = [spec["rule"] for spec in case.case_type.deadline_rules if spec.get("until") == step]
    if codes:
        case.deadlines.filter(rule__code__in=codes, status=DeadlineStatus.OPEN).update(
            status=DeadlineStatus.DONE, done_at=timezone.now()
        )


def _default_unit(actor, service_area: str) -> Unit | None:
    for assignment in actor.active_assignments():
        if assignment.unit_id and assignment.unit.service_area == service_area:
            return assignment.unit
    return None


@transaction.atomic
def open_case(
    *,
    actor,
    person,
    case_type: CaseType,
    received_on: date,
    sought: str,
    unit: Unit | None = None,
    assigned_to=None,
) -> Case:
    """Register an intake (application, report, request) and start the case's process."""
    errors: dict[str, Message] = {}
    access = person_access(actor, person)
    if not access.allowed:
        raise NotPermitted
    unit = unit or _default_unit(actor, case_type.service_area)
    if unit is None or unit.id not in scope_for(actor).case_unit_ids:
        errors["unit"] = _(
            "Du kan bara registrera ärenden i en enhet där du arbetar inom rätt verksamhetsområde."
        )
    if received_on is None:
        errors["received_on"] = _("Ange datum då ärendet kom in.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("Datumet kan inte ligga i framtiden.")
    if not (sought or "").strip():
        errors["sought"] = _("Beskriv vad ansökan eller anmälan gäller.")
    if errors:
        raise InvalidInput(errors)
    assert unit is not None  # checked above
    return register_case(
        actor=actor,
        person=person,
        case_type=case_type,
        unit=unit,
        received_on=received_on,
        sought=sought.strip(),
        assigned_to=assigned_to or actor,
        is_emergency=access.is_emergency,
        reason=access.reason,
    )


@transaction.atomic
def register_case(
    *,
    actor,
    person,
    case_type: CaseType,
    unit: Unit,
    received_on: date,
    sought: str,
    assigned_to=None,
    is_emergency: bool = False,
    reason: str = "",
    details: dict | None = None,
) -> Case:
    """Write a new case with its process, stage and opening deadlines, and the audit event.

    The checks belong to the caller: ``open_case`` for staff, the portal for a citizen's own
    e-application (with the system actor and the citizen's identity in ``details``)."""
    instance = processes.start_process(case_type.process_code)
    case = Case.objects.create(
        person=person,
        case_type=case_type,
        service_area=case_type.service_area,
        unit=unit,
        district=unit.administration.committee,
        assigned_to=assigned_to,
        intake_kind=case_type.intake_kind,
        received_on=received_on,
        sought=sought,
        reference=uuid.uuid4().hex[:20],
        process=instance,
    )
    case.reference = f"{received_on.year}-{case.pk:06d}"
    _set_stage_from_process(case)
    case.save(update_fields=["reference", "stage"])
    _open_deadlines(case, "opened", received_on)
    for step in instance.ready_steps:
        _open_deadlines(case, step, received_on)
    record_event(
        actor=actor,
        action="create_case",
        person_id=person.pk,
        case_id=case.pk,
        object_type="case",
        object_id=case.pk,
        is_emergency=is_emergency,
        reason=reason,
        details={"case_type": case_type.code, **(details or {})},
    )
    return case


# What each step needs before it can be completed, and the process data it sets.
STEP_DATA_KEYS = {
    "intake": ("open_investigation",),
    "investigation": ("refusal_intended",),
}


@transaction.atomic
def complete_step(*, actor, case: Case, step: str, data: dict | None = None) -> Case:
    """Complete the current step of the case's process (decisions go through ``record_decision``)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("process", "case_type").get(pk=case.pk)
    _check_case_write(actor, case)
    if step == Stage.DECISION:
        raise InvalidInput({"step": _("Ett beslut fattas i beslutsformuläret.")})
    if step not in (case.process.ready_steps if case.process else []):
        raise InvalidInput({"step": _("Steget är inte aktuellt i ärendet just nu.")})
    data = {key: bool((data or {}).get(key)) for key in STEP_DATA_KEYS.get(step, ())}
    if step == Stage.INTERVENTION:
        missing = [
            i.description
            for i in case.interventions.all()
            if i.kind in KINDS_NEEDING_ORDER and not i.orders.filter(status=OrderStatus.ACTIVE).exists()
        ]
        if missing:
            raise InvalidInput(
                {
                    "step": _("Skicka en beställning till en utförare först: %(items)s")
                    % {"items": ", ".join(missing)}
                }
            )
    today = timezone.localdate()
    if step == Stage.COMMUNICATION:
        waiting = (
            case.deadlines.filter(
                rule__code=COMMUNICATION_REPLY_RULE, status=DeadlineStatus.OPEN, due_on__gte=today
            )
            .order_by("-due_on")
            .first()
        )
        if waiting is not None:
            raise InvalidInput(
                {
                    "step": _(
                        "Den enskilde har till och med %(date)s på sig att svara på kommuniceringen. "
                        "Registrera svaret eller vänta tills dagen har passerat."
                    )
                    % {"date": waiting.due_on.isoformat()}
                }
            )
        case.communicated_on = today
    processes.complete_step(_process(case), step, data)
    _close_deadlines_until(case, step)
    _set_stage_from_process(case)
    case.save(update_fields=["stage", "closed_at", "communicated_on"])
    if case.stage == Stage.CLOSED:
        for order in Order.objects.filter(intervention__case=case, status=OrderStatus.ACTIVE):
            end_order(actor=actor, order=order)
    for ready in _process(case).ready_steps:
        _open_deadlines(case, ready, today)
    _log(actor, "complete_step", case, case, step=step, data=data, stage=case.stage)
    return case


def delegation_for(actor, case: Case, on: date) -> Delegation | None:
    """The actor's delegation that covers deciding this case today, if any."""
    for delegation in actor.delegations.all():
        if delegation.covers(case.case_type.code, case.district_id, on):
            return delegation
    return None


def appeal_instructions(case: Case) -> str:
    """How to appeal, in the letter's words (always Swedish); the committee is where the appeal is sent."""
    with translation.override("sv"):
        return _appeal_text(case)


def _appeal_text(case: Case) -> str:
    return str(
        _(
            "Du kan överklaga beslutet hos förvaltningsrätten. Skicka eller lämna överklagandet till "
            "%(committee)s. Överklagandet måste ha kommit in inom tre veckor från den dag du fick del av "
            "beslutet. Skriv vilket beslut du överklagar, varför du tycker att det är fel och hur du vill "
            "att det ska ändras. Skriv under överklagandet och ange namn, personnummer, adress och "
            "telefonnummer. Vi kan ompröva beslutet innan vi skickar överklagandet till domstolen. "
            "Behöver du hjälp? Kontakta din handläggare."
        )
        % {"committee": case.district.name}
    )


def overall_outcome(item_outcomes: list[str]) -> str:
    """Granted when every part is granted, refused when every part is refused, else partly granted."""
    if all(o == Outcome.GRANTED for o in item_outcomes):
        return Outcome.GRANTED
    if all(o == Outcome.REFUSED for o in item_outcomes):
        return Outcome.REFUSED
    return Outcome.PARTLY_GRANTED


@transaction.atomic
def record_decision(
    *,
    actor,
    case: Case,
    items: list[dict],
    period_start: date | None,
    period_end: date | None,
    motivation: str,
    legal_basis: str = "",
    produce_letter: bool = True,
    is_automated: bool = False,
) -> Decision:
    """Decide a case under delegation: every item granted or refused; the letter is produced as PDF.

    ``produce_letter=False`` is for imports of history, whose letters are made afterwards with
    ``store_decision_letter`` once the decision carries its historical date, and for letters that an
    app writes itself (the month's income-support decision with its calculation).

    ``is_automated=True`` is the automated decision-maker (benefits' DMN batch): it works in no unit, so
    its delegation for the district is what lets it act; and it may only grant in full."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("process", "case_type", "district", "person")
        .get(pk=case.pk)
    )
    if not is_automated:
        _check_case_write(actor, case)
    today = timezone.localdate()
    if Stage.DECISION not in (case.process.ready_steps if case.process else []):
        raise InvalidInput({"__all__": _("Ärendet är inte redo för beslut.")})
    delegation = delegation_for(actor, case, today)
    errors: dict[str, Message] = {}
    if delegation is None:
        errors["__all__"] = _("Du har inte delegation att fatta beslut i den här typen av ärende.")
    if not items:
        errors["items"] = _("Ange minst en del av beslutet.")
    for index, item in enumerate(items):
        if not (item.get("description") or "").strip():
            errors[f"items-{index}-description"] = _("Beskriv vad som beslutas.")
        if item.get("outcome") not in Outcome.values:
            errors[f"items-{index}-outcome"] = _("Välj bifall, delvis bifall eller avslag.")
        amount = item.get("amount")
        if amount is not None and (not isinstance(amount, int) or amount < 0):
            errors[f"items-{index}-amount"] = _("Beloppet ska vara hela kronor, noll eller mer.")
    if period_start is None:
        errors["period_start"] = _("Ange från vilket datum beslutet gäller.")
    elif period_end is not None and period_end < period_start:
        errors["period_end"] = _("Slutdatum kan inte ligga före startdatum.")
    if len((motivation or "").strip()) < MIN_MOTIVATION:
        errors["motivation"] = _("Skriv en motivering (minst 20 tecken) som förklarar beslutet.")
    outcomes = [str(item.get("outcome") or "") for item in items]
    outcome = (
        overall_outcome(outcomes) if items and not any(o not in Outcome.values for o in outcomes) else ""
    )
    if is_automated and outcome != Outcome.GRANTED:
        errors["__all__"] = _("Ett automatiskt beslut kan bara vara bifall. Avslag prövas av en person.")
    elif outcome in (Outcome.REFUSED, Outcome.PARTLY_GRANTED):
        if delegation is not None and not delegation.may_refuse:
            errors["__all__"] = _("Din delegation omfattar inte avslag. Lämna ärendet till din chef.")
        if case.case_type.is_party_initiated and case.communicated_on is None:
            errors["__all__"] = _(
                "Den enskilde ska få ta del av underlaget innan avslag (kommunicering, 25 § förvaltningslagen)."
            )
    if errors:
        raise InvalidInput(errors)
    assert delegation is not None and period_start is not None  # checked above

    decision = Decision.objects.create(
        case=case,
        reference=uuid.uuid4().hex[:20],
        outcome=outcome,
        sought=case.sought,
        period_start=period_start,
        period_end=period_end,
        legal_basis=legal_basis.strip() or case.case_type.legal_basis,
        motivation=motivation.strip(),
        decided_by=actor,
        delegation_reference=delegation.reference,
        decided_on=today,
        appeal_instructions=appeal_instructions(case),
        is_automated=is_automated,
    )
    decision.reference = f"B{today.year}-{decision.pk:06d}"
    decision.save(update_fields=["reference"])
    for item in items:
        decision_item = DecisionItem.objects.create(
            decision=decision,
            description=item["description"].strip(),
            intervention_kind=item.get("intervention_kind") or case.case_type.intervention_kind,
            outcome=item["outcome"],
            scope=(item.get("scope") or "").strip(),
            amount=item.get("amount"),
            legal_basis=(item.get("legal_basis") or "").strip() or decision.legal_basis,
            motivation=(item.get("motivation") or "").strip(),
        )
        if decision_item.outcome != Outcome.REFUSED:
            Intervention.objects.create(
                case=case,
                decision_item=decision_item,
                kind=decision_item.intervention_kind,
                description=decision_item.description,
                scope=decision_item.scope,
                starts_on=period_start,
                ends_on=period_end,
            )
    processes.complete_step(_process(case), Stage.DECISION, {"granted": outcome != Outcome.REFUSED})
    _close_deadlines_until(case, Stage.DECISION)
    _set_stage_from_process(case)
    case.save(update_fields=["stage", "closed_at"])
    _open_deadlines(case, "decided", today)
    if outcome != Outcome.REFUSED:
        _open_deadlines(case, "granted", today)
    for ready in _process(case).ready_steps:
        _open_deadlines(case, ready, today)
    _log(actor, "create_decision", case, decision, outcome=outcome, delegation=delegation.reference)
    if produce_letter:
        store_decision_letter(actor=actor, decision=decision)
    return decision


def decision_letter_pdf(decision: Decision) -> bytes:
    """The decision letter as PDF bytes (Swedish)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override("sv"):
        return render_pdf(
            "cases/decision_letter.html",
            {
                "decision": decision,
                "case": decision.case,
                "person": decision.case.person,
                "items": list(decision.items.all()),
                "municipality_name": settings.SOCIALA_MUNICIPALITY_NAME,
            },
        )


def store_decision_letter(*, actor, decision: Decision) -> Document:
    """Produce the letter and keep it in the case file; the stored PDF is the record."""
    data = decision_letter_pdf(decision)
    return store_generated_pdf(
        actor=actor,
        person=decision.case.person,
        case=decision.case,
        kind=Document.Kind.DECISION_LETTER,
        title=f"Beslut {decision.reference}",
        data=data,
    )


@transaction.atomic
def send_order(*, actor, intervention: Intervention, provider: Provider, instructions: str = "") -> Order:
    """Send a granted intervention to the provider that will carry it out."""
    case = Case.objects.select_for_update().get(pk=intervention.case_id)
    _check_case_write(actor, case)
    if case.stage != Stage.INTERVENTION:
        raise InvalidInput({"provider": _("Beställningar skickas när ärendet är i steget Insats.")})
    if case.service_area not in provider.service_areas:
        raise InvalidInput({"provider": _("Utföraren utför inte insatser inom det här verksamhetsområdet.")})
    if intervention.orders.filter(status=OrderStatus.ACTIVE).exists():
        raise InvalidInput({"provider": _("Insatsen har redan en pågående beställning.")})
    order = Order.objects.create(
        intervention=intervention, provider=provider, instructions=instructions.strip()
    )
    _log(actor, "create_order", case, order, provider=provider.organization_number)
    return order


@transaction.atomic
def end_order(*, actor, order: Order) -> Order:
    """End a provider's order: the intervention is over (the case closed, or the client moved or declined)."""
    case = Case.objects.select_for_update().get(pk=order.intervention.case_id)
    _check_case_write(actor, case)
    updated = Order.objects.filter(pk=order.pk, status=OrderStatus.ACTIVE).update(
        status=OrderStatus.ENDED, ended_at=timezone.now()
    )
    order.refresh_from_db()
    if updated:
        _log(actor, "end_order", case, order)
    return order


# --- journal ---------------------------------------------------------------------------------


def _check_journal_case(actor, case: Case | None) -> Case:
    if case is None:
        raise InvalidInput({"case": _("Välj vilket ärende anteckningen hör till.")})
    _check_case_write(actor, case)
    return case


def save_journal_draft(*, actor, **fields) -> JournalEntry:
    """Create or update the actor's own draft (autosave); signed entries are never changed."""
    return save_journal_entry(actor=actor, **fields)


EMPTY_ENTRY = _("En tom anteckning kan inte signeras. Skriv texten först.")


@transaction.atomic
def save_journal_entry(
    *,
    actor,
    case: Case,
    category: str,
    text: str,
    title: str = "",
    occurred_on: date | None = None,
    entry: JournalEntry | None = None,
    sign: bool = False,
) -> JournalEntry:
    """Save the actor's draft and, with ``sign``, sign it in the same transaction: a refused
    signature leaves nothing behind. An entry written and signed at once was never a draft and is
    logged as one event (``sign_journal_entry`` with ``written``), not as a draft and a signature."""
    from .choices import JournalCategory

    _check_journal_case(actor, case)
    errors: dict[str, Message] = {}
    if sign and not (text or "").strip():
        errors["text"] = EMPTY_ENTRY
    if category not in JournalCategory.values:
        errors["category"] = _("Välj en kategori.")
    if occurred_on is not None and occurred_on > timezone.localdate():
        errors["occurred_on"] = _("Datumet kan inte ligga i framtiden.")
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    if entry is None:
        entry = JournalEntry(person_id=case.person_id, case=case, author=actor, created_at=now)
    else:
        entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.author_id != actor.pk or entry.case_id != case.pk:
            raise NotPermitted
        if entry.status != JournalStatus.DRAFT:
            raise InvalidInput({"text": _("Anteckningen är signerad och kan inte ändras. Gör en rättelse.")})
    entry.category = category
    entry.title = (title or "").strip()[:200]
    entry.text = text or ""
    entry.occurred_on = occurred_on or entry.occurred_on or timezone.localdate()
    entry.updated_at = now
    is_new = entry.pk is None
    entry.save()
    if sign:
        return sign_journal_entry(actor=actor, entry=entry, written=is_new)
    if is_new:
        _log(actor, "create_journal_draft", case, entry)
    return entry


@transaction.atomic
def sign_journal_entry(*, actor, entry: JournalEntry, written: bool = False) -> JournalEntry:
    """Sign the actor's own draft: from now on it is a locked record."""
    entry = JournalEntry.objects.select_for_update(of=("self",)).select_related("case").get(pk=entry.pk)
    case = _check_journal_case(actor, entry.case)
    if entry.author_id != actor.pk:
        raise NotPermitted
    if entry.status == JournalStatus.SIGNED:
        raise InvalidInput({"text": _("Anteckningen är redan signerad.")})
    if not entry.text.strip():
        raise InvalidInput({"text": EMPTY_ENTRY})
    entry.status = JournalStatus.SIGNED
    entry.signed_at = timezone.now()
    entry.save(update_fields=["status", "signed_at"])
    _log(actor, "sign_journal_entry", case, entry, **({"written": True} if written else {}))
    return entry


@transaction.atomic
def correct_journal_entry(*, actor, entry: JournalEntry, text: str, reason: str) -> JournalEntry:
    """Correct a signed entry with a new signed entry that links to it and says why."""
    entry = JournalEntry.objects.select_related("case").get(pk=entry.pk)
    case = _check_journal_case(actor, entry.case)
    errors: dict[str, Message] = {}
    if entry.status != JournalStatus.SIGNED:
        errors["text"] = _("Ett utkast ändras direkt; bara signerade anteckningar rättas.")
    if not (text or "").strip():
        errors["text"] = _("Skriv den rättade texten.")
    if len((reason or "").strip()) < 5:
        errors["reason"] = _("Skriv varför anteckningen rättas.")
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    correction = JournalEntry.objects.create(
        person_id=entry.person_id,
        case=entry.case,
        category=entry.category,
        title=entry.title,
        text=text.strip(),
        status=JournalStatus.SIGNED,
        author=actor,
        occurred_on=entry.occurred_on,
        created_at=now,
        updated_at=now,
        signed_at=now,
        corrects=entry,
        correction_reason=reason.strip(),
    )
    _log(actor, "correct_journal_entry", case, correction, corrects=entry.pk)
    return correction


@transaction.atomic
def save_phrase(*, actor, title: str, text: str, category: str = "", phrase: Phrase | None = None) -> Phrase:
    """Create or edit a phrase for the actor's unit (unit managers and caseworkers of the unit)."""
    units = scope_for(actor).case_unit_ids
    if not units:
        raise NotPermitted
    errors: dict[str, Message] = {}
    if not (title or "").strip():
        errors["title"] = _("Ange en rubrik.")
    if not (text or "").strip():
        errors["text"] = _("Skriv frasens text.")
    if errors:
        raise InvalidInput(errors)
    if phrase is None:
        phrase = Phrase(unit_id=min(units))
    elif phrase.unit_id not in units:
        raise NotPermitted
    phrase.title, phrase.text, phrase.category, phrase.updated_by = (
        title.strip(),
        text.strip(),
        category,
        actor,
    )
    phrase.save()
    return phrase


# --- deadlines -------------------------------------------------------------------------------


@transaction.atomic
def complete_deadline(*, actor, deadline: Deadline) -> Deadline:
    """Mark a deadline as done."""
    _check_case_write(actor, deadline.case)
    Deadline.objects.filter(pk=deadline.pk, status=DeadlineStatus.OPEN).update(
        status=DeadlineStatus.DONE, done_at=timezone.now()
    )
    deadline.refresh_from_db()
    _log(actor, "complete_deadline", deadline.case, deadline)
    return deadline


def escalate_overdue_deadlines(*, actor, today: date | None = None) -> int:
    """Give every overdue, not yet escalated deadline to the manager of the case's unit."""
    today = today or timezone.localdate()
    # Deadlines that only mark the passing of time (the appeal period) end by themselves.
    Deadline.objects.filter(
        status=DeadlineStatus.OPEN, due_on__lt=today, rule__completes_when_due=True
    ).update(status=DeadlineStatus.DONE, done_at=timezone.now())
    overdue = Deadline.objects.filter(status=DeadlineStatus.OPEN, due_on__lt=today, escalated_at__isnull=True)
    managers: dict[int, int | None] = {}
    count = 0
    for deadline in overdue.select_related("case"):
        unit_id = deadline.case.unit_id
        if unit_id not in managers:
            manager = (
                Assignment.objects.filter(role=Role.UNIT_MANAGER, unit_id=unit_id, valid_from__lte=today)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
                .order_by("id")
                .values_list("user_id", flat=True)
                .first()
            )
            managers[unit_id] = manager
        if managers[unit_id] is None:
            continue
        with transaction.atomic():
            updated = Deadline.objects.filter(pk=deadline.pk, escalated_at__isnull=True).update(
                escalated_to_id=managers[unit_id], escalated_at=timezone.now()
            )
            if updated:
                count += 1
                _log(actor, "escalate_deadline", deadline.case, deadline, escalated_to=managers[unit_id])
    return count
