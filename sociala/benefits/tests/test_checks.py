"""The automated checks: each fires when it should, stays quiet when it should, and says why in figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sociala.benefits import budget_services
from sociala.benefits.budget import BudgetInput, MemberInput
from sociala.benefits.budget_choices import CheckKind, InquiryStatus
from sociala.benefits.checks import (
    findings_for,
    flag_text,
    median,
    median_absolute_deviation,
    outlier,
    refresh_flags,
)
from sociala.benefits.models import BudgetFlag, CheckRules, FetchedIncome, IncomeInquiry
from sociala.tests.factories import make_person

from . import test_budget_support as support
from .test_budget_support import (
    APRIL,
    MARCH,
    income,
    make_budget,
    open_income_case,
    single,
    upload,
)

# The shared fixtures, bound here so that pytest finds them.
applicant, case = support.applicant, support.case

NNBSP, NBSP = "\u202f", "\u00a0"


def kr(text: str) -> str:
    """'1 310' -> the way amounts are written: narrow no-break space for thousands, no-break before kr."""
    return text.replace(" ", NNBSP) + f"{NBSP}kr"


def answered(budget, items, *, agency_errors=(), month=None, status=InquiryStatus.ANSWERED, number=None):
    inquiry = IncomeInquiry.objects.create(
        budget=budget,
        personal_identity_number=number or budget.case.person.personal_identity_number,
        period_start=month or budget.month,
        period_end=(month or budget.month).replace(day=28),
        correlation_id=f"c-{IncomeInquiry.objects.count() + 1}",
        status=status,
        agency_errors=list(agency_errors),
        requested_by=budget.created_by,
    )
    for agency, kind, amount, is_net in items:
        FetchedIncome.objects.create(
            inquiry=inquiry, agency=agency, income_type=kind, description=kind, amount=amount, is_net=is_net
        )
    return inquiry


def flags(budget, kind=None):
    return [(k, p) for k, p in findings_for(budget) if kind is None or k == kind]


def texts(budget, visible=frozenset()):
    refresh_flags(budget)
    return [flag_text(f, visible) for f in BudgetFlag.objects.filter(budget=budget).order_by("pk")]


# --- the robust spread -------------------------------------------------------------------------------------


def test_median_and_median_absolute_deviation_are_exact():
    assert median([4, 1, 3, 2]) == Decimal("2.5")
    assert median([5, 1, 3]) == 3
    assert median_absolute_deviation([1, 2, 3, 4, 100]) == 1
    assert median_absolute_deviation([6000, 6000, 6000]) == 0


def test_a_value_within_three_spreads_is_not_an_outlier_and_one_beyond_is():
    series = [6000, 6000, 6100, 6000]  # median 6000, MAD 0, floor 5 % of the median = 300
    assert outlier(6900, series, Decimal(3), Decimal("0.05")) is None
    found = outlier(6901, series, Decimal(3), Decimal("0.05"))
    assert (found.median, found.mad, found.spread, found.low, found.high, found.count) == (
        6000,
        0,
        300,
        5100,
        6900,
        4,
    )


# --- reported against fetched incomes -----------------------------------------------------------------------


def test_a_reported_income_that_differs_from_the_agencys_by_more_than_the_threshold_fires(city, case):
    budget = make_budget(city, case, data=single(case.person, incomes=[income("housing_allowance", 1000)]))
    answered(budget, [("FK", "housing_allowance", 1310, True)])
    assert flags(budget, CheckKind.INCOME_DIFFERS) == [
        (
            "income_differs",
            {
                "type": "housing_allowance",
                "agency": "FK",
                "reported": 1000,
                "fetched": 1310,
                "threshold": 100,
            },
        )
    ]
    assert texts(budget) == [
        f"Bostadsbidrag: redovisat {kr('1 000')}, Försäkringskassan {kr('1 310')} för månaden. "
        f"Skillnaden {kr('310')} är större än {kr('100')}.",
        f"Boende {kr('6 000')} saknar underlag; underlag krävs från {kr('1 000')}.",
    ]


def test_a_difference_within_the_threshold_does_not_fire(city, case):
    budget = make_budget(city, case, data=single(case.person, incomes=[income("housing_allowance", 1210)]))
    answered(budget, [("FK", "housing_allowance", 1310, True)])
    assert flags(budget, CheckKind.INCOME_DIFFERS) == []


def test_the_threshold_is_data(city, case):
    CheckRules.objects.filter(valid_from__lte=MARCH).update(income_difference=50)
    budget = make_budget(city, case, data=single(case.person, incomes=[income("housing_allowance", 1250)]))
    answered(budget, [("FK", "housing_allowance", 1310, True)])
    assert [p["threshold"] for _k, p in flags(budget, CheckKind.INCOME_DIFFERS)] == [50]


def test_an_agency_income_that_is_not_reported_fires(city, case):
    budget = make_budget(city, case)
    answered(
        budget,
        [("SO", "unemployment_benefit", 14700, True), ("SKV", "declared_earned_income", 216200, False)],
    )
    assert texts(budget)[0] == (
        f"Arbetslöshetsersättning: redovisat {kr('0')}, Arbetslöshetskassan {kr('14 700')} för månaden. "
        f"Skillnaden {kr('14 700')} är större än {kr('100')}."
    )


def test_a_reported_income_the_agency_does_not_have_fires(city, case):
    budget = make_budget(city, case, data=single(case.person, incomes=[income("pension", 9000)]))
    answered(budget, [])
    assert texts(budget)[0] == (
        f"Pension: redovisat {kr('9 000')}, men Pensionsmyndigheten har inget för månaden (gränsen är {kr('100')})."
    )


def test_a_gross_amount_fires_only_when_nothing_of_the_kind_is_reported(city, case):
    budget = make_budget(city, case)
    answered(budget, [("FK", "activity_support", 8630, False)])
    assert texts(budget)[0] == (
        f"Aktivitetsstöd eller etableringsersättning: Försäkringskassan har beslutat {kr('8 630')} före skatt "
        "för månaden, men ingen sådan inkomst är redovisad."
    )
    reported = make_budget(
        city, case, month=APRIL, data=single(case.person, incomes=[income("activity_support", 7100)])
    )
    answered(reported, [("FK", "activity_support", 8630, False)])
    assert flags(reported, CheckKind.INCOME_DIFFERS) == []


def test_kinds_from_an_agency_that_did_not_answer_are_not_compared(city, case):
    budget = make_budget(
        city,
        case,
        data=single(case.person, incomes=[income("housing_allowance", 1000), income("pension", 5000)]),
    )
    answered(
        budget,
        [("SO", "unemployment_benefit", 14440, True)],
        agency_errors=[{"agency": "FK", "source": "SSBT", "code": "SSBT-504", "message": "Tidsgräns"}],
    )
    assert [p["type"] for _k, p in flags(budget, CheckKind.INCOME_DIFFERS)] == ["unemployment_benefit"]


@pytest.mark.parametrize(
    "how", [{"status": InquiryStatus.FAILED}, {"month": date(2026, 2, 1)}], ids=["failed", "other-month"]
)
def test_nothing_is_compared_without_an_answer_for_the_month(city, case, how):
    budget = make_budget(city, case, data=single(case.person, incomes=[income("housing_allowance", 1000)]))
    answered(budget, [("FK", "housing_allowance", 3000, True)], **how)
    assert flags(budget, CheckKind.INCOME_DIFFERS) == []


def test_the_latest_answer_per_person_counts(city, case):
    budget = make_budget(city, case, data=single(case.person, incomes=[income("housing_allowance", 1000)]))
    answered(budget, [("FK", "housing_allowance", 3000, True)])
    answered(budget, [("FK", "housing_allowance", 1000, True)])
    assert flags(budget, CheckKind.INCOME_DIFFERS) == []


# --- the same person in two households ---------------------------------------------------------------------------


def couple(person, partner_number) -> BudgetInput:
    return BudgetInput(
        members=(
            MemberInput(role="applicant", personal_identity_number=person.personal_identity_number),
            MemberInput(role="partner", personal_identity_number=partner_number, name="Per Partner"),
        ),
        costs={"housing": (6000, None)},
    )


def test_a_person_in_two_households_the_same_month_fires_on_both(city, case):
    partner = make_person(city, district="Bromma", first_name="Per", last_name="Partner")
    other_case = open_income_case(city, partner, username="handlaggare.ifo.bromma")
    first = make_budget(city, case, data=couple(case.person, partner.personal_identity_number))
    second = make_budget(city, other_case, data=single(partner), username="handlaggare.ifo.bromma")

    assert flags(first, CheckKind.TWO_HOUSEHOLDS)[0][1] == {
        "position": 1,
        "role": "partner",
        "name": "Per Partner",
        "number": partner.personal_identity_number,
        "other_budget_id": second.pk,
        "other_case_id": other_case.pk,
        "other_case_reference": other_case.reference,
        "other_district": "Bromma stadsdelsnämnd",
    }
    first_flag = first.flags.get(kind=CheckKind.TWO_HOUSEHOLDS)
    assert flag_text(first_flag) == (
        "Per Partner (make, maka eller sambo) finns också i ett annat hushåll i Bromma stadsdelsnämnd för samma "
        "månad. Kontakta stadsdelen."
    )
    assert flag_text(first_flag, {other_case.pk}) == (
        f"Per Partner (make, maka eller sambo) finns också i hushållet i ärende {other_case.reference} "
        "(Bromma stadsdelsnämnd) för samma månad."
    )
    # The second budget was flagged when it was saved, and the first one's flag stays in step.
    second_flag = second.flags.get(kind=CheckKind.TWO_HOUSEHOLDS)
    assert second_flag.params["other_case_id"] == case.pk
    assert second_flag.params["role"] == "applicant"


def test_a_person_who_leaves_one_household_clears_the_flag_on_the_other(city, case):
    partner = make_person(city, district="Bromma")
    other_case = open_income_case(city, partner, username="handlaggare.ifo.bromma")
    first = make_budget(city, case, data=couple(case.person, partner.personal_identity_number))
    second = make_budget(city, other_case, data=single(partner), username="handlaggare.ifo.bromma")
    assert second.flags.filter(kind=CheckKind.TWO_HOUSEHOLDS).count() == 1

    budget_services.update_budget(actor=city.users["handlaggare.ifo"], budget=first, data=single(case.person))

    assert first.flags.filter(kind=CheckKind.TWO_HOUSEHOLDS).count() == 0
    assert second.flags.filter(kind=CheckKind.TWO_HOUSEHOLDS).count() == 0


def test_the_same_person_in_different_months_does_not_fire(city, case):
    partner = make_person(city, district="Bromma")
    other_case = open_income_case(city, partner, username="handlaggare.ifo.bromma")
    first = make_budget(city, case, data=couple(case.person, partner.personal_identity_number))
    make_budget(city, other_case, month=APRIL, data=single(partner), username="handlaggare.ifo.bromma")
    assert flags(first, CheckKind.TWO_HOUSEHOLDS) == []


# --- costs far from the person's history or the district's usual range ------------------------------------------


def history(city, case, amounts):
    for month, amount in zip([date(2026, 1, 1), date(2026, 2, 1), MARCH], amounts, strict=True):
        make_budget(city, case, month=month, data=single(case.person, housing=amount))


def test_a_cost_far_from_the_persons_own_months_fires(city, case):
    history(city, case, [6000, 6000, 6100])
    budget = make_budget(city, case, month=APRIL, data=single(case.person, housing=9000))
    (found,) = flags(budget, CheckKind.COST_OUTSIDE_HISTORY)
    assert found[1] == {
        "item": "housing",
        "amount": 9000,
        "median": "6000",
        "mad": "0",
        "spread": "300.000",
        "floor": "0.050",
        "factor": "3.00",
        "low": 5100,
        "high": 6900,
        "count": 3,
        "months": 12,
    }
    flag = budget.flags.get(kind=CheckKind.COST_OUTSIDE_HISTORY)
    assert flag_text(flag) == (
        f"Boende {kr('9 000')} ligger utanför personens vanliga {kr('5 100')}–{kr('6 900')}: mer än 3 × "
        f"{kr('300')} från medianen {kr('6 000')} av 3 tidigare månader (spridningen är MAD {kr('0')}, minst 5 % "
        "av medianen)."
    )


def test_a_cost_within_the_persons_range_or_without_enough_history_does_not_fire(city, case):
    history(city, case, [6000, 6000, 6100])
    within = make_budget(city, case, month=APRIL, data=single(case.person, housing=6900))
    assert flags(within, CheckKind.COST_OUTSIDE_HISTORY) == []
    other = open_income_case(city, make_person(city))
    make_budget(city, other, month=date(2026, 2, 1), data=single(other.person, housing=6000))
    make_budget(city, other, month=MARCH, data=single(other.person, housing=6000))
    short = make_budget(city, other, month=APRIL, data=single(other.person, housing=20000))
    assert flags(short, CheckKind.COST_OUTSIDE_HISTORY) == []


def neighbours(city, count, housing=6000, month=MARCH):
    for index in range(count):
        person = make_person(city)
        make_budget(
            city,
            open_income_case(city, person),
            month=month,
            data=single(person, housing=housing + 50 * index),
        )


def test_a_cost_far_from_the_districts_usual_for_the_household_size_fires(city, case):
    # 6000, 6050 … 6450: median 6225, MAD 125, but at least 5 % of the median (311.25): 5291.25–7158.75.
    neighbours(city, 10)
    within = make_budget(city, case, data=single(case.person, housing=7150))
    assert flags(within, CheckKind.COST_OUTSIDE_DISTRICT) == []
    budget = make_budget(city, case, month=APRIL, data=single(case.person, housing=7200))
    assert flags(budget, CheckKind.COST_OUTSIDE_DISTRICT) == []  # April has no neighbours
    other = open_income_case(city, make_person(city))
    budget = make_budget(city, other, data=single(other.person, housing=7200))
    # Now eleven others (the 7150 above too): median 6250, MAD 150, spread 312.50: 5312.50–7187.50.
    (found,) = flags(budget, CheckKind.COST_OUTSIDE_DISTRICT)
    assert found[1] == {
        "item": "housing",
        "amount": 7200,
        "median": "6250",
        "mad": "150",
        "spread": "312.500",
        "floor": "0.050",
        "factor": "3.00",
        "low": 5313,
        "high": 7188,
        "count": 11,
        "household_size": 1,
    }
    assert flag_text(budget.flags.get(kind=CheckKind.COST_OUTSIDE_DISTRICT)) == (
        f"Boende {kr('7 200')} ligger utanför stadsdelens vanliga {kr('5 313')}–{kr('7 188')} för hushåll med 1 "
        f"personer: mer än 3 × {kr('313')} från medianen {kr('6 250')} av 11 hushåll (spridningen är MAD "
        f"{kr('150')}, minst 5 % av medianen)."
    )


def test_fewer_households_than_the_sample_or_other_sizes_do_not_count(city, case):
    neighbours(city, 9)
    budget = make_budget(city, case, data=single(case.person, housing=20000))
    assert flags(budget, CheckKind.COST_OUTSIDE_DISTRICT) == []
    partner = make_person(city)
    bigger = open_income_case(city, make_person(city))
    make_budget(city, bigger, data=couple(bigger.person, partner.personal_identity_number))
    assert flags(budget, CheckKind.COST_OUTSIDE_DISTRICT) == []


# --- receipts ------------------------------------------------------------------------------------------------------


def test_a_cost_from_the_threshold_without_a_receipt_fires(city, case):
    budget = make_budget(city, case, data=single(case.person, housing=1000, electricity=999))
    assert flags(budget, CheckKind.MISSING_RECEIPT) == [
        ("missing_receipt", {"item": "housing", "amount": 1000, "threshold": 1000})
    ]


def test_a_cost_with_its_receipt_does_not_fire(city, case):
    receipt = upload(city, case)
    budget = make_budget(city, case, data=single(case.person, housing=9000, receipts={"housing": receipt.pk}))
    assert flags(budget) == []
    assert budget.flags.count() == 0
