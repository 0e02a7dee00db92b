"""The monthly e-application: drafts saved as the person types, prefilling, sending as a case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.cases.models import Case, Deadline
from sociala.documents.models import Document
from sociala.people.choices import ProtectionLevel, RelationKind
from sociala.people.models import Relation
from sociala.portal.choices import ApplicationStatus
from sociala.portal.models import CitizenSession, IncomeSupportApplication
from sociala.tests.factories import make_person

from . import helpers
from .conftest import sign_in

pytestmark = pytest.mark.usefixtures("transport")


def test_a_draft_is_saved_as_the_person_types(city):
    person = make_person(city, first_name="Sara")
    browser = sign_in(person)
    application_id = helpers.start(browser)
    assert IncomeSupportApplication.objects.get().status == ApplicationStatus.DRAFT

    saved = browser.post(
        f"/portal/applications/{application_id}/autosave/household/",
        {
            "occupation": "studying",
            "members-TOTAL_FORMS": "1",
            "members-0-role": "child",
            "members-0-first_name": "Al",
        },
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert f"Sparat {timezone.localtime():%H:%M}" in saved.content.decode()
    application = IncomeSupportApplication.objects.get()
    assert application.answers["household"] == {
        "occupation": "studying",
        "members": [
            {
                "role": "child",
                "first_name": "Al",
                "personal_identity_number": "",
                "occupation": "",
                "days_in_household": "",
                "preschool_lunch": False,
            }
        ],
    }
    # The page continues where the person left off.
    page = browser.get(f"/portal/applications/{application_id}/household/").content.decode()
    assert 'value="Al"' in page
    assert '<option value="studying" selected>' in page

    # What was typed is kept even when it is wrong; "Fortsätt" says what to correct.
    browser.post(
        f"/portal/applications/{application_id}/autosave/costs/", {"tenure": "rental", "housing": "nio tusen"}
    )
    assert IncomeSupportApplication.objects.get().answers["costs"]["housing"] == "nio tusen"
    answer = browser.post(
        f"/portal/applications/{application_id}/costs/", {"housing": "nio tusen", "action": "next"}
    )
    assert answer.status_code == 200
    assert "Skriv beloppet i hela kronor med siffror, till exempel 9 200." in answer.content.decode()


def test_rows_are_added_and_removed_without_javascript(city):
    person = make_person(city)
    browser = sign_in(person)
    application_id = helpers.start(browser)
    url = f"/portal/applications/{application_id}/incomes/"
    added = browser.post(url, {"has_assets": "no", "incomes-TOTAL_FORMS": "0", "action": "add"})
    assert added["Location"] == f"{url}#rows"
    assert IncomeSupportApplication.objects.get().answers["incomes"]["incomes"] == [{}]
    assert 'name="incomes-0-amount"' in browser.get(url).content.decode()
    rows = {"incomes-TOTAL_FORMS": "2", "incomes-0-type": "pension", "incomes-1-type": "student_aid"}
    browser.post(url, {**rows, "action": "remove-0"})
    kept = IncomeSupportApplication.objects.get().answers["incomes"]["incomes"]
    assert [row["type"] for row in kept] == ["student_aid"]


def test_sending_opens_a_case_in_the_district_the_person_lives_in(city):
    person = make_person(city, district="Bromma", first_name="Nadia")
    browser = sign_in(person)
    application_id = helpers.start(browser)
    helpers.fill_all(browser, application_id)
    browser.post(
        f"/portal/applications/{application_id}/documents/",
        {"title": "Hyresavi", "file": SimpleUploadedFile("hyra.png", helpers.PNG, "image/png")},
    )

    refused = browser.post(f"/portal/applications/{application_id}/review/", {"action": "send"})
    assert refused.status_code == 200
    assert "Kryssa i rutan" in refused.content.decode()
    assert Case.objects.count() == 0

    sent = helpers.send(browser, application_id)
    assert sent["Location"] == f"/portal/applications/{application_id}/"
    application = IncomeSupportApplication.objects.get()
    case = application.case
    assert application.status == ApplicationStatus.SENT
    assert application.sent_at is not None and application.declared_at is not None
    assert case.person == person
    assert case.case_type.code == "income_support_application"
    assert case.district == city.districts["Bromma"]
    assert case.unit == city.unit("Bromma", "individual_family")
    assert case.stage == "intake"
    assert case.assigned_to is None
    assert case.reference == f"{timezone.localdate().year}-{case.pk:06d}"
    assert case.sought == (
        f"Ekonomiskt bistånd för {helpers_month_sv()} (e-ansökan). Söker även för: tandvård 1500 kr."
    )
    assert case.process is not None and case.process.ready_steps == ["intake"]
    assert list(Deadline.objects.filter(case=case).values_list("rule__code", flat=True)) == ["undue_delay"]
    document = Document.objects.get(case=case)
    assert (document.title, document.content_type, document.kind) == ("Hyresavi", "image/png", "upload")
    assert application.attachments.get().document == document
    assert not application.attachments.get().file

    citizen = CitizenSession.objects.get()
    event = AuditEvent.objects.get(action="create_case")
    assert (event.username, event.person_id, event.case_id) == ("sociala-system", person.pk, case.pk)
    assert event.details == {
        "channel": "portal",
        "citizen_session": citizen.pk,
        "idp": "http://testserver/eid-simulator",
        "case_type": "income_support_application",
        "application": application.pk,
    }
    assert AuditEvent.objects.filter(action="portal_send_application", case_id=case.pk).count() == 1

    month = timezone.localdate().strftime("%Y-%m")
    child_age = helpers_age(helpers.household()["members-1-personal_identity_number"])
    partner_age = helpers_age(helpers.household()["members-0-personal_identity_number"])
    assert application.submitted["calculation_input"] == {
        "month": month,
        "members": [
            {"role": "applicant", "age": person.age_on(timezone.localdate().replace(day=1))},
            {"role": "partner", "age": partner_age},
            {"role": "child", "age": child_age, "preschool_lunch": False, "days_in_household": None},
        ],
        "reasonable_costs": {
            "housing": 9200,
            "household_electricity": 450,
            "work_travel": 0,
            "home_insurance": 180,
            "union_fee": 0,
            "unemployment_fund_fee": 0,
        },
        "incomes": [
            {"member": 1, "type": "student_aid", "amount": 3000, "job_stimulus": False},
            {"member": 0, "type": "child_allowance", "amount": 1250, "job_stimulus": False},
        ],
    }
    # A sent application cannot be changed or sent again.
    again = helpers.send(browser, application_id)
    assert again["Location"] == f"/portal/applications/{application_id}/"
    assert Case.objects.count() == 1


def helpers_month_sv() -> str:
    from sociala.portal.services import month_name_sv

    return month_name_sv(timezone.localdate().replace(day=1))


def helpers_age(number: str) -> int:
    from sociala.core.identity_numbers import parse_identity_number
    from sociala.portal.answers import age_on

    return age_on(parse_identity_number(number).birth_date, timezone.localdate().replace(day=1))


def test_a_recurring_applicant_gets_last_months_answers_and_caseworker(city):
    person = make_person(city)
    browser = sign_in(person)
    today = timezone.localdate()
    first_id = helpers.start(browser)
    helpers.fill_all(browser, first_id)
    helpers.send(browser, first_id)
    first = IncomeSupportApplication.objects.get(pk=first_id)
    # Last month's case was handled by Amina Hassan.
    Case.objects.filter(pk=first.case_id).update(assigned_to=city.users["handlaggare.ifo"])
    # Move the first application to last month, so this month is free.
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    IncomeSupportApplication.objects.filter(pk=first_id).update(month=last_month)

    second_id = helpers.start(browser)
    second = IncomeSupportApplication.objects.get(pk=second_id)
    assert second.prefilled_from_id == first_id
    assert second.answers == {key: first.answers[key] for key in ("household", "costs", "incomes")}
    changed = {**helpers.COSTS, "housing": "9 500"}
    browser.post(f"/portal/applications/{second_id}/costs/", {**changed, "action": "next"})
    page = browser.get(f"/portal/applications/{second_id}/changes/").content.decode()
    assert "Hyra eller boendekostnad per månad: 9\u202f200\u00a0kr → 9\u202f500\u00a0kr" in page
    browser.post(
        f"/portal/applications/{second_id}/changes/",
        {"has_changes": "yes", "description": "Hyran höjdes", "action": "next"},
    )
    helpers.send(browser, second_id)
    second.refresh_from_db()
    assert second.case.assigned_to == city.users["handlaggare.ifo"]
    assert second.submitted["changes_description"] == "Hyran höjdes"


def test_a_first_application_is_prefilled_from_the_register(city):
    person = make_person(city)
    partner = make_person(city, first_name="Omar")
    child = make_person(city, first_name="Lina", child=True)
    hidden = make_person(
        city, first_name="Dold", child=True, protection_level=ProtectionLevel.PROTECTED_REGISTRATION
    )
    for related, kind in (
        (partner, RelationKind.PARTNER),
        (child, RelationKind.CHILD),
        (hidden, RelationKind.CHILD),
    ):
        Relation.objects.create(person=person, related=related, kind=kind)
    browser = sign_in(person)
    helpers.start(browser)
    members = IncomeSupportApplication.objects.get().answers["household"]["members"]
    assert [(m["role"], m["first_name"], m["personal_identity_number"]) for m in members] == [
        ("child", "Lina", child.formatted_number),
        ("partner", "Omar", partner.formatted_number),
    ]


def test_only_this_and_next_month_can_be_applied_for(city):
    browser = sign_in(make_person(city))
    answer = browser.post("/portal/applications/new/", {"month": "2020-01"}, follow=True)
    assert "Du kan söka för den här månaden och nästa månad." in answer.content.decode()
    assert IncomeSupportApplication.objects.count() == 0


def test_only_pdfs_and_images_are_accepted_by_their_content(city):
    browser = sign_in(make_person(city))
    application_id = helpers.start(browser)
    url = f"/portal/applications/{application_id}/documents/"
    fake = browser.post(
        url,
        {"title": "Kvitto", "file": SimpleUploadedFile("kvitto.pdf", b"MZ\x90\x00evil", "application/pdf")},
    )
    assert fake.status_code == 200
    assert "Det går bara att skicka PDF-filer och bilder (JPEG eller PNG)." in fake.content.decode()
    pdf = browser.post(
        url, {"title": "Kvitto", "file": SimpleUploadedFile("k.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")}
    )
    assert pdf.status_code == 302
    attachment = IncomeSupportApplication.objects.get().attachments.get()
    assert (attachment.content_type, attachment.size) == ("application/pdf", 14)
    browser.post(f"/portal/applications/{application_id}/attachments/{attachment.pk}/remove/")
    assert IncomeSupportApplication.objects.get().attachments.count() == 0


def test_a_person_with_protected_identity_applies_and_no_address_is_shown(city):
    person = make_person(
        city,
        first_name="Eva",
        street_address="Hemliga vägen 7",
        postal_code="16499",
        protection_level=ProtectionLevel.PROTECTED_REGISTRATION,
    )
    person.city = "Hemlinge"
    person.save()
    browser = sign_in(person)
    application_id = helpers.start(browser)
    helpers.fill_all(browser, application_id)
    pages = [browser.get("/portal/").content.decode()]
    for step in ("household", "costs", "incomes", "changes", "documents", "review"):
        pages.append(browser.get(f"/portal/applications/{application_id}/{step}/").content.decode())
    helpers.send(browser, application_id)
    pages.append(browser.get(f"/portal/applications/{application_id}/").content.decode())
    for page in pages:
        for secret in ("Hemliga vägen", "16499", "Hemlinge"):
            assert secret not in page
    case = IncomeSupportApplication.objects.get().case
    assert case.district == city.districts["Rinkeby-Kista"]


def test_a_person_without_a_district_is_told_whom_to_call(city):
    person = make_person(city)
    person.district = None
    person.save()
    browser = sign_in(person)
    application_id = helpers.start(browser)
    helpers.fill_all(browser, application_id)
    answer = helpers.send(browser, application_id)
    assert answer.status_code == 200
    assert "Vi vet inte vilken stadsdel du bor i." in answer.content.decode()
    assert Case.objects.count() == 0
    assert IncomeSupportApplication.objects.get().status == ApplicationStatus.DRAFT


def test_a_citizen_cannot_see_another_persons_application(city):
    owner = make_person(city)
    other = make_person(city)
    owner_browser = sign_in(owner)
    application_id = helpers.start(owner_browser)
    helpers.fill_all(owner_browser, application_id)
    owner_browser.post(
        f"/portal/applications/{application_id}/documents/",
        {"title": "Hyresavi", "file": SimpleUploadedFile("hyra.png", helpers.PNG, "image/png")},
    )
    attachment = IncomeSupportApplication.objects.get().attachments.get()
    intruder = sign_in(other)
    base = f"/portal/applications/{application_id}"
    for url in (f"{base}/household/", f"{base}/review/", f"{base}/documents/", f"{base}/"):
        assert intruder.get(url).status_code == 404, url
    for url, data in (
        (f"{base}/autosave/household/", {"occupation": "other"}),
        (f"{base}/household/", {"occupation": "other", "action": "next"}),
        (f"{base}/review/", {"declaration": "on", "action": "send"}),
        (f"{base}/attachments/{attachment.pk}/remove/", {}),
        (f"{base}/messages/", {"text": "Hej"}),
    ):
        assert intruder.post(url, data).status_code == 404, url
    application = IncomeSupportApplication.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    assert application.answers["household"]["occupation"] == "job_seeking"
    assert application.attachments.count() == 1
    helpers.send(owner_browser, application_id)
    decision_url = f"{base}/letters/1/"
    assert intruder.get(decision_url).status_code == 404
    assert intruder.get(f"{base}/").status_code == 404


def test_portal_pages_need_a_citizen_login(city):
    from django.test import Client

    anonymous = Client()
    answer = anonymous.get("/portal/applications/1/household/")
    assert answer.status_code == 302
    assert answer["Location"] == "/portal/login/?next=%2Fportal%2Fapplications%2F1%2Fhousehold%2F"
    assert anonymous.get("/portal/").status_code == 200  # the start page with the login button
    staff = Client()
    staff.force_login(city.users["handlaggare.ifo"])
    assert staff.get("/portal/applications/1/household/").status_code == 302


def test_logging_out_ends_the_login(city):
    person = make_person(city)
    browser = sign_in(person)
    answer = browser.post("/portal/logout/")
    assert answer["Location"] == "/portal/logged-out/"
    assert CitizenSession.objects.get().ended_at is not None
    assert browser.get("/portal/applications/1/household/").status_code == 302
    assert AuditEvent.objects.filter(action="portal_logout", person_id=person.pk).count() == 1


def test_an_idle_login_ends(city, settings):
    settings.SOCIALA_PORTAL_IDLE_MINUTES = 30
    browser = sign_in(make_person(city))
    CitizenSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=31))
    assert browser.get("/portal/applications/1/household/").status_code == 302
    assert CitizenSession.objects.get().ended_at is not None
    assert "portal.citizen_session" not in browser.session
