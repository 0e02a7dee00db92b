"""Giving the demo city a past: service calls dated on a simulated day.

The services in ``sociala.cases.services`` date what they write today (a decision
is decided today, a step completed today, deadlines start today). The demo city
needs cases spread over the last 18 months, so the seeder calls the real services,
as the assigned caseworker, and then moves what that call wrote to the simulated
day: the case's timestamps, the decision's date, the deadlines that the call
opened (recomputed from the simulated day by the same rule) or closed, journal and
order timestamps. The audit events keep their real time: they record when the
seeder wrote the data.

Decision letters show the decision date, so ``decide`` has the service skip the
letter and produces it through ``store_decision_letter`` once the decision carries
its simulated date.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sociala.cases import services as case_services
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import Case, Deadline, Decision, JournalEntry, Order
from sociala.core.deadlines import compute_deadline
from sociala.documents.models import Document


class Clock:
    """Simulated moments: a weekday office hour on a given day, drawn from the seeder's random source."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today

    def at(self, day: date, *, morning: bool = False) -> datetime:
        """A moment on ``day``: cases are registered in the morning, the rest of the work later."""
        minutes = (
            self.rng.randint(8 * 60, 9 * 60 + 59) if morning else self.rng.randint(10 * 60, 16 * 60 + 30)
        )
        moment = datetime.combine(day, time(minutes // 60, minutes % 60))
        return timezone.make_aware(moment)

    def is_past(self, day: date) -> bool:
        return day < self.today


class History:
    """Runs the case services for one caseworker and dates what they wrote on the simulated day."""

    def __init__(self, clock: Clock):
        self.clock = clock

    # --- the services, dated ------------------------------------------------------------

    def open_case(self, *, actor, day: date, **kwargs) -> Case:
        case = case_services.open_case(actor=actor, received_on=day, **kwargs)
        if self.clock.is_past(day):
            case.opened_at = self.clock.at(day, morning=True)
            Case.objects.filter(pk=case.pk).update(opened_at=case.opened_at)
        return case

    def complete_step(self, *, actor, case: Case, step: str, day: date, data: dict | None = None) -> Case:
        before = self._deadline_states(case)
        case = case_services.complete_step(actor=actor, case=case, step=step, data=data)
        if self.clock.is_past(day):
            moment = self.clock.at(day)
            self._date_deadlines(case, before, day, moment)
            changes = {}
            if step == Stage.COMMUNICATION:
                changes["communicated_on"] = case.communicated_on = day
            if case.stage == Stage.CLOSED:
                changes["closed_at"] = case.closed_at = moment
                # Closing ended the providers' orders: on the simulated day.
                Order.objects.filter(intervention__case=case, ended_at__isnull=False).update(ended_at=moment)
            if changes:
                Case.objects.filter(pk=case.pk).update(**changes)
        return case

    def decide(self, *, actor, case: Case, day: date, letter: bool, **kwargs) -> Decision:
        before = self._deadline_states(case)
        decision = case_services.record_decision(actor=actor, case=case, produce_letter=False, **kwargs)
        if self.clock.is_past(day):
            moment = self.clock.at(day)
            decision.decided_on = day
            decision.decided_at = moment
            decision.reference = f"B{day.year}-{decision.pk:06d}"
            decision.save(update_fields=["decided_on", "decided_at", "reference"])
            self._date_deadlines(decision.case, before, day, moment)
            if decision.case.stage == Stage.CLOSED:
                Case.objects.filter(pk=case.pk).update(closed_at=moment)
        if letter:
            decision = Decision.objects.select_related(
                "case__person",
                "case__district",
                "case__unit",
                "case__case_type",
                "case__assigned_to",
                "decided_by",
            ).get(pk=decision.pk)
            document = case_services.store_decision_letter(actor=actor, decision=decision)
            if self.clock.is_past(day):
                Document.objects.filter(pk=document.pk).update(uploaded_at=decision.decided_at)
        return decision

    def send_order(self, *, actor, intervention, provider, day: date, instructions: str = "") -> Order:
        order = case_services.send_order(
            actor=actor, intervention=intervention, provider=provider, instructions=instructions
        )
        if self.clock.is_past(day):
            order.sent_at = self.clock.at(day)
            Order.objects.filter(pk=order.pk).update(sent_at=order.sent_at)
        return order

    def end_order(self, *, actor, order: Order, day: date) -> None:
        """The intervention has ended on ``day``."""
        case_services.end_order(actor=actor, order=order)
        if self.clock.is_past(day):
            Order.objects.filter(pk=order.pk).update(ended_at=self.clock.at(day))

    def complete_deadline(self, *, actor, deadline: Deadline, day: date) -> None:
        case_services.complete_deadline(actor=actor, deadline=deadline)
        if self.clock.is_past(day):
            Deadline.objects.filter(pk=deadline.pk).update(done_at=self.clock.at(day))

    def write_journal(
        self, *, actor, case: Case, day: date, category: str, title: str, text: str, sign: bool = True
    ) -> JournalEntry:
        entry = case_services.save_journal_draft(
            actor=actor, case=case, category=category, title=title, text=text, occurred_on=day
        )
        if sign:
            entry = case_services.sign_journal_entry(actor=actor, entry=entry)
        if self.clock.is_past(day):
            moment = self.clock.at(day)
            fields = {"created_at": moment, "updated_at": moment}
            if sign:
                fields["signed_at"] = moment + timedelta(minutes=self.clock.rng.randint(2, 50))
            JournalEntry.objects.filter(pk=entry.pk).update(**fields)
        return entry

    def correct_journal(
        self, *, actor, entry: JournalEntry, day: date, text: str, reason: str
    ) -> JournalEntry:
        correction = case_services.correct_journal_entry(actor=actor, entry=entry, text=text, reason=reason)
        if self.clock.is_past(day):
            moment = self.clock.at(day)
            JournalEntry.objects.filter(pk=correction.pk).update(
                created_at=moment, updated_at=moment, signed_at=moment
            )
        return correction

    # --- deadlines ----------------------------------------------------------------------

    @staticmethod
    def _deadline_states(case: Case) -> dict[int, str]:
        return dict(Deadline.objects.filter(case_id=case.pk).values_list("id", "status"))

    def _date_deadlines(self, case: Case, before: dict[int, str], day: date, moment: datetime) -> None:
        """Deadlines the call opened start on ``day``; those it closed were done at ``moment``."""
        today = self.clock.today
        for deadline in Deadline.objects.filter(case_id=case.pk).select_related("rule").order_by("id"):
            if deadline.id not in before:
                if deadline.rule is None or deadline.starts_on != today:
                    continue
                rule = case_services.rule_in_force(deadline.rule.code, day)
                computed = compute_deadline(
                    day, rule.amount, rule.unit, moves_to_working_day=rule.moves_to_working_day
                )
                deadline.rule = rule
                deadline.starts_on = day
                deadline.calendar_due_on = computed.calendar_due_on
                deadline.due_on = computed.due_on
                deadline.save(update_fields=["rule", "starts_on", "calendar_due_on", "due_on"])
            elif before[deadline.id] == DeadlineStatus.OPEN and deadline.status == DeadlineStatus.DONE:
                Deadline.objects.filter(pk=deadline.pk).update(done_at=moment)
