"""The seeded demo city: coverage, consistency with the process engine, identities, workload, audit."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.accounts.models import User
from sociala.audit.services import verify_chain
from sociala.cases.choices import DeadlineStatus, JournalStatus, OrderStatus, Stage
from sociala.cases.models import Case, Deadline, Decision, JournalEntry, Order, Phrase
from sociala.cases.services import KINDS_NEEDING_ORDER
from sociala.core.deadlines import compute_deadline
from sociala.core.identity_numbers import parse_identity_number
from sociala.demo.data import texts
from sociala.demo.organization import DISTRICTS
from sociala.demo.population import listed_numbers
from sociala.demo.staff import DEMO_CASEWORKERS, STAFFING_BY_TYPE
from sociala.documents.models import Document
from sociala.people.choices import INVERSE_RELATION, ProtectionLevel
from sociala.people.models import Person, Relation

from .conftest import SMALL_CITY

pytestmark = pytest.mark.django_db

CASE_TYPES = set(STAFFING_BY_TYPE)


def test_every_case_type_reaches_every_stage(small_city):
    seen = set(Case.objects.values_list("case_type__code", "stage"))
    assert seen == {(t, s) for t in CASE_TYPES for s in Stage.values}
    assert set(Case.objects.values_list("service_area", flat=True)) == {
        "individual_family",
        "elderly",
        "disability",
    }
    assert small_city.cases == Case.objects.count() >= SMALL_CITY * 0.3
    assert small_city.skipped <= small_city.cases * 0.05  # a tiny district may lack a fitting person


def test_every_district_has_cases_and_every_case_an_assignee(small_city):
    assert set(Case.objects.values_list("district__name", flat=True)) == {
        f"{d} stadsdelsnämnd" for d in DISTRICTS
    }
    assert not Case.objects.filter(assigned_to__isnull=True).exists()


def test_process_state_matches_the_stage(small_city):
    for case in Case.objects.select_related("process"):
        if case.stage == Stage.CLOSED:
            assert case.process.is_finished and case.closed_at is not None, case.reference
        else:
            assert not case.process.is_finished and case.stage in case.process.ready_steps, case.reference


def test_cases_go_to_the_right_unit_and_caseworker(small_city):
    for case in Case.objects.select_related(
        "unit__administration__committee", "assigned_to", "case_type", "person"
    ):
        staffing = STAFFING_BY_TYPE[case.case_type.code]
        district = case.district.name.removesuffix(" stadsdelsnämnd")
        assert case.person.district_id == case.district_id
        assert case.unit.administration.committee_id == case.district_id
        if staffing.unit_key == "children":
            assert case.unit.name.startswith("Barn och unga")
        else:
            assert case.unit.service_area == staffing.unit_key and not case.unit.name.startswith("Barn")
        demo_user = DEMO_CASEWORKERS.get((district, staffing.unit_key))
        expected = demo_user or f"handlaggare.{staffing.short}."
        assert case.assigned_to.username.startswith(expected)


def test_persons_fit_their_cases(small_city):
    for case in Case.objects.select_related("person", "case_type"):
        age = case.person.age_on(case.received_on)
        code = case.case_type.code
        assert case.person.birth_date < case.received_on
        assert not case.person.is_deceased
        if code == "child_report_of_concern":
            assert age < 18
        elif code == "home_care_application":
            assert age >= 65
        else:
            assert age >= 7


def test_identity_numbers_come_from_the_test_lists(small_city):
    allowed = listed_numbers()
    persons = list(Person.objects.all())
    assert len(persons) == SMALL_CITY
    assert all(p.personal_identity_number in allowed and not p.is_synthetic for p in persons)
    for person in persons[:50]:
        parsed = parse_identity_number(person.personal_identity_number)
        assert (parsed.kind, parsed.birth_date, parsed.sex) == (
            person.number_kind,
            person.birth_date,
            person.sex,
        )
    kinds = Counter(p.number_kind for p in persons)
    assert kinds["coordination_number"] == round(SMALL_CITY * 0.02)
    assert all(p.street_address and p.postal_code and p.city and p.district_id for p in persons)


def test_protected_identities_and_deceased(small_city):
    levels = Counter(Person.objects.values_list("protection_level", flat=True))
    for level in (
        ProtectionLevel.CONFIDENTIALITY_MARKED,
        ProtectionLevel.PROTECTED_REGISTRATION,
        ProtectionLevel.FICTITIOUS_IDENTITY,
    ):
        assert levels[level] >= 1
    today = timezone.localdate()
    deceased = list(Person.objects.filter(is_deceased=True))
    assert deceased and all(p.age_on(today) >= 85 and p.deceased_on < today for p in deceased)


def test_relations_are_recorded_in_both_directions(small_city):
    rows = set(Relation.objects.values_list("person_id", "related_id", "kind"))
    kinds = Counter(kind for _p, _r, kind in rows)
    assert kinds["guardian"] > 0 and kinds["partner"] > 0
    for person, related, kind in rows:
        assert (related, person, str(INVERSE_RELATION[kind])) in rows
    for child, guardian, _kind in (r for r in rows if r[2] == "guardian"):
        assert Person.objects.get(pk=guardian).birth_date < Person.objects.get(pk=child).birth_date


def test_deadlines_follow_their_rules_from_the_simulated_day(small_city):
    today = timezone.localdate()
    for deadline in Deadline.objects.select_related("rule", "case"):
        rule = deadline.rule
        computed = compute_deadline(
            deadline.starts_on, rule.amount, rule.unit, moves_to_working_day=rule.moves_to_working_day
        )
        assert deadline.due_on == computed.due_on
        assert deadline.case.received_on <= deadline.starts_on <= today
    for decision in Decision.objects.select_related("case"):
        assert decision.case.received_on <= decision.decided_on <= today
        assert decision.reference == f"B{decision.decided_on.year}-{decision.pk:06d}"
    oldest = Case.objects.order_by("received_on").first().received_on
    assert today - timedelta(days=560) <= oldest <= today - timedelta(days=365)


def test_demo_caseworkers_have_late_and_pressing_deadlines(small_city):
    today = timezone.localdate()
    ifo = User.objects.get(username="handlaggare.ifo")
    assert Case.objects.filter(assigned_to=ifo).exclude(stage=Stage.CLOSED).count() >= 3
    open_deadlines = Deadline.objects.filter(status=DeadlineStatus.OPEN, case__assigned_to=ifo)
    assert open_deadlines.filter(due_on__lt=today).exists()
    assert open_deadlines.filter(due_on__gte=today, due_on__lt=today + timedelta(days=7)).exists()
    escalated = Deadline.objects.exclude(escalated_to=None)
    assert escalated.exists() and set(escalated.values_list("escalated_to__username", flat=True)) == {
        "chef.ifo"
    }


def test_granted_care_has_orders_and_the_municipal_provider_has_clients(small_city):
    for case in Case.objects.filter(stage__in=[Stage.FOLLOW_UP, Stage.CLOSED]).prefetch_related(
        "interventions__orders"
    ):
        for intervention in case.interventions.all():
            if intervention.kind in KINDS_NEEDING_ORDER:
                orders = list(intervention.orders.all())
                assert orders
                assert all(
                    o.status == (OrderStatus.ENDED if case.stage == Stage.CLOSED else "active")
                    for o in orders
                )
    active = Order.objects.filter(status=OrderStatus.ACTIVE, provider__organization_number="212000-0142")
    assert active.exists()


def test_journal_has_signed_entries_drafts_and_corrections(small_city):
    entries = JournalEntry.objects.all()
    assert entries.filter(status=JournalStatus.SIGNED).count() > Case.objects.count()
    drafts = entries.filter(status=JournalStatus.DRAFT)
    assert drafts.exists()
    assert set(drafts.values_list("author__username", flat=True)) <= set(DEMO_CASEWORKERS.values())
    corrections = entries.filter(corrects__isnull=False).select_related("corrects")
    assert corrections.exists()
    assert all(c.corrects.status == JournalStatus.SIGNED and c.correction_reason for c in corrections)
    ifo_phrases = Phrase.objects.filter(unit__name="Individ- och familjeomsorg Rinkeby-Kista")
    assert set(ifo_phrases.values_list("title", flat=True)) == {
        t for t, _x, _c in texts.PHRASES["individual_family"]
    }


def test_letters_are_made_where_asked(small_city):
    in_bromma = Decision.objects.filter(case__district__code="bromma").count()
    assert (
        Document.objects.filter(kind=Document.Kind.DECISION_LETTER).count() == in_bromma == small_city.letters
    )


def test_the_audit_chain_verifies(small_city):
    result = verify_chain()
    assert result.ok, result
    assert result.checked > small_city.cases


def test_the_demo_caseworkers_have_this_months_budgets_waiting_for_a_decision(small_city, django_db_blocker):
    from django.utils import timezone

    from sociala.benefits.models import Budget

    with django_db_blocker.unblock():
        month = timezone.localdate().replace(day=1)
        budgets = Budget.objects.filter(month=month).select_related("case__assigned_to")
        owners = {b.case.assigned_to.username for b in budgets}
        assert budgets.count() >= 1
        assert owners <= {"handlaggare.ifo", "handlaggare.ifo.bromma"}
        assert all(b.case.stage == "decision" for b in budgets)
