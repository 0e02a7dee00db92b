"""The out-of-hours service (socialjour): emergency access at night, flagged in the audit log, and the
morning hand-over to the child's district."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sociala.access.services import grant_emergency_access
from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, User
from sociala.audit.models import AuditEvent
from sociala.cases.choices import DeadlineStatus
from sociala.children import services
from sociala.children.models import ReportOfConcern, SafetyAssessment
from sociala.children.selectors import hand_over_reports
from sociala.core.errors import NotPermitted

NIGHT = date(2026, 11, 17)  # a Tuesday
REASON = "Polisen ringer 23.20: barnet ensamt hemma, mamman omhändertagen"


def login(client, city, username):
    client.force_login(city.users[username])


def night_report(client, city, child, clock):
    """Socialjour at 23:30: emergency access, the report and the safety assessment through the pages."""
    clock(NIGHT, hour=23, minute=30)
    grant_emergency_access(actor=city.users["socialjour"], person=child, reason=REASON)
    login(client, city, "socialjour")
    response = client.post(
        "/children/reports/new/",
        {
            "number": child.formatted_number,
            "received_on": NIGHT.isoformat(),
            "reporter_type": "police",
            "reporter_name": "Polisen, region Stockholm",
            "text": "Barnet hittat ensamt hemma, mamman omhändertagen enligt LPT.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    report = ReportOfConcern.objects.get()
    response = client.post(
        f"/children/reports/{report.pk}/safety-assessment/",
        {
            "assessed_on": NIGHT.isoformat(),
            "needs_immediate_protection": "yes",
            "reasoning": "Barnet placeras i jourhem i natt; mormor kontaktas i morgon.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    report.refresh_from_db()
    return report


def test_socialjour_without_emergency_access_cannot_register(client, city, child, today):
    login(client, city, "socialjour")
    assert client.get("/children/").status_code == 200
    response = client.post(
        "/children/reports/new/",
        {"number": child.formatted_number, "received_on": today, "reporter_type": "police", "text": "Oro."},
    )
    assert "Du har ingen åtkomst till någon person med det personnumret" in response.content.decode()
    assert ReportOfConcern.objects.count() == 0
    with pytest.raises(NotPermitted):
        services.register_report_of_concern(
            actor=city.users["socialjour"],
            person=child,
            received_on=today,
            reporter_type="police",
            text="Oro.",
        )


def test_socialjour_registers_and_assesses_at_night_flagged_as_emergency_access(client, city, child, clock):
    report = night_report(client, city, child, clock)

    assert report.case is None
    assert report.is_from_out_of_hours_service and report.awaits_hand_over
    assert report.district == city.districts["Rinkeby-Kista"]
    assert report.registered_by.username == "socialjour"
    assessment = SafetyAssessment.objects.get()
    assert (assessment.assessed_on, assessment.needs_immediate_protection) == (NIGHT, True)
    assert assessment.is_from_out_of_hours_service
    events = AuditEvent.objects.filter(username="socialjour", person_id=child.pk).order_by("seq")
    assert [e.action for e in events] == [
        "emergency_access_granted",
        "create_report_of_concern",
        "view_report_for_safety_assessment",
        "create_safety_assessment",
    ]
    assert all(e.is_emergency and e.reason == REASON for e in events)
    assert {e.role for e in events} == {Role.OUT_OF_HOURS}


def test_the_morning_hand_over_opens_the_case_in_the_childs_district(client, city, child, clock):
    report = night_report(client, city, child, clock)
    clock(NIGHT + timedelta(days=1), hour=8)
    login(client, city, "handlaggare.barn")

    page = client.get("/children/")

    assert page.context["hand_over"] == [report]
    html = page.content.decode()
    assert "Överlämning från socialjouren" in html
    assert "Omedelbart skydd behövs" in html
    assert "Ska tas över" in html

    response = client.post(f"/children/reports/{report.pk}/take-over/")

    report.refresh_from_db()
    case = report.case
    assert response["Location"] == f"/children/cases/{case.pk}/"
    assert (case.unit, case.assigned_to.username, case.received_on) == (
        city.unit("Rinkeby-Kista", "children"),
        "handlaggare.barn",
        NIGHT,
    )
    assert report.taken_over_by.username == "handlaggare.barn"
    deadlines = {d.rule.code: d for d in case.deadlines.all()}
    assert deadlines["child_safety_assessment"].status == DeadlineStatus.DONE
    assert (
        deadlines["child_initial_assessment"].due_on == report.initial_assessment_due_on == date(2026, 12, 1)
    )
    # Taken over, it stays on today's list, marked as such.
    assert "Övertagen av Johan Berg" in client.get("/children/").content.decode()
    event = AuditEvent.objects.get(action="take_over_report_of_concern")
    assert (event.username, event.case_id, event.is_emergency) == ("handlaggare.barn", case.pk, False)


def test_hand_over_list_covers_since_yesterday_16_and_anything_not_taken_over(city, child, clock):
    from sociala.tests.factories import make_person

    socialjour, barn = city.users["socialjour"], city.users["handlaggare.barn"]

    def at(day, hour, person):
        clock(day, hour=hour)
        grant_emergency_access(actor=socialjour, person=person, reason="Akut oro, anmälan från polisen")
        return services.register_report_of_concern(
            actor=socialjour, person=person, received_on=day, reporter_type="police", text="Akut oro."
        )

    monday = date(2026, 11, 16)
    old_pending = at(monday - timedelta(days=3), 22, child)
    before = at(monday, 15, make_person(city, child=True))
    after = at(monday, 17, make_person(city, child=True))
    clock(monday, hour=18)
    services.take_over_report(actor=barn, report=before)
    services.take_over_report(actor=barn, report=after)
    clock(monday + timedelta(days=1), hour=8)

    assert hand_over_reports(barn) == [old_pending, after]


def test_another_districts_children_unit_does_not_get_the_hand_over(client, city, child, clock):
    report = night_report(client, city, child, clock)
    bromma = User.objects.create(username="barn.bromma", first_name="Eva", last_name="Sten")
    Assignment.objects.create(
        user=bromma, role=Role.CASEWORKER, unit=city.unit("Bromma", "children"), valid_from=date(2025, 1, 1)
    )
    clock(NIGHT + timedelta(days=1), hour=8)

    assert hand_over_reports(bromma) == []
    with pytest.raises(NotPermitted):
        services.take_over_report(actor=bromma, report=report)
    client.force_login(bromma)
    assert client.get(f"/children/reports/{report.pk}/").status_code == 404


def test_socialjour_report_joins_an_open_case_and_leaves_its_deadlines_to_the_district(
    client, city, child, today
):
    barn, socialjour = city.users["handlaggare.barn"], city.users["socialjour"]
    first = services.register_report_of_concern(
        actor=barn, person=child, received_on=today, reporter_type="school", text="Oro från skolan."
    )
    grant_emergency_access(actor=socialjour, person=child, reason=REASON)
    second = services.register_report_of_concern(
        actor=socialjour, person=child, received_on=today, reporter_type="police", text="Polisen hörde bråk."
    )
    services.record_safety_assessment(
        actor=socialjour,
        report=second,
        assessed_on=today,
        needs_immediate_protection=False,
        reasoning="Pappan har lämnat lägenheten, barnet sover.",
    )

    assert second.case_id == first.case_id
    assert second.joined_open_case
    assert (
        AuditEvent.objects.filter(username="socialjour", is_emergency=False).exclude(person_id=None).count()
        == 0
    )
    login(client, city, "handlaggare.barn")
    assert client.get("/children/").context["hand_over"] == [second]
    client.post(f"/children/reports/{second.pk}/take-over/")
    second.refresh_from_db()
    assert second.taken_over_by == barn
    # The first report still lacks its safety assessment, so the deadline stays open.
    assert first.case.deadlines.get(rule__code="child_safety_assessment").status == DeadlineStatus.OPEN
