"""The children's staff pages: register, safety assessment, initial assessment, overview, hand-over."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sociala.audit.models import AuditEvent
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import Case
from sociala.children import services
from sociala.children.models import InitialAssessment, ReportOfConcern, SafetyAssessment


def login(client, city, username):
    client.force_login(city.users[username])


def register(city, child, received_on, username="handlaggare.barn", **fields):
    values = {"reporter_type": "school", "text": "Eleven har blåmärken på armarna.", **fields}
    return services.register_report_of_concern(
        actor=city.users[username], person=child, received_on=received_on, **values
    )


def assess(city, report, on, username="handlaggare.barn", protect=False):
    return services.record_safety_assessment(
        actor=city.users[username],
        report=report,
        assessed_on=on,
        needs_immediate_protection=protect,
        reasoning="Barnet är tryggt hos sin mamma i kväll.",
    )


def test_register_a_report_through_the_form(client, city, child, today):
    login(client, city, "handlaggare.barn")
    page = client.get("/children/reports/new/")
    assert page.status_code == 200
    assert "Registrera orosanmälan" in page.content.decode()

    response = client.post(
        "/children/reports/new/",
        {
            "number": child.formatted_number,
            "received_on": today.isoformat(),
            "reporter_type": "preschool",
            "reporter_name": "Förskolan Solen",
            "reporter_contact": "08-123 45 67",
            "text": "Barnet säger att pappa slår.",
        },
    )

    report = ReportOfConcern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/children/reports/{report.pk}/"
    assert (report.reporter_type, report.reporter_name, report.is_mandatory_reporter) == (
        "preschool",
        "Förskolan Solen",
        True,
    )
    assert report.case.person == child
    page = client.get(response["Location"]).content.decode()
    assert "Förskolan Solen" in page
    assert "Gör skyddsbedömning" in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"number": "19121212-1212"}, "Du har ingen åtkomst till någon person med det personnumret"),
        ({"reporter_type": "anonymous_public"}, "En anonym anmälare har inget namn"),
        ({"received_on": "2099-01-01"}, "Datumet kan inte ligga i framtiden."),
    ],
)
def test_the_form_shows_errors_and_writes_nothing(client, city, child, today, change, message):
    login(client, city, "handlaggare.barn")
    data = {
        "number": child.formatted_number,
        "received_on": today.isoformat(),
        "reporter_type": "school",
        "reporter_name": "Kalle",
        "text": "Oro.",
        **change,
    }
    response = client.post("/children/reports/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReportOfConcern.objects.count() == 0


def test_an_adult_cannot_be_reported_through_the_form(client, city, today):
    from sociala.tests.factories import make_person

    adult = make_person(city)
    login(client, city, "handlaggare.barn")
    response = client.post(
        "/children/reports/new/",
        {"number": adult.formatted_number, "received_on": today, "reporter_type": "police", "text": "Oro."},
    )
    assert "personen var inte under 18 år" in response.content.decode()
    assert ReportOfConcern.objects.count() == 0


@pytest.mark.parametrize(
    "username", ["handlaggare.ao", "handlaggare.ifo", "controller", "utforare.hemtjanst"]
)
def test_the_pages_are_not_found_for_other_roles(client, city, child, today, username):
    report = register(city, child, today)
    login(client, city, username)
    for url in [
        "/children/",
        "/children/overview/",
        "/children/reports/new/",
        f"/children/reports/{report.pk}/",
        f"/children/reports/{report.pk}/safety-assessment/",
        f"/children/cases/{report.case_id}/",
        f"/children/cases/{report.case_id}/initial-assessment/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/children/reports/{report.pk}/safety-assessment/", {}).status_code == 404
    assert SafetyAssessment.objects.count() == 0


def test_safety_assessment_the_same_day_closes_its_deadline(client, city, child, today):
    report = register(city, child, today)
    login(client, city, "handlaggare.barn")
    assert client.get(f"/children/reports/{report.pk}/safety-assessment/").status_code == 200

    response = client.post(
        f"/children/reports/{report.pk}/safety-assessment/",
        {
            "assessed_on": today.isoformat(),
            "needs_immediate_protection": "yes",
            "reasoning": "Barnet vågar inte gå hem. Jourhem ordnas i kväll.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/children/cases/{report.case_id}/"
    assessment = SafetyAssessment.objects.get()
    assert (
        assessment.assessed_on,
        assessment.needs_immediate_protection,
        assessment.assessed_by.username,
    ) == (
        today,
        True,
        "handlaggare.barn",
    )
    assert assessment.is_in_time
    deadline = report.case.deadlines.get(rule__code="child_safety_assessment")
    assert deadline.status == DeadlineStatus.DONE
    page = client.get(response["Location"]).content.decode()
    assert "Omedelbart skydd behövs" in page
    assert "Gör förhandsbedömning" in page


def test_safety_assessment_needs_a_decision_and_reasoning(client, city, child, today):
    report = register(city, child, today)
    login(client, city, "handlaggare.barn")
    response = client.post(
        f"/children/reports/{report.pk}/safety-assessment/",
        {"assessed_on": (report.received_on - timedelta(days=1)).isoformat(), "reasoning": "ok"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in page
    response = client.post(
        f"/children/reports/{report.pk}/safety-assessment/",
        {
            "assessed_on": (today - timedelta(days=1)).isoformat(),
            "needs_immediate_protection": "no",
            "reasoning": "ok",
        },
    )
    page = response.content.decode()
    assert "Skyddsbedömningen kan inte göras innan anmälan kom in." in page
    assert "minst 10 tecken" in page
    assert SafetyAssessment.objects.count() == 0


def test_initial_assessment_opens_the_investigation(client, city, child, today):
    report = register(city, child, today)
    assess(city, report, today)
    login(client, city, "handlaggare.barn")
    page = client.get(f"/children/cases/{report.case_id}/initial-assessment/")
    assert page.status_code == 200
    assert "Ska vara klar senast" in page.content.decode()

    response = client.post(
        f"/children/cases/{report.case_id}/initial-assessment/",
        {"opens_investigation": "yes", "reasons": "Upprepade uppgifter om våld i hemmet behöver utredas."},
    )

    assert response.status_code == 302
    case = Case.objects.get(pk=report.case_id)
    assert case.stage == Stage.INVESTIGATION
    assessment = InitialAssessment.objects.get()
    assert (assessment.opens_investigation, assessment.decided_on, assessment.delegation_reference) == (
        True,
        today,
        "4.1.1",
    )
    open_rules = set(case.deadlines.filter(status=DeadlineStatus.OPEN).values_list("rule__code", flat=True))
    assert open_rules == {"child_investigation"}
    assert AuditEvent.objects.filter(action="create_initial_assessment", case_id=case.pk).count() == 1
    assert "Utredning inleds" in client.get(response["Location"]).content.decode()


def test_initial_assessment_not_to_investigate_closes_the_case(client, city, child, today):
    report = register(city, child, today)
    assess(city, report, today)
    login(client, city, "handlaggare.barn")
    client.post(
        f"/children/cases/{report.case_id}/initial-assessment/",
        {"opens_investigation": "no", "reasons": "Familjen får redan stöd från BUP; ingen ny oro."},
    )
    case = Case.objects.get(pk=report.case_id)
    assert case.stage == Stage.CLOSED
    assert not case.deadlines.filter(status=DeadlineStatus.OPEN).exists()


def test_initial_assessment_waits_for_every_safety_assessment(client, city, child, today):
    first = register(city, child, today)
    assess(city, first, today)
    register(city, child, today, reporter_type="anonymous_public", reporter_name="")
    login(client, city, "handlaggare.barn")
    response = client.post(
        f"/children/cases/{first.case_id}/initial-assessment/",
        {"opens_investigation": "yes", "reasons": "Två anmälningar med samma oro, utred."},
    )
    assert "Gör skyddsbedömningen av varje anmälan först." in response.content.decode()
    assert Case.objects.get(pk=first.case_id).stage == Stage.INTAKE


def test_initial_assessment_needs_a_delegation(client, city, child, today):
    report = register(city, child, today)
    assess(city, report, today)
    city.users["handlaggare.barn"].delegations.all().delete()
    login(client, city, "handlaggare.barn")
    response = client.post(
        f"/children/cases/{report.case_id}/initial-assessment/",
        {"opens_investigation": "yes", "reasons": "Uppgifterna behöver utredas vidare."},
    )
    assert "Du har inte delegation att besluta om utredning ska inledas." in response.content.decode()
    assert InitialAssessment.objects.count() == 0


def test_manager_overview_with_days_left_and_overdue_in_red(client, city, child, clock):
    from sociala.tests.factories import make_person

    clock(date(2026, 6, 1))
    barn = city.users["handlaggare.barn"]
    late = register(city, child, date(2026, 5, 10))  # förhandsbedömning due 24 May: 8 days late
    assess(city, late, date(2026, 5, 10))
    sibling = make_person(city, child=True, first_name="Vide", last_name="Holm")
    fresh = register(city, sibling, date(2026, 6, 1))  # no safety assessment yet: due today
    investigated = make_person(city, child=True, first_name="Moa", last_name="Ek")
    report = register(city, investigated, date(2026, 5, 20))
    assess(city, report, date(2026, 5, 20))
    services.record_initial_assessment(
        actor=barn, case=report.case, opens_investigation=True, reasons="Behöver utredas enligt BBIC."
    )
    login(client, city, "chef.ifo")

    response = client.get("/children/overview/")

    assert response.status_code == 200
    overview = response.context["overview"]
    assert [(r.person.first_name, r.what, r.due_on, r.days_left) for r in overview.reports] == [
        ("Vide", "safety_assessment", date(2026, 6, 1), 0)
    ]
    assert [
        (r.person.first_name, r.due_on, r.days_left, r.is_overdue) for r in overview.initial_assessments
    ] == [("Elsa", date(2026, 5, 24), -8, True), ("Vide", date(2026, 6, 15), 14, False)]
    assert [(r.person.first_name, r.due_on, r.days_left) for r in overview.investigations] == [
        ("Moa", date(2026, 10, 1), 122)
    ]
    page = response.content.decode()
    assert '<span class="badge badge--error">8 dagar sen</span>' in page
    assert "122 dagar kvar" in page
    event = AuditEvent.objects.get(action="view_children_overview")
    assert sorted(event.details["person_ids"]) == sorted([child.pk, sibling.pk, investigated.pk])
    assert fresh.case.unit == city.unit("Rinkeby-Kista", "children")


def test_overview_only_for_children_units(client, city):
    login(client, city, "handlaggare.ifo")
    assert client.get("/children/overview/").status_code == 404
    login(client, city, "handlaggare.barn")
    assert client.get("/children/overview/").status_code == 200


def test_query_counts_do_not_grow_with_the_number_of_children(client, city, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sociala.tests.factories import make_person

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    def add_children(n):
        for _ in range(n):
            report = register(city, make_person(city, child=True), today)
            assess(city, report, today)
            register(city, make_person(city, child=True), today)

    login(client, city, "handlaggare.barn")
    client.get("/children/")  # the first request after signing in writes the session once
    add_children(1)
    few = {path: queries(path) for path in ["/children/", "/children/overview/"]}
    add_children(4)
    many = {path: queries(path) for path in ["/children/", "/children/overview/"]}
    assert many == few
