"""The demo city's cases: which cases exist (plans), when things happened (timelines), and running them.

Every case goes through the real process engine by the case services, acted by its
caseworker, so that the process state, deadlines, decisions, interventions and
orders agree with the case's stage. ``history`` dates each call on its simulated day.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sociala.cases.choices import DeadlineStatus, Outcome, Stage
from sociala.cases.models import Case, CaseType, Deadline, DeadlineRule, JournalEntry
from sociala.cases.services import KINDS_NEEDING_ORDER, rule_in_force
from sociala.core.deadlines import compute_deadline

from .data import places, texts
from .history import History
from .population import Population, age_on
from .staff import DEMO_CASEWORKERS, STAFFING_BY_TYPE

INCOME = texts.INCOME
HOME_CARE = texts.HOME_CARE
LSS = texts.LSS
CHILD = texts.CHILD
CASE_TYPES = [INCOME, CHILD, HOME_CARE, LSS]

STAGES = [
    Stage.INTAKE,
    Stage.INVESTIGATION,
    Stage.COMMUNICATION,
    Stage.DECISION,
    Stage.INTERVENTION,
    Stage.FOLLOW_UP,
    Stage.CLOSED,
]
OPEN_STAGES = STAGES[:-1]
PRE_DECISION = (Stage.INTAKE, Stage.INVESTIGATION, Stage.COMMUNICATION, Stage.DECISION)

CASES_PER_PERSON = 0.3
HISTORY_DAYS = 540  # about 18 months
FULL_SCALE = 3000  # the default city; demo workloads are scaled down for smaller ones

# Age (on the day the case came in) of the person a case type is about.
AGE_RANGES = {INCOME: (18, 64), HOME_CARE: (65, 104), LSS: (7, 64), CHILD: (0, 17)}
TYPE_WEIGHTS = {INCOME: 35, HOME_CARE: 30, CHILD: 25, LSS: 10}
EXTRA_STAGE_WEIGHTS = {
    Stage.INTAKE: 6,
    Stage.INVESTIGATION: 12,
    Stage.COMMUNICATION: 4,
    Stage.DECISION: 6,
    Stage.INTERVENTION: 14,
    Stage.FOLLOW_UP: 12,
    Stage.CLOSED: 46,
}
DEMO_OPEN_STAGE_WEIGHTS = {
    Stage.INTAKE: 3,
    Stage.INVESTIGATION: 6,
    Stage.COMMUNICATION: 2,
    Stage.DECISION: 3,
    Stage.INTERVENTION: 6,
    Stage.FOLLOW_UP: 5,
}
# The demo caseworkers' workload at full scale: open cases, closed cases, and how many of the
# open ones have a deadline overdue or due within a week.
DEMO_WORKLOADS = {
    ("Rinkeby-Kista", INCOME): (40, 25, 3, 3),
    ("Bromma", INCOME): (25, 15, 1, 2),
    ("Rinkeby-Kista", HOME_CARE): (25, 12, 1, 2),
    ("Rinkeby-Kista", LSS): (14, 6, 0, 2),
    ("Rinkeby-Kista", CHILD): (20, 20, 2, 2),
}
# Where a deliberately late or pressing deadline can sit, in order of preference.
SPECIAL_STAGES = {
    (INCOME, "overdue"): [Stage.INVESTIGATION, Stage.DECISION, Stage.COMMUNICATION],
    (INCOME, "due_soon"): [Stage.INVESTIGATION, Stage.INTERVENTION, Stage.COMMUNICATION],
    (HOME_CARE, "overdue"): [Stage.FOLLOW_UP, Stage.INVESTIGATION],
    (HOME_CARE, "due_soon"): [Stage.FOLLOW_UP, Stage.INTERVENTION],
    (LSS, "overdue"): [Stage.FOLLOW_UP],
    (LSS, "due_soon"): [Stage.FOLLOW_UP, Stage.INTERVENTION],
    (CHILD, "overdue"): [Stage.INTAKE, Stage.INVESTIGATION],
    (CHILD, "due_soon"): [Stage.INTAKE, Stage.INVESTIGATION],
}
# Gaps in days before each step, per case type.
GAPS = {
    INCOME: {
        "intake": (0, 3),
        "investigation": (5, 20),
        "communication": (7, 14),
        "decision": (0, 3),
        "intervention": (1, 5),
        "follow_up": (25, 40),
    },
    HOME_CARE: {
        "intake": (0, 4),
        "investigation": (7, 28),
        "communication": (10, 14),
        "decision": (0, 3),
        "order": (1, 6),
        "intervention": (1, 7),
        "follow_up": (140, 175),
    },
    LSS: {
        "intake": (0, 7),
        "investigation": (20, 70),
        "communication": (10, 14),
        "decision": (0, 5),
        "order": (5, 25),
        "intervention": (5, 20),
        "follow_up": (140, 175),
    },
    CHILD: {
        "intake": (1, 13),
        "investigation": (50, 110),
        "communication": (7, 10),
        "decision": (0, 3),
        "intervention": (3, 14),
        "follow_up": (90, 200),
    },
}
# Follow-ups that a deadline counts from the decision are dated from the decision too.
FOLLOW_UP_FROM_DECISION = {HOME_CARE, LSS}

ACTIVE_MUNICIPAL_CLIENTS = 10  # the provider demo user's client list at full scale
MUNICIPAL_HOME_CARE_DISTRICTS = ("Rinkeby-Kista", "Spånga-Tensta")  # Järva


@dataclass
class CasePlan:
    """One case to create: where, what, which stage it has reached, and whether a deadline presses."""

    district: str
    case_type: str
    stage: str
    deadline_mode: str = ""  # "", "overdue" or "due_soon"
    fixed_district: bool = False


@dataclass
class Step:
    """One thing done in a case: a process step, the decision, or sending the orders."""

    action: str  # intake, investigation, communication, decision, order, intervention, follow_up
    data: dict = field(default_factory=dict)
    day: date = date.min


@dataclass
class Timeline:
    received_on: date
    steps: list[Step]
    outcome: str = ""
    ends_on: date | None = None  # when a granted intervention ended (closed cases)


# --- plans --------------------------------------------------------------------------------


def apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` by weights with the largest remainders, so the parts add up exactly."""
    weight_sum = sum(weights.values())
    raw = {k: total * w / weight_sum for k, w in weights.items()}
    result = {k: int(v) for k, v in raw.items()}
    rest = total - sum(result.values())
    for key in sorted(raw, key=lambda k: (-(raw[k] - result[k]), list(weights).index(k)))[:rest]:
        result[key] += 1
    return result


