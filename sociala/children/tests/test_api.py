"""POST /api/v1/children/reports: deadlines by the rules-as-data, joining the open case, the role matrix."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sociala.access.services import grant_emergency_access
from sociala.audit.models import AuditEvent
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import Case, DeadlineRule
from sociala.children import services
from sociala.children.models import ReportOfConcern
from sociala.tests.factories import make_person

from .conftest import report_body


def set_moves_to_working_day(code: str, moves: bool) -> None:
    """What an administrator does in the rule row: the setting is data, not code."""
    DeadlineRule.objects.filter(code=code).update(moves_to_working_day=moves)


def test_a_report_opens_a_childs_case_with_its_deadlines(api, city, child, today):
    response = api.post(
        "/reports", "handlaggare.barn", report_body(child, today, reporter_name="Rinkebyskolan")
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["safety_assessment_due"] == today.isoformat()
    assert body["initial_assessment_due"] == (today + timedelta(days=14)).isoformat()
    assert body["joined_open_case"] is False
    assert body["is_mandatory_reporter"] is True
    assert body["reporter_name"] == "Rinkebyskolan"
    assert body["case"]["case_type"]["code"] == "child_report_of_concern"
    assert body["case"]["stage"] == "intake"
    assert body["case"]["assigned_to"] == "Johan Berg"
    case = Case.objects.get(pk=body["case"]["id"])
    assert case.unit == city.unit("Rinkeby-Kista", "children")
    assert case.intake_kind == "report_of_concern"
    due = {d.rule.code: d.due_on for d in case.deadlines.filter(status=DeadlineStatus.OPEN)}
    assert due == {"child_safety_assessment": today, "child_initial_assessment": today + timedelta(days=14)}
    report = ReportOfConcern.objects.get(pk=body["id"])
    assert (report.case_id, report.person_id, report.reporter_type) == (case.pk, child.pk, "school")
    assert report.registered_by == city.users["handlaggare.barn"]
    event = AuditEvent.objects.get(action="create_report_of_concern")
    assert (event.person_id, event.case_id, event.is_emergency) == (child.pk, case.pk, False)


@pytest.mark.parametrize(
    "received_on, moves, calendar_due, due",
    [
        # Easter 2026: 3 April is långfredagen, 5-6 April påskdagen and annandag påsk.
        (date(2026, 3, 20), False, date(2026, 4, 3), date(2026, 4, 3)),
        (date(2026, 3, 20), True, date(2026, 4, 3), date(2026, 4, 7)),
        # Christmas 2025: 3 January 2026 is a Saturday; trettondagsafton (5 Jan) is a weekday.
        (date(2025, 12, 20), False, date(2026, 1, 3), date(2026, 1, 3)),
        (date(2025, 12, 20), True, date(2026, 1, 3), date(2026, 1, 5)),
        # 6 January 2026 is trettondedag jul, a Tuesday.
        (date(2025, 12, 23), False, date(2026, 1, 6), date(2026, 1, 6)),
        (date(2025, 12, 23), True, date(2026, 1, 6), date(2026, 1, 7)),
        # Christmas 2026: juldagen on a Friday, annandag jul on Saturday, then Sunday.
        (date(2026, 12, 11), False, date(2026, 12, 25), date(2026, 12, 25)),
        (date(2026, 12, 11), True, date(2026, 12, 25), date(2026, 12, 28)),
        # 3 January 2027 is a Sunday.
        (date(2026, 12, 20), False, date(2027, 1, 3), date(2027, 1, 3)),
        (date(2026, 12, 20), True, date(2027, 1, 3), date(2027, 1, 4)),
    ],
)
def test_initial_assessment_deadline_with_weekends_and_holidays(
    api, city, child, clock, received_on, moves, calendar_due, due
):
    clock(date(2027, 1, 10))
    set_moves_to_working_day("child_initial_assessment", moves)

    response = api.post("/reports", "handlaggare.barn", report_body(child, received_on))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["safety_assessment_due"] == received_on.isoformat()
    assert body["initial_assessment_calendar_due"] == calendar_due.isoformat()
    assert body["initial_assessment_due"] == due.isoformat()
    deadline = Case.objects.get(pk=body["case"]["id"]).deadlines.get(rule__code="child_initial_assessment")
    assert (deadline.starts_on, deadline.calendar_due_on, deadline.due_on) == (received_on, calendar_due, due)


def test_the_default_rule_shows_the_calendar_deadline(db):
    rule = DeadlineRule.objects.get(code="child_initial_assessment")
    assert (rule.amount, rule.unit, rule.moves_to_working_day) == (14, "days", False)
    assert DeadlineRule.objects.get(code="child_investigation").moves_to_working_day is False


@pytest.mark.parametrize(
    "decided_on, moves, due",
    [
        # Four months from 24 August 2026 is julafton.
        (date(2026, 8, 24), False, date(2026, 12, 24)),
        (date(2026, 8, 24), True, date(2026, 12, 28)),
        # Four months from 3 December 2025 is långfredagen 2026.
        (date(2025, 12, 3), False, date(2026, 4, 3)),
        (date(2025, 12, 3), True, date(2026, 4, 7)),
        # 31 October 2026 + 4 months: February has no 31st, so its last day (a Sunday).
        (date(2026, 10, 31), False, date(2027, 2, 28)),
        (date(2026, 10, 31), True, date(2027, 3, 1)),
    ],
)
def test_investigation_deadline_opens_with_the_decision_to_investigate(
    api, city, child, clock, decided_on, moves, due
):
    set_moves_to_working_day("child_investigation", moves)
    clock(decided_on)
    barn = city.users["handlaggare.barn"]
    report = services.register_report_of_concern(
        actor=barn, person=child, received_on=decided_on, reporter_type="police", text="Polisen larmar."
    )
    services.record_safety_assessment(
        actor=barn,
        report=report,
        assessed_on=decided_on,
        needs_immediate_protection=False,
        reasoning="Barnet är hos sin mormor i natt.",
    )
    services.record_initial_assessment(
        actor=barn, case=report.case, opens_investigation=True, reasons="Uppgifterna behöver utredas vidare."
    )

    case = Case.objects.get(pk=report.case_id)
    assert case.stage == Stage.INVESTIGATION
    deadline = case.deadlines.get(rule__code="child_investigation")
    assert (deadline.starts_on, deadline.due_on, deadline.status) == (decided_on, due, DeadlineStatus.OPEN)
    assert not case.deadlines.filter(
        rule__code__in=["child_safety_assessment", "child_initial_assessment"], status=DeadlineStatus.OPEN
    ).exists()


# --- several reports about the same child -------------------------------------------------------


def test_a_second_report_joins_the_open_case(api, city, child, today):
    first = api.post("/reports", "handlaggare.barn", report_body(child, today - timedelta(days=3))).json()
    response = api.post(
        "/reports",
        "handlaggare.barn",
        report_body(child, today, reporter_type="anonymous_public", text="En granne hör skrik varje kväll."),
    )

    assert response.status_code == 201, response.content
    second = response.json()
    assert second["joined_open_case"] is True
    assert second["case"]["id"] == first["case"]["id"]
    assert second["is_mandatory_reporter"] is False
    assert second["safety_assessment_due"] == today.isoformat()
    # The initial assessment keeps the deadline set by the first report.
    assert second["initial_assessment_due"] == first["initial_assessment_due"]
    assert Case.objects.filter(person=child).count() == 1
    assert ReportOfConcern.objects.filter(case_id=first["case"]["id"]).count() == 2


def test_a_report_during_the_investigation_joins_it_without_a_new_initial_assessment(api, city, child, today):
    barn = city.users["handlaggare.barn"]
    report = services.register_report_of_concern(
        actor=barn, person=child, received_on=today, reporter_type="preschool", text="Blåmärken igen."
    )
    services.record_safety_assessment(
        actor=barn,
        report=report,
        assessed_on=today,
        needs_immediate_protection=False,
        reasoning="Ingen akut fara.",
    )
    services.record_initial_assessment(
        actor=barn, case=report.case, opens_investigation=True, reasons="Återkommande blåmärken ska utredas."
    )

    body = api.post("/reports", "handlaggare.barn", report_body(child, today, reporter_type="police")).json()

    assert body["joined_open_case"] is True
    assert body["case"]["id"] == report.case_id
    assert body["case"]["stage"] == "investigation"
    assert body["initial_assessment_due"] is None


def test_after_a_decision_not_to_investigate_a_new_report_opens_a_new_case(api, city, child, today):
    barn = city.users["handlaggare.barn"]
    report = services.register_report_of_concern(
        actor=barn, person=child, received_on=today, reporter_type="named_public", text="Oro för barnet."
    )
    services.record_safety_assessment(
        actor=barn,
        report=report,
        assessed_on=today,
        needs_immediate_protection=False,
        reasoning="Ingen akut fara.",
    )
    services.record_initial_assessment(
        actor=barn,
        case=report.case,
        opens_investigation=False,
        reasons="Familjen har redan stöd från BUP och skolan.",
    )
    assert Case.objects.get(pk=report.case_id).stage == Stage.CLOSED

    body = api.post("/reports", "handlaggare.barn", report_body(child, today)).json()

    assert body["joined_open_case"] is False
    assert body["case"]["id"] != report.case_id
    assert body["case"]["stage"] == "intake"


# --- invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field",
    [
        ({"received_on": "FUTURE"}, "received_on"),
        ({"reporter_type": "neighbour"}, "reporter_type"),
        ({"text": "   "}, "text"),
        ({"reporter_type": "anonymous_public", "reporter_name": "Kalle"}, "reporter_name"),
        ({"received_on": "not a date"}, "received_on"),
    ],
)
def test_invalid_reports_are_422_and_write_nothing(api, city, child, today, change, field):
    body = report_body(child, today)
    body.update(change)
    if body["received_on"] == "FUTURE":
        body["received_on"] = (today + timedelta(days=1)).isoformat()

    response = api.post("/reports", "handlaggare.barn", body)

    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert ReportOfConcern.objects.count() == 0
    assert Case.objects.count() == 0


def test_a_report_about_an_adult_is_422(api, city, today):
    adult = make_person(city)
    response = api.post("/reports", "handlaggare.barn", report_body(adult, today))
    assert response.status_code == 422
    assert "person_id" in response.json()["errors"]
    assert ReportOfConcern.objects.count() == 0


def test_a_child_who_turned_18_after_the_report_came_in_is_still_a_child(api, city, clock):
    child = make_person(city, child=True)
    eighteenth = child.birth_date.replace(year=child.birth_date.year + 18)
    clock(eighteenth + timedelta(days=2))
    assert (
        api.post(
            "/reports", "handlaggare.barn", report_body(child, eighteenth - timedelta(days=1))
        ).status_code
        == 201
    )
    assert api.post("/reports", "handlaggare.barn", report_body(child, eighteenth)).status_code == 422


# --- who may register -----------------------------------------------------------------------------

MATRIX = {
    "handlaggare.barn": 201,
    "chef.ifo": 201,
    "handlaggare.ifo": 404,
    "handlaggare.ao": 404,
    "handlaggare.lss": 404,
    "handlaggare.ifo.bromma": 404,
    "utforare.hemtjanst": 404,
    "socialjour": 404,
    "admin.lokal": 403,
    "revisor": 403,
    "controller": 403,
    "admin": 403,
    None: 401,
}


@pytest.mark.parametrize("username, status", MATRIX.items())
def test_role_matrix_for_registering_a_report(api, city, child, today, username, status):
    events_before = AuditEvent.objects.count()

    response = api.post("/reports", username, report_body(child, today))

    assert response.status_code == status, response.content
    if status == 201:
        assert ReportOfConcern.objects.get().registered_by.username == username
    else:
        assert ReportOfConcern.objects.count() == 0
        assert Case.objects.count() == 0
        assert AuditEvent.objects.count() == events_before


def test_socialjour_with_emergency_access_registers_a_report_for_the_morning_hand_over(
    api, city, child, today
):
    socialjour = city.users["socialjour"]
    grant_emergency_access(actor=socialjour, person=child, reason="Polisen ringer kl 02, barnet ensamt hemma")

    response = api.post("/reports", "socialjour", report_body(child, today, reporter_type="police"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case"] is None
    assert body["awaits_hand_over"] is True
    assert body["is_from_out_of_hours_service"] is True
    assert body["initial_assessment_due"] == (today + timedelta(days=14)).isoformat()
    report = ReportOfConcern.objects.get()
    assert report.district == city.districts["Rinkeby-Kista"]
    event = AuditEvent.objects.get(action="create_report_of_concern")
    assert event.is_emergency is True
    assert event.reason == "Polisen ringer kl 02, barnet ensamt hemma"
    assert event.username == "socialjour"


def test_socialjour_joins_the_childs_open_case(api, city, child, today):
    first = api.post("/reports", "handlaggare.barn", report_body(child, today)).json()
    grant_emergency_access(
        actor=city.users["socialjour"], person=child, reason="Ny anmälan från polisen i natt"
    )

    body = api.post("/reports", "socialjour", report_body(child, today, reporter_type="police")).json()

    assert body["joined_open_case"] is True
    assert body["case"]["id"] == first["case"]["id"]
    assert body["is_from_out_of_hours_service"] is True


# --- one report ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, status",
    [
        ("handlaggare.barn", 200),
        ("chef.ifo", 200),
        ("handlaggare.ao", 404),
        ("socialjour", 404),
        ("controller", 403),
    ],
)
def test_reading_a_report(api, city, child, today, username, status):
    created = api.post("/reports", "handlaggare.barn", report_body(child, today)).json()

    response = api.get(f"/reports/{created['id']}", username)

    assert response.status_code == status
    if status == 200:
        assert response.json()["text"] == "Eleven berättar om våld i hemmet."
        assert AuditEvent.objects.filter(action="view_report_of_concern", username=username).count() == 1
