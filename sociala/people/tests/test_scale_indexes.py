"""Indexes for the search, person page and start page queries (PostgreSQL only): EXPLAIN shows no
sequential scan on the big tables.

A generated city of a few thousand persons is analysed, and the planner is told to avoid sequential
scans and whole-table joins (``enable_seqscan``, ``enable_hashjoin``, ``enable_mergejoin`` off): a ``Seq Scan`` on a big table in the plan then means that no index
can serve the query at all, which is what grows with the city. At a few thousand rows the planner
would otherwise rightly prefer scanning small tables, so the plans would say nothing about 1M."""

import json

import pytest
from django.db import connection, transaction

from sociala.accounts.models import User
from sociala.cases import selectors as case_selectors
from sociala.cases.choices import Stage
from sociala.cases.models import Case
from sociala.demo import scale
from sociala.people.selectors import name_search_candidates, search_persons

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN plans are checked on PostgreSQL"
)

# Sequential scans, and the hash and merge joins that read a whole (small) table, are off: what is
# left is index paths, and a scan without an index condition means no index fits.
PLANNER_OFF = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin")
BIG_TABLES = (
    "people_person",
    "cases_case",
    "cases_journalentry",
    "cases_decision",
    "cases_deadline",
    "audit_auditevent",
)


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        scale.seed_scale(persons=3000, seed=11)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def user(city, db):
    with connection.cursor() as cursor:
        for setting in PLANNER_OFF:
            cursor.execute(f"SET {setting} = off")
    yield User.objects.get(username=scale.BENCH_CASEWORKER)
    with connection.cursor() as cursor:
        for setting in PLANNER_OFF:
            cursor.execute(f"RESET {setting}")


def explain(queryset) -> list:
    """The plan as JSON (by hand: Django's explain() gives nothing for a UNION)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return plan if isinstance(plan, list) else json.loads(plan)


def seq_scans(queryset) -> list[str]:
    """The plan's scans of big tables that no index condition narrows: a Seq Scan, or a whole index
    read in order (what the planner does instead when sequential scans are off)."""
    plan = explain(queryset)[0]["Plan"]
    found = []

    def walk(node):
        table = node.get("Relation Name", "")
        if table in BIG_TABLES:
            kind = node["Node Type"]
            if kind == "Seq Scan" or (kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node):
                found.append(f"{kind} on {table} ({node.get('Index Name', '')})")
        if node["Node Type"] == "Bitmap Index Scan" and "Index Cond" not in node:
            found.append(f"Bitmap Index Scan without condition ({node.get('Index Name', '')})")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan)
    return found


def test_search_by_number_uses_an_index(user):
    person = Case.objects.filter(assigned_to=user).select_related("person").first().person
    assert seq_scans(search_persons(user, person.formatted_number)) == []


def test_search_by_name_prefix_uses_an_index(user):
    for query in ("and", "an jo"):
        candidates = name_search_candidates(user, query)
        assert seq_scans(candidates) == []
        # Each branch read from an index alone where it can be (the district's covering indexes).
        assert "person_district_last_idx" in json.dumps(explain(candidates))
        # What is found is then read, and checked against the policy, by primary key.
        found = search_persons(user, query)
        if found.exists():
            assert seq_scans(found) == []


def test_person_page_queries_use_indexes(user):
    case = Case.objects.filter(assigned_to=user).exclude(stage=Stage.CLOSED).first()
    person = case.person
    cases = case_selectors.cases_of_person(user, person)
    case_ids = [c.pk for c in cases]
    assert seq_scans(cases) == []
    assert seq_scans(case_selectors.decisions_of_cases(case_ids)[:20]) == []
    # Without the LIMIT: at a few thousand rows the planner would walk the whole due-date index to
    # find the first 20, which says nothing about the million-row plan.
    assert seq_scans(case_selectors.open_deadlines_of_cases(case_ids)) == []
    assert seq_scans(case_selectors.journal_entries(user, person=person)[:10]) == []
    assert seq_scans(case_selectors.journal_entries(user, case=case)[:20]) == []


def test_start_page_queries_use_indexes(user):
    assert seq_scans(case_selectors.my_open_cases(user)[:200]) == []
    # Without the LIMIT, as above: the start page's two deadline queries, each from an index.
    assert seq_scans(case_selectors.deadlines_of_my_cases(user)) == []
    assert seq_scans(case_selectors.deadlines_assigned_or_escalated(user)) == []
    from sociala.audit.models import AuditEvent

    # Without ORDER BY/LIMIT: in this small city the benchmark caseworker owns a tenth of the events,
    # so walking the sequence backwards finds 40 soonest; at a million persons it would not.
    recent = AuditEvent.objects.filter(user_id=user.pk, action="view_person", person_id__isnull=False)
    assert seq_scans(recent) == []
