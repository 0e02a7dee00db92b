from datetime import timedelta

from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.cases import services
from sociala.cases.choices import JournalStatus, Outcome
from sociala.cases.models import JournalEntry
from sociala.tests.factories import make_person

from .conftest import open_case


def write_entry(city, case, username, text, *, sign=True, category="contact"):
    entry = services.save_journal_draft(actor=city.users[username], case=case, category=category, text=text)
    if sign:
        entry = services.sign_journal_entry(actor=city.users[username], entry=entry)
    return entry


def decided_home_care_case(city):
    """A home care case walked to a granted decision (the decision letter is made as PDF)."""
    actor = city.users["handlaggare.ao"]
    person = make_person(city)
    case = open_case(city, person, "handlaggare.ao", "home_care_application", sought="Hjälp med dusch")
    case = services.complete_step(actor=actor, case=case, step="intake")
    case = services.complete_step(actor=actor, case=case, step="investigation", data={})
    decision = services.record_decision(
        actor=actor,
        case=case,
        items=[
            {"description": "Hemtjänst, personlig omvårdnad", "outcome": Outcome.GRANTED, "scope": "20 h"}
        ],
        period_start=timezone.localdate(),
        period_end=None,
        motivation="Du behöver hjälp med personlig hygien enligt utredningen.",
    )
    return case, decision


# --- one case --------------------------------------------------------------------------------


def test_anonymous_is_401_on_every_case_endpoint(api, world):
    assert api.get(f"/cases/{world.anna_case.pk}", None).status_code == 401
    response = api.post(f"/cases/{world.anna_case.pk}/journal", None, {"category": "contact", "text": "x"})
    assert response.status_code == 401
    assert JournalEntry.objects.count() == 0


def test_a_case_with_its_decision_journal_and_open_deadlines(api, city):
    case, decision = decided_home_care_case(city)
    signed = write_entry(city, case, "handlaggare.ao", "Hembesök gjort.", category="visit")
    own_draft = write_entry(city, case, "handlaggare.ao", "Utkast.", sign=False)
    chef = city.users["chef.ifo"]
    chef.assignments.create(role="caseworker", unit=case.unit, valid_from=case.received_on)
    write_entry(city, case, "chef.ifo", "Någon annans utkast.", sign=False)

    response = api.get(f"/cases/{case.pk}", "handlaggare.ao")
    assert response.status_code == 200
    body = response.json()
    item = decision.items.get()
    assert {k: v for k, v in body.items() if k not in ("journal", "deadlines", "decisions")} == {
        "id": case.pk,
        "reference": case.reference,
        "case_type": {"code": "home_care_application", "name": case.case_type.name},
        "service_area": "elderly",
        "stage": "intervention",
        "received_on": case.received_on.isoformat(),
        "assigned_to": "Erik Lindqvist",
        "person": {
            "id": case.person.pk,
            "personal_identity_number": case.person.formatted_number,
            "first_name": "Testa",
            "last_name": "Testsson",
            "birth_date": case.person.birth_date.isoformat(),
            "protection_level": "",
            "is_deceased": False,
        },
        "intake_kind": "application",
        "sought": "Hjälp med dusch",
        "unit": "Äldreomsorg, myndighet Rinkeby-Kista",
        "opened_at": body["opened_at"],
        "closed_at": None,
        "communicated_on": None,
    }
    assert body["decisions"] == [
        {
            "id": decision.pk,
            "reference": decision.reference,
            "outcome": "granted",
            "sought": "Hjälp med dusch",
            "period_start": decision.period_start.isoformat(),
            "period_end": None,
            "legal_basis": decision.legal_basis,
            "motivation": "Du behöver hjälp med personlig hygien enligt utredningen.",
            "decided_by": "Erik Lindqvist",
            "delegation_reference": "5.1.1",
            "decided_on": decision.decided_on.isoformat(),
            "is_automated": False,
            "appeal_instructions": decision.appeal_instructions,
            "items": [
                {
                    "id": item.pk,
                    "description": "Hemtjänst, personlig omvårdnad",
                    "intervention_kind": "home_care",
                    "outcome": "granted",
                    "scope": "20 h",
                    "amount": None,
                    "legal_basis": item.legal_basis,
                    "motivation": "",
                }
            ],
        }
    ]
    journal = {e["id"]: e for e in body["journal"]}
    assert set(journal) == {signed.pk, own_draft.pk}
    assert journal[signed.pk] == {
        "id": signed.pk,
        "case_id": case.pk,
        "category": "visit",
        "title": "",
        "text": "Hembesök gjort.",
        "status": "signed",
        "occurred_on": signed.occurred_on.isoformat(),
        "author": "Erik Lindqvist",
        "author_id": city.users["handlaggare.ao"].pk,
        "created_at": journal[signed.pk]["created_at"],
        "updated_at": journal[signed.pk]["updated_at"],
        "signed_at": journal[signed.pk]["signed_at"],
        "corrects_id": None,
        "correction_reason": "",
        "corrected_by": [],
    }
    assert journal[own_draft.pk]["status"] == "draft"
    deadlines = {d["rule"] for d in body["deadlines"]}
    assert deadlines == set(case.deadlines.filter(status="open").values_list("rule__code", flat=True))
    assert "appeal_period" in deadlines
    assert all(d["is_overdue"] is False for d in body["deadlines"])

    event = AuditEvent.objects.filter(action="view_case").get()
    assert (event.person_id, event.case_id, event.user_id) == (
        case.person_id,
        case.pk,
        city.users["handlaggare.ao"].pk,
    )


