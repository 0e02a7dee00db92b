"""Running the planned cases through the case services, acted by their caseworkers.

Every case goes through the real process engine, so that the process state,
deadlines, decisions, interventions and orders agree with the case's stage;
``history`` dates each call on its simulated day.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sociala.cases.choices import DeadlineStatus, Outcome, Stage
from sociala.cases.models import Case, CaseType, Deadline, JournalEntry
from sociala.cases.services import KINDS_NEEDING_ORDER

from .data import texts
from .history import History
from .plans import (
    AGE_RANGES,
    CASE_TYPES,
    CHILD,
    INCOME,
    LSS,
    MUNICIPAL_HOME_CARE_DISTRICTS,
    CasePlan,
    Timeline,
    build_timeline,
    clear_rule_cache,
)
from .population import Population, age_on
from .staff import DEMO_CASEWORKERS, STAFFING_BY_TYPE

ACTIVE_MUNICIPAL_CLIENTS = 10  # the provider demo user's client list at full scale
DEMO_JOURNAL_DENSITY = 0.75  # chance of a journal note per step in the demo caseworkers' cases
JOURNAL_DENSITY = 0.4


# --- persons ------------------------------------------------------------------------------


class PersonPicker:
    """Chooses who a case is about: right district and age, alive, not already in such a case."""

    def __init__(self, rng: random.Random, population: Population, today: date):
        self.rng = rng
        self.population = population
        self.today = today
        self.used: set[tuple[int, str]] = set()
        self.households_with_income_support: set[int] = set()
        self.by_district: dict[str, dict[str, list]] = {}
        for resident in population.residents:
            if resident.is_deceased or resident.person is None:
                continue
            district = population.households[resident.household].district
            age = age_on(resident.born, today)
            for case_type, (low, high) in AGE_RANGES.items():
                if low <= age <= high + 2:
                    self.by_district.setdefault(district, {}).setdefault(case_type, []).append(resident)
        for lists in self.by_district.values():
            for residents in lists.values():
                rng.shuffle(residents)

    def pick(self, district: str, case_type: str, received_on: date):
        low, high = AGE_RANGES[case_type]
        candidates = self.by_district.get(district, {}).get(case_type, [])
        for index, resident in enumerate(candidates):
            person = resident.person
            if (person.pk, case_type) in self.used:
                continue
            age = age_on(resident.born, received_on)
            if not (low <= age <= high) or resident.born >= received_on:
                continue
            if case_type == INCOME:
                if resident.household in self.households_with_income_support:
                    continue
                household = self.population.households[resident.household]
                if resident not in household.parents:
                    continue
                self.households_with_income_support.add(resident.household)
            self.used.add((person.pk, case_type))
            candidates.pop(index)
            return resident
        return None


# --- running a case -----------------------------------------------------------------------


@dataclass
class CaseloadResult:
    """What running the plans made."""

    cases: list[Case] = field(default_factory=list)
    decisions: int = 0
    letters: int = 0
    orders: int = 0
    journal_entries: int = 0
    skipped: int = 0


class CaseRunner:
    """Creates the planned cases through the case services."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: date,
        history: History,
        city,
        caseworkers,
        population: Population,
        letter_districts: frozenset[str] | None,
        scale: float,
    ):
        self.rng = rng
        self.today = today
        self.history = history
        self.city = city
        self.caseworkers = caseworkers
        self.population = population
        self.letter_districts = letter_districts
        self.case_types = {ct.code: ct for ct in CaseType.objects.filter(code__in=CASE_TYPES)}
        self.picker = PersonPicker(rng, population, today)
        self.municipal_clients: set[int] = set()
        self.municipal_target = max(1, round(ACTIVE_MUNICIPAL_CLIENTS * scale))
        self.result = CaseloadResult()
        clear_rule_cache()
        self._refusals: dict[tuple, bool] = {}

    def run(self, plans: list[CasePlan], districts: list[str]) -> CaseloadResult:
        demo_districts = {d for d, _ in DEMO_CASEWORKERS}
        for plan in plans:
            actor = self._actor(plan)
            may_refuse = self._may_refuse(actor, plan)
            timeline = build_timeline(plan, self.rng, self.today, may_refuse)
            resident = self.picker.pick(plan.district, plan.case_type, timeline.received_on)
            if resident is None and not plan.fixed_district:
                start = districts.index(plan.district)
                for other in districts[start + 1 :] + districts[:start]:
                    if other in demo_districts:
                        continue
                    resident = self.picker.pick(other, plan.case_type, timeline.received_on)
                    if resident is not None:
                        plan.district = other
                        actor = self._actor(plan)
                        break
            if resident is None:
                self.result.skipped += 1
                continue
            self.result.cases.append(self._run_case(plan, timeline, resident, actor))
        return self.result

    def _actor(self, plan: CasePlan):
        return self.caseworkers[(plan.district, STAFFING_BY_TYPE[plan.case_type].unit_key)]

    def _may_refuse(self, actor, plan: CasePlan) -> bool:
        key = (actor.pk, plan.district, plan.case_type)
        if key not in self._refusals:
            self._refusals[key] = any(
                d.may_refuse and d.case_type in ("*", plan.case_type)
                for d in actor.delegations.all()
                if d.committee_id == self.city.districts[plan.district].pk
            )
        return self._refusals[key]

    def _run_case(self, plan: CasePlan, timeline: Timeline, resident, actor) -> Case:
        rng, history = self.rng, self.history
        person = resident.person
        staffing = STAFFING_BY_TYPE[plan.case_type]
        month = f"{texts.MONTHS[timeline.received_on.month - 1]} {timeline.received_on.year}"
        sought = rng.choice(texts.SOUGHT[plan.case_type]).format(month=month)
        case = history.open_case(
            actor=actor,
            day=timeline.received_on,
            person=person,
            case_type=self.case_types[plan.case_type],
            sought=sought,
            unit=self.city.unit(plan.district, staffing.unit_key),
            assigned_to=actor,
        )
        previous = timeline.received_on
        if plan.case_type == CHILD and previous < self.today:
            # The safety assessment is made the day the report comes in.
            safety = case.deadlines.filter(rule__code="child_safety_assessment", status=DeadlineStatus.OPEN)
            for deadline in safety.order_by("id"):
                history.complete_deadline(actor=actor, deadline=deadline, day=previous)
        # The demo users' cases get full journals; elsewhere fewer notes keep the seeding quick.
        density = DEMO_JOURNAL_DENSITY if plan.fixed_district else JOURNAL_DENSITY
        if rng.random() < density:
            self._note(actor, case, resident, "intake", previous, previous)
        for step in timeline.steps:
            if step.action != "intake" and rng.random() < density:
                self._note(actor, case, resident, step.action, previous, step.day)
            elif step.action == "intake" and plan.case_type == CHILD and rng.random() < density:
                self._note(actor, case, resident, "intake", previous, step.day)
            if step.action == "decision":
                self._decide(plan, case, actor, resident, timeline, step.day)
            elif step.action == "order":
                self._send_orders(plan, case, actor, step.day)
            else:
                case = history.complete_step(
                    actor=actor, case=case, step=step.action, day=step.day, data=step.data
                )
            previous = step.day
        if plan.stage == Stage.CLOSED:
            if timeline.steps and timeline.steps[0].data.get("open_investigation") is False:
                title, text = texts.NOT_OPENED_NOTE
            else:
                title, text = texts.CLOSED_NOTES[plan.case_type]
            if rng.random() < density:
                self._write(actor, case, previous, "other", title, text.format(first=person.first_name))
            if timeline.ends_on is not None:
                for intervention in case.interventions.order_by("id"):
                    for order in intervention.orders.filter(status="active").order_by("id"):
                        history.end_order(actor=actor, order=order, day=timeline.ends_on)
        elif rng.random() < density / 2 and previous < self.today:
            title, text = rng.choice(texts.CONTACT_NOTES)
            day = previous + timedelta(days=rng.randint(1, max(1, (self.today - previous).days)))
            self._write(
                actor, case, min(day, self.today), "contact", title, text.format(first=person.first_name)
            )
        self._settle_deadlines(case, actor, timeline)
        return case

    # --- steps ----------------------------------------------------------------------------

    def _decide(self, plan: CasePlan, case: Case, actor, resident, timeline: Timeline, day: date) -> None:
        items, period_start, period_end = self._decision_items(plan, case, resident, timeline, day)
        motivation = texts.MOTIVATION[plan.case_type][timeline.outcome]
        refused = next((i["description"].lower() for i in items if i["outcome"] == Outcome.REFUSED), "")
        letter = self.letter_districts is None or plan.district in self.letter_districts
        self.history.decide(
            actor=actor,
            case=case,
            day=day,
            letter=letter,
            items=items,
            period_start=period_start,
            period_end=period_end,
            motivation=motivation.format(refused=refused.removeprefix("bistånd till ")),
        )
        self.result.decisions += 1
        self.result.letters += int(letter)

    def _decision_items(self, plan: CasePlan, case: Case, resident, timeline: Timeline, day: date):
        rng, outcome = self.rng, timeline.outcome
        if plan.case_type == INCOME:
            return self._income_items(resident, outcome, day, case.sought)
        if plan.case_type == CHILD:
            start = day + timedelta(days=rng.randint(3, 10))
            end = timeline.ends_on or _add_months(start, 6)
            options = texts.DECISION_ITEMS[CHILD]
            if outcome == Outcome.REFUSED:
                return [_item(options[0][0], Outcome.REFUSED, "")], day, None
            chosen = options if rng.random() < 0.4 else [rng.choice(options)]
            return [_item(d, Outcome.GRANTED, rng.choice(scopes)) for d, scopes in chosen], start, end
        options = texts.DECISION_ITEMS[plan.case_type]
        start = day + timedelta(days=rng.randint(0, 7))
        end = timeline.ends_on
        if plan.case_type == LSS:
            description, scopes = options[0]
            if outcome == Outcome.PARTLY_GRANTED:
                return (
                    [
                        _item(description, Outcome.GRANTED, "2 träffar/månad"),
                        _item(
                            "Kontaktperson utöver två träffar i månaden", Outcome.REFUSED, "2 träffar/månad"
                        ),
                    ],
                    start,
                    end,
                )
            return [_item(description, outcome, rng.choice(scopes))], start, end
        care, service = options
        if outcome == Outcome.PARTLY_GRANTED:
            return (
                [
                    _item(care[0], Outcome.GRANTED, rng.choice(care[1])),
                    _item("Hemtjänst: städning varje vecka", Outcome.REFUSED, "4 timmar/månad"),
                ],
                start,
                end,
            )
        chosen = [care, service] if rng.random() < 0.6 else [care]
        return [_item(d, outcome, rng.choice(scopes)) for d, scopes in chosen], start, end

    def _income_items(self, resident, outcome: str, day: date, case_sought: str):
        """Riksnorm 2026 for the household, rent and electricity, less counted income (DOMAIN.md)."""
        rng = self.rng
        household = self.population.households[resident.household]
        adults = 2 if household.is_couple else 1
        children = [age_on(c.born, day) for c in household.children]
        norm = (7100 if adults == 2 else 3940) + sum(_child_norm(age) for age in children)
        size = adults + len(children)
        norm += [1280, 1410, 1790, 2030, 2330, 2640, 2830][min(size, 7) - 1] + max(0, size - 7) * 190
        rent = rng.randrange(5200, 7800, 10) if size == 1 else rng.randrange(6500, 11800, 10)
        electricity = rng.randrange(250, 650, 10)
        income = rng.choice([0, 0, 0, 1250 * len(children), rng.randrange(4000, 9000, 10)])
        month = f"{texts.MONTHS[day.month - 1]} {day.year}"
        start = day.replace(day=1)
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        if outcome == Outcome.REFUSED:
            return (
                [
                    _item(f"Försörjningsstöd (riksnorm) {month}", Outcome.REFUSED, "", norm),
                    _item(f"Hyra {month}", Outcome.REFUSED, "", rent),
                ],
                start,
                end,
            )
        items = [
            _item(f"Försörjningsstöd (riksnorm) {month}", Outcome.GRANTED, "", max(0, norm - income)),
            _item(f"Hyra {month}", Outcome.GRANTED, "", rent),
        ]
        if rng.random() < 0.6:
            items.append(_item(f"Hushållsel {month}", Outcome.GRANTED, "", electricity))
        if outcome == Outcome.PARTLY_GRANTED:
            sought = [e for e in texts.INCOME_EXTRAS_REFUSED if e.split()[0] in case_sought]
            extra = sought[0] if sought else rng.choice(texts.INCOME_EXTRAS_REFUSED)
            items.append(_item(f"Bistånd till {extra}", Outcome.REFUSED, "", rng.randrange(1500, 9000, 100)))
        return items, start, end

    def _send_orders(self, plan: CasePlan, case: Case, actor, day: date) -> None:
        provider = self._provider(plan, case)
        for intervention in case.interventions.order_by("id"):
            if intervention.kind not in KINDS_NEEDING_ORDER:
                continue
            self.history.send_order(
                actor=actor,
                intervention=intervention,
                provider=provider,
                day=day,
                instructions=self.rng.choice(texts.ORDER_INSTRUCTIONS[plan.case_type]),
            )
            self.result.orders += 1

    def _provider(self, plan: CasePlan, case: Case):
        providers = self.city.providers
        if plan.case_type == LSS:
            return providers["kontaktperson"]
        if plan.district in MUNICIPAL_HOME_CARE_DISTRICTS:
            if plan.stage == Stage.CLOSED:
                return providers["hemtjanst_kommunal"]
            if (
                len(self.municipal_clients) < self.municipal_target
                or case.person_id in self.municipal_clients
            ):
                self.municipal_clients.add(case.person_id)
                return providers["hemtjanst_kommunal"]
        return providers["hemtjanst_privat"]

    # --- journal --------------------------------------------------------------------------

    def _note(self, actor, case: Case, resident, step: str, after: date, before: date) -> None:
        step = "intervention" if step == "order" else step
        title, text = self.rng.choice(texts.JOURNAL[case.case_type.code][step])
        category = texts.CATEGORY_BY_TITLE.get(title, texts.CATEGORY_BY_STEP[step])
        span = max(0, (before - after).days)
        day = after + timedelta(days=self.rng.randint(0, span)) if span else before
        self._write(actor, case, day, category, title, text.format(first=resident.person.first_name))

    def _write(self, actor, case: Case, day: date, category: str, title: str, text: str) -> JournalEntry:
        self.result.journal_entries += 1
        return self.history.write_journal(
            actor=actor, case=case, day=day, category=category, title=title, text=text
        )

    # --- deadlines ------------------------------------------------------------------------

    def _settle_deadlines(self, case: Case, actor, timeline: Timeline) -> None:
        """Close what has run its course: passed appeal periods, same-day safety assessments,
        and follow-ups of interventions that were never granted."""
        case.refresh_from_db(fields=["stage"])
        open_deadlines = Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN).order_by("id")
        for deadline in open_deadlines.select_related("rule"):
            code = deadline.rule.code if deadline.rule else ""
            if code == "appeal_period" and deadline.due_on < self.today:
                self.history.complete_deadline(actor=actor, deadline=deadline, day=deadline.due_on)
            elif code == "child_safety_assessment" and deadline.starts_on < self.today:
                self.history.complete_deadline(actor=actor, deadline=deadline, day=deadline.starts_on)
            elif code == "intervention_follow_up" and case.stage == Stage.CLOSED:
                self.history.complete_deadline(actor=actor, deadline=deadline, day=deadline.starts_on)


def _item(description: str, outcome: str, scope: str, amount: int | None = None) -> dict:
    return {"description": description, "outcome": outcome, "scope": scope, "amount": amount}


def _child_norm(age: int) -> int:
    """Riksnorm 2026, personal costs of a child by age (SEK/month)."""
    for upto, amount in ((0, 2740), (2, 3060), (3, 2720), (6, 3060), (10, 3820), (14, 4390), (18, 4960)):
        if age <= upto:
            return amount
    return 5000


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
