"""After sending: the status in words, requests for completion answered in the portal, secure messages,
the decision letter and the payment; and the caseworker's page, open only to those who see the case."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.cases import services as case_services
from sociala.documents.models import Document
from sociala.finance.choices import PaymentMethod, PaymentRunStatus
from sociala.finance.models import Payment, PaymentRun
from sociala.people.choices import ProtectionLevel
from sociala.portal.choices import CitizenStatus
from sociala.portal.models import CompletionItem, CompletionRequest, IncomeSupportApplication, Message
from sociala.portal.selectors import citizen_status
from sociala.tests.factories import make_person

from . import helpers
from .conftest import sign_in

pytestmark = pytest.mark.usefixtures("transport")


@pytest.fixture
def sent(city):
    """A person in Rinkeby-Kista who has sent this month's application, and their browser."""
    person = make_person(city, first_name="Nadia", last_name="Ali")
    browser = sign_in(person)
    application_id = helpers.start(browser)
    helpers.fill_all(browser, application_id)
    helpers.send(browser, application_id)
    return IncomeSupportApplication.objects.select_related("case").get(pk=application_id), browser


def staff(city, username: str) -> Client:
    client = Client()
    client.force_login(city.users[username])
    return client


def status_of(application) -> str:
    application.refresh_from_db()
    return citizen_status(IncomeSupportApplication.objects.select_related("case").get(pk=application.pk)).code


def test_the_status_follows_the_case_from_received_to_paid(city, sent):
    application, browser = sent
    case = application.case
    url = f"/portal/applications/{application.pk}/"
    caseworker = city.users["handlaggare.ifo"]
    assert status_of(application) == CitizenStatus.RECEIVED
    page = browser.get(url).content.decode()
    assert "Mottagen" in page
    assert (
        "Du har inte fått en handläggare än. Din ansökan handläggs av Individ- och familjeomsorg Rinkeby-Kista."
        in page
    )

    case_services.complete_step(actor=caseworker, case=case, step="intake")
    assert status_of(application) == CitizenStatus.BEING_HANDLED

    due = timezone.localdate() + timedelta(days=7)
    answer = staff(city, "handlaggare.ifo").post(
        f"/portal/staff/cases/{case.pk}/messages/",
        {
            "action": "completion",
            "needed": "Hyresavi för mars\n\nLönespecifikation\n",
            "due_on": due.isoformat(),
        },
    )
    assert answer.status_code == 302
    request = CompletionRequest.objects.get()
    assert [item.description for item in request.items.all()] == ["Hyresavi för mars", "Lönespecifikation"]
    assert status_of(application) == CitizenStatus.COMPLETION_REQUIRED
    page = browser.get(url).content.decode()
    assert "Vi behöver mer information från dig senast" in page
    assert "Hyresavi för mars" in page and "Inte skickat än" in page

    first, second = request.items.all()
    browser.post(
        f"{url}messages/",
        {
            "completion_item": first.pk,
            "text": "",
            "file": SimpleUploadedFile("avi.png", helpers.PNG, "image/png"),
        },
    )
    first.refresh_from_db()
    assert first.received_at is not None
    assert (
        Document.objects.get(case=case, title="Komplettering: Hyresavi för mars").content_type == "image/png"
    )
    assert status_of(application) == CitizenStatus.COMPLETION_REQUIRED
    browser.post(
        f"{url}messages/", {"completion_item": second.pk, "text": "Jag har ingen lön, jag söker arbete."}
    )
    request.refresh_from_db()
    assert request.completed_at is not None
    assert status_of(application) == CitizenStatus.BEING_HANDLED

    case_services.complete_step(actor=caseworker, case=case, step="investigation")
    decision = case_services.record_decision(
        actor=caseworker,
        case=case,
        items=[{"description": "Försörjningsstöd", "outcome": "granted", "amount": 8270}],
        period_start=timezone.localdate(),
        period_end=None,
        motivation="Du saknar inkomster och har rätt till försörjningsstöd.",
    )
    assert status_of(application) == CitizenStatus.DECIDED
    page = browser.get(url).content.decode()
    assert "Du får ekonomiskt bistånd." in page
    assert "Beviljat belopp: 8\u202f270\u00a0kr." in page
    # The case has no caseworker of its own: the one who decided is the contact.
    assert "<strong>Amina Hassan</strong>, Socialsekreterare" in page
    assert 'href="tel:0850800000"' in page
    letter = browser.get(f"{url}letters/{decision.pk}/")
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="portal_view_document", case_id=case.pk).count() == 1

    run = PaymentRun.objects.create(
        payment_date=timezone.localdate(),
        status=PaymentRunStatus.COMPLETED,
        is_open=None,
        started_by=caseworker,
    )
    Payment.objects.create(
        run=run,
        decision=decision,
        person=case.person,
        district=case.district,
        cost_centre="100",
        amount=Decimal("8270.00"),
        method=PaymentMethod.PAYMENT_ORDER,
        creditor_name="Nadia Ali",
        remittance_information="Försörjningsstöd",
    )
    assert status_of(application) == CitizenStatus.PAID
    assert "Vi har betalat ut 8\u202f270\u00a0kr den" in browser.get(url).content.decode()


