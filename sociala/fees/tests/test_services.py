"""Income declarations and fee decisions: recalculation from the month after a change, the letter, access."""

import io
from datetime import date

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from sociala.accounts.services import system_actor
from sociala.audit.models import AuditEvent
from sociala.cases import services as cases
from sociala.cases.models import CaseType
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.documents.models import Document
from sociala.fees import services
from sociala.fees.calculation import FeeInput, FeeRules, calculate_fee
from sociala.fees.choices import FeeDecisionReason
from sociala.fees.models import FeeDecision, IncomeDeclaration, PriceBaseAmount
from sociala.fees.selectors import decision_in_force, fee_decisions_of_person
from sociala.tests.factories import make_person

HOME_CARE = [{"type": "home_care", "monthly_price": 3000}]


def declare(
    city, person, *, changed_on, income=15_000, housing=6_000, household="single", user="handlaggare.ao"
):
    return services.record_income_declaration(
        actor=city.users[user],
        person=person,
        household=household,
        monthly_net_income=income,
        housing_cost=housing,
        changed_on=changed_on,
    )


def decide(city, person, *, changed_on, services_=HOME_CARE, user="handlaggare.ao", **extra):
    return services.decide_fee(
        actor=city.users[user], person=person, services=services_, changed_on=changed_on, **extra
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- the month a change applies from ---------------------------------------------------------


@pytest.mark.parametrize(
    "changed_on, month",
    [
        (date(2026, 3, 15), date(2026, 4, 1)),
        (date(2026, 3, 31), date(2026, 4, 1)),
        (date(2026, 12, 2), date(2027, 1, 1)),
        (date(2026, 3, 1), date(2026, 3, 1)),  # the change covers the whole month (32:10 andra stycket)
    ],
)
def test_a_change_applies_from_the_month_after(changed_on, month):
    assert services.fee_start_month(changed_on) == month


# --- the first fee decision ------------------------------------------------------------------


def test_a_declaration_alone_makes_no_decision_until_services_are_priced(city, client_person):
    declaration = declare(city, client_person, changed_on=date(2026, 3, 15))
    assert declaration.registered_by == city.users["handlaggare.ao"]
    assert FeeDecision.objects.count() == 0
    assert (
        AuditEvent.objects.filter(action="create_income_declaration", person_id=client_person.pk).count() == 1
    )


def test_a_fee_decision_stores_its_calculation_inputs_and_rule_version(city, client_person):
    declare(city, client_person, changed_on=date(2026, 3, 15))
    decision = decide(city, client_person, changed_on=date(2026, 3, 15))
    # 82 years: reserved 7 296 + 6 000 = 13 296; capacity 15 000 − 13 296 = 1 704 < max fee 2 660.
    assert (decision.valid_from, decision.valid_to, decision.fee) == (date(2026, 4, 1), None, 1704)
    assert (decision.fee_basis, decision.reserved_amount, decision.fee_capacity, decision.max_fee) == (
        15_000,
        13_296,
        1_704,
        2_660,
    )
    assert (decision.age, decision.reason) == (82, FeeDecisionReason.FIRST)
    assert decision.reference == f"A{decision.decided_on.year}-{decision.pk:06d}"
    assert decision.district == city.districts["Rinkeby-Kista"]
    assert decision.inputs == {
        "household": "single",
        "age": 82,
        "monthly_net_income": 15_000,
        "housing_cost": 6_000,
        "individual_adjustment": 0,
        "services": [{"type": "home_care", "monthly_price": 3000}],
    }
    assert decision.rules == {
        "year": 2026,
        "price_base_amount": 59_200,
        "max_fee_factor": "0.5392",
        "housing_max_fee_factor": "0.5539",
        "minimum_amount_single_factor": "1.4789",
        "minimum_amount_spouse_factor": "1.2066",
        "formula_valid_from": "2025-01-01",
        "raise_percent": "10.00",
        "raise_age_limit": 65,
        "raise_valid_from": "2025-01-01",
    }
    assert decision.lines[-1] == {"code": "fee", "label": "Avgift per månad", "amount": 1704}
    assert decision.legal_basis == "32 kap. 5–10 §§ socialtjänstlagen (2025:400)"
    assert "inom tre veckor" in decision.appeal_instructions
    assert "Rinkeby-Kista stadsdelsnämnd" in decision.appeal_instructions
    event = AuditEvent.objects.get(action="create_fee_decision")
    assert (event.person_id, event.object_id, event.details["fee"]) == (
        client_person.pk,
        str(decision.pk),
        1704,
    )


def test_a_stored_decision_recomputes_to_the_same_result(city, client_person):
    declare(city, client_person, changed_on=date(2026, 3, 15), income=26_000, household="couple")
    decision = decide(
        city,
        client_person,
        changed_on=date(2026, 3, 15),
        services_=[{"type": "health", "monthly_price": 900}],
    )
    # Even after the rules in the database changed, the stored version explains the decision.
    PriceBaseAmount.objects.filter(year=2026).update(amount=70_000)
    with translation.override("sv"):
        again = calculate_fee(FeeRules.from_version(decision.rules), FeeInput.from_dict(decision.inputs))
    assert again.as_dict()["lines"] == decision.lines
    assert (again.fee, again.reserved_amount) == (decision.fee, decision.reserved_amount)


def test_the_letter_is_a_pdf_in_the_case_file_with_the_fee_first(city, client_person):
    declare(city, client_person, changed_on=date(2026, 3, 15))
    decision = decide(city, client_person, changed_on=date(2026, 3, 15))
    document = Document.objects.get(person=client_person, kind=Document.Kind.DECISION_LETTER)
    assert document.title == f"Avgiftsbeslut {decision.reference}"
    assert document.case.person == client_person
    data = document.file.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data).replace("\u202f", " ").replace("\u00a0", " ")
    assert "Beslut om avgift" in text
    assert "Din avgift blir 1 704 kr per månad från och med 1 april 2026." in text
    assert text.index("Din avgift blir") < text.index("Så har vi räknat ut din avgift")
    assert "Avgiftsutrymme: avgiftsunderlag minus förbehållsbelopp 1 704 kr" in text
    assert "Förbehållsbelopp: minimibelopp och boendekostnad 13 296 kr" in text
    assert "32 kap. 5–10 §§ socialtjänstlagen (2025:400)" in text
    assert "Så överklagar du" in text and "inom tre veckor" in text


