"""Seeding the demo city: organisation, staff, residents, cases with their whole history.

Deterministic from the seed: every random choice comes from ``random.Random`` streams
derived from it, and the only clock read is ``timezone.localdate()`` as "today", so
the same seed on the same day gives the same city.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.benefits.demo import seed_demo_budgets
from sociala.care.demo import seed_provider_approvals
from sociala.cases.choices import DeadlineStatus, JournalStatus, OrderStatus, Stage
from sociala.cases.models import Case, Deadline, Decision, JournalEntry, Order, Phrase
from sociala.cases.services import escalate_overdue_deadlines, save_phrase
from sociala.children.demo import seed_children_demo
from sociala.documents.models import Document
from sociala.finance.demo import seed_cost_centres
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Person, Relation

from .caseload import CaseRunner
from .data import texts
from .history import Clock, History
from .organization import DISTRICTS, build_city
from .plans import plan_cases
from .population import Population, build_population
from .staff import DEMO_CASEWORKERS, add_caseworkers

DEFAULT_PERSONS = 3000
DEFAULT_SEED = 2026
# Decision letters (WeasyPrint, ~0.1 s each) are made where the demo users work; elsewhere the
# decisions are complete but have no PDF. None makes letters everywhere.
DEMO_LETTER_DISTRICTS = frozenset({"Rinkeby-Kista", "Bromma"})
PROTECTION_SHARES = [
    (ProtectionLevel.CONFIDENTIALITY_MARKED, 0.01),
    (ProtectionLevel.PROTECTED_REGISTRATION, 0.003),
    (ProtectionLevel.FICTITIOUS_IDENTITY, 0.001),
]
# Corrections of signed journal entries per demo caseworker.
DEMO_CORRECTIONS = {
    "handlaggare.ifo": 3,
    "handlaggare.ifo.bromma": 2,
    "handlaggare.ao": 2,
    "handlaggare.lss": 1,
    "handlaggare.barn": 2,
}
DRAFT_SHARE = 0.15


@dataclass
class SeedSummary:
    """What the seeder made, for the one-line report."""

    persons: int = 0
    synthetic: int = 0
    coordination: int = 0
    deceased: int = 0
    protected: int = 0
    relations: int = 0
    staff: int = 0
    cases_by_stage: dict[str, int] = field(default_factory=dict)
    cases_by_area: dict[str, int] = field(default_factory=dict)
    decisions: int = 0
    letters: int = 0
    orders: int = 0
    active_orders: int = 0
    municipal_clients: int = 0
    journal_entries: int = 0
    drafts: int = 0
    corrections: int = 0
    phrases: int = 0
    open_deadlines: int = 0
    overdue_deadlines: int = 0
    escalated: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def cases(self) -> int:
        return sum(self.cases_by_stage.values())

    def line(self) -> str:
        stages = ", ".join(f"{Stage(s).label.lower()} {self.cases_by_stage.get(s, 0)}" for s in Stage.values)
        return (
            f"Demostaden klar på {self.seconds:.0f} s: {self.persons} personer "
            f"({self.coordination} samordningsnr, {self.synthetic} syntetiska, {self.protected} skyddade, "
            f"{self.deceased} avlidna), {self.relations} relationer, {self.staff} handläggare, "
            f"{self.cases} ärenden ({stages}), {self.decisions} beslut ({self.letters} beslutsbrev), "
            f"{self.orders} beställningar ({self.active_orders} pågående, {self.municipal_clients} brukare "
            f"hos Stadens hemtjänst Järva), {self.journal_entries} journalanteckningar ({self.drafts} utkast, "
            f"{self.corrections} rättelser), {self.phrases} fraser, {self.open_deadlines} öppna bevakningar "
            f"({self.overdue_deadlines} försenade, {self.escalated} eskalerade)."
            + (f" {self.skipped} planerade ärenden fick ingen passande person." if self.skipped else "")
        )


def _stream(seed: int, name: str) -> random.Random:
    """An independent random stream per part, so a change in one part leaves the others alone."""
    return random.Random(f"{seed}:{name}")


def seed_city(
    *,
    persons: int = DEFAULT_PERSONS,
    seed: int = DEFAULT_SEED,
    letter_districts: frozenset[str] | None = DEMO_LETTER_DISTRICTS,
) -> SeedSummary:
    """Build the demo city in one transaction and return what was made."""
    started = time.monotonic()
    today = timezone.localdate()
    with transaction.atomic():
        city = build_city(DISTRICTS)
        system = system_actor()
        caseworkers = add_caseworkers(city, rng=_stream(seed, "staff"), today=today)
        population = build_population(
            rng=_stream(seed, "population"),
            count=persons,
            today=today,
            districts=city.districts,
            actor=system,
        )
        districts = list(city.districts)
        plans = plan_cases(_stream(seed, "plans"), districts, persons)
        history = History(Clock(_stream(seed, "clock"), today))
        runner = CaseRunner(
            rng=_stream(seed, "cases"),
            today=today,
            history=history,
            city=city,
            caseworkers=caseworkers,
            population=population,
            letter_districts=letter_districts,
            scale=min(1.0, persons / DEFAULT_PERSONS),
        )
        result = runner.run(plans, districts)
        drafts = _add_drafts(_stream(seed, "drafts"), history, caseworkers, result.cases, today)
        corrections = _add_corrections(_stream(seed, "corrections"), history, caseworkers, today)
        phrases = _add_phrases(caseworkers)
        protected = _protect(_stream(seed, "protection"), population, result.cases, caseworkers, system)
        seed_children_demo(city=city, today=today)
        escalated = escalate_overdue_deadlines(actor=system, today=today)
        seed_cost_centres(actor=city.users["controller"])
        seed_provider_approvals(actor=city.users["admin"])
        seed_demo_budgets(today=today)
        summary = _summarize(caseworkers, today)
        summary.letters = result.letters
        summary.drafts = drafts
        summary.corrections = corrections
        summary.phrases = phrases
        summary.protected = protected
        summary.escalated = escalated
        summary.skipped = result.skipped
    summary.seconds = time.monotonic() - started
    return summary


def _add_drafts(rng: random.Random, history: History, caseworkers, cases: list[Case], today: date) -> int:
    """Unsigned notes that the demo caseworkers are writing today."""
    demo_users = {u.pk: u for key, u in caseworkers.items() if key in DEMO_CASEWORKERS}
    count = 0
    for case in cases:
        actor = demo_users.get(case.assigned_to_id)
        if actor is None or case.stage == Stage.CLOSED or rng.random() >= DRAFT_SHARE:
            continue
        title, text = rng.choice(texts.JOURNAL[case.case_type.code][case.stage])
        category = texts.CATEGORY_BY_TITLE.get(title, texts.CATEGORY_BY_STEP[case.stage])
        text = text.format(first=case.person.first_name).rsplit(".", 2)[0] + "."
        history.write_journal(
            actor=actor, case=case, day=today, category=category, title=title, text=text, sign=False
        )
        count += 1
    return count


def _add_corrections(rng: random.Random, history: History, caseworkers, today: date) -> int:
    """A few signed notes corrected by a new entry that says why (nothing is overwritten)."""
    count = 0
    for (_district, _unit), actor in sorted(caseworkers.items()):
        wanted = DEMO_CORRECTIONS.get(actor.username, 0)
        entries = list(
            JournalEntry.objects.filter(author=actor, status=JournalStatus.SIGNED, corrects__isnull=True)
            .select_related("person")
            .order_by("id")
        )
        if not wanted:
            wanted = len(entries) // 80
        for entry in rng.sample(entries, min(wanted, len(entries))):
            reason, addition = rng.choice(texts.CORRECTIONS)
            day = min(today, entry.occurred_on + timedelta(days=rng.randint(0, 3)))
            text = entry.text + addition.format(first=entry.person.first_name)
            history.correct_journal(actor=actor, entry=entry, day=day, text=text, reason=reason)
            count += 1
    return count


def _add_phrases(caseworkers) -> int:
    """The units' journal phrases: all of them for the demo units, the most used ones elsewhere."""
    count = 0
    for (district, unit_key), actor in caseworkers.items():
        phrases = texts.PHRASES[unit_key]
        if (district, unit_key) not in DEMO_CASEWORKERS:
            phrases = phrases[:3]
        for title, text, category in phrases:
            save_phrase(actor=actor, title=title, text=text, category=category)
            count += 1
    return count


