"""Culling (gallring) of a person's case file (personakt): a pure function over facts and rules.

``culling_decision(facts, on_date)`` answers, for one case file on one day: is it culled, under which
rule, and from which day may it be culled (``keep_until``; ``None`` while it is kept for good or the
circumstances are still going on). Nothing here reads the database: the facts are gathered by
``facts.py``, the rules are rows of ``CullingRule`` (``RuleTable.from_rows``) or, without a table,
the rows of ``rules_data.py``.

How the rules combine (SoL 16 kap., SoF 13 kap. 1 §, LSS 21 c–d §§):

1. In a research municipality nothing is culled (the municipality is a setting).
2. Persons born on the 5th, 15th or 25th are a research sample: nothing is culled.
3. Records of a paternity, parenthood or adoption investigation, or of placing a child outside the
   home (LSS: housing for children), are never culled; Sociala keeps the whole case file then
   (docs/decisions/0007-culling-the-whole-personakt.md).
4. While circumstances go on (an open case, an active order, a fee decision in force) nothing is
   culled (16 kap. 1 § first paragraph, last sentence).
5. Otherwise the duty to cull arises five years after the later of the last entry and the end of
   the circumstances; an age-limit rule may postpone it (a child-protection investigation until
   the person has turned 30, from 2026-01-15; an agreement on custody, residence or contact until
   18). ``keep_until`` is the day the duty arises; culling must be finished by the end of the next
   calendar year (``cull_by``).

The base rule is LSS 21 c § when every matter in the file is an LSS matter, else SoL 16 kap. 1 §.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils import translation

from sociala.core.deadlines import YEARS, add_period

from .choices import DecisionReason, RuleKind

ADULT_AGE = 18


class NoRuleInForce(LookupError):
    """No base culling rule is in force on the day asked about."""


def add_years(day: date, years: int) -> date:
    """A period of years ends on the same date, or the month's last day (Lag 1930:173)."""
    return add_period(day, years, YEARS)


def birthday(birth_date: date, age: int) -> date:
    """The day a person has turned ``age`` (born on 29 February: 1 March in other years), as
    ``Person.age_on`` counts it."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return date(birth_date.year + age, 3, 1)


def _matches(code: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        if pattern == "*" or pattern == code or (pattern.endswith("*") and code.startswith(pattern[:-1])):
            return True
    return False


@dataclass(frozen=True)
class Rule:
    """One version of a culling rule (a ``CullingRule`` row, or a row of ``rules_data``)."""

    code: str
    kind: str
    name: str
    legal_source: str
    valid_from: date
    name_en: str = ""
    years: int | None = None
    age: int | None = None
    case_types: tuple[str, ...] = ()
    intervention_kinds: tuple[str, ...] = ()
    only_as_child: bool = False
    requires_investigation: bool = False
    birth_days: tuple[int, ...] = ()
    municipality_codes: tuple[str, ...] = ()
    county_codes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name_en if self.name_en and translation.get_language() == "en" else self.name

    @classmethod
    def from_mapping(cls, row) -> Rule:
        """From a ``CullingRule`` row or a dict of ``rules_data.RULES``."""

        def get(name, default=None):
            return row.get(name, default) if isinstance(row, dict) else getattr(row, name, default)

        return cls(
            code=get("code"),
            kind=get("kind"),
            name=get("name"),
            name_en=get("name_en", "") or "",
            legal_source=get("legal_source"),
            valid_from=get("valid_from"),
            years=get("years"),
            age=get("age"),
            case_types=tuple(get("case_types", ()) or ()),
            intervention_kinds=tuple(get("intervention_kinds", ()) or ()),
            only_as_child=bool(get("only_as_child", False)),
            requires_investigation=bool(get("requires_investigation", False)),
            birth_days=tuple(int(d) for d in get("birth_days", ()) or ()),
            municipality_codes=tuple(str(c) for c in get("municipality_codes", ()) or ()),
            county_codes=tuple(str(c) for c in get("county_codes", ()) or ()),
        )

    def matches_matter(self, matter: MatterFacts, birth_date: date) -> bool:
        """Does this permanent or age-limit rule keep the records of this matter?"""
        if self.case_types and _matches(matter.case_type, self.case_types):
            if matter.investigation_opened or not self.requires_investigation:
                return True
        for kind, starts_on in matter.interventions:
            if self.intervention_kinds and _matches(kind, self.intervention_kinds):
                if not self.only_as_child or starts_on < birthday(birth_date, ADULT_AGE):
                    return True
        return False


class RuleTable:
    """All versions of all rules; ``in_force(day)`` picks, per code, the version valid on the day."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = sorted(rules, key=lambda r: (r.code, r.valid_from))

    @classmethod
    def from_rows(cls, rows: Iterable) -> RuleTable:
        return cls(Rule.from_mapping(row) for row in rows)

    def in_force(self, on: date) -> list[Rule]:
        latest: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.valid_from <= on:
                latest[rule.code] = rule
        return list(latest.values())

    def earliest_date(self) -> date | None:
        """The first day a general base rule is in force (culling cannot be evaluated before it)."""
        dates = [r.valid_from for r in self.rules if r.kind == RuleKind.BASE and "*" in r.case_types]
        return min(dates) if dates else None


