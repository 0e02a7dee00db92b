"""Every staff endpoint × every demo role: allowed or denied, and a denied request changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sociala.access.models import EmergencyAccess
from sociala.audit.models import AuditEvent
from sociala.cases import services
from sociala.cases.models import Case, CaseType, Deadline, JournalEntry, Phrase
from sociala.documents.models import Document
from sociala.tests.factories import make_person

USERS = [
    "handlaggare.ifo",
    "handlaggare.ao",
    "handlaggare.lss",
    "handlaggare.barn",
    "handlaggare.ifo.bromma",
    "chef.ifo",
    "utforare.hemtjanst",
    "socialjour",
    "admin.lokal",
    "revisor",
    "controller",
    "admin",
]
# Who may read the Rinkeby-Kista income-support case and its person.
CASE_READERS = {"handlaggare.ifo", "chef.ifo"}
# Who may see the person (the case's readers, plus caseworkers working in the person's district).
PERSON_READERS = CASE_READERS | {"handlaggare.ao", "handlaggare.lss", "handlaggare.barn"}
SEARCHERS = {
    "handlaggare.ifo",
    "handlaggare.ao",
    "handlaggare.lss",
    "handlaggare.barn",
    "handlaggare.ifo.bromma",
    "chef.ifo",
    "utforare.hemtjanst",
    "socialjour",
}
CASE_OPENERS = {"handlaggare.ifo", "chef.ifo", "handlaggare.ao", "handlaggare.lss", "handlaggare.barn"}
PHRASE_EDITORS = {
    "handlaggare.ifo",
    "handlaggare.ao",
    "handlaggare.lss",
    "handlaggare.barn",
    "handlaggare.ifo.bromma",
    "chef.ifo",
}
EMERGENCY = {
    "handlaggare.ifo",
    "handlaggare.ao",
    "handlaggare.lss",
    "handlaggare.barn",
    "handlaggare.ifo.bromma",
    "chef.ifo",
    "socialjour",
}


@pytest.fixture
def world(city, today):
    person = make_person(city, first_name="Matris", last_name="Person")
    actor = city.users["handlaggare.ifo"]
    case = services.open_case(
        actor=actor,
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=today,
        sought="Försörjningsstöd",
    )
    entry = services.save_journal_draft(actor=actor, case=case, category="contact", text="Signerad text")
    services.sign_journal_entry(actor=actor, entry=entry)
    return {"person": person, "case": case, "entry": entry, "deadline": case.deadlines.get()}


def personal_reads(person_id):
    return AuditEvent.objects.filter(person_id=person_id, action__startswith="view").count()


GETS = [
    ("web:start", lambda w: [], lambda u: True),
    ("web:person_search", lambda w: [], lambda u: u in SEARCHERS),
    ("web:person_detail", lambda w: [w["person"].pk], lambda u: u in PERSON_READERS),
    ("web:journal_list", lambda w: [w["person"].pk], lambda u: u in PERSON_READERS),
    ("web:case_create", lambda w: [w["person"].pk], lambda u: u in PERSON_READERS),
    ("web:case_detail", lambda w: [w["case"].pk], lambda u: u in CASE_READERS),
    ("web:case_process_xml", lambda w: [w["case"].pk], lambda u: u in CASE_READERS),
    ("web:decision_create", lambda w: [w["case"].pk], lambda u: u in CASE_READERS),
    ("web:journal_new", lambda w: [w["case"].pk], lambda u: u in CASE_READERS),
    ("web:journal_correct", lambda w: [w["entry"].pk], lambda u: u in CASE_READERS),
    ("web:emergency_access", lambda w: [], lambda u: u in EMERGENCY),
    ("web:phrases", lambda w: [], lambda u: u in PHRASE_EDITORS),
    ("web:audit_search", lambda w: [], lambda u: u == "revisor"),
]


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("name", "args", "allowed"), GETS, ids=[g[0] for g in GETS])
def test_get(client, city, world, username, name, args, allowed):
    client.force_login(city.users[username])
    before = personal_reads(world["person"].pk)
    response = client.get(reverse(name, args=args(world)))
    if allowed(username):
        assert response.status_code == 200, (username, name, response.status_code)
    else:
        assert response.status_code == 404, (username, name, response.status_code)
        assert personal_reads(world["person"].pk) == before


def state(world):
    """Everything a denied write could have changed."""
    case = Case.objects.get(pk=world["case"].pk)
    return (
        JournalEntry.objects.count(),
        case.stage,
        Document.objects.count(),
        Case.objects.count(),
        Deadline.objects.get(pk=world["deadline"].pk).status,
        Phrase.objects.count(),
        EmergencyAccess.objects.count(),
    )


POSTS = [
    (
        "web:journal_save",
        lambda w: [w["case"].pk],
        lambda w: {"category": "contact", "occurred_on": "2026-01-05", "text": "Ny", "title": ""},
        CASE_READERS,
    ),
    ("web:case_step", lambda w: [w["case"].pk], lambda w: {"step": "intake"}, CASE_READERS),
    (
        "web:document_upload",
        lambda w: [w["case"].pk],
        lambda w: {"title": "Intyg", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")},
        CASE_READERS,
    ),
    ("web:deadline_done", lambda w: [w["deadline"].pk], lambda w: {"next": "/"}, CASE_READERS),
    (
        "web:case_create",
        lambda w: [w["person"].pk],
        lambda w: {
            "case_type": CaseType.objects.get(code="home_care_application").pk,
            "received_on": "2026-01-05",
            "sought": "Hemtjänst",
        },
        {"handlaggare.ao"},
    ),
    (
        "web:journal_correct",
        lambda w: [w["entry"].pk],
        lambda w: {"text": "Rättad", "reason": "Fel uppgift"},
        CASE_READERS,
    ),
    (
        "web:phrases",
        lambda w: [],
        lambda w: {"title": "Fras", "text": "Text", "category": ""},
        PHRASE_EDITORS,
    ),
    (
        "web:emergency_access",
        lambda w: [],
        lambda w: {
            "number": w["person"].personal_identity_number,
            "reason": "Akut situation i natt med barn",
            "password": "sociala-demo",
        },
        EMERGENCY,
    ),
]


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("name", "args", "data", "writers"), POSTS, ids=[p[0] for p in POSTS])
def test_post(client, city, world, username, name, args, data, writers):
    client.force_login(city.users[username])
    before = state(world)
    response = client.post(reverse(name, args=args(world)), data(world))
    after = state(world)
    if username in writers:
        assert response.status_code == 302, (username, name, response.status_code)
        assert after != before, (username, name)
    else:
        assert response.status_code in (404, 200) and after == before, (username, name, response.status_code)
        if response.status_code == 200:
            # A form shown again must carry an error, never a silent success.
            assert "error" in response.content.decode()
