"""Fixtures for the API tests: bearer tokens per demo user, and a small world of persons and cases."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.accounts.models import ApiToken
from sociala.cases import services
from sociala.cases.models import Case, CaseType
from sociala.people.models import Person
from sociala.tests.factories import make_person


def bearer(user) -> dict:
    """Headers for a request as ``user`` (a token made directly: the endpoint is tested on its own)."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash(key), expires_at=timezone.now() + timedelta(hours=1)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


class Api:
    """The Django test client, pointed at /api/v1/, authenticated per call."""

    def __init__(self, client, city):
        self.client = client
        self.city = city
        self._headers: dict[str, dict] = {}

    def headers(self, username: str | None) -> dict:
        if username is None:
            return {}
        if username not in self._headers:
            self._headers[username] = bearer(self.city.users[username])
        return self._headers[username]

    def get(self, path: str, as_: str | None, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers(as_))

    def post(self, path: str, as_: str | None, body: dict):
        return self.client.post(f"/api/v1{path}", body, content_type="application/json", **self.headers(as_))


@pytest.fixture
def api(client, city):
    return Api(client, city)


def open_case(city, person: Person, username: str, code: str, *, sought: str = "Ansökan") -> Case:
    return services.open_case(
        actor=city.users[username],
        person=person,
        case_type=CaseType.objects.get(code=code),
        received_on=timezone.localdate(),
        sought=sought,
    )


@dataclass
class World:
    """Anna in Rinkeby-Kista with an IFO case; Bo in Bromma with a Bromma IFO case."""

    anna: Person
    anna_case: Case
    bo: Person
    bo_case: Case


@pytest.fixture
def world(city) -> World:
    anna = make_person(city, first_name="Anna", last_name="Andersson")
    anna_case = open_case(city, anna, "handlaggare.ifo", "income_support_application")
    bo = make_person(city, district="Bromma", first_name="Bo", last_name="Berglund")
    bo_case = open_case(city, bo, "handlaggare.ifo.bromma", "income_support_application")
    return World(anna, anna_case, bo, bo_case)
