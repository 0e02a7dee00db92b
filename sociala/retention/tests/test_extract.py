"""The register extract (GDPR art. 15): what it holds, what it leaves out, who may produce it, the log."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pypdf
import pytest
from django.utils import timezone

from sociala.access.services import grant_emergency_access
from sociala.audit.models import AuditEvent
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Relation
from sociala.retention import extract, selectors
from sociala.retention.models import RegisterExtractRequest
from sociala.retention.services import rights
from sociala.tests.factories import make_person

from .factories import child_case_file, full_case_file


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def built(city, setting):
    return full_case_file(
        city, number="197909189230", day=date(2019, 3, 4), first_name="Gammal", last_name="Akt"
    )


def produce(city, person, username="handlaggare.ifo", **fields):
    return rights.produce_register_extract(
        actor=city.users[username],
        person=person,
        received_on=fields.pop("received_on", date(2026, 11, 20)),
        identity_check=fields.pop("identity_check", "e_id"),
    )


def test_the_extract_has_every_category_with_purpose_source_and_recipients(city, built):
    content = extract.gather(
        built.person,
        on=date(2026, 11, 25),
        received_on=date(2026, 11, 20),
        setting=selectors.retention_setting(),
        table=selectors.rule_table(),
    )
    assert content.counts() == {
        "identity": 1,
        "relations": 1,
        "cases": 1,
        "decisions": 1,
        "interventions": 1,
        "orders": 1,
        "journal": 2,
        "documents": 2,
        "children": 0,
        "fees": 4,
        "payments": 2,
        "consents": 0,
        "extracts": 1,
        "other": 0,
    }
    by_key = {s.key: s for s in content.sections}
    assert by_key["identity"].source == "Folkbokföringen (Skatteverket) och uppgifter du själv har lämnat."
    assert by_key["decisions"].shared_with == (
        "Utförare som fått en beställning: Kontakt & Stöd i Norden AB (559012-3456)."
    )
    assert (
        by_key["payments"].shared_with
        == "Kommunens bank, som betalar ut till ditt konto (betalningsuppdrag)."
    )
    assert by_key["cases"].shared_with == ""
    assert all(s.purpose and s.legal_basis and s.source for s in content.sections)
    assert (content.retention.rule.code, content.retention.keep_until) == ("sol_five_years", date(2024, 6, 2))


def test_the_pdf_says_what_is_stored_and_leaves_out_the_log_and_full_account_numbers(city, built):
    pdf, _request = produce(city, built.person)
    text = pdf_text(pdf)
    for expected in [
        "Registerutdrag: dina personuppgifter hos",
        "Gammal Akt",
        "19790918-9230",
        built.cases[0].reference,
        "Försörjningsstöd",
        "Kontakt & Stöd i Norden AB (559012-3456)",
        "Personen berättade om sin situation.",
        "Rättad text.",
        "Du har invänt mot anteckningen",
        "Jag sa inte så.",
        "3300-••••1234",
        "Kommunens bank",
        "Anhörig Testsson",
        "Uppgifter om när och varför dina uppgifter har lästs i systemet (loggar) ingår inte i",
        "Integritetsskyddsmyndigheten",
        "dataskyddsombud@sociala.example",
        "gallras tidigast 2024-06-02",
    ]:
        assert expected in text.replace("\n", " ") or expected in text, expected
    assert "7001011234" not in text
    # PDF/UA-1: tagged, for screen readers, in Swedish.
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert b'pdfuaid:part="1"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_drafts_are_not_in_the_extract(city, built):
    from sociala.cases.models import JournalEntry

    JournalEntry.objects.create(
        person=built.person,
        case=built.cases[0],
        category="contact",
        text="Ett halvfärdigt utkast",
        author=city.users["handlaggare.ifo"],
    )
    assert "Ett halvfärdigt utkast" not in pdf_text(produce(city, built.person)[0])


def test_a_reporter_of_concern_is_not_named(city, setting):
    child = child_case_file(city, number="201312072398", day=date(2019, 1, 14), investigation=True)
    from sociala.children.models import ReportOfConcern

    ReportOfConcern.objects.filter(person=child.person).update(
        reporter_type="named_public", reporter_name="Grannen Granqvist", reporter_contact="070-000 00 00"
    )
    text = pdf_text(produce(city, child.person, username="handlaggare.barn")[0])
    assert "Barnet har sagt att det är bråk hemma." in text
    assert "Grannen Granqvist" not in text and "070-000 00 00" not in text
    assert "Uppgift om vem som har gjort en anmälan ingår inte." in text
    assert "gallras tidigast 2043-12-07" in text


def test_a_protected_address_and_a_protected_relative_are_not_shown(city, setting):
    person = make_person(
        city,
        number="197909189230",
        first_name="Skyddad",
        last_name="Person",
        street_address="Hemliga gatan 1",
        protection_level=ProtectionLevel.PROTECTED_REGISTRATION,
    )
    full = full_case_file(city, day=date(2022, 1, 10), first_name="Vanlig", last_name="Person")
    Relation.objects.create(person=full.person, related=person, kind="partner")
    text = pdf_text(produce(city, full.person)[0])
    assert "Skyddad Person" not in text
    assert "Person med skyddade personuppgifter" in text


def test_producing_is_recorded_and_logged_with_the_checksum(city, built):
    pdf, request = produce(
        city, built.person, received_on=date(2026, 11, 19), identity_check="signed_request"
    )
    assert (request.person_id, request.received_on, request.identity_check, request.produced_by.username) == (
        built.person.pk,
        date(2026, 11, 19),
        "signed_request",
        "handlaggare.ifo",
    )
    assert request.sha256 == hashlib.sha256(pdf).hexdigest()
    event = AuditEvent.objects.get(action="produce_register_extract")
    assert (event.person_id, event.object_id) == (built.person.pk, str(request.pk))
    assert event.details["sha256"] == request.sha256
    assert event.details["sections"]["journal"] == 2
    assert event.details["identity_check"] == "signed_request"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"received_on": None}, {"received_on": "Ange när begäran kom in."}),
        ({"received_on": date(2099, 1, 1)}, {"received_on": "Datumet kan inte ligga i framtiden."}),
        (
            {"identity_check": "guess"},
            {"identity_check": "Välj hur den som begärde utdraget har styrkt sin identitet."},
        ),
    ],
)
def test_invalid_requests_write_nothing(city, built, fields, errors):
    before = RegisterExtractRequest.objects.count()
    with pytest.raises(InvalidInput) as error:
        produce(city, built.person, **fields)
    assert error.value.errors == errors
    assert RegisterExtractRequest.objects.count() == before


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("handlaggare.ifo", True),
        ("chef.ifo", True),
        ("handlaggare.ao", True),  # sees the person through the district
        ("handlaggare.ifo.bromma", False),
        ("utforare.hemtjanst", False),
        ("socialjour", False),
        ("admin", False),
        ("revisor", False),
    ],
)
def test_who_may_produce_an_extract(city, built, username, allowed):
    before = (
        RegisterExtractRequest.objects.count(),
        AuditEvent.objects.filter(action="produce_register_extract").count(),
    )
    if allowed:
        produce(city, built.person, username=username)
        assert RegisterExtractRequest.objects.count() == before[0] + 1
    else:
        with pytest.raises(NotPermitted):
            produce(city, built.person, username=username)
        assert (
            RegisterExtractRequest.objects.count(),
            AuditEvent.objects.filter(action="produce_register_extract").count(),
        ) == before


def test_not_under_emergency_access(city, built):
    user = city.users["handlaggare.ifo.bromma"]
    grant_emergency_access(actor=user, person=built.person, reason="Akut fråga från polisen i natt")
    with pytest.raises(NotPermitted):
        produce(city, built.person, username="handlaggare.ifo.bromma")


def test_without_a_municipality_setting_the_general_rule_is_described(city):
    person = full_case_file(city, day=timezone.localdate().replace(day=1)).person
    text = pdf_text(produce(city, person)[0])
    assert "Uppgifterna i en personakt gallras fem år efter den sista anteckningen" in text
