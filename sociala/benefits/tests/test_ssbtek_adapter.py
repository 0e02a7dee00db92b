"""The SSBTEK adapter against the simulator over real HTTPS with mutual TLS on 127.0.0.1."""

from __future__ import annotations

from datetime import date

import pytest

from sociala.integrations.ssbtek.client import SsbtekBadResponse, SsbtekClient, SsbtekFault, SsbtekUnavailable
from sociala.integrations.ssbtek.messages import AgencyError, IncomeItem
from sociala.integrations.ssbtek.pki import ThrowawayPki
from sociala.integrations.ssbtek.simulator import SsbtekSimulator, facts_for

from . import test_budget_support as support
from .test_budget_support import (
    number_with_profile,
    ssbtek_config,
)
from .test_ssbtek_contract import a_request

# The shared fixtures, bound here so that pytest finds them.
other_ca, ssbtek_pki, ssbtek_simulator = support.other_ca, support.ssbtek_pki, support.ssbtek_simulator

MARCH_START, MARCH_END = date(2026, 3, 1), date(2026, 3, 31)


def fetch(simulator, pki, number, **changes):
    return SsbtekClient(ssbtek_config(simulator, pki, **changes)).fetch(a_request(number))


def test_the_numbers_used_here_have_the_profiles_named():
    # The simulator is deterministic: these test numbers always get the same data.
    assert number_with_profile("single_parent") == "194002087874"
    assert facts_for("194002087874").housing_allowance == 3780
    assert number_with_profile("unemployed") == "194001279050"
    assert facts_for("194001279050").unemployment_payments == (7350, 7350)


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_a_single_parent_gets_tax_free_benefits_from_forsakringskassan(ssbtek_simulator, ssbtek_pki, version):
    result = fetch(ssbtek_simulator, ssbtek_pki, "194002087874", soap_version=version)
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert result.errors == []
    assert result.items == [
        IncomeItem("FK", "housing_allowance", "Bostadsbidrag", 3780, *year, is_net=True, is_monthly=True),
        IncomeItem("FK", "child_allowance", "Barnbidrag", 1250, *year, is_net=True, is_monthly=True),
        IncomeItem("FK", "maintenance_support", "Underhållsstöd", 1673, *year, is_net=True, is_monthly=True),
        IncomeItem(
            "SKV",
            "declared_earned_income",
            "Sammanräknad förvärvsinkomst, taxeringsår 2026",
            32200,
            date(2025, 1, 1),
            date(2025, 12, 31),
            is_net=False,
            is_monthly=False,
        ),
    ]


def test_an_unemployed_person_gets_two_fund_payments_and_the_employment_service_status(
    ssbtek_simulator, ssbtek_pki
):
    result = fetch(ssbtek_simulator, ssbtek_pki, "194001279050")
    assert result.errors == []
    by_agency = {(i.agency, i.description): i for i in result.items}
    fund = by_agency[("SO", "Arbetslöshetsersättning, Arbetslöshetskassan Exempel, 20 dagar")]
    assert (fund.income_type, fund.amount, fund.is_net, fund.is_monthly) == (
        "unemployment_benefit",
        14700,
        True,
        True,
    )
    registered = by_agency[("AF", "Inskriven som arbetssökande")]
    assert (registered.amount, registered.period_start, registered.is_monthly) == (
        None,
        date(2025, 8, 13),
        False,
    )
    decision = by_agency[("AF", "Beslut: Arbetslöshetsersättning, 100 %")]
    assert (decision.period_start, decision.period_end) == (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    "profile, income_type, amount, is_net",
    [
        ("student", "student_aid", "student_aid", True),
        ("pensioner", "pension", "pension", True),
        ("activity_support", "activity_support", "activity_support_gross", False),
        ("sickness", "sickness_benefit", "sickness_gross", False),
    ],
)
def test_each_profile_yields_its_income_for_the_month(
    ssbtek_simulator, ssbtek_pki, profile, income_type, amount, is_net
):
    number = number_with_profile(profile)
    result = fetch(ssbtek_simulator, ssbtek_pki, number)
    monthly = [(i.income_type, i.amount, i.is_net) for i in result.items if i.is_monthly]
    assert monthly == [(income_type, getattr(facts_for(number), amount), is_net)]


def test_an_agency_that_does_not_answer_is_reported_and_the_others_still_count(ssbtek_simulator, ssbtek_pki):
    number = number_with_profile("agency_error")
    result = fetch(ssbtek_simulator, ssbtek_pki, number)
    assert result.errors == [
        AgencyError("FK", "SSBT", "SSBT-504", "Tidsgränsen överskreds i anropet till Försäkringskassan")
    ]
    assert [(i.agency, i.amount) for i in result.items if i.is_monthly] == [("SO", 14440)]


