"""Every endpoint × every demo user: allowed or denied, and a denial changes and logs nothing.

The world: Anna lives in Rinkeby-Kista and has an IFO case (income support) in the Rinkeby-Kista
IFO unit, assigned to handlaggare.ifo; Bo lives in Bromma with a Bromma IFO case.
"""

from __future__ import annotations

import pytest

from sociala.audit.models import AuditEvent
from sociala.cases.models import JournalEntry

ENDPOINTS = ["list", "search", "person", "person_cases", "case", "journal", "audit"]

# Status per endpoint, in the order of ENDPOINTS; "sees" says whether Anna is in the list/search.
FULL = (200, 200, 200, 200, 200, 201, 403)  # works in Anna's case
DISTRICT = (200, 200, 200, 200, 404, 404, 403)  # sees Anna through her district, not her IFO case
NONE_IN_SCOPE = (200, 200, 404, 404, 404, 404, 403)  # handles personal data, but not Anna's
NO_PERSONS = (403, 403, 403, 403, 403, 403, 403)  # a role that never sees persons
LOG_REVIEWER = (403, 403, 403, 403, 403, 403, 200)

MATRIX = {
    "handlaggare.ifo": (FULL, True, 1),
    "handlaggare.ao": (DISTRICT, True, 0),
    "handlaggare.lss": (DISTRICT, True, 0),
    "handlaggare.barn": (DISTRICT, True, 0),
    "handlaggare.ifo.bromma": (NONE_IN_SCOPE, False, 0),
    "chef.ifo": (FULL, True, 1),
    "utforare.hemtjanst": (NONE_IN_SCOPE, False, 0),
    "socialjour": (NONE_IN_SCOPE, False, 0),
    "admin.lokal": (NO_PERSONS, False, 0),
    "revisor": (LOG_REVIEWER, False, 0),
    "controller": (NO_PERSONS, False, 0),
    "admin": (NO_PERSONS, False, 0),
}

# What an allowed read writes to the audit log: (action, whether it names Anna).
AUDIT_OF = {
    "list": ("search_persons", False),
    "search": ("search_persons", False),
    "person": ("view_person", True),
    "person_cases": ("view_person_cases", True),
    "case": ("view_case", True),
    "audit": ("review_audit_log", False),
}


def call(api, world, endpoint: str, username: str):
    anna, case = world.anna, world.anna_case
    if endpoint == "list":
        return api.get("/persons", username)
    if endpoint == "search":
        return api.get("/persons", username, q=anna.personal_identity_number)
    if endpoint == "person":
        return api.get(f"/persons/{anna.pk}", username)
    if endpoint == "person_cases":
        return api.get(f"/persons/{anna.pk}/cases", username)
    if endpoint == "case":
        return api.get(f"/cases/{case.pk}", username)
    if endpoint == "journal":
        return api.post(
            f"/cases/{case.pk}/journal", username, {"category": "contact", "text": "Samtal.", "sign": True}
        )
    if endpoint == "audit":
        return api.get("/audit/events", username)
    raise AssertionError(endpoint)


def test_the_matrix_covers_every_demo_user(city):
    assert set(MATRIX) == set(city.users)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("username", list(MATRIX))
def test_role_matrix(api, world, username, endpoint):
    statuses, sees_anna, anna_cases = MATRIX[username]
    expected = statuses[ENDPOINTS.index(endpoint)]
    api.headers(username)  # the token exists before counting
    audit_before = AuditEvent.objects.count()
    journal_before = JournalEntry.objects.count()

    response = call(api, world, endpoint, username)

    assert response.status_code == expected, response.content
    if expected in (403, 404):
        assert AuditEvent.objects.count() == audit_before
        assert JournalEntry.objects.count() == journal_before
        if expected == 404:
            assert response.json() == {"detail": "Not Found"}
        assert world.anna.last_name not in response.content.decode()
        return

    body = response.json()
    if endpoint == "journal":
        assert JournalEntry.objects.count() == journal_before + 1
        assert body["status"] == "signed"
        return
    action, names_anna = AUDIT_OF[endpoint]
    new_events = list(AuditEvent.objects.filter(seq__gt=audit_before).values_list("action", "person_id"))
    assert new_events == [(action, world.anna.pk if names_anna else None)]
    if endpoint in ("list", "search"):
        assert (world.anna.pk in [p["id"] for p in body["items"]]) is sees_anna
        assert world.bo.pk not in [p["id"] for p in body["items"]] or username == "handlaggare.ifo.bromma"
    if endpoint == "person_cases":
        assert body["count"] == anna_cases