@lru_cache(maxsize=1)
def default_table() -> RuleTable:
    """The rules of ``rules_data.py`` (what migration 0002 loads), for use without the database."""
    from .rules_data import RULES

    return RuleTable.from_rows(RULES)


@dataclass(frozen=True)
class MatterFacts:
    """One case (ärende) in the case file: its type, whether an investigation was opened, its
    interventions as (kind, start date)."""

    case_id: int
    case_type: str
    investigation_opened: bool = False
    interventions: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class CaseFileFacts:
    """What the rules need to know about one person's case file (personakt).

    ``last_entry_on``: the last day anything was recorded in the file. ``is_ongoing``: a case is
    open, an order is active or a fee decision is in force. ``circumstances_ended_on``: when the
    last circumstance (a case, an intervention, a fee decision) ended, if any did.
    """

    person_id: int
    birth_date: date
    municipality_code: str
    last_entry_on: date
    circumstances_ended_on: date | None = None
    is_ongoing: bool = False
    matters: tuple[MatterFacts, ...] = ()
    district_id: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CullingDecision:
    """The answer for one case file on one day; unpacks as ``(cull, rule, keep_until)``."""

    cull: bool
    rule: Rule
    keep_until: date | None
    reason: str

    def __iter__(self) -> Iterator:
        return iter((self.cull, self.rule, self.keep_until))

    @property
    def cull_by(self) -> date | None:
        """Culling must be finished by the end of the calendar year after the duty arose."""
        return date(self.keep_until.year + 1, 12, 31) if self.keep_until else None

    def is_overdue(self, on: date) -> bool:
        return self.cull_by is not None and on > self.cull_by

    @property
    def reason_label(self) -> str:
        return str(DecisionReason(self.reason).label)


def _base_rule(rules: list[Rule], facts: CaseFileFacts) -> Rule:
    bases = [r for r in rules if r.kind == RuleKind.BASE]
    if not bases:
        raise NoRuleInForce("no base culling rule is in force")
    specific = [r for r in bases if "*" not in r.case_types]
    if facts.matters:
        for rule in specific:
            if all(_matches(m.case_type, rule.case_types) for m in facts.matters):
                return rule
    general = [r for r in bases if "*" in r.case_types]
    if not general:
        raise NoRuleInForce("no general base culling rule is in force")
    return general[0]


def culling_decision(facts: CaseFileFacts, on_date: date, rules: RuleTable | None = None) -> CullingDecision:
    """Is the case file culled on ``on_date``, under which rule, and from which day (see the module)."""
    in_force = (rules or default_table()).in_force(on_date)
    base = _base_rule(in_force, facts)
    county = facts.municipality_code[:2]
    for rule in in_force:
        if rule.kind == RuleKind.RESEARCH_MUNICIPALITY and (
            facts.municipality_code in rule.municipality_codes or county in rule.county_codes
        ):
            return CullingDecision(False, rule, None, DecisionReason.PERMANENT)
    for rule in in_force:
        if rule.kind == RuleKind.RESEARCH_SAMPLE and facts.birth_date.day in rule.birth_days:
            return CullingDecision(False, rule, None, DecisionReason.PERMANENT)
    permanent = sorted((r for r in in_force if r.kind == RuleKind.PERMANENT_MATTER), key=lambda r: r.code)
    for matter in facts.matters:
        for rule in permanent:
            if rule.matches_matter(matter, facts.birth_date):
                return CullingDecision(False, rule, None, DecisionReason.PERMANENT)
    if facts.is_ongoing:
        return CullingDecision(False, base, None, DecisionReason.ONGOING)

    assert base.years is not None, f"base rule {base.code} has no years"
    keep_until = add_years(facts.last_entry_on, base.years)
    reason = DecisionReason.LAST_ENTRY
    if facts.circumstances_ended_on is not None:
        after_circumstances = add_years(facts.circumstances_ended_on, base.years)
        if after_circumstances > keep_until:
            keep_until, reason = after_circumstances, DecisionReason.CIRCUMSTANCES
    chosen = base
    age_rules = sorted((r for r in in_force if r.kind == RuleKind.AGE_LIMIT_MATTER), key=lambda r: r.code)
    for rule in age_rules:
        if rule.age is None or not any(rule.matches_matter(m, facts.birth_date) for m in facts.matters):
            continue
        turned = birthday(facts.birth_date, rule.age)
        if turned > keep_until:
            chosen, keep_until, reason = rule, turned, DecisionReason.AGE_LIMIT
    return CullingDecision(on_date >= keep_until, chosen, keep_until, reason)