def test_the_simulator_saw_a_soap_request_from_our_client(ssbtek_simulator, ssbtek_pki):
    fetch(ssbtek_simulator, ssbtek_pki, "194002087874")
    last = ssbtek_simulator.received[-1]
    assert last.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<soap:Envelope")
    assert b"<ssbt:personidentitet>194002087874</ssbt:personidentitet>" in last


def test_a_client_that_does_not_trust_the_servers_ca_refuses_to_talk(ssbtek_simulator, ssbtek_pki, other_ca):
    with pytest.raises(SsbtekUnavailable) as error:
        fetch(ssbtek_simulator, ssbtek_pki, "194002087874", ca_bundle=str(other_ca["ca"]))
    assert "CERTIFICATE_VERIFY_FAILED" in str(error.value)


def test_a_server_with_a_certificate_from_another_ca_is_refused(ssbtek_pki, other_ca):
    impostor = ThrowawayPki(
        ca_certificate=ssbtek_pki.ca_certificate,
        ca_key=ssbtek_pki.ca_key,
        server=other_ca["server"],
        client=ssbtek_pki.client,
    )
    simulator = SsbtekSimulator(impostor).start()
    try:
        with pytest.raises(SsbtekUnavailable) as error:
            fetch(simulator, ssbtek_pki, "194002087874")
        assert "CERTIFICATE_VERIFY_FAILED" in str(error.value)
        assert simulator.received == []
    finally:
        simulator.stop()


def test_a_client_without_a_certificate_is_refused_by_the_server(ssbtek_simulator, ssbtek_pki):
    before = len(ssbtek_simulator.received)
    with pytest.raises(SsbtekUnavailable):
        fetch(ssbtek_simulator, ssbtek_pki, "194002087874", client_certificate="", client_key="")
    assert len(ssbtek_simulator.received) == before


def test_a_client_certificate_from_another_ca_is_refused_by_the_server(
    ssbtek_simulator, ssbtek_pki, other_ca
):
    before = len(ssbtek_simulator.received)
    with pytest.raises(SsbtekUnavailable):
        fetch(
            ssbtek_simulator,
            ssbtek_pki,
            "194002087874",
            client_certificate=str(other_ca["client"].certificate),
            client_key=str(other_ca["client"].key),
        )
    assert len(ssbtek_simulator.received) == before


def test_plain_http_is_never_used(ssbtek_simulator, ssbtek_pki):
    url = ssbtek_simulator.url.replace("https://", "http://")
    with pytest.raises(SsbtekUnavailable) as error:
        fetch(ssbtek_simulator, ssbtek_pki, "194002087874", url=url)
    assert str(error.value) == "SSBTEK is reached over HTTPS only; check SOCIALA_SSBTEK['url']"


def test_a_wrong_path_is_an_answer_that_is_not_soap(ssbtek_simulator, ssbtek_pki):
    url = ssbtek_simulator.url.replace("/ssbtek/ssbt11", "/elsewhere")
    with pytest.raises(SsbtekBadResponse) as error:
        fetch(ssbtek_simulator, ssbtek_pki, "194002087874", url=url)
    assert str(error.value).startswith("the answer is not SOAP (HTTP 404)")


def test_nobody_listening_is_unavailable(ssbtek_pki):
    with pytest.raises(SsbtekUnavailable) as error:
        SsbtekClient(
            ssbtek_config(type("Gone", (), {"url": "https://127.0.0.1:9/ssbtek/ssbt11"})(), ssbtek_pki)
        ).fetch(a_request("194002087874"))
    assert str(error.value).startswith("SSBTEK did not answer:")


def test_a_fault_from_the_service_is_raised_with_its_code(ssbtek_simulator, ssbtek_pki, monkeypatch):
    from sociala.integrations.ssbtek import client as client_module

    # Skip our own validation once, to see how a fault from the service reaches the caller.
    monkeypatch.setattr(client_module, "validate", lambda element: None)
    with pytest.raises(SsbtekFault) as error:
        SsbtekClient(ssbtek_config(ssbtek_simulator, ssbtek_pki)).fetch(
            a_request("194002087874", case_reference="")
        )
    assert error.value.code == "SSBT-400"
    assert str(error.value).startswith("Frågan följer inte schemat ssbt/11; line ")