def _protect(rng: random.Random, population: Population, cases: list[Case], caseworkers, actor) -> int:
    """Protected identity, registered after the cases were opened (as Skatteverket's notices come).

    One person of each level has a case with a demo caseworker, so the demo shows how they look.
    """
    demo_user_ids = {u.pk for key, u in caseworkers.items() if key in DEMO_CASEWORKERS}
    with_demo_cases = sorted({c.person_id for c in cases if c.assigned_to_id in demo_user_ids})
    alive = [p.pk for p in population.persons if not p.is_deceased]
    chosen: set[int] = set()
    count = 0
    for level, share in PROTECTION_SHARES:
        wanted = max(1, round(len(population.persons) * share))
        picks = []
        demo_pool = [pk for pk in with_demo_cases if pk not in chosen]
        if demo_pool:
            picks.append(rng.choice(demo_pool))
            chosen.add(picks[-1])
        pool = [pk for pk in alive if pk not in chosen]
        extra = rng.sample(pool, max(0, min(len(pool), wanted - len(picks))))
        picks += extra
        chosen.update(extra)
        Person.objects.filter(pk__in=picks).update(protection_level=level)
        for pk in sorted(picks):
            record_event(
                actor=actor,
                action="update_person",
                person_id=pk,
                object_type="person",
                object_id=pk,
                details={"protection_level": str(level), "source": "seed_demo"},
            )
        count += len(picks)
    return count