def test_messages_go_both_ways_and_are_marked_read(city, sent):
    application, browser = sent
    case = application.case
    url = f"/portal/applications/{application.pk}/"
    assert (
        browser.post(f"{url}messages/", {"text": "Jag har fått ett nytt telefonnummer."}).status_code == 302
    )
    message = Message.objects.get()
    assert (message.sender, message.read_at, message.case_id) == ("citizen", None, case.pk)

    caseworker = staff(city, "handlaggare.ifo")
    inbox = caseworker.get("/portal/staff/").content.decode()
    assert case.reference in inbox
    page = caseworker.get(f"/portal/staff/cases/{case.pk}/messages/").content.decode()
    assert "Jag har fått ett nytt telefonnummer." in page
    message.refresh_from_db()
    assert message.read_at is not None

    caseworker.post(
        f"/portal/staff/cases/{case.pk}/messages/", {"action": "message", "text": "Tack, noterat!"}
    )
    reply = Message.objects.get(sender="staff")
    assert reply.sent_by == city.users["handlaggare.ifo"]
    assert "1 nytt meddelande" in browser.get("/portal/").content.decode()
    assert "Tack, noterat!" in browser.get(url).content.decode()
    reply.refresh_from_db()
    assert reply.read_at is not None
    assert "nytt meddelande" not in browser.get("/portal/").content.decode()
    assert AuditEvent.objects.filter(action="portal_staff_message", case_id=case.pk).count() == 1
    assert AuditEvent.objects.filter(action="portal_citizen_message", case_id=case.pk).count() == 1


def test_an_empty_message_is_refused(city, sent):
    application, browser = sent
    answer = browser.post(f"/portal/applications/{application.pk}/messages/", {"text": "  "}, follow=True)
    assert "Skriv ett meddelande eller bifoga en fil." in answer.content.decode()
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("handlaggare.ifo", True),
        ("chef.ifo", True),
        ("handlaggare.ifo.bromma", False),
        ("handlaggare.ao", False),
        ("handlaggare.barn", False),
        ("utforare.hemtjanst", False),
        ("socialjour", False),
        ("revisor", False),
        ("admin", False),
    ],
)
def test_the_caseworkers_page_follows_the_access_policy(city, sent, username, allowed):
    application, _browser = sent
    case = application.case
    client = staff(city, username)
    url = f"/portal/staff/cases/{case.pk}/messages/"
    assert client.get(url).status_code == (200 if allowed else 404)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(url, {"action": "completion", "needed": "Hyresavi", "due_on": due})
    client.post(url, {"action": "message", "text": "Hej"})
    assert CompletionRequest.objects.count() == (1 if allowed else 0)
    assert Message.objects.count() == (2 if allowed else 0)
    assert AuditEvent.objects.filter(action="view_case_messages", case_id=case.pk).count() == (
        3 if allowed else 0
    )


