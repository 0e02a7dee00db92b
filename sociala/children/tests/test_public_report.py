"""The public e-form for a report of concern, and the intake team's step that identifies the child."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from sociala.audit.models import AuditEvent
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import Case
from sociala.children import services
from sociala.children.models import PublicReportAttempt, ReportOfConcern
from sociala.children.services import public
from sociala.core.errors import InvalidInput
from sociala.tests.factories import make_person

FORM = "/report-concern/"
# Measured 43 for a known child without a case: the rate limit, the person, a new case with its process
# and deadlines, the report and two audit events.
QUERIES_SEND = 43


def answers(**extra):
    return {
        "reporter_type": "anonymous_public",
        "reporter_name": "",
        "reporter_contact": "",
        "reporter_organisation": "",
        "child_number": "",
        "child_description": "",
        "text": "Jag hör ett barn gråta och vuxna skrika varje kväll.",
        **extra,
    }


def send(client, **extra):
    return client.post(FORM, answers(**extra), REMOTE_ADDR="198.51.100.7")


def test_the_form_opens_without_login_in_swedish_and_english(client, db):
    page = client.get(FORM)
    assert page.status_code == 200
    assert "Anmäl oro för ett barn" in page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    page = client.get(FORM, HTTP_ACCEPT_LANGUAGE="en")
    assert "Report a concern about a child" in page.content.decode()


def test_a_known_child_lands_in_a_new_case_of_the_childs_district(client, city, child, today):
    response = send(
        client,
        child_number=child.formatted_number,
        reporter_type="school",
        reporter_name="Lena Rektor",
        reporter_contact="08-123 45 67",
        reporter_organisation="Kista skola",
    )
    assert response.status_code == 302 and response["Location"] == "/report-concern/received/"
    report = ReportOfConcern.objects.get()
    assert report.person == child
    assert report.is_from_public_eform and report.is_mandatory_reporter
    assert report.reporter_organisation == "Kista skola"
    assert report.registered_by.username == "sociala-system"
    case = report.case
    assert case.unit.name.startswith("Barn och unga") and case.district == child.district
    assert case.stage == Stage.INTAKE and case.assigned_to is None
    # The same deadline rules as a report registered by staff: safety assessment the same day.
    assert report.safety_assessment_due_on == today
    assert (
        report.initial_assessment_due_on == case.deadlines.get(rule__code="child_initial_assessment").due_on
    )
    event = AuditEvent.objects.get(action="create_report_of_concern")
    assert (event.username, event.person_id, event.case_id) == ("sociala-system", child.pk, case.pk)
    assert event.details["channel"] == "public_eform"
    receipt = client.get(response["Location"]).content.decode()
    assert report.reference in receipt
    assert child.first_name not in receipt and case.reference not in receipt


def test_a_second_report_joins_the_childs_open_case(client, city, child, today):
    staff = services.register_report_of_concern(
        actor=city.users["handlaggare.barn"],
        person=child,
        received_on=today,
        reporter_type="police",
        text="Polisen har varit i hemmet.",
    )
    send(client, child_number=child.personal_identity_number)
    public_report = ReportOfConcern.objects.get(is_from_public_eform=True)
    assert public_report.case == staff.case
    assert Case.objects.filter(person=child).count() == 1


def test_the_receipt_is_the_same_whether_the_child_exists_or_not(client, city, child):
    known = send(client, child_number=child.formatted_number)
    known_page = client.get(known["Location"]).content.decode()
    other = make_person(child=True)
    other_number = other.formatted_number
    other.delete()
    unknown = send(client, child_number=other_number)
    unknown_page = client.get(unknown["Location"]).content.decode()
    refs = list(ReportOfConcern.objects.order_by("pk").values_list("reference", flat=True))
    assert known.status_code == unknown.status_code == 302

    def normal(page, ref):
        return re.sub(r'value="[^"]{40,}"', 'value="TOKEN"', page.replace(ref, "REF"))

    assert normal(known_page, refs[0]) == normal(unknown_page, refs[1])


def test_an_unknown_child_waits_in_the_city_wide_queue_and_is_identified(client, city, child, today):
    send(client, child_description="Elsa, ca 10 år, går i Kista skola")
    report = ReportOfConcern.objects.get()
    assert (report.person, report.case, report.district) == (None, None, None)
    assert report.safety_assessment_due_on == today and report.initial_assessment_due_on is not None
    # Staff of any children's unit see the queue; other staff do not.
    client.force_login(city.users["handlaggare.ifo"])
    assert client.get("/children/reports/unidentified/").status_code == 404
    assert client.get(f"/children/reports/{report.pk}/").status_code == 404
    client.force_login(city.users["handlaggare.barn"])
    queue = client.get("/children/reports/unidentified/").content.decode()
    assert report.reference in queue and "Kista skola" in queue
    bad = client.post(f"/children/reports/{report.pk}/identify/", {"number": "19121212-1211"})
    assert bad.status_code == 200
    assert ReportOfConcern.objects.get().person is None
    response = client.post(f"/children/reports/{report.pk}/identify/", {"number": child.formatted_number})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.person == child and report.case.person == child
    assert report.district == child.district and report.identified_by == city.users["handlaggare.barn"]
    assert report.case.deadlines.get(rule__code="child_safety_assessment").status == DeadlineStatus.OPEN
    assert AuditEvent.objects.filter(action="identify_report_of_concern", case_id=report.case_id).count() == 1


def test_an_unidentified_report_can_be_safety_assessed_the_same_day(client, city, today):
    send(client, child_description="En pojke i 8-årsåldern på Husbygård")
    report = ReportOfConcern.objects.get()
    services.record_safety_assessment(
        actor=city.users["handlaggare.barn"],
        report=report,
        assessed_on=today,
        needs_immediate_protection=False,
        reasoning="Ingen akut fara enligt anmälaren.",
    )
    assert report.safety_assessment.assessed_on == today


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 10_001}, "text"),
        ({"child_description": ""}, "child_description"),
        ({"child_number": "20131301-1234"}, "child_number"),
        ({"reporter_type": "school", "reporter_name": "A", "reporter_contact": "b"}, "reporter_organisation"),
        ({"reporter_type": "police", "reporter_organisation": "Polisen"}, "reporter_name"),
        ({"reporter_type": "named_public"}, "reporter_name"),
        ({"reporter_type": "parent"}, "reporter_type"),
    ],
)
def test_bad_answers_get_a_message_per_field_and_write_nothing(client, db, extra, field):
    page = send(client, **{"child_description": "Anna, 7 år", **extra})
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert ReportOfConcern.objects.count() == 0 and PublicReportAttempt.objects.count() == 0


def test_an_anonymous_reporter_leaves_no_name_even_if_typed(db, city):
    report = public.submit_public_report(
        address="198.51.100.8",
        reporter_type="anonymous_public",
        reporter_name="Karin",
        reporter_contact="070-1",
        text="Oro för barnet.",
        child_description="Lisa, 5 år",
    )
    assert (report.reporter_name, report.reporter_contact, report.reporter_organisation) == ("", "", "")


def test_text_is_escaped_on_the_staff_page(client, city):
    send(client, child_description="<script>alert(1)</script>", text="<b>fet</b>")
    report = ReportOfConcern.objects.get()
    client.force_login(city.users["handlaggare.barn"])
    page = client.get(f"/children/reports/{report.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>fet</b>" not in page


@override_settings(SOCIALA_PUBLIC_REPORT_MAX_PER_WINDOW=2)
def test_an_address_may_send_a_few_reports_then_must_wait(client, db, city):
    assert send(client, child_description="Ali, 9 år").status_code == 302
    assert send(client, child_description="Ali, 9 år").status_code == 302
    third = send(client, child_description="Ali, 9 år")
    assert third.status_code == 200 and "Vänta en stund" in third.content.decode()
    assert ReportOfConcern.objects.count() == 2
    # Another address is not affected; the address itself is never stored.
    assert client.post(FORM, answers(child_description="Ali"), REMOTE_ADDR="203.0.113.9").status_code == 302
    assert not PublicReportAttempt.objects.filter(address_key__contains="198.51").exists()


def test_a_too_large_request_is_refused_unread(client, db):
    response = client.post(FORM, answers(text="x" * 70_000), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 413
    assert ReportOfConcern.objects.count() == 0


def test_the_form_requires_csrf(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(FORM, answers(child_description="Ali")).status_code == 403
    assert ReportOfConcern.objects.count() == 0


def test_the_receipt_without_a_report_goes_back_to_the_form(client, db):
    assert client.get("/report-concern/received/")["Location"] == FORM


def test_an_adult_number_is_not_matched_to_a_person(db, city):
    adult = make_person(city)
    report = public.submit_public_report(
        address="x",
        reporter_type="anonymous_public",
        text="Oro.",
        child_number=adult.personal_identity_number,
    )
    assert report.person is None and adult.personal_identity_number in report.child_description


def test_invalid_input_raises_with_fields(db):
    with pytest.raises(InvalidInput) as error:
        public.submit_public_report(address="x", reporter_type="", text="")
    assert set(error.value.errors) == {"reporter_type", "text", "child_description"}


def test_sending_a_report_costs_a_bounded_number_of_queries(
    client, city, child, django_assert_max_num_queries
):
    send(client, child_description="Ali, 9 år")  # the system actor and the session exist after the first
    with django_assert_max_num_queries(QUERIES_SEND):
        assert send(client, child_number=child.formatted_number).status_code == 302


def test_a_child_in_another_district_goes_to_that_districts_intake_unassigned(client, city):
    bromma_child = make_person(city, child=True, district="Bromma", first_name="Vera", last_name="Holm")
    send(client, child_description="Vera, 7 år, Bromma")
    report = ReportOfConcern.objects.get()
    client.force_login(city.users["handlaggare.barn"])  # works in Rinkeby-Kista
    response = client.post(
        f"/children/reports/{report.pk}/identify/", {"number": bromma_child.formatted_number}
    )
    assert response.status_code == 302 and response["Location"] == "/children/reports/unidentified/"
    report.refresh_from_db()
    bromma = city.districts["Bromma"]
    assert report.case.district == bromma and report.case.unit.name.startswith("Barn och unga")
    assert report.case.assigned_to is None and report.district == bromma
    assert client.get(f"/children/reports/{report.pk}/").status_code == 404


def test_identification_finds_only_children(client, city):
    adult = make_person(city, first_name="Vuxen", last_name="Person")
    send(client, child_description="Någon")
    report = ReportOfConcern.objects.get()
    client.force_login(city.users["handlaggare.barn"])
    page = client.post(f"/children/reports/{report.pk}/identify/", {"number": adult.formatted_number})
    assert page.status_code == 200
    assert "Det finns inget barn med det personnumret" in page.content.decode()
    assert ReportOfConcern.objects.get().person is None
