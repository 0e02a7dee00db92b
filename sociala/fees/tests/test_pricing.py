"""The price of granted services from the decisions' scope and the price list; hand-worked amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from sociala.care import services as care
from sociala.care.models import LifeArea
from sociala.cases import services as cases
from sociala.cases.models import CaseType
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.fees import services
from sociala.fees.models import FeeDecision, PriceListEntry
from sociala.fees.pricing import granted_services, monthly_price, priced_interventions
from sociala.tests.factories import make_person

pytestmark = pytest.mark.django_db

CASEWORKER = "handlaggare.ao"


def _entry(unit: str, price: str) -> PriceListEntry:
    return PriceListEntry(intervention_kind="x", service_type="home_care", unit=unit, price=Decimal(price))


@pytest.mark.parametrize(
    ("amount", "scope_unit", "unit", "price", "expected"),
    [
        ("32", "hours_per_month", "per_hour", "450.00", 14_400),  # 32 × 450
        ("7.5", "hours_per_month", "per_hour", "450.00", 3_375),  # 7,5 × 450
        ("6", "days_per_month", "per_day", "190.00", 1_140),  # 6 × 190
        ("2", "activities_per_week", "per_activity", "150.00", 1_300),  # 2 × 150 × 52 / 12 = 1 300
        ("1", "activities_per_week", "per_activity", "155.00", 672),  # 155 × 52 / 12 = 671,67 → 672
        ("1", "activities_per_week", "per_activity", "3.00", 13),  # 3 × 52 / 12 = 13
        ("1", "activities_per_week", "per_activity", "0.75", 3),  # 0,75 × 52 / 12 = 3,25 → 3
        (None, "none", "per_month", "250.00", 250),
        (None, "place", "per_month", "2733.00", 2_733),
        ("1", "hours_per_month", "per_hour", "0.50", 1),  # a half krona rounds up
    ],
)
def test_scope_times_price_per_month(amount, scope_unit, unit, price, expected):
    scope = Decimal(amount) if amount is not None else None
    assert monthly_price(scope, scope_unit, _entry(unit, price)) == expected


def test_a_price_unit_that_does_not_fit_the_scope_is_refused():
    from sociala.fees.pricing import PriceMismatch

    with pytest.raises(PriceMismatch):
        monthly_price(Decimal(2), "activities_per_week", _entry("per_hour", "450.00"))


def _grant(city, person, code: str, items: list[dict], start: date):
    actor = city.users[CASEWORKER]
    case = cases.open_case(
        actor=actor,
        person=person,
        case_type=CaseType.objects.get(code=code),
        received_on=timezone.localdate(),
        sought="Hjälp i vardagen",
    )
    case = cases.complete_step(actor=actor, case=case, step="intake")
    care.save_life_area_assessment(
        actor=actor, case=case, life_area=LifeArea.objects.get(code="self_care"), needs="Hjälp med dusch."
    )
    for item in items:
        care.add_proposed_intervention(
            actor=actor,
            case=case,
            intervention_kind=item["intervention_kind"],
            description=item["description"],
            scope_amount=item.get("scope_amount"),
            goals="Bo kvar hemma.",
        )
    case = care.complete_investigation(actor=actor, case=case)
    return care.decide_from_investigation(
        actor=actor,
        case=case,
        items=[{**item, "goals": "Bo kvar hemma.", "outcome": "granted"} for item in items],
        period_start=start,
        period_end=None,
        motivation="Utredningen visar behov av hjälp i vardagen.",
    )


@pytest.fixture
def greta(city):
    """82 years old: no under-age raise of the minimum amount."""
    return make_person(city, number="194401077674", first_name="Greta", last_name="Holm")


def test_the_price_of_granted_services_comes_from_the_decision_scope(city, greta):
    _grant(
        city,
        greta,
        "home_care_application",
        [{"intervention_kind": "home_care", "description": "Hemtjänst", "scope_amount": "32"}],
        date(2026, 6, 10),
    )
    assert granted_services(greta, date(2026, 6, 1)) == [{"type": "home_care", "monthly_price": 14_400}]
    assert [row.monthly_price for row in priced_interventions(greta, date(2026, 7, 1))] == [14_400]
    # Before the start nothing runs.
    assert granted_services(greta, date(2026, 5, 1)) == []


def test_services_of_several_decisions_are_summed_per_fee_service(city, greta):
    from sociala.accounts.models import Delegation

    Delegation.objects.create(
        user=city.users[CASEWORKER],
        committee=city.districts["Rinkeby-Kista"],
        case_type="*",
        reference="5.1",
        valid_from=date(2025, 1, 1),
    )
    _grant(
        city,
        greta,
        "day_activity_application",
        [{"intervention_kind": "day_activity", "description": "Dagverksamhet", "scope_amount": "2"}],
        date(2026, 6, 1),
    )
    _grant(
        city,
        greta,
        "safety_alarm_application",
        [{"intervention_kind": "safety_alarm", "description": "Trygghetslarm"}],
        date(2026, 6, 1),
    )
    _grant(
        city,
        greta,
        "home_care_application",
        [
            {"intervention_kind": "home_care", "description": "Hemtjänst", "scope_amount": "10"},
            {"intervention_kind": "companion_service", "description": "Ledsagning", "scope_amount": "2,5"},
        ],
        date(2026, 6, 1),
    )
    # home care 10 × 450 + companion service 2,5 × 450 = 4 500 + 1 125 = 5 625 (both charged as home care);
    # day activity 2 × 150 × 52 / 12 = 1 300; safety alarm 250.
    assert granted_services(greta, date(2026, 7, 1)) == [
        {"type": "day_activity", "monthly_price": 1_300},
        {"type": "home_care", "monthly_price": 5_625},
        {"type": "safety_alarm", "monthly_price": 250},
    ]


def test_the_fee_is_decided_from_the_decisions_with_hand_worked_amounts(city, greta):
    _grant(
        city,
        greta,
        "home_care_application",
        [
            {"intervention_kind": "home_care", "description": "Hemtjänst", "scope_amount": "32"},
        ],
        date(2026, 6, 1),
    )
    actor = city.users[CASEWORKER]
    services.record_income_declaration(
        actor=actor,
        person=greta,
        household="single",
        monthly_net_income=15_000,
        housing_cost=6_000,
        changed_on=date(2026, 10, 15),
    )
    decision = services.decide_fee_from_decisions(actor=actor, person=greta, changed_on=date(2026, 10, 15))
    # 2026: minimum amount single 59 200 × 1,4789 / 12 = 7 296; reserved 7 296 + 6 000 = 13 296;
    # capacity 15 000 − 13 296 = 1 704; price 32 h × 450 = 14 400; max fee 2 660 → fee 1 704.
    assert decision.valid_from == date(2026, 11, 1)
    assert decision.inputs["services"] == [{"type": "home_care", "monthly_price": 14_400}]
    assert (decision.reserved_amount, decision.fee_capacity, decision.max_fee, decision.fee) == (
        13_296,
        1_704,
        2_660,
        1_704,
    )


def test_a_higher_income_pays_the_max_fee(city, greta):
    _grant(
        city,
        greta,
        "home_care_application",
        [{"intervention_kind": "home_care", "description": "Hemtjänst", "scope_amount": "4"}],
        date(2026, 6, 1),
    )
    actor = city.users[CASEWORKER]
    services.record_income_declaration(
        actor=actor,
        person=greta,
        household="single",
        monthly_net_income=25_000,
        housing_cost=6_000,
        changed_on=date(2026, 9, 1),
    )
    decision = services.decide_fee_from_decisions(actor=actor, person=greta, changed_on=date(2026, 9, 1))
    # capacity 25 000 − 13 296 = 11 704; price 4 h × 450 = 1 800 < max fee 2 660 → fee 1 800.
    assert (decision.valid_from, decision.fee_capacity, decision.fee) == (date(2026, 9, 1), 11_704, 1_800)


def test_without_services_with_a_fee_nothing_is_decided(city, greta):
    actor = city.users[CASEWORKER]
    cases.open_case(
        actor=actor,
        person=greta,
        case_type=CaseType.objects.get(code="home_care_application"),
        received_on=timezone.localdate(),
        sought="Hjälp",
    )
    services.record_income_declaration(
        actor=actor,
        person=greta,
        household="single",
        monthly_net_income=15_000,
        housing_cost=6_000,
        changed_on=timezone.localdate(),
    )
    with pytest.raises(InvalidInput) as error:
        services.decide_fee_from_decisions(actor=actor, person=greta, changed_on=timezone.localdate())
    assert set(error.value.errors) == {"changed_on"}
    assert not FeeDecision.objects.exists()


def test_a_user_without_a_care_case_of_the_person_may_not_decide(city, greta):
    with pytest.raises(NotPermitted):
        services.decide_fee_from_decisions(
            actor=city.users["handlaggare.ifo"], person=greta, changed_on=timezone.localdate()
        )
    assert not FeeDecision.objects.exists()
