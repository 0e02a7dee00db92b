"""The staff UI over HTTP: each page for its users, out of scope is 404, writes are audited."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sociala.access.models import EmergencyAccess
from sociala.audit.models import AuditEvent
from sociala.cases import services
from sociala.cases.choices import JournalStatus, Outcome, Stage
from sociala.cases.models import CaseType, Decision, JournalEntry
from sociala.documents.models import Document
from sociala.people.choices import ProtectionLevel
from sociala.tests.factories import make_person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def income_case(city, today):
    person = make_person(city, first_name="Åsa", last_name="Öberg")
    case = services.open_case(
        actor=city.users["handlaggare.ifo"],
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=today,
        sought="Försörjningsstöd för december",
    )
    return case


def login(client, city, username):
    client.force_login(city.users[username])
    return client


def test_login_page_lists_demo_logins_and_signs_in(client, city, settings):
    settings.DEMO_MODE = True
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    assert "handlaggare.ifo" in response.content.decode()
    response = client.post(reverse("web:login"), {"username": "handlaggare.ifo", "password": "sociala-demo"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", username="handlaggare.ifo").exists()


def test_wrong_password_shows_an_error(client, city):
    response = client.post(reverse("web:login"), {"username": "handlaggare.ifo", "password": "fel"})
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()


def test_anonymous_is_sent_to_login(client, city, income_case):
    for url in [
        reverse("web:start"),
        reverse("web:person_detail", args=[income_case.person_id]),
        reverse("web:case_detail", args=[income_case.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_start_page_shows_my_cases_and_deadlines(client, city, income_case):
    login(client, city, "handlaggare.ifo")
    body = client.get(reverse("web:start")).content.decode()
    assert "Åsa Öberg" in body
    assert "Sex månader utan beslut" in body


def test_search_by_number_and_name_prefix(client, city, income_case):
    login(client, city, "handlaggare.ifo")
    person = income_case.person
    short = person.personal_identity_number[2:8] + "-" + person.personal_identity_number[8:]
    for query in [person.personal_identity_number, short, "åsa öb", "ÖBE"]:
        body = client.get(reverse("web:person_search"), {"q": query}).content.decode()
        assert "Öberg, Åsa" in body, query
        assert f'href="{reverse("web:person_detail", args=[person.pk])}"' in body, query
    body = client.get(reverse("web:person_search"), {"q": "19900101-2386"}).content.decode()
    assert "Kontrollsiffran stämmer inte" in body


def test_person_page_and_audit(client, city, income_case):
    login(client, city, "handlaggare.ifo")
    response = client.get(reverse("web:person_detail", args=[income_case.person_id]))
    assert response.status_code == 200
    assert income_case.reference in response.content.decode()
    event = AuditEvent.objects.filter(action="view_person").latest("seq")
    assert event.person_id == income_case.person_id
    assert event.username == "handlaggare.ifo"
    assert event.role == "caseworker"


def test_out_of_scope_person_and_case_are_not_found(client, city, income_case):
    login(client, city, "handlaggare.ifo.bromma")
    assert client.get(reverse("web:person_detail", args=[income_case.person_id])).status_code == 404
    assert client.get(reverse("web:case_detail", args=[income_case.pk])).status_code == 404


def test_protected_registration_hides_the_address_and_the_person(client, city, today):
    person = make_person(
        city,
        first_name="Skyddad",
        last_name="Person",
        protection_level=ProtectionLevel.PROTECTED_REGISTRATION,
        street_address="Hemliga gatan 1",
    )
    login(client, city, "handlaggare.ifo")
    assert client.get(reverse("web:person_detail", args=[person.pk])).status_code == 404
    body = client.get(reverse("web:person_search"), {"q": "Skyddad"}).content.decode()
    assert "Person, Skyddad" not in body
    # Once the person has a case in the caseworker's unit, the person opens, the address never shows.
    grant = EmergencyAccess.objects.create(
        user=city.users["handlaggare.ifo"],
        person=person,
        reason="Ansökan på plats",
        granted_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    services.open_case(
        actor=city.users["handlaggare.ifo"],
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=today,
        sought="Försörjningsstöd",
    )
    grant.delete()
    body = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert "Skyddad – visas inte" in body
    assert "Hemliga gatan" not in body


def test_confidentiality_marked_address_only_for_those_with_a_case(client, city, today):
    person = make_person(
        city, protection_level=ProtectionLevel.CONFIDENTIALITY_MARKED, street_address="Markerad väg 2"
    )
    login(client, city, "handlaggare.ifo")
    body = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert "Markerad väg" not in body
    services.open_case(
        actor=city.users["handlaggare.ifo"],
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=today,
        sought="Försörjningsstöd",
    )
    body = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert "Markerad väg 2" in body


def test_emergency_access_opens_the_person_and_is_flagged(client, city):
    person = make_person(city, district="Bromma", first_name="Akut", last_name="Fall")
    login(client, city, "socialjour")
    assert client.get(reverse("web:person_detail", args=[person.pk])).status_code == 404
    response = client.post(
        reverse("web:emergency_access"),
        {"number": person.personal_identity_number, "reason": "kort", "password": "sociala-demo"},
    )
    assert response.status_code == 200
    assert not EmergencyAccess.objects.exists()
    response = client.post(
        reverse("web:emergency_access"),
        {
            "number": person.personal_identity_number,
            "reason": "Polisen ringer om barn i akut fara i natt",
            "password": "sociala-demo",
        },
    )
    assert response.status_code == 302
    response = client.get(reverse("web:person_detail", args=[person.pk]))
    assert response.status_code == 200
    assert "Nödåtkomst" in response.content.decode()
    event = AuditEvent.objects.filter(action="view_person", person_id=person.pk).latest("seq")
    assert event.is_emergency
    assert event.reason == "Polisen ringer om barn i akut fara i natt"


def test_open_case_through_the_form(client, city, today):
    person = make_person(city)
    login(client, city, "handlaggare.ao")
    url = reverse("web:case_create", args=[person.pk])
    home_care = CaseType.objects.get(code="home_care_application")
    response = client.post(url, {"case_type": home_care.pk, "received_on": "", "sought": ""})
    assert response.status_code == 200
    assert person.cases.count() == 0
    response = client.post(
        url, {"case_type": home_care.pk, "received_on": today.isoformat(), "sought": "Hjälp med inköp"}
    )
    assert response.status_code == 302
    assert person.cases.get().stage == Stage.INTAKE


def test_case_page_shows_process_and_next_step(client, city, income_case):
    login(client, city, "handlaggare.ifo")
    body = client.get(reverse("web:case_detail", args=[income_case.pk])).content.decode()
    assert 'data-current-steps="intake"' in body
    xml = client.get(reverse("web:case_process_xml", args=[income_case.pk])).content.decode()
    assert '<bpmn:userTask id="intake"' in xml
    response = client.post(reverse("web:case_step", args=[income_case.pk]), {"step": "intake"})
    assert response.status_code == 302
    income_case.refresh_from_db()
    assert income_case.stage == Stage.INVESTIGATION


def test_decision_through_the_form_and_letter(client, city, income_case, today):
    actor = city.users["handlaggare.ifo"]
    services.complete_step(actor=actor, case=income_case, step="intake")
    services.complete_step(actor=actor, case=income_case, step="investigation")
    login(client, city, "handlaggare.ifo")
    url = reverse("web:decision_create", args=[income_case.pk])
    assert client.get(url).status_code == 200
    form = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "20",
        "items-0-description": "Försörjningsstöd december",
        "items-0-outcome": Outcome.GRANTED,
        "items-0-amount": "8270",
        "items-0-scope": "",
        "items-0-motivation": "",
        "items-1-description": "Glasögon",
        "items-1-outcome": Outcome.REFUSED,
        "items-1-amount": "2400",
        "items-1-scope": "",
        "items-1-motivation": "Behovet kan tillgodoses inom normen.",
        "period_start": today.isoformat(),
        "period_end": "",
        "legal_basis": "12 kap. 1 § socialtjänstlagen",
        "motivation": "kort",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert Decision.objects.count() == 0
    form["motivation"] = "Du saknar inkomster i december och har rätt till försörjningsstöd."
    response = client.post(url, form)
    # A partly refused decision needs communication first.
    assert "kommunicering" in response.content.decode()
    assert Decision.objects.count() == 0
    form["items-1-outcome"] = Outcome.GRANTED
    response = client.post(url, form)
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.items.count() == 2
    letter = client.get(reverse("web:decision_letter", args=[decision.pk]))
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF-")
    lookup = client.get(reverse("web:decision_lookup", args=[decision.reference]))
    assert lookup["Location"] == reverse("web:case_detail", args=[income_case.pk])


def test_journal_autosave_sign_and_correct(client, city, income_case, today):
    login(client, city, "handlaggare.ifo")
    save_url = reverse("web:journal_save", args=[income_case.pk])
    data = {
        "category": "contact",
        "occurred_on": today.isoformat(),
        "title": "Samtal",
        "text": "Ringde klienten",
    }
    response = client.post(save_url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Sparat" in response.content.decode()
    entry = JournalEntry.objects.get()
    response = client.post(
        save_url, {**data, "entry": entry.pk, "text": "Ringde klienten om december"}, HTTP_HX_REQUEST="true"
    )
    assert JournalEntry.objects.count() == 1
    response = client.post(
        save_url, {**data, "entry": entry.pk, "text": "Ringde klienten om december", "action": "sign"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == JournalStatus.SIGNED
    response = client.post(
        reverse("web:journal_correct", args=[entry.pk]),
        {"text": "Ringde klienten om november", "reason": "Fel månad"},
    )
    assert response.status_code == 302
    assert entry.corrections.get().text == "Ringde klienten om november"
    body = client.get(
        reverse("web:journal_list", args=[income_case.person_id]), {"category": "contact"}
    ).content.decode()
    assert "Rättelse av anteckning" in body


def test_upload_checks_content_not_name(client, city, income_case):
    login(client, city, "handlaggare.ifo")
    url = reverse("web:document_upload", args=[income_case.pk])
    fake = SimpleUploadedFile("intyg.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client.post(url, {"title": "Intyg", "file": fake})
    assert not Document.objects.exists()
    real = SimpleUploadedFile("intyg.bin", PDF, content_type="application/octet-stream")
    client.post(url, {"title": "Intyg", "file": real})
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    response = client.get(reverse("web:document_download", args=[document.pk]))
    assert response.status_code == 200
    login(client, city, "handlaggare.ifo.bromma")
    assert client.get(reverse("web:document_download", args=[document.pk])).status_code == 404


def test_upload_size_limit(client, city, income_case, settings):
    settings.SOCIALA_MAX_UPLOAD_BYTES = 10
    login(client, city, "handlaggare.ifo")
    client.post(
        reverse("web:document_upload", args=[income_case.pk]),
        {"title": "Stor", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert not Document.objects.exists()


def test_revisor_searches_the_log(client, city, income_case):
    login(client, city, "revisor")
    response = client.get(reverse("web:audit_search"), {"username": "handlaggare.ifo"})
    assert response.status_code == 200
    assert "Registrerade ärende" in response.content.decode()
    login(client, city, "handlaggare.ifo")
    assert client.get(reverse("web:audit_search")).status_code == 404


def test_phrases_are_editable_per_unit(client, city):
    login(client, city, "handlaggare.ifo")
    response = client.post(
        reverse("web:phrases"), {"title": "Hembesök", "text": "Hembesök gjordes.", "category": ""}
    )
    assert response.status_code == 302
    login(client, city, "handlaggare.ao")
    body = client.get(reverse("web:phrases")).content.decode()
    assert "Hembesök gjordes" not in body


def test_deadline_done(client, city, income_case):
    login(client, city, "handlaggare.ifo")
    deadline = income_case.deadlines.get()
    client.post(reverse("web:deadline_done", args=[deadline.pk]), {"next": "/"})
    deadline.refresh_from_db()
    assert deadline.status == "done"


def test_language_switch_to_english(client, city):
    login(client, city, "handlaggare.ifo")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("web:start")).content.decode()
    assert 'lang="en"' in body


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_cases(city, person, count, today):
    actor = city.users["handlaggare.ifo"]
    for index in range(count):
        case = services.open_case(
            actor=actor,
            person=person,
            case_type=CaseType.objects.get(code="income_support_application"),
            received_on=today - timedelta(days=index),
            sought=f"Ansökan {index}",
        )
        services.complete_step(actor=actor, case=case, step="intake")
        services.complete_step(actor=actor, case=case, step="investigation")
        services.record_decision(
            actor=actor,
            case=case,
            items=[{"description": "Stöd", "outcome": "granted", "amount": 5000}],
            period_start=today,
            period_end=None,
            motivation="Behovet är styrkt i utredningen.",
        )
        for n in range(3):
            entry = services.save_journal_draft(
                actor=actor, case=case, category="contact", text=f"Anteckning {n}"
            )
            services.sign_journal_entry(actor=actor, entry=entry)


def test_person_and_start_page_query_counts_do_not_grow(client, city, today):
    person = make_person(city)
    _add_cases(city, person, 1, today)
    login(client, city, "handlaggare.ifo")
    person_url = reverse("web:person_detail", args=[person.pk])
    client.get(reverse("web:start"))  # warm the session
    small = (_queries(client, person_url), _queries(client, reverse("web:start")))
    _add_cases(city, person, 5, today)
    large = (_queries(client, person_url), _queries(client, reverse("web:start")))
    assert large == small
    assert small[0] <= 28
    assert small[1] <= 20


def test_relations_to_persons_out_of_scope_are_counted_not_named(client, city):
    from sociala.people.services import relate

    person = make_person(city, first_name="Synlig", last_name="Förälder")
    child_here = make_person(city, first_name="Synligt", last_name="Barn", child=True)
    child_away = make_person(city, district="Bromma", first_name="Dolt", last_name="Barn", child=True)
    actor = city.users["admin"]
    relate(actor=actor, person=person, related=child_here, kind="child")
    relate(actor=actor, person=person, related=child_away, kind="child")
    login(client, city, "handlaggare.ifo")
    body = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert "Synligt Barn" in body
    assert "Dolt Barn" not in body
    assert "1 relation till en person som du inte har behörighet till." in body