def test_a_correction_is_linked_both_ways(api, city, world):
    entry = write_entry(city, world.anna_case, "handlaggare.ifo", "Fel datum.")
    correction = services.correct_journal_entry(
        actor=city.users["handlaggare.ifo"], entry=entry, text="Rätt datum.", reason="Skrev fel datum"
    )
    journal = {
        e["id"]: e for e in api.get(f"/cases/{world.anna_case.pk}", "handlaggare.ifo").json()["journal"]
    }
    assert journal[entry.pk]["corrected_by"] == [correction.pk]
    assert journal[correction.pk]["corrects_id"] == entry.pk
    assert journal[correction.pk]["correction_reason"] == "Skrev fel datum"


def test_out_of_scope_and_missing_cases_look_the_same(api, world):
    before = AuditEvent.objects.count()
    out_of_scope = api.get(f"/cases/{world.bo_case.pk}", "handlaggare.ifo")
    missing = api.get("/cases/999999", "handlaggare.ifo")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json() == {"detail": "Not Found"}
    assert AuditEvent.objects.count() == before


# --- writing in the journal ------------------------------------------------------------------


def test_a_draft_is_created(api, city, world):
    response = api.post(
        f"/cases/{world.anna_case.pk}/journal",
        "handlaggare.ifo",
        {"category": "contact", "text": "Ringde klienten.", "title": "Telefonsamtal"},
    )
    assert response.status_code == 201
    entry = JournalEntry.objects.get()
    body = response.json()
    assert body == {
        "id": entry.pk,
        "case_id": world.anna_case.pk,
        "category": "contact",
        "title": "Telefonsamtal",
        "text": "Ringde klienten.",
        "status": "draft",
        "occurred_on": timezone.localdate().isoformat(),
        "author": "Amina Hassan",
        "author_id": city.users["handlaggare.ifo"].pk,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "signed_at": None,
        "corrects_id": None,
        "correction_reason": "",
        "corrected_by": [],
    }
    assert (entry.person_id, entry.author_id, entry.status) == (
        world.anna.pk,
        city.users["handlaggare.ifo"].pk,
        JournalStatus.DRAFT,
    )


def test_an_entry_is_signed_at_once(api, city, world):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = api.post(
        f"/cases/{world.anna_case.pk}/journal",
        "handlaggare.ifo",
        {"category": "visit", "text": "Hembesök.", "occurred_on": yesterday.isoformat(), "sign": True},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "signed"
    assert body["signed_at"] is not None
    assert body["occurred_on"] == yesterday.isoformat()
    entry = JournalEntry.objects.get()
    assert entry.status == JournalStatus.SIGNED
    event = AuditEvent.objects.get(action="sign_journal_entry")
    assert (event.person_id, event.case_id, event.object_id) == (
        world.anna.pk,
        world.anna_case.pk,
        str(entry.pk),
    )


def test_a_refused_signature_leaves_no_draft_behind(api, world):
    response = api.post(
        f"/cases/{world.anna_case.pk}/journal",
        "handlaggare.ifo",
        {"category": "contact", "text": "  ", "sign": True},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Uppgifterna är inte giltiga.",
        "errors": {"text": "En tom anteckning kan inte signeras. Skriv texten först."},
    }
    assert JournalEntry.objects.count() == 0
    assert not AuditEvent.objects.filter(action="sign_journal_entry").exists()


def test_invalid_input_gets_a_message_per_field(api, world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = api.post(
        f"/cases/{world.anna_case.pk}/journal",
        "handlaggare.ifo",
        {"category": "gossip", "text": "x", "occurred_on": tomorrow.isoformat()},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "category": "Välj en kategori.",
        "occurred_on": "Datumet kan inte ligga i framtiden.",
    }
    missing = api.post(f"/cases/{world.anna_case.pk}/journal", "handlaggare.ifo", {"category": "contact"})
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"text"}
    bad_date = api.post(
        f"/cases/{world.anna_case.pk}/journal",
        "handlaggare.ifo",
        {"category": "contact", "text": "x", "occurred_on": "igår"},
    )
    assert bad_date.status_code == 422
    assert set(bad_date.json()["errors"]) == {"occurred_on"}
    assert JournalEntry.objects.count() == 0


def test_text_with_nul_and_unparsable_bodies_are_refused(api, world):
    path = f"/cases/{world.anna_case.pk}/journal"
    nul = api.post(path, "handlaggare.ifo", {"category": "contact", "text": "a\x00b"})
    assert nul.status_code == 422
    assert set(nul.json()["errors"]) == {"text"}
    broken = api.client.post(
        f"/api/v1{path}", "{not json", content_type="application/json", **api.headers("handlaggare.ifo")
    )
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Cannot parse request body"}
    assert JournalEntry.objects.count() == 0


def test_writing_in_a_case_out_of_scope_is_404_and_writes_nothing(api, world):
    for case_id in (world.bo_case.pk, 999999):
        response = api.post(
            f"/cases/{case_id}/journal", "handlaggare.ifo", {"category": "contact", "text": "x", "sign": True}
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}
    assert JournalEntry.objects.count() == 0