def plan_cases(rng: random.Random, districts: list[str], persons: int) -> list[CasePlan]:
    """Every case type in every stage in every district, the demo users' workloads, then volume."""
    budget = max(40, round(persons * CASES_PER_PERSON))
    scale = min(1.0, persons / FULL_SCALE)
    combos = [(t, s) for t in CASE_TYPES for s in STAGES]
    rotated = []
    for index, district in enumerate(districts):
        offset = index * len(combos) // len(districts)
        rotated.append([(district, *c) for c in combos[offset:] + combos[:offset]])
    coverage = [CasePlan(*rotated[d][r]) for r in range(len(combos)) for d in range(len(districts))]
    plans = coverage[:budget]

    for (district, case_type), (open_count, closed_count, overdue, due_soon) in DEMO_WORKLOADS.items():
        if district not in districts:
            continue
        mine = [p for p in plans if (p.district, p.case_type) == (district, case_type)]
        wanted = apportion(round(open_count * scale), DEMO_OPEN_STAGE_WEIGHTS)
        wanted[Stage.CLOSED] = round(closed_count * scale)
        for stage in STAGES:
            present = sum(1 for p in mine if p.stage == stage)
            for _ in range(max(0, wanted[stage] - present)):
                plan = CasePlan(district, case_type, stage)
                plans.append(plan)
                mine.append(plan)
        for plan in mine:
            plan.fixed_district = True
        for mode, count in (("overdue", overdue), ("due_soon", due_soon)):
            if count:
                _mark_special(mine, case_type, mode, min(count, max(1, round(count * scale))))

    demo_units = {(d, t) for (d, t) in DEMO_WORKLOADS if d in districts}
    pairs = [(d, t) for d in districts for t in CASE_TYPES if (d, t) not in demo_units]
    weights = [places.RESIDENT_WEIGHTS.get(d, 5.0) * TYPE_WEIGHTS[t] for d, t in pairs]
    stages = list(EXTRA_STAGE_WEIGHTS)
    stage_weights = [EXTRA_STAGE_WEIGHTS[s] for s in stages]
    for _ in range(budget - len(plans)):
        district, case_type = rng.choices(pairs, weights=weights)[0]
        plans.append(CasePlan(district, case_type, rng.choices(stages, weights=stage_weights)[0]))
    return plans


def _mark_special(plans: list[CasePlan], case_type: str, mode: str, count: int) -> None:
    preferred = SPECIAL_STAGES[(case_type, mode)]
    marked = 0
    for round_ in range(len(plans)):
        stage = preferred[round_ % len(preferred)]
        plan = next((p for p in plans if p.stage == stage and not p.deadline_mode), None)
        if plan is not None:
            plan.deadline_mode = mode
            marked += 1
        if marked == count:
            return


# --- timelines ----------------------------------------------------------------------------


