"""Fixtures for the children app: API calls per demo user, a settable clock, a child in Rinkeby-Kista."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from sociala.accounts.models import ApiToken
from sociala.tests.factories import make_person


class Api:
    """The Django test client pointed at /api/v1/children, authenticated per call as a demo user."""

    def __init__(self, client, city):
        self.client = client
        self.city = city

    def headers(self, username: str | None) -> dict:
        if username is None:
            return {}
        key = secrets.token_urlsafe(32)
        ApiToken.objects.create(
            user=self.city.users[username],
            key_hash=ApiToken.hash(key),
            expires_at=timezone.now() + timedelta(hours=1),
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def get(self, path: str, as_: str | None):
        return self.client.get(f"/api/v1/children{path}", **self.headers(as_))

    def post(self, path: str, as_: str | None, body: dict):
        return self.client.post(
            f"/api/v1/children{path}", body, content_type="application/json", **self.headers(as_)
        )


@pytest.fixture
def api(client, city):
    return Api(client, city)


@pytest.fixture
def clock(monkeypatch):
    """Set today's date (and time of day) for the code under test: ``clock(date(2027, 1, 10), hour=22)``."""

    def set_to(day: date, hour: int = 10, minute: int = 0):
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_to


@pytest.fixture
def child(city):
    """Elsa, born 2013-2020, living in Rinkeby-Kista."""
    return make_person(city, child=True, first_name="Elsa", last_name="Lind")


def report_body(
    person, received_on, reporter_type="school", text="Eleven berättar om våld i hemmet.", **extra
):
    return {
        "person_id": person.pk,
        "received_on": received_on.isoformat() if hasattr(received_on, "isoformat") else received_on,
        "reporter_type": reporter_type,
        "text": text,
        **extra,
    }