def _summarize(caseworkers, today: date) -> SeedSummary:
    """Count what is in the database now."""
    persons = Person.objects.all()
    summary = SeedSummary(
        persons=persons.count(),
        synthetic=persons.filter(is_synthetic=True).count(),
        coordination=persons.filter(number_kind="coordination_number").count(),
        deceased=persons.filter(is_deceased=True).count(),
        relations=Relation.objects.count(),
        staff=len({u.pk for u in caseworkers.values()}),
        cases_by_stage=dict(Counter(Case.objects.values_list("stage", flat=True))),
        cases_by_area=dict(Counter(Case.objects.values_list("service_area", flat=True))),
        decisions=Decision.objects.count(),
        orders=Order.objects.count(),
        active_orders=Order.objects.filter(status=OrderStatus.ACTIVE).count(),
        journal_entries=JournalEntry.objects.count(),
        open_deadlines=Deadline.objects.filter(status=DeadlineStatus.OPEN).count(),
        overdue_deadlines=Deadline.objects.filter(status=DeadlineStatus.OPEN, due_on__lt=today).count(),
    )
    summary.municipal_clients = (
        Order.objects.filter(status=OrderStatus.ACTIVE, provider__organization_number="212000-0142")
        .values("intervention__case__person_id")
        .distinct()
        .count()
    )
    return summary


def _canonical(queryset) -> list[str]:
    """Rows as JSON, sorted (rows may hold None next to dates, which do not compare)."""
    return sorted(json.dumps(row, default=str, ensure_ascii=False) for row in queryset)


def fingerprint() -> str:
    """A digest of the seeded city that leaves out database keys and real timestamps."""
    case = ("person__personal_identity_number", "case_type__code", "received_on")
    parts = [
        Person.objects.values_list(
            "personal_identity_number",
            "first_name",
            "last_name",
            "street_address",
            "postal_code",
            "city",
            "district__code",
            "protection_level",
            "is_deceased",
            "is_synthetic",
            "phone",
        ),
        Relation.objects.values_list(
            "person__personal_identity_number", "related__personal_identity_number", "kind", "valid_to"
        ),
        Case.objects.values_list(
            *case, "stage", "unit__name", "assigned_to__username", "sought", "communicated_on"
        ),
        Decision.objects.values_list(
            *(f"case__{k}" for k in case), "outcome", "decided_on", "period_start", "period_end", "motivation"
        ),
        Deadline.objects.values_list(
            *(f"case__{k}" for k in case),
            "rule__code",
            "starts_on",
            "due_on",
            "status",
            "escalated_to__username",
        ),
        JournalEntry.objects.values_list(
            *(f"case__{k}" for k in case),
            "author__username",
            "occurred_on",
            "category",
            "title",
            "text",
            "status",
        ),
        Order.objects.values_list(
            *(f"intervention__case__{k}" for k in case),
            "provider__organization_number",
            "status",
            "instructions",
        ),
        Phrase.objects.values_list("unit__name", "title", "text"),
    ]
    rows = [_canonical(queryset) for queryset in parts] + [Document.objects.count()]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