def _route(plan: CasePlan, rng: random.Random, may_refuse: bool) -> tuple[list[Step], str, str]:
    """The steps a case has taken to reach its stage, the decision's outcome, and the next step."""
    stage = plan.stage
    needs_order = plan.case_type in (HOME_CARE, LSS)
    if plan.case_type == CHILD:
        opened = [Step("intake", {"open_investigation": True})]
        investigated = opened + [Step("investigation"), Step("communication")]
        if stage == Stage.CLOSED:
            variant = rng.choices(["not_opened", "refused", "full"], weights=[55, 15, 30])[0]
            if variant == "not_opened":
                return [Step("intake", {"open_investigation": False})], "", ""
            outcome = Outcome.REFUSED if variant == "refused" else Outcome.GRANTED
            steps = investigated + [Step("decision")]
            if outcome == Outcome.GRANTED:
                steps += [Step("intervention"), Step("follow_up")]
            return steps, outcome, ""
        by_stage = {
            Stage.INTAKE: [],
            Stage.INVESTIGATION: opened,
            Stage.COMMUNICATION: opened + [Step("investigation")],
            Stage.DECISION: investigated,
            Stage.INTERVENTION: investigated + [Step("decision")],
            Stage.FOLLOW_UP: investigated + [Step("decision"), Step("intervention")],
        }
        outcome = Outcome.GRANTED if stage in (Stage.INTERVENTION, Stage.FOLLOW_UP) else ""
        return by_stage[stage], outcome, stage

    def investigated(refusal_intended: bool) -> list[Step]:
        steps = [Step("intake"), Step("investigation", {"refusal_intended": refusal_intended})]
        if refusal_intended:
            steps.append(Step("communication"))
        return steps

    if stage == Stage.INTAKE:
        return [], "", "intake"
    if stage == Stage.INVESTIGATION:
        return [Step("intake")], "", "investigation"
    if stage == Stage.COMMUNICATION:
        return investigated(True)[:2], "", "communication"
    if stage == Stage.DECISION:
        return investigated(rng.random() < 0.3), "", "decision"
    if stage == Stage.CLOSED and may_refuse and rng.random() < 0.35:
        return investigated(True) + [Step("decision")], Outcome.REFUSED, ""
    refusal_intended = may_refuse and rng.random() < 0.25
    outcome = Outcome.PARTLY_GRANTED if refusal_intended and rng.random() < 0.7 else Outcome.GRANTED
    steps = investigated(refusal_intended) + [Step("decision")]
    if stage == Stage.INTERVENTION:
        if needs_order and rng.random() < 0.5:
            steps.append(Step("order"))
        return steps, outcome, "intervention"
    if needs_order:
        steps.append(Step("order"))
    steps.append(Step("intervention"))
    if stage == Stage.FOLLOW_UP:
        return steps, outcome, "follow_up"
    steps.append(Step("follow_up"))
    return steps, outcome, ""


def _anchor(plan: CasePlan) -> tuple[str, str] | None:
    """Which step starts the deadline that a late or pressing case is about, and which rule it is."""
    if plan.case_type == CHILD:
        if plan.stage == Stage.INTAKE:
            return "open", "child_initial_assessment"
        if plan.stage in (Stage.INVESTIGATION, Stage.COMMUNICATION, Stage.DECISION):
            return "intake", "child_investigation"
        return None
    if plan.stage in PRE_DECISION:
        return "open", "undue_delay"
    if plan.stage == Stage.INTERVENTION:
        return "decision", "appeal_period"
    if plan.stage == Stage.FOLLOW_UP:
        if plan.case_type in FOLLOW_UP_FROM_DECISION:
            return "decision", "intervention_follow_up"
        return "decision", "appeal_period"
    return None


_RULES: dict[str, list] = {}


def _due_on(rule_code: str, start: date) -> date:
    """The deadline a rule gives from ``start`` (rule versions read once per seeding)."""
    if rule_code not in _RULES:
        _RULES[rule_code] = list(DeadlineRule.objects.filter(code=rule_code).order_by("-valid_from"))
    rule = next((r for r in _RULES[rule_code] if r.valid_from <= start), None) or rule_in_force(
        rule_code, start
    )
    return compute_deadline(
        start, rule.amount, rule.unit, moves_to_working_day=rule.moves_to_working_day
    ).due_on


