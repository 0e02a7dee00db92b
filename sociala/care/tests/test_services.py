"""The care services: IBIC investigation → decision → choice of provider → order, and what each refuses."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.care import services
from sociala.care.models import (
    IcfCode,
    InterventionTerms,
    Investigation,
    LifeArea,
    LifeAreaAssessment,
    OrderDetails,
    ProviderChoice,
)
from sociala.cases.choices import OrderStatus, Stage
from sociala.cases.models import Order
from sociala.core.errors import InvalidInput, NotPermitted

from .conftest import CASEWORKER, decide, investigate, open_home_care_case


def test_code_lists_are_loaded(db):
    assert LifeArea.objects.count() == 11
    assert list(LifeArea.objects.values_list("icf_chapter", flat=True)) == [
        "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "b1528A", "e398A",
    ]  # fmt: skip
    assert IcfCode.objects.count() == 66
    assert IcfCode.objects.get(code="d510").title == "Att tvätta sig"
    assert set(IcfCode.objects.values_list("chapter", flat=True)) == {f"d{n}" for n in range(1, 10)}


def test_the_investigation_fills_the_decision_and_the_order(care_city, granted_case, greta):
    case = granted_case
    assert case.stage == Stage.INTERVENTION
    decision = case.decisions.get()
    item = decision.items.get()
    assert (item.intervention_kind, item.scope, item.outcome) == (
        "home_care",
        "32 timmar per månad",
        "granted",
    )
    assert item.legal_basis == "11 kap. 1 § socialtjänstlagen (2025:400)"
    terms = InterventionTerms.objects.get(decision_item=item)
    assert (terms.scope_amount, terms.scope_unit, terms.goals) == (
        Decimal("32.0"),
        "hours_per_month",
        "Greta kan bo kvar hemma och känna sig trygg.",
    )

    choice = services.record_provider_choice(
        actor=care_city.users[CASEWORKER],
        intervention=case.interventions.get(),
        method="default",
        chosen_on=timezone.localdate(),
        note="Greta vill inte välja.",
    )
    assert choice.provider == care_city.providers["hemtjanst_kommunal"]
    assert (choice.method, choice.recorded_by) == ("default", care_city.users[CASEWORKER])
    details = OrderDetails.objects.get(order=choice.order)
    assert details.goals == "Greta kan bo kvar hemma och känna sig trygg."
    assert details.practical_information == "Nyckel i nyckelgömma, kod 1234."
    assert details.good_to_know == "Allergisk mot katt."
    assert details.contacts == [{"name": "Lena Holm", "relation": "Dotter", "phone": "070-123 45 67"}]
    assert (details.scope_amount, details.scope_unit) == (Decimal("32.0"), "hours_per_month")
    # The needs and the person's own view stay in the investigation.
    assert "duscha" not in str(details.terms()) and "Bor ensam" not in str(details.terms())
    assert AuditEvent.objects.filter(action="record_provider_choice", person_id=greta.pk).count() == 1


def test_the_client_chooses_among_approved_providers_only(care_city, granted_case):
    intervention = granted_case.interventions.get()
    actor = care_city.users[CASEWORKER]
    with pytest.raises(InvalidInput) as error:
        services.record_provider_choice(
            actor=actor,
            intervention=intervention,
            method="client_chose",
            provider=care_city.providers["kontaktperson"],  # not approved for home care
            chosen_on=timezone.localdate(),
        )
    assert error.value.errors == {"provider": "Välj en av de godkända utförarna."}
    assert Order.objects.count() == 0 and ProviderChoice.objects.count() == 0

    choice = services.record_provider_choice(
        actor=actor,
        intervention=intervention,
        method="client_chose",
        provider=care_city.providers["hemtjanst_privat"],
        chosen_on=timezone.localdate() - timedelta(days=1),
    )
    assert (choice.provider.name, choice.method) == ("Omsorgshuset Hemtjänst AB", "client_chose")
    assert choice.order.status == OrderStatus.ACTIVE


def test_the_investigation_is_locked_after_the_decision(care_city, granted_case):
    with pytest.raises(InvalidInput) as error:
        services.save_life_area_assessment(
            actor=care_city.users[CASEWORKER],
            case=granted_case,
            life_area=LifeArea.objects.get(code="domestic_life"),
            needs="Städning",
        )
    assert "låst" in error.value.errors["__all__"]
    assert LifeAreaAssessment.objects.count() == 1


@pytest.mark.parametrize(
    "kwargs, errors",
    [
        ({"icf_codes": ["d999"]}, {"icf_codes": "Välj ICF-koder ur listan."}),
        ({"needs": "x" * 10_001}, {"needs": "Texten är för lång (högst 10 000 tecken)."}),
    ],
)
def test_a_life_area_with_bad_input_writes_nothing(care_city, greta, kwargs, errors):
    case = open_home_care_case(care_city, greta)
    with pytest.raises(InvalidInput) as error:
        services.save_life_area_assessment(
            actor=care_city.users[CASEWORKER],
            case=case,
            life_area=LifeArea.objects.get(code="mobility"),
            **kwargs,
        )
    assert error.value.errors == errors
    assert Investigation.objects.count() == 0


@pytest.mark.parametrize(
    "kind, scope, field, message",
    [
        ("home_care", "", "scope_amount", "Ange omfattningen (timmar per månad)."),
        (
            "home_care",
            "800",
            "scope_amount",
            "Omfattningen ska vara större än 0 och högst 744 timmar per månad.",
        ),
        ("home_care", "2,25", "scope_amount", "Ange omfattningen med högst en decimal."),
        ("home_care", "mycket", "scope_amount", "Omfattningen ska vara ett tal, till exempel 32 eller 2,5."),
        ("lss_contact_person", "1", "intervention_kind", "Välj en insats inom ärendets verksamhetsområde."),
    ],
)
def test_proposed_interventions_are_checked(care_city, greta, kind, scope, field, message):
    case = open_home_care_case(care_city, greta)
    with pytest.raises(InvalidInput) as error:
        services.add_proposed_intervention(
            actor=care_city.users[CASEWORKER],
            case=case,
            intervention_kind=kind,
            description="Hemtjänst",
            scope_amount=scope,
            goals="Bo kvar hemma.",
        )
    assert error.value.errors == {field: message}


def test_a_decimal_scope_is_written_with_a_comma(care_city, greta):
    case = investigate(care_city, open_home_care_case(care_city, greta))
    decision = decide(care_city, case, scope="12,5")
    assert decision.items.get().scope == "12,5 timmar per månad"


def test_the_investigation_needs_a_documented_area_and_a_proposal(care_city, greta):
    case = open_home_care_case(care_city, greta)
    with pytest.raises(InvalidInput) as error:
        services.complete_investigation(actor=care_city.users[CASEWORKER], case=case)
    assert error.value.errors == {"__all__": "Beskriv behov, resurser och mål i minst ett livsområde först."}
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


@pytest.mark.parametrize("username", ["handlaggare.ifo", "handlaggare.lss", "utforare.hemtjanst", "admin"])
def test_other_roles_cannot_write_the_investigation(care_city, greta, username):
    case = open_home_care_case(care_city, greta)
    with pytest.raises(NotPermitted):
        services.save_life_area_assessment(
            actor=care_city.users[username],
            case=case,
            life_area=LifeArea.objects.get(code="mobility"),
            needs="Behöver rollator.",
        )
    assert Investigation.objects.count() == 0


def test_termination_ends_the_orders_with_a_reason(care_city, order, greta):
    case = order.intervention.case
    termination = services.terminate_interventions(
        actor=care_city.users[CASEWORKER],
        case=case,
        reason="moved",
        ended_on=timezone.localdate(),
        note="Flyttat till dottern i Umeå.",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.ENDED
    assert (termination.reason, termination.order_ids) == ("moved", [order.pk])
    with pytest.raises(InvalidInput) as error:
        services.terminate_interventions(
            actor=care_city.users[CASEWORKER], case=case, reason="deceased", ended_on=timezone.localdate()
        )
    assert error.value.errors == {"__all__": "Ärendet har inga pågående beställningar att avsluta."}


def test_an_lss_application_is_granted_in_activities_per_week_and_goes_to_the_default(care_city, greta):
    from sociala.cases import services as case_services
    from sociala.cases.models import CaseType

    actor = care_city.users["handlaggare.lss"]
    case = case_services.open_case(
        actor=actor,
        person=greta,
        case_type=CaseType.objects.get(code="lss_contact_person_application"),
        received_on=timezone.localdate(),
        sought="Kontaktperson",
    )
    case = case_services.complete_step(actor=actor, case=case, step="intake")
    services.save_life_area_assessment(
        actor=actor,
        case=case,
        life_area=LifeArea.objects.get(code="community_life"),
        needs="Saknar sällskap till fritidsaktiviteter.",
        icf_codes=["d920", "d910"],
    )
    services.add_proposed_intervention(
        actor=actor,
        case=case,
        intervention_kind="lss_contact_person",
        description="Kontaktperson",
        scope_amount="1",
        goals="Delta i en fritidsaktivitet varje vecka.",
    )
    services.complete_investigation(actor=actor, case=case)
    decision = services.decide_from_investigation(
        actor=actor,
        case=case,
        items=[
            {
                "intervention_kind": "lss_contact_person",
                "description": "Kontaktperson",
                "scope_amount": "1",
                "goals": "Delta i en fritidsaktivitet varje vecka.",
                "outcome": "granted",
            }
        ],
        period_start=timezone.localdate(),
        period_end=None,
        motivation="Greta tillhör personkretsen och behöver stöd för ett socialt liv.",
    )
    item = decision.items.get()
    assert (item.scope, item.legal_basis) == (
        "1 tillfällen per vecka",
        "9 § 4 lagen (1993:387) om stöd och service till vissa funktionshindrade",
    )
    case.refresh_from_db()
    choice = services.record_provider_choice(
        actor=actor, intervention=case.interventions.get(), method="default", chosen_on=timezone.localdate()
    )
    assert choice.provider == care_city.providers["kontaktperson"]
    # The order lets the intervention step be completed.
    from sociala.cases.services import complete_step

    assert complete_step(actor=actor, case=case, step="intervention").stage == Stage.FOLLOW_UP


def test_only_a_system_administrator_approves_providers(care_city):
    from sociala.care.demo import seed_provider_approvals
    from sociala.care.models import ProviderApproval

    count = ProviderApproval.objects.count()
    assert count == 10
    assert seed_provider_approvals(actor=care_city.users["admin"]) == 0
    for username in ("handlaggare.ao", "admin.lokal", "utforare.hemtjanst"):
        with pytest.raises(NotPermitted):
            services.approve_provider(
                actor=care_city.users[username],
                provider=care_city.providers["hemtjanst_privat"],
                intervention_kind="safety_alarm",
                valid_from=timezone.localdate(),
            )
    assert ProviderApproval.objects.count() == count
    with pytest.raises(InvalidInput) as error:
        services.approve_provider(
            actor=care_city.users["admin"],
            provider=care_city.providers["hemtjanst_privat"],
            intervention_kind="lss_contact_person",
            valid_from=timezone.localdate(),
        )
    assert error.value.errors == {
        "provider": "Utföraren utför inte insatser inom det här verksamhetsområdet."
    }