def test_a_client_under_65_gets_the_local_raise(city):
    person = make_person(city, number="196201082697")
    open_home_care_case(city, person)
    declare(city, person, changed_on=date(2026, 3, 15))
    decision = decide(city, person, changed_on=date(2026, 3, 15))
    # 64 years: 7 296 + 730 = 8 026; reserved 14 026; capacity 974.
    assert (decision.age, decision.minimum_amount, decision.fee) == (64, 8_026, 974)


def open_home_care_case(city, person):
    return cases.open_case(
        actor=city.users["handlaggare.ao"],
        person=person,
        case_type=CaseType.objects.get(code="home_care_application"),
        received_on=timezone.localdate(),
        sought="Hemtjänst",
    )


def test_an_individual_adjustment_needs_a_reason(city, client_person):
    declare(city, client_person, changed_on=date(2026, 3, 15))
    with pytest.raises(InvalidInput) as caught:
        decide(city, client_person, changed_on=date(2026, 3, 15), individual_adjustment=500)
    assert set(caught.value.errors) == {"adjustment_reason"}
    decision = decide(
        city,
        client_person,
        changed_on=date(2026, 3, 15),
        individual_adjustment=500,
        adjustment_reason="Fördyrade kostnader för specialkost.",
    )
    assert (decision.reserved_amount, decision.fee) == (13_796, 1_204)


def test_a_decision_needs_a_declaration_and_rules_for_the_month(city, client_person):
    with pytest.raises(InvalidInput) as caught:
        decide(city, client_person, changed_on=date(2026, 3, 15))
    assert set(caught.value.errors) == {"declaration"}
    declare(city, client_person, changed_on=date(2026, 3, 15))
    with pytest.raises(InvalidInput) as caught:
        decide(city, client_person, changed_on=date(2027, 3, 15))
    assert caught.value.errors == {
        "changed_on": "Det finns inga avgiftsregler för 2027-04. Be en administratör lägga in dem."
    }
    assert FeeDecision.objects.count() == 0


# --- recalculation from the month after a change ---------------------------------------------


def test_a_new_declaration_replaces_the_fee_from_the_month_after_the_change(city, client_person):
    declare(city, client_person, changed_on=date(2026, 3, 15))
    first = decide(city, client_person, changed_on=date(2026, 3, 15))
    # The pension rises on 20 June: 16 000 a month from July. Capacity 2 704, capped by max fee 2 660.
    declaration = declare(city, client_person, changed_on=date(2026, 6, 20), income=16_000)
    second = FeeDecision.objects.get(declaration=declaration)
    first.refresh_from_db()
    assert (second.valid_from, second.valid_to, second.fee) == (date(2026, 7, 1), None, 2_660)
    assert second.reason == FeeDecisionReason.DECLARATION
    assert second.inputs["services"] == first.inputs["services"]
    assert (first.valid_to, first.replaced_by) == (date(2026, 6, 30), second)
    assert decision_in_force(client_person, date(2026, 6, 1)) == first
    assert decision_in_force(client_person, date(2026, 7, 1)) == second
    assert decision_in_force(client_person, date(2026, 3, 1)) is None
    assert AuditEvent.objects.get(action="create_fee_decision", object_id=str(second.pk)).details[
        "replaces"
    ] == [first.pk]


