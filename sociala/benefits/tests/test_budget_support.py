"""Builders and fixtures shared by the budget, check, queue and SSBTEK tests (no tests of its own).

The SSBTEK simulator runs once per test session on 127.0.0.1 with a throw-away CA and server and client
certificates made by ``openssl`` in a temporary folder.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sociala.benefits import budget_services
from sociala.benefits.budget import BudgetInput, IncomeInput, MemberInput
from sociala.cases import services as case_services
from sociala.cases.models import CaseType
from sociala.documents.services import store_upload
from sociala.integrations.ssbtek.conf import SsbtekConfig
from sociala.integrations.ssbtek.pki import issue, make_ca, make_test_pki
from sociala.integrations.ssbtek.simulator import SsbtekSimulator, profile_of
from sociala.tests.factories import adult_numbers, make_person

MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)
# A minimal PDF: enough for the upload's content sniffing.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def number_with_profile(profile: str, skip: int = 0) -> str:
    """A test personal identity number (born 1940–1995) that the simulator answers with ``profile``."""
    found = [n for n in adult_numbers() if profile_of(n) == profile]
    return found[skip]


def open_income_case(city, person, username="handlaggare.ifo", received_on=date(2026, 2, 20)):
    return case_services.open_case(
        actor=city.users[username],
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=received_on,
        sought="Försörjningsstöd",
    )


def single(person, *, housing=6000, electricity=0, incomes=(), receipts=None) -> BudgetInput:
    """A one-person household: the applicant, costs and incomes as given."""
    costs = {"housing": (housing, (receipts or {}).get("housing"))}
    if electricity:
        costs["household_electricity"] = (electricity, (receipts or {}).get("household_electricity"))
    return BudgetInput(
        members=(MemberInput(role="applicant", personal_identity_number=person.personal_identity_number),),
        costs=costs,
        incomes=tuple(incomes),
    )


def income(type_: str, amount: int, member: int | None = 0) -> IncomeInput:
    return IncomeInput(type=type_, amount=amount, member=member)


def make_budget(city, case, month=MARCH, data=None, username="handlaggare.ifo"):
    return budget_services.create_budget(
        actor=city.users[username], case=case, month=month, data=data or single(case.person)
    )


def upload(city, case, title="Hyresavi mars", username="handlaggare.ifo"):
    return store_upload(
        actor=city.users[username],
        person=case.person,
        case=case,
        uploaded_file=SimpleUploadedFile("avi.pdf", PDF, content_type="application/pdf"),
        title=title,
    )


@pytest.fixture
def applicant(city):
    return make_person(city, first_name="Sara", last_name="Sökande")


@pytest.fixture
def case(city, applicant):
    return open_income_case(city, applicant)


@pytest.fixture(scope="session")
def ssbtek_pki(tmp_path_factory):
    return make_test_pki(tmp_path_factory.mktemp("ssbtek-pki"))


@pytest.fixture(scope="session")
def ssbtek_simulator(ssbtek_pki):
    simulator = SsbtekSimulator(ssbtek_pki).start()
    yield simulator
    simulator.stop()


@pytest.fixture(scope="session")
def other_ca(tmp_path_factory):
    """A second CA that signed a client and a server certificate of its own (not trusted by the simulator)."""
    directory = tmp_path_factory.mktemp("other-ca")
    ca = make_ca(directory, "Someone else CA")
    return {
        "ca": ca[0],
        "client": issue(directory, ca, "Other client", server=False),
        "server": issue(directory, ca, "localhost", server=True),
    }


def ssbtek_config(simulator, pki, **changes) -> SsbtekConfig:
    values = {
        "url": simulator.url,
        "client_certificate": str(pki.client.certificate),
        "client_key": str(pki.client.key),
        "ca_bundle": str(pki.ca_certificate),
        "organization_number": "2120000142",
        "organization_name": "Sociala stad",
        "fk_actor_id": "026-51",
        "soap_version": "1.1",
        "timeout_seconds": 10,
    }
    values.update(changes)
    return SsbtekConfig(**values)


@pytest.fixture
def ssbtek_settings(settings, ssbtek_simulator, ssbtek_pki):
    """Point the adapter at the session's simulator."""
    config = ssbtek_config(ssbtek_simulator, ssbtek_pki)
    settings.SOCIALA_SSBTEK = {
        "url": config.url,
        "client_certificate": config.client_certificate,
        "client_key": config.client_key,
        "ca_bundle": config.ca_bundle,
        "organization_number": config.organization_number,
        "organization_name": config.organization_name,
        "fk_actor_id": config.fk_actor_id,
    }
    return config