def test_the_caseworkers_page_needs_a_staff_login(city, sent):
    application, browser = sent
    answer = browser.get(f"/portal/staff/cases/{application.case_id}/messages/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/login/")


def test_the_caseworker_sees_the_application_calculation_and_changes(city, sent):
    application, _browser = sent
    page = (
        staff(city, "handlaggare.ifo")
        .get(f"/portal/staff/cases/{application.case_id}/messages/")
        .content.decode()
    )
    assert "Första e-ansökan: inget att jämföra med." in page
    assert "Hyra eller boendekostnad per månad" in page and "9\u202f200\u00a0kr" in page
    assert "Tandvård" in page
    assert "Bistånd" in page


def test_a_completion_request_needs_items_and_a_date_ahead(city, sent):
    application, _browser = sent
    url = f"/portal/staff/cases/{application.case_id}/messages/"
    client = staff(city, "handlaggare.ifo")
    page = client.post(
        url, {"action": "completion", "needed": " \n ", "due_on": timezone.localdate().isoformat()}
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "Skriv minst en sak som behövs." in content
    assert "Sista dag måste ligga efter i dag." in content
    assert CompletionRequest.objects.count() == 0


def test_after_the_due_date_the_status_moves_on(city, sent):
    application, _browser = sent
    case = application.case
    due = timezone.localdate() + timedelta(days=3)
    staff(city, "handlaggare.ifo").post(
        f"/portal/staff/cases/{case.pk}/messages/",
        {"action": "completion", "needed": "Hyresavi", "due_on": due.isoformat()},
    )
    assert status_of(application) == CitizenStatus.COMPLETION_REQUIRED
    CompletionRequest.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    assert status_of(application) == CitizenStatus.BEING_HANDLED


def test_a_citizen_cannot_answer_another_cases_completion_item(city, sent):
    application, _browser = sent
    staff(city, "handlaggare.ifo").post(
        f"/portal/staff/cases/{application.case_id}/messages/",
        {
            "action": "completion",
            "needed": "Hyresavi",
            "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    item = CompletionItem.objects.get()
    other = make_person(city)
    other_browser = sign_in(other)
    other_id = helpers.start(other_browser)
    helpers.fill_all(other_browser, other_id)
    helpers.send(other_browser, other_id)
    answer = other_browser.post(
        f"/portal/applications/{other_id}/messages/", {"completion_item": item.pk, "text": "x"}
    )
    assert answer.status_code == 404
    item.refresh_from_db()
    assert item.received_at is None


def test_the_protected_persons_address_is_not_on_the_caseworkers_page(city):
    person = make_person(
        city,
        street_address="Hemliga vägen 7",
        postal_code="16499",
        protection_level=ProtectionLevel.PROTECTED_REGISTRATION,
    )
    browser = sign_in(person)
    application_id = helpers.start(browser)
    helpers.fill_all(browser, application_id)
    helpers.send(browser, application_id)
    case_id = IncomeSupportApplication.objects.get().case_id
    page = staff(city, "handlaggare.ifo").get(f"/portal/staff/cases/{case_id}/messages/").content.decode()
    assert "Skyddad identitet: adressen visas inte" in page
    assert "Hemliga vägen" not in page and "16499" not in page


def test_the_status_page_reads_in_few_queries(city, sent, django_assert_max_num_queries):
    application, browser = sent
    Message.objects.create(
        case=application.case, sender="staff", sent_by=city.users["handlaggare.ifo"], text="Hej"
    )
    with django_assert_max_num_queries(30):
        assert browser.get(f"/portal/applications/{application.pk}/").status_code == 200
