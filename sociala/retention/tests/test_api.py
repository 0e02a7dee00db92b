"""The retention API: the dry-run report and objections, per role; errors as everywhere in the API."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sociala.accounts.models import ApiToken
from sociala.audit.models import AuditEvent
from sociala.cases.models import JournalEntry
from sociala.retention.models import EntryObjection

from .factories import full_case_file


def bearer(user) -> dict:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash(key), expires_at=timezone.now() + timedelta(hours=1)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def world(city, setting, authorization):
    built = full_case_file(city, day=date(2019, 3, 4), first_name="Gammal", last_name="Akt")
    entry = JournalEntry.objects.get(case=built.cases[0], corrects__isnull=True)
    return {"built": built, "entry": entry}


def get(client, city, path, username=None, **params):
    headers = bearer(city.users[username]) if username else {}
    return client.get(f"/api/v1/retention{path}", params, **headers)


def post(client, city, path, body, username=None):
    headers = bearer(city.users[username]) if username else {}
    return client.post(f"/api/v1/retention{path}", body, content_type="application/json", **headers)


def test_the_report_for_the_system_administrator(client, city, world):
    response = get(client, city, "/culling/report", "admin", on="2026-11-25")
    assert response.status_code == 200
    body = response.json()
    assert (body["on_date"], body["municipality_code"], body["research_municipality"], body["examined"]) == (
        "2026-11-25",
        "0180",
        False,
        1,
    )
    assert body["due"] == [
        {
            "case_file": world["built"].person.pk,
            "district": "Rinkeby-Kista stadsdelsnämnd",
            "cases": [world["built"].cases[0].reference],
            "last_entry_on": "2019-05-04",
            "rule": "sol_five_years",
            "legal_source": "16 kap. 1 § socialtjänstlagen (2025:400)",
            "reason": "circumstances",
            "keep_until": "2024-06-02",
            "cull_by": "2025-12-31",
            "overdue": True,
            "committee_decision": True,
        }
    ]
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="view_culling_report").count() == 1


@pytest.mark.parametrize("username", ["handlaggare.ifo", "chef.ifo", "revisor", "controller", "admin.lokal"])
def test_the_report_is_for_the_system_administrator_only(client, city, world, username):
    response = get(client, city, "/culling/report", username, on="2026-11-25")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="view_culling_report").exists()


def test_the_report_needs_a_token_and_a_valid_date(client, city, world):
    assert get(client, city, "/culling/report", None, on="2026-11-25").status_code == 401
    response = get(client, city, "/culling/report", "admin", on="2025-06-30")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Uppgifterna är inte giltiga.",
        "errors": {"on_date": "Det finns inga gallringsregler för datumet. Välj 2025-07-01 eller senare."},
    }
    assert get(client, city, "/culling/report", "admin", on="inte-ett-datum").status_code == 422


def test_objections_are_listed_and_noted(client, city, world):
    entry = world["entry"]
    response = get(client, city, f"/journal-entries/{entry.pk}/objections", "handlaggare.ifo")
    assert response.status_code == 200
    assert [o["text"] for o in response.json()] == ["Jag sa inte så."]
    created = post(
        client,
        city,
        f"/journal-entries/{entry.pk}/objections",
        {
            "text": "Det var min granne som ringde.",
            "received_via": "e_service",
            "received_on": timezone.localdate().isoformat(),
        },
        "chef.ifo",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["entry_id"], body["text"], body["received_via"], body["recorded_by"]) == (
        entry.pk,
        "Det var min granne som ringde.",
        "e_service",
        "Leila Karimi",
    )
    assert EntryObjection.objects.filter(entry=entry).count() == 2
    assert AuditEvent.objects.filter(action="view_entry_objections", object_id=str(entry.pk)).count() == 1


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("handlaggare.ifo.bromma", 404),
        ("handlaggare.ao", 404),
        ("utforare.hemtjanst", 404),
        ("admin", 403),
        ("revisor", 403),
    ],
)
def test_objections_outside_scope(client, city, world, username, status):
    entry = world["entry"]
    assert get(client, city, f"/journal-entries/{entry.pk}/objections", username).status_code == status
    body = {
        "text": "Fel uppgift i anteckningen.",
        "received_via": "phone",
        "received_on": timezone.localdate().isoformat(),
    }
    assert post(client, city, f"/journal-entries/{entry.pk}/objections", body, username).status_code == status
    assert EntryObjection.objects.count() == 1


def test_an_invalid_objection_is_422(client, city, world):
    response = post(
        client,
        city,
        f"/journal-entries/{world['entry'].pk}/objections",
        {"text": "Nej", "received_via": "pigeon", "received_on": timezone.localdate().isoformat()},
        "handlaggare.ifo",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "text": "Skriv vad personen anser är fel (minst 5 tecken).",
        "received_via": "Välj hur invändningen kom in.",
    }
