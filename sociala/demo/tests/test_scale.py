"""The city-scale generator at a small N: counts, proportions, skew, synthetic numbers, a valid audit
chain, and pages that render for generated data. Runs on SQLite and (SOCIALA_TEST_DB=postgres) COPY."""

import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from sociala.accounts.models import User
from sociala.api.tests.conftest import bearer
from sociala.audit.models import AuditChainHead, AuditEvent
from sociala.audit.services import verify_chain
from sociala.cases.choices import JournalStatus, Stage
from sociala.cases.models import Case, Deadline, Decision, JournalEntry
from sociala.core.identity_numbers import parse_identity_number
from sociala.demo import scale
from sociala.demo.population import COORDINATION_NUMBERS_FILE, PERSONAL_NUMBERS_FILE, read_numbers
from sociala.people.models import Person

PERSONS = 300


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """One generated city of 300 persons for the module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = scale.seed_scale(persons=PERSONS, seed=7)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def bench_user(scaled, db):
    return User.objects.get(username=scale.BENCH_CASEWORKER)


def test_counts_follow_the_proportions(scaled, db):
    assert Person.objects.count() == PERSONS
    assert Case.objects.count() == round(PERSONS * scale.CASES_PER_PERSON) == 90
    assert Decision.objects.count() == PERSONS * scale.DECISIONS_PER_PERSON
    assert JournalEntry.objects.count() == PERSONS * scale.JOURNAL_PER_PERSON
    assert scaled.counts["audit_events"] == PERSONS * scale.AUDIT_PER_PERSON
    # Every case has its own process instance, and open cases an open deadline where the type has one.
    assert Case.objects.filter(process__isnull=True).count() == 0
    assert Case.objects.values("process_id").distinct().count() == 90
    open_cases = Case.objects.exclude(stage=Stage.CLOSED)
    assert Deadline.objects.filter(case__in=open_cases).count() == open_cases.count()
    assert not Deadline.objects.filter(case__stage=Stage.CLOSED).exists()


def test_process_state_agrees_with_the_stage(scaled, db):
    for case in Case.objects.select_related("process"):
        if case.stage == Stage.CLOSED:
            assert case.process.is_finished
            assert case.closed_at is not None
        else:
            assert case.process.ready_steps[0] == case.stage
    assert {c.reference for c in Case.objects.all()} == {
        f"{c.received_on.year}-{c.pk:06d}" for c in Case.objects.all()
    }


def test_journal_is_skewed_and_signed_by_the_caseworker(scaled, db):
    per_person = Counter(JournalEntry.objects.values_list("person_id", flat=True))
    counts = sorted(per_person.values(), reverse=True)
    assert counts[0] >= 10 * scale.JOURNAL_PER_PERSON  # a few persons with hundreds
    assert counts[len(counts) // 2] < 4 * scale.JOURNAL_PER_PERSON  # most with a few
    assert not JournalEntry.objects.exclude(status=JournalStatus.SIGNED).exists()
    assert not JournalEntry.objects.exclude(author_id=F("case__assigned_to_id")).exists()
    assert not JournalEntry.objects.exclude(person_id=F("case__person_id")).exists()


def test_benchmark_fixtures_exist(scaled, bench_user, db):
    open_cases = Case.objects.filter(assigned_to=bench_user).exclude(stage=Stage.CLOSED)
    assert open_cases.count() == scale.BENCH_OPEN_CASES
    biggest = Counter(JournalEntry.objects.values_list("case_id", flat=True)).most_common(1)[0]
    assert biggest[1] == scale.BENCH_CASE_JOURNAL
    assert Case.objects.get(pk=biggest[0]).assigned_to == bench_user
    # Nobody else carries more than about 80 open cases.
    load = Counter(Case.objects.exclude(stage=Stage.CLOSED).values_list("assigned_to_id", flat=True))
    assert max(load.values()) <= scale.OPEN_CASES_PER_CASEWORKER


def test_audit_chain_verifies(scaled, db):
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == AuditEvent.objects.count()
    assert AuditChainHead.objects.get(id=1).seq == AuditEvent.objects.count()
    assert AuditEvent.objects.filter(action="view_person", person_id__isnull=False).count() > 0


def test_audit_verify_command_passes(scaled, db, capsys):
    call_command("audit_verify")
    assert "Audit chain intact" in capsys.readouterr().out


def test_generated_data_renders_on_the_pages(scaled, bench_user, client, db):
    client.force_login(bench_user)
    case = Case.objects.filter(assigned_to=bench_user).exclude(stage=Stage.CLOSED).order_by("pk").first()
    big = Counter(JournalEntry.objects.values_list("case_id", flat=True)).most_common(1)[0][0]
    for url in [
        reverse("web:start"),
        reverse("web:person_detail", args=[case.person_id]),
        reverse("web:case_detail", args=[case.pk]),
        reverse("web:case_detail", args=[big]),
        reverse("web:person_search") + "?q=" + case.person.last_name[:3],
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.get(reverse("web:case_detail", args=[case.pk]))
    assert case.reference in response.content.decode()
    response = client.get(f"/api/v1/persons/{case.person_id}", **bearer(bench_user))
    assert response.status_code == 200
    assert response.json()["personal_identity_number"] == case.person.formatted_number


def test_listed_numbers_first_then_synthetic_with_valid_check_digits():
    listed = len(read_numbers(PERSONAL_NUMBERS_FILE)) + len(read_numbers(COORDINATION_NUMBERS_FILE))
    today = timezone.localdate()
    numbers = list(scale.identity_numbers(random.Random(1), listed + 200, today))
    assert len({n for n, _k, _s, _b in numbers}) == len(numbers) == listed + 200
    assert not any(s for _n, _k, s, _b in numbers[:listed])
    synthetic = numbers[listed:]
    assert all(s for _n, _k, s, _b in synthetic)
    for number, _kind, _synthetic, born in synthetic:
        parsed = parse_identity_number(number, today=today)
        assert (parsed.value, parsed.birth_date) == (number, born)
        assert 900 <= int(number[8:11]) <= 999
