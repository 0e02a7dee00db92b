"""Fixtures for the fee tests: bearer tokens, and a person with a home care case in Rinkeby-Kista."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.accounts.models import ApiToken
from sociala.cases import services as cases
from sociala.cases.models import CaseType
from sociala.tests.factories import make_person


def bearer(user) -> dict:
    """Headers for a request as ``user``, with a token made directly (the token endpoint is tested elsewhere)."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash(key), expires_at=timezone.now() + timedelta(hours=1)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


class Api:
    """The Django test client, pointed at /api/v1/fees, authenticated per call."""

    def __init__(self, client, city):
        self.client = client
        self.city = city
        self._headers: dict[str, dict] = {}

    def post(self, path: str, as_: str | None, body, **extra):
        headers = {}
        if as_ is not None:
            if as_ not in self._headers:
                self._headers[as_] = bearer(self.city.users[as_])
            headers = self._headers[as_]
        return self.client.post(
            f"/api/v1/fees{path}", body, content_type="application/json", **headers, **extra
        )


@pytest.fixture
def api(client, city):
    return Api(client, city)


@pytest.fixture
def client_person(city):
    """Greta, 82 on 1 December 2026, with a home care application handled by handlaggare.ao."""
    person = make_person(city, number="194401077674", first_name="Greta", last_name="Holm")
    cases.open_case(
        actor=city.users["handlaggare.ao"],
        person=person,
        case_type=CaseType.objects.get(code="home_care_application"),
        received_on=timezone.localdate(),
        sought="Hjälp med dusch och städning",
    )
    return person
