"""The number of queries of a page does not grow with the number of rows on it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sociala.cases import services
from sociala.cases.models import Deadline, Decision, DecisionItem
from sociala.tests.factories import make_person

from .conftest import open_case


def queries_of(api, path: str, username: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, username)
    assert response.status_code == 200
    return len(captured.captured_queries)


def case_with_rows(city, rows: int):
    """A case with ``rows`` decisions (two items each), journal entries, corrections and deadlines."""
    actor = city.users["handlaggare.ifo"]
    person = make_person(city)
    case = open_case(city, person, "handlaggare.ifo", "income_support_application")
    today = timezone.localdate()
    for index in range(rows):
        decision = Decision.objects.create(
            case=case,
            reference=f"B-{case.pk}-{index}",
            outcome="granted",
            sought="x",
            period_start=today,
            legal_basis="4 kap. 1 § SoL",
            motivation="Motivering som är lång nog.",
            decided_by=actor,
            delegation_reference="3.1.1",
            decided_on=today,
            appeal_instructions="Överklaga inom tre veckor.",
        )
        for part in range(2):
            DecisionItem.objects.create(
                decision=decision, description=f"Del {part}", outcome="granted", legal_basis="4 kap. 1 § SoL"
            )
        entry = services.save_journal_draft(
            actor=actor, case=case, category="contact", text=f"Anteckning {index}"
        )
        entry = services.sign_journal_entry(actor=actor, entry=entry)
        if index % 2:
            services.correct_journal_entry(actor=actor, entry=entry, text="Rättad.", reason="Felskrivning")
        services.save_journal_draft(actor=actor, case=case, category="other", text=f"Utkast {index}")
        Deadline.objects.create(
            case=case,
            title=f"Bevakning {index}",
            starts_on=today,
            calendar_due_on=today,
            due_on=today,
            assigned_to=actor,
        )
    return person, case


def test_a_case_page_costs_the_same_for_2_and_20_rows(api, city, django_assert_max_num_queries):
    _few_person, few = case_with_rows(city, 2)
    _many_person, many = case_with_rows(city, 20)
    api.get(f"/cases/{few.pk}", "handlaggare.ifo")  # warm the token and caches
    small = queries_of(api, f"/cases/{few.pk}", "handlaggare.ifo")
    large = queries_of(api, f"/cases/{many.pk}", "handlaggare.ifo")
    assert large == small
    body = api.get(f"/cases/{many.pk}", "handlaggare.ifo").json()
    assert (len(body["decisions"]), len(body["journal"]), len(body["deadlines"])) == (20, 50, 21)
    with django_assert_max_num_queries(15):
        api.get(f"/cases/{many.pk}", "handlaggare.ifo")


def test_the_cases_of_a_person_cost_the_same_for_2_and_20_cases(api, city, django_assert_max_num_queries):
    few, many = make_person(city), make_person(city)
    for person, count in ((few, 2), (many, 20)):
        for _ in range(count):
            open_case(city, person, "handlaggare.ifo", "income_support_application")
    api.get(f"/persons/{few.pk}/cases", "handlaggare.ifo")
    small = queries_of(api, f"/persons/{few.pk}/cases", "handlaggare.ifo")
    large = queries_of(api, f"/persons/{many.pk}/cases", "handlaggare.ifo")
    assert large == small
    assert api.get(f"/persons/{many.pk}/cases", "handlaggare.ifo").json()["count"] == 20
    with django_assert_max_num_queries(11):
        api.get(f"/persons/{many.pk}/cases", "handlaggare.ifo")


def test_a_person_list_costs_the_same_for_2_and_20_persons(api, city):
    for _ in range(2):
        make_person(city, district="Bromma")
    api.get("/persons", "handlaggare.ifo.bromma")
    small = queries_of(api, "/persons", "handlaggare.ifo.bromma")
    for _ in range(18):
        make_person(city, district="Bromma")
    large = queries_of(api, "/persons", "handlaggare.ifo.bromma")
    assert large == small
