from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.audit.services import record_event


@pytest.fixture
def log(city, world):
    """A few reads on top of the writes that built the world."""
    ifo, ao = city.users["handlaggare.ifo"], city.users["handlaggare.ao"]
    record_event(actor=ifo, action="view_person", person_id=world.anna.pk, object_type="person")
    record_event(actor=ao, action="view_person", person_id=world.anna.pk, object_type="person")
    record_event(actor=ifo, action="view_person", person_id=world.bo.pk, object_type="person")
    return world


def test_anonymous_is_401(api, log):
    assert api.get("/audit/events", None).status_code == 401


@pytest.mark.parametrize(
    "username",
    ["handlaggare.ifo", "chef.ifo", "socialjour", "admin.lokal", "controller", "admin", "utforare.hemtjanst"],
)
def test_only_log_reviewers_read_the_log(api, log, username):
    before = AuditEvent.objects.count()
    response = api.get("/audit/events", username)
    assert response.status_code == 403
    assert response.json() == {"detail": "Bara loggranskare får läsa loggen."}
    assert AuditEvent.objects.count() == before


def test_the_log_newest_first_and_reading_it_is_logged(api, city, log):
    total = AuditEvent.objects.count()
    response = api.get("/audit/events", "revisor")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == total
    seqs = [e["seq"] for e in body["items"]]
    assert seqs == sorted(seqs, reverse=True)
    newest = AuditEvent.objects.get(seq=seqs[0])
    assert body["items"][0] == {
        "seq": newest.seq,
        "occurred_at": body["items"][0]["occurred_at"],
        "user_id": city.users["handlaggare.ifo"].pk,
        "username": "handlaggare.ifo",
        "role": "caseworker",
        "action": "view_person",
        "person_id": log.bo.pk,
        "case_id": None,
        "object_type": "person",
        "object_id": "",
        "is_emergency": False,
        "reason": "",
        "details": {},
    }
    review = AuditEvent.objects.latest("seq")
    assert (review.action, review.user_id, review.person_id) == (
        "review_audit_log",
        city.users["revisor"].pk,
        None,
    )


def test_filter_by_person_and_user(api, city, log):
    by_person = api.get("/audit/events", "revisor", person=log.anna.pk).json()
    assert {e["person_id"] for e in by_person["items"]} == {log.anna.pk}
    assert by_person["count"] == AuditEvent.objects.filter(person_id=log.anna.pk).count() - 1
    review = AuditEvent.objects.latest("seq")
    assert (review.action, review.person_id) == ("review_audit_log", log.anna.pk)
    assert review.details["person"] == log.anna.pk

    ao = city.users["handlaggare.ao"].pk
    both = api.get("/audit/events", "revisor", person=log.anna.pk, user=ao).json()
    assert [(e["user_id"], e["action"]) for e in both["items"]] == [(ao, "view_person")]


def test_filter_by_dates_and_paginate(api, log):
    today = timezone.localdate()
    in_range = api.get(
        "/audit/events", "revisor", **{"from": today.isoformat(), "to": today.isoformat()}
    ).json()
    assert in_range["count"] > 3
    future = api.get("/audit/events", "revisor", **{"from": (today + timedelta(days=1)).isoformat()}).json()
    assert future == {"items": [], "count": 0}
    past = api.get("/audit/events", "revisor", to=(today - timedelta(days=1)).isoformat()).json()
    assert past["count"] == 0

    page = api.get("/audit/events", "revisor", limit=2, offset=1).json()
    everything = api.get("/audit/events", "revisor", limit=100).json()
    # Each request adds its own review event before the next one reads.
    assert [e["seq"] for e in page["items"]] == [e["seq"] for e in everything["items"][2:4]]


def test_filter_reads_under_emergency_access(api, city, log):
    jour = city.users["socialjour"]
    record_event(actor=jour, action="view_person", person_id=log.bo.pk, is_emergency=True, reason="Akut")
    flagged = api.get("/audit/events", "revisor", is_emergency="true").json()
    assert [(e["user_id"], e["person_id"], e["reason"]) for e in flagged["items"]] == [
        (jour.pk, log.bo.pk, "Akut")
    ]
    assert AuditEvent.objects.latest("seq").details["is_emergency"] is True


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"person": 2**63}, {"person"}),
        ({"user": 0}, {"user"}),
        ({"from": "0001-01-01", "to": "9999-12-31"}, {"from", "to"}),
        ({"from": "igår"}, {"from"}),
        ({"limit": 101}, {"limit"}),
    ],
)
def test_invalid_filters_are_422(api, log, params, fields):
    before = AuditEvent.objects.count()
    response = api.get("/audit/events", "revisor", **params)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == fields
    assert AuditEvent.objects.count() == before


def test_from_after_to_is_invalid(api, log):
    today = timezone.localdate()
    response = api.get(
        "/audit/events",
        "revisor",
        **{"from": today.isoformat(), "to": (today - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"to": "Slutdatum kan inte ligga före startdatum."}


def test_the_log_reviewer_never_sees_persons(api, log):
    for path in ("/persons", f"/persons/{log.anna.pk}", f"/cases/{log.anna_case.pk}"):
        response = api.get(path, "revisor")
        assert response.status_code == 403
        assert response.json() == {"detail": "Din roll ger inte tillgång till personuppgifter."}
