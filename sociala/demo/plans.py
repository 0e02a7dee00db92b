"""Which cases the demo city has (plans) and when their steps happened (timelines).

Every case type reaches every stage in every district; the demo caseworkers get a
realistic workload with a few late and pressing deadlines; the rest is volume. A
timeline dates the steps so that the case sits in its stage today.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sociala.cases.choices import Outcome, Stage
from sociala.cases.models import DeadlineRule
from sociala.cases.services import rule_in_force
from sociala.core.deadlines import compute_deadline

from .data import places, texts

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
MUNICIPAL_HOME_CARE_DISTRICTS = ("Rinkeby-Kista", "Spånga-Tensta")  # Järva, served by Stadens hemtjänst Järva


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
    budget = max(len(CASE_TYPES) * len(STAGES), round(persons * CASES_PER_PERSON))
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
        # Järva's municipal home care starts quickly: most orders there are already sent.
        if needs_order and rng.random() < (0.8 if plan.district in MUNICIPAL_HOME_CARE_DISTRICTS else 0.5):
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


_RULES: dict[str, list] = {}  # rule versions by code, read once per seeding (see clear_rule_cache)


def clear_rule_cache() -> None:
    _RULES.clear()


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