def test_a_change_on_the_first_of_a_month_applies_from_that_month(city, client_person):
    declare(city, client_person, changed_on=date(2026, 3, 15))
    first = decide(city, client_person, changed_on=date(2026, 3, 15))
    declaration = declare(city, client_person, changed_on=date(2026, 9, 1), income=12_000)
    second = FeeDecision.objects.get(declaration=declaration)
    first.refresh_from_db()
    assert (second.valid_from, second.fee, first.valid_to) == (date(2026, 9, 1), 0, date(2026, 8, 31))


def test_a_decision_that_had_not_started_is_replaced_before_it_ever_applies(city, client_person):
    declare(city, client_person, changed_on=date(2026, 9, 5))
    later = decide(city, client_person, changed_on=date(2026, 9, 5))  # from October
    earlier = decide(city, client_person, changed_on=date(2026, 8, 10))  # from September
    later.refresh_from_db()
    assert later.replaced_by == earlier
    assert later.never_applied
    assert decision_in_force(client_person, date(2026, 10, 1)) == earlier


def test_new_services_are_a_change_too(city, client_person):
    declare(city, client_person, changed_on=date(2026, 3, 15), income=30_000)
    decide(city, client_person, changed_on=date(2026, 3, 15))
    moved = decide(
        city,
        client_person,
        changed_on=date(2026, 5, 12),
        services_=[
            {"type": "residential_care", "monthly_price": 3_500},
            {"type": "home_care", "monthly_price": 3_000},
        ],
    )
    assert (moved.valid_from, moved.max_fee, moved.fee) == (date(2026, 6, 1), 5_393, 5_393)
    assert moved.reason == FeeDecisionReason.SERVICES


def test_a_new_price_base_amount_makes_new_decisions_from_january(city, client_person):
    declare(city, client_person, changed_on=date(2025, 10, 15))
    old = decide(city, client_person, changed_on=date(2025, 10, 15))
    # 2025: 7 247 + 6 000 = 13 247; capacity 1 753.
    assert (old.valid_from, old.fee, old.rules["year"]) == (date(2025, 11, 1), 1_753, 2025)
    made = services.recalculate_for_year(actor=system_actor(), year=2026)
    assert len(made) == 1
    new = made[0]
    old.refresh_from_db()
    assert (new.valid_from, new.fee, new.rules["year"], new.reason) == (
        date(2026, 1, 1),
        1_704,
        2026,
        FeeDecisionReason.PRICE_BASE_AMOUNT,
    )
    assert (old.valid_to, old.replaced_by) == (date(2025, 12, 31), new)
    assert new.district == old.district
    assert services.recalculate_for_year(actor=system_actor(), year=2026) == []


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username", ["handlaggare.ifo", "handlaggare.lss", "utforare.hemtjanst", "controller"]
)
def test_staff_who_do_not_see_a_fee_case_may_not_write_fees_and_nothing_changes(
    city, client_person, username
):
    declare(city, client_person, changed_on=date(2026, 3, 15))
    before = (IncomeDeclaration.objects.count(), FeeDecision.objects.count(), AuditEvent.objects.count())
    with pytest.raises(NotPermitted):
        declare(city, client_person, changed_on=date(2026, 4, 15), user=username)
    with pytest.raises(NotPermitted):
        decide(city, client_person, changed_on=date(2026, 3, 15), user=username)
    assert (
        IncomeDeclaration.objects.count(),
        FeeDecision.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    assert list(fee_decisions_of_person(city.users[username], client_person)) == []


def test_the_caseworker_of_the_case_sees_the_fee_decisions_and_the_read_is_logged(city, client_person):
    declare(city, client_person, changed_on=date(2026, 3, 15))
    decision = decide(city, client_person, changed_on=date(2026, 3, 15))
    assert list(fee_decisions_of_person(city.users["handlaggare.ao"], client_person)) == [decision]
    event = AuditEvent.objects.filter(action="view_fee_decisions").get()
    assert (event.person_id, event.username) == (client_person.pk, "handlaggare.ao")