def build_timeline(plan: CasePlan, rng: random.Random, today: date, may_refuse: bool) -> Timeline:
    """Date the case's steps so that it sits in its stage today (and, if asked, with a late deadline)."""
    steps, outcome, next_action = _route(plan, rng, may_refuse)
    gaps = GAPS[plan.case_type]
    # Days from the day the case came in, per step.
    offsets: list[int] = []
    offset = decision_offset = 0
    for step in steps:
        if step.action == "follow_up" and plan.case_type in FOLLOW_UP_FROM_DECISION:
            offset = max(offset + 1, decision_offset + rng.randint(*gaps["follow_up"]))
        else:
            offset += rng.randint(*gaps[step.action])
        if step.action == "decision":
            decision_offset = offset
        offsets.append(offset)
    entry = offset  # when the case reached its stage
    if next_action:
        exit_gap = rng.randint(*gaps[next_action])
        if next_action == "intake" and plan.case_type != CHILD:
            exit_gap = rng.randint(1, 10)  # a new application waits a few days for its first contact
        if next_action == "follow_up" and plan.case_type in FOLLOW_UP_FROM_DECISION:
            exit_gap = max(1, decision_offset + gaps["follow_up"][0] - entry)
        received = today - timedelta(days=entry + rng.randint(0, max(0, exit_gap - 1)))
    else:
        earliest = today - timedelta(days=HISTORY_DAYS)
        latest = today - timedelta(days=entry + 1)
        spread = max(0, (latest - earliest).days)
        received = latest if latest <= earliest else earliest + timedelta(days=rng.randint(0, spread))

    anchor = _anchor(plan) if plan.deadline_mode else None
    if anchor is not None:
        received, offsets = _anchored(plan, rng, today, steps, offsets, anchor) or (received, offsets)

    days = []
    previous = received
    for step, relative in zip(steps, offsets, strict=True):
        day = min(received + timedelta(days=relative), today)
        if day.weekday() >= 5 and not (anchor and step.action == anchor[0]):
            friday = day - timedelta(days=day.weekday() - 4)
            monday = day + timedelta(days=7 - day.weekday())
            if friday >= previous:
                day = friday
            elif monday <= today:
                day = monday
        step.day = max(day, previous)
        previous = step.day
        days.append(step.day)
    ends_on = None
    if (
        plan.stage == Stage.CLOSED
        and outcome != Outcome.REFUSED
        and steps
        and steps[-1].action == "follow_up"
    ):
        ends_on = steps[-1].day
    return Timeline(received_on=received, steps=steps, outcome=outcome, ends_on=ends_on)


def _anchored(plan, rng, today, steps, offsets, anchor):
    """Move the case so that the deadline it is about is overdue, or due within a week."""
    action, rule_code = anchor
    if action == "open":
        anchor_offset = 0
    else:
        index = next((i for i, s in enumerate(steps) if s.action == action), None)
        if index is None:
            return None
        anchor_offset = offsets[index]
    if plan.deadline_mode == "overdue":
        window = (today - timedelta(days=20), today - timedelta(days=1))
    else:
        window = (today, today + timedelta(days=6))
    candidates = []
    for back in range(400):
        start = today - timedelta(days=back)
        if action != "open" and start.weekday() >= 5:
            continue
        if window[0] <= _due_on(rule_code, start) <= window[1]:
            candidates.append(start)
    if not candidates:
        return None
    anchor_day = rng.choice(candidates)
    received = anchor_day - timedelta(days=anchor_offset)
    entry = offsets[-1] if offsets else 0
    if received + timedelta(days=entry) >= today and entry > anchor_offset:
        # Squeeze the steps after the anchor in between the anchor and yesterday.
        room = max(0, (today - anchor_day).days - 1)
        span = entry - anchor_offset
        offsets = [
            o if o <= anchor_offset else anchor_offset + (o - anchor_offset) * room // span for o in offsets
        ]
    return received, offsets


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
        for resident in self.by_district.get(district, {}).get(case_type, []):
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
            return resident
        return None


# --- running a case -----------------------------------------------------------------------


@dataclass
class CaseloadResult:
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
        letter_districts: set[str] | None,
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
            for deadline in case.deadlines.filter(
                rule__code="child_safety_assessment", status=DeadlineStatus.OPEN
            ):
                history.complete_deadline(actor=actor, deadline=deadline, day=previous)
        if rng.random() < 0.8:
            self._note(actor, case, resident, "intake", previous, previous)
        for step in timeline.steps:
            if step.action != "intake" and rng.random() < 0.7:
                self._note(actor, case, resident, step.action, previous, step.day)
            elif step.action == "intake" and plan.case_type == CHILD and rng.random() < 0.6:
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
            self._write(actor, case, previous, "other", title, text.format(first=person.first_name))
            if timeline.ends_on is not None:
                for intervention in case.interventions.order_by("id"):
                    for order in intervention.orders.filter(status="active").order_by("id"):
                        history.end_order(actor=actor, order=order, day=timeline.ends_on)
        elif rng.random() < 0.3 and previous < self.today:
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
        for deadline in Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN).select_related("rule"):
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
