"""A guardian's party access in the portal: the children's cases, the communications addressed to them
with a reply, decisions with a letter to them, and protected identity of the other parent (0021)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from sociala.audit.models import AuditEvent
from sociala.children.models import GuardianCommunication
from sociala.children.services import investigation as inv
from sociala.children.tests.bbic import CASEWORKER, communicated, document_everything, investigated, placed
from sociala.people.choices import ProtectionLevel, RelationKind
from sociala.people.models import Relation
from sociala.tests.factories import make_person

SECRET_STREET = "Hemliga vägen 7"
SECRET_POSTAL = "11122"
SECRET_CITY = "Gömstad"
PLACEMENT = "Familjehemmet Ek"
# Measured 14: the login, the children in custody, the case, communications, decisions, the audit event.
QUERIES_CASE_PAGE = 14


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def family(city):
    child = make_person(city, child=True, first_name="Elsa", last_name="Lind")
    mother = make_person(city, first_name="Maria", last_name="Lind", street_address="Kistagången 1")
    father = make_person(city, first_name="Omar", last_name="Lind", street_address="Husbyvägen 2")
    for parent in (mother, father):
        Relation.objects.create(person=child, related=parent, kind=RelationKind.GUARDIAN)
    return child, mother, father


def sent_to(city, case, guardians):
    user = city.users[CASEWORKER]
    today = timezone.localdate()
    inv.complete_investigation(
        actor=user, case=case, summary="Barnet behöver stöd. Pappan bor på Hemliga vägen 7."
    )
    return [
        inv.record_guardian_communication(
            actor=user,
            case=case,
            guardian=g,
            sent_on=today,
            method="digital",
            reply_due_on=today + timedelta(days=14),
        )
        for g in guardians
    ]


@pytest.fixture
def at_communication(city, family):
    child, mother, father = family
    case = investigated(city, child)
    document_everything(city, case)
    items = sent_to(city, case, [mother, father])
    return case, items


def test_a_guardian_sees_the_childs_case_and_status_and_every_read_is_audited(
    city, family, at_communication, citizen_browser
):
    child, mother, _father = family
    case, _items = at_communication
    browser = citizen_browser(mother)
    home = browser.get("/portal/children/").content.decode()
    assert "Elsa Lind" in home and case.reference in home
    page = browser.get(f"/portal/children/cases/{case.pk}/").content.decode()
    assert "Utredningen är klar. Du får läsa den" in page
    events = AuditEvent.objects.filter(action="portal_view_child_case")
    assert [(e.person_id, e.case_id, e.details["guardian"], e.username) for e in events] == [
        (child.pk, case.pk, mother.pk, "sociala-system")
    ]
    assert AuditEvent.objects.get(action="portal_view_children_cases").details["person_ids"] == [child.pk]


def test_a_guardian_sees_only_the_communication_addressed_to_them_and_never_the_report(
    city, family, at_communication, citizen_browser
):
    _child, mother, father = family
    case, (to_mother, to_father) = at_communication
    browser = citizen_browser(mother)
    page = browser.get(f"/portal/children/cases/{case.pk}/").content.decode()
    assert f"/communications/{to_mother.pk}/letter/" in page
    assert f"/communications/{to_father.pk}/" not in page
    # Not the report (who reported, what), not the child's own view.
    assert "Barnet är rädd hemma" not in page and "Skola" not in page
    assert "Jag vill bo kvar" not in page
    assert (
        browser.get(f"/portal/children/cases/{case.pk}/communications/{to_father.pk}/letter/").status_code
        == 404
    )
    letter = pdf_text(
        browser.get(f"/portal/children/cases/{case.pk}/communications/{to_mother.pk}/letter/").content
    )
    assert "Maria Lind" in letter and "Jag vill bo kvar" not in letter


def test_a_guardian_replies_in_the_portal_and_the_reply_is_recorded_on_the_communication(
    city, family, at_communication, citizen_browser
):
    _child, mother, _father = family
    case, (to_mother, to_father) = at_communication
    browser = citizen_browser(mother)
    url = f"/portal/children/cases/{case.pk}/communications/{to_mother.pk}/reply/"
    empty = browser.post(url, {"reply": ""})
    assert empty.status_code == 200 and GuardianCommunication.objects.get(pk=to_mother.pk).replied_on is None
    assert browser.post(url, {"reply": "Jag håller inte med om allt."}).status_code == 302
    to_mother.refresh_from_db()
    assert (to_mother.reply, to_mother.replied_on) == ("Jag håller inte med om allt.", timezone.localdate())
    again = browser.post(url, {"reply": "Ett till svar."})
    assert again.status_code == 200 and "Du har redan svarat." in again.content.decode()
    assert GuardianCommunication.objects.get(pk=to_mother.pk).reply == "Jag håller inte med om allt."
    # The other guardian's communication cannot be answered from this login.
    other = browser.post(
        f"/portal/children/cases/{case.pk}/communications/{to_father.pk}/reply/", {"reply": "x"}
    )
    assert other.status_code == 404 and GuardianCommunication.objects.get(pk=to_father.pk).reply == ""
    event = AuditEvent.objects.get(action="portal_guardian_reply")
    assert (event.object_id, event.details["guardian"]) == (str(to_mother.pk), mother.pk)


def test_someone_who_is_not_a_guardian_sees_nothing(city, family, at_communication, citizen_browser):
    case, _items = at_communication
    stranger = make_person(city, first_name="Sven", last_name="Främling")
    browser = citizen_browser(stranger)
    assert "Elsa" not in browser.get("/portal/children/").content.decode()
    assert browser.get(f"/portal/children/cases/{case.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action="portal_view_child_case").exists()


def test_a_guardian_reads_the_decision_in_a_letter_addressed_to_them(
    city, family, at_communication, citizen_browser
):
    _child, mother, father = family
    case, items = at_communication
    for item in items:
        inv.record_guardian_reply(
            actor=city.users[CASEWORKER], communication=item, replied_on=timezone.localdate(), reply="Ok."
        )
    inv.finish_communication(actor=city.users[CASEWORKER], case=case)
    decision = placed(city, case)
    browser = citizen_browser(mother)
    page = browser.get(f"/portal/children/cases/{case.pk}/").content.decode()
    assert decision.reference in page
    letter = pdf_text(
        browser.get(f"/portal/children/cases/{case.pk}/decisions/{decision.pk}/letter/").content
    )
    assert "Maria Lind" in letter and "Beslut om Elsa" in letter and PLACEMENT in letter
    assert (
        AuditEvent.objects.filter(action="portal_view_child_letter", object_id=str(decision.pk)).count() == 1
    )


# --- protected identity of a parent ---------------------------------------------------------------


@pytest.fixture
def protected_father(family):
    """The father has protected registration; the child lives with him (the same secret address)."""
    child, mother, father = family
    for person in (father, child):
        person.street_address, person.postal_code, person.city = SECRET_STREET, SECRET_POSTAL, SECRET_CITY
        person.save()
    father.protection_level = ProtectionLevel.PROTECTED_REGISTRATION
    father.save()
    return father


SECRETS = (
    SECRET_STREET,
    SECRET_POSTAL,
    "111 22",
    SECRET_CITY,
    "Rinkeby-Kista",
    "Barn och unga",
    PLACEMENT,
    "Sigtuna",
)


def assert_no_secret(text: str) -> None:
    found = [word for word in SECRETS if word.lower() in text.lower()]
    assert found == []


def test_the_other_parents_protected_residence_never_appears_for_the_other_guardian(
    city, family, protected_father, client, citizen_browser
):
    child, mother, father = family
    case = investigated(city, child)
    document_everything(city, case)
    items = sent_to(city, case, [mother, father])
    for item in items:
        inv.record_guardian_reply(
            actor=city.users[CASEWORKER], communication=item, replied_on=timezone.localdate(), reply="Ok."
        )
    inv.finish_communication(actor=city.users[CASEWORKER], case=case)
    decision = placed(city, case)
    to_mother = items[0]
    browser = citizen_browser(mother)
    pages = [
        browser.get("/portal/children/").content.decode(),
        browser.get(f"/portal/children/cases/{case.pk}/").content.decode(),
    ]
    letters = [
        pdf_text(
            browser.get(f"/portal/children/cases/{case.pk}/communications/{to_mother.pk}/letter/").content
        ),
        pdf_text(browser.get(f"/portal/children/cases/{case.pk}/decisions/{decision.pk}/letter/").content),
    ]
    # What staff produce for the mother: the same letters, from the staff pages.
    client.force_login(city.users[CASEWORKER])
    staff = [
        client.get(f"/children/cases/{case.pk}/communication/{to_mother.pk}/letter/"),
        client.get(f"/children/cases/{case.pk}/decisions/{decision.pk}/guardians/{mother.pk}/letter/"),
    ]
    assert [r.status_code for r in staff] == [200, 200]
    letters += [pdf_text(r.content) for r in staff]
    for text in pages + letters:
        assert_no_secret(text)
    assert all("Maria Lind" in text for text in letters)
    assert "[skyddad uppgift]" in letters[0]  # the summary named the street: blanked out


def test_without_protected_identity_the_letter_names_the_district_and_the_placement(city, family, client):
    child, mother, father = family
    case = investigated(city, child)
    document_everything(city, case)
    communicated(city, case, [mother, father])
    decision = placed(city, case)
    client.force_login(city.users[CASEWORKER])
    text = pdf_text(
        client.get(f"/children/cases/{case.pk}/decisions/{decision.pk}/guardians/{mother.pk}/letter/").content
    )
    assert "Rinkeby-Kista" in text and PLACEMENT in text


def test_the_protected_parent_sees_their_own_case_material_normally(
    city, family, protected_father, citizen_browser
):
    child, _mother, father = family
    case = investigated(city, child)
    browser = citizen_browser(father)
    page = browser.get(f"/portal/children/cases/{case.pk}/")
    assert page.status_code == 200
    # The mother is not protected: nothing is hidden from the father.
    assert "kontaktcenter" not in page.content.decode()


def test_the_guardian_pages_need_a_login(client, db):
    response = client.get("/portal/children/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_the_case_page_costs_a_bounded_number_of_queries(
    city, family, at_communication, citizen_browser, django_assert_max_num_queries
):
    _child, mother, _father = family
    case, _items = at_communication
    browser = citizen_browser(mother)
    browser.get(f"/portal/children/cases/{case.pk}/")
    with django_assert_max_num_queries(QUERIES_CASE_PAGE):
        assert browser.get(f"/portal/children/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize("username", ["handlaggare.ifo", "handlaggare.ifo.bromma", "controller"])
def test_staff_outside_the_childs_case_cannot_print_the_guardians_letters(
    city, family, at_communication, client, username
):
    _child, mother, _father = family
    case, (to_mother, _to_father) = at_communication
    client.force_login(city.users[username])
    assert client.get(f"/children/cases/{case.pk}/communication/{to_mother.pk}/letter/").status_code == 404
    assert not AuditEvent.objects.filter(action="view_child_communication_letter").exists()
