"""Fixtures for the care app: the demo choice scheme, a home care case at each step, API calls per user."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.accounts.choices import Role
from sociala.accounts.models import ApiToken, Assignment, User
from sociala.care import services
from sociala.care.demo import seed_provider_approvals
from sociala.care.models import LifeArea
from sociala.cases import services as case_services
from sociala.cases.models import CaseType
from sociala.demo.organization import VALID_FROM
from sociala.tests.factories import make_person

CASEWORKER = "handlaggare.ao"
PROVIDER_STAFF = "utforare.hemtjanst"
OTHER_PROVIDER_STAFF = "utforare.privat"


@pytest.fixture
def care_city(city):
    """The test city with the demo approvals and a second provider's staff member (Omsorgshuset)."""
    seed_provider_approvals(actor=city.users["admin"])
    other = User.objects.create_user(
        username=OTHER_PROVIDER_STAFF,
        first_name="Paula",
        last_name="Privat",
        password="x",  # noqa: S106
    )
    Assignment.objects.create(
        user=other,
        role=Role.PROVIDER_STAFF,
        provider=city.providers["hemtjanst_privat"],
        valid_from=VALID_FROM,
    )
    city.users[OTHER_PROVIDER_STAFF] = other
    return city


@pytest.fixture
def greta(care_city):
    return make_person(care_city, first_name="Greta", last_name="Holm")


def open_home_care_case(city, person, username=CASEWORKER):
    actor = city.users[username]
    case = case_services.open_case(
        actor=actor,
        person=person,
        case_type=CaseType.objects.get(code="home_care_application"),
        received_on=timezone.localdate(),
        sought="Hjälp med dusch, städning och inköp",
    )
    return case_services.complete_step(actor=actor, case=case, step="intake")


def investigate(city, case, username=CASEWORKER):
    actor = city.users[username]
    services.save_life_area_assessment(
        actor=actor,
        case=case,
        life_area=LifeArea.objects.get(code="self_care"),
        needs="Behöver hjälp att duscha två gånger i veckan.",
        resources="Klär sig själv.",
        goals="Känna sig ren och fräsch.",
        person_view="Vill duscha på morgonen.",
        icf_codes=["d510", "d540"],
    )
    services.save_order_information(
        actor=actor,
        case=case,
        background="Bor ensam sedan maken dog.",
        practical_information="Nyckel i nyckelgömma, kod 1234.",
        good_to_know="Allergisk mot katt.",
        contacts=[{"name": "Lena Holm", "relation": "Dotter", "phone": "070-123 45 67"}],
    )
    services.add_proposed_intervention(
        actor=actor,
        case=case,
        intervention_kind="home_care",
        description="Hemtjänst: personlig omvårdnad och service",
        scope_amount="32",
        goals="Greta kan bo kvar hemma och känna sig trygg.",
        life_areas=[LifeArea.objects.get(code="self_care")],
    )
    return services.complete_investigation(actor=actor, case=case)


def decide(city, case, username=CASEWORKER, scope="32", period_start=None):
    return services.decide_from_investigation(
        actor=city.users[username],
        case=case,
        items=[
            {
                "intervention_kind": "home_care",
                "description": "Hemtjänst: personlig omvårdnad och service",
                "scope_amount": scope,
                "goals": "Greta kan bo kvar hemma och känna sig trygg.",
                "outcome": "granted",
                "motivation": "",
            }
        ],
        period_start=period_start or timezone.localdate(),
        period_end=None,
        motivation="Utredningen visar behov av hjälp med personlig omvårdnad.",
    )


def choose_default(city, case, username=CASEWORKER):
    intervention = case.interventions.get()
    return services.record_provider_choice(
        actor=city.users[username],
        intervention=intervention,
        method="default",
        chosen_on=timezone.localdate(),
    )


@pytest.fixture
def decision_case(care_city, greta):
    case = open_home_care_case(care_city, greta)
    return investigate(care_city, case)


@pytest.fixture
def granted_case(care_city, decision_case):
    decide(care_city, decision_case)
    decision_case.refresh_from_db()
    return decision_case


@pytest.fixture
def order(care_city, granted_case):
    return choose_default(care_city, granted_case).order


class Api:
    """The Django test client pointed at /api/v1/care, authenticated per call as a user."""

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
        return self.client.get(f"/api/v1/care{path}", **self.headers(as_))

    def post(self, path: str, as_: str | None, body: dict):
        return self.client.post(
            f"/api/v1/care{path}", body, content_type="application/json", **self.headers(as_)
        )


@pytest.fixture
def api(client, care_city):
    return Api(client, care_city)
