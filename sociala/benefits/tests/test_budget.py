"""The monthly budget's services: save with calculation, copy last month's, fetch incomes from SSBTEK."""

from __future__ import annotations

from datetime import date

import pytest

from sociala.audit.models import AuditEvent
from sociala.benefits import budget_services
from sociala.benefits.budget import BudgetInput, IncomeInput, MemberInput, input_of
from sociala.benefits.budget_choices import CheckKind, InquiryStatus
from sociala.benefits.models import Budget, FetchedIncome, IncomeInquiry
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.integrations.ssbtek.client import SsbtekClient
from sociala.tests.factories import child_numbers, make_person

from . import test_budget_support as support
from .test_budget_support import (
    APRIL,
    income,
    make_budget,
    open_income_case,
    single,
    ssbtek_config,
    upload,
)

# The shared fixtures, bound here so that pytest finds them.
applicant, case, ssbtek_pki, ssbtek_settings, ssbtek_simulator = (
    support.applicant,
    support.case,
    support.ssbtek_pki,
    support.ssbtek_settings,
    support.ssbtek_simulator,
)


def family(person, child_number) -> BudgetInput:
    return BudgetInput(
        members=(
            MemberInput(role="applicant", personal_identity_number=person.formatted_number),
            MemberInput(role="child", personal_identity_number=child_number, name="Kim"),
        ),
        costs={"housing": (9200, None), "home_insurance": (180, None)},
        incomes=(
            IncomeInput(type="employment", amount=8000, member=0, job_stimulus=True),
            IncomeInput(type="child_allowance", amount=1250, member=None),
            IncomeInput(type="employment", amount=3000, member=1),
        ),
    )


def test_a_budget_is_calculated_with_the_months_rules_and_stored_with_its_version(city, case):
    budget = make_budget(
        city, case, data=family(case.person, child_numbers()[0])
    )  # the child is born 2013-01-01
    # Norm 3 940 (single adult) + 4 390 (child 13 years) + 1 410 (common, two persons) = 9 740; costs 9 380;
    # incomes 8 000 − 2 000 (job stimulus) + 1 250 + 3 000 − 3 000 (a child's pay under one price base amount).
    assert (budget.norm, budget.reasonable_costs, budget.counted_income, budget.assistance) == (
        9740,
        9380,
        7250,
        11870,
    )
    assert (
        budget.rule_version
        == "national_norm 2026-01-01; price_base_amount 2026-01-01; job_stimulus 2025-07-01"
    )
    assert [(line["rule"], line["amount"]) for line in budget.lines] == [
        ("single_adult", 3940),
        ("child", 4390),
        ("common_costs", 1410),
        ("reasonable_cost", 9200),
        ("reasonable_cost", 180),
        ("income", 8000),
        ("job_stimulus", -2000),
        ("income", 1250),
        ("income", 3000),
        ("child_work_income", -3000),
    ]
    assert budget.lines[1]["inputs"] == [["age", 13], ["preschool_lunch", False], ["days_in_household", None]]
    assert budget.lines[1]["rows"] == [
        {
            "table": "national_norm",
            "valid_from": "2026-01-01",
            "row": "child:11-14",
            "value": "4390",
            "legal_source": budget.lines[1]["rows"][0]["legal_source"],
        }
    ]
    assert AuditEvent.objects.filter(action="create_budget", case_id=case.pk).count() == 1


def test_the_applicant_is_the_cases_person_with_name_and_age_from_the_number(city, case):
    budget = make_budget(city, case)
    member = budget.members.get()
    birth = case.person.birth_date
    expected = 2026 - birth.year - ((3, 1) < (birth.month, birth.day))
    assert (member.role, member.name, member.personal_identity_number, member.age) == (
        "applicant",
        "Sara Sökande",
        case.person.personal_identity_number,
        expected,
    )


@pytest.mark.parametrize(
    "data, errors",
    [
        (
            BudgetInput(members=(MemberInput(role="partner", age=40),)),
            {"members.0.role": "Den första personen i hushållet är den sökande."},
        ),
        (
            BudgetInput(members=(MemberInput(role="applicant"),)),
            {"members.0.age": "Ange ålder eller personnummer."},
        ),
        (
            BudgetInput(members=(MemberInput(role="applicant", personal_identity_number="19121212-1212"),)),
            {"members.0.personal_identity_number": "Den sökande är ärendets person (%s)."},
        ),
        (
            BudgetInput(
                members=(MemberInput(role="applicant", age=40),), incomes=(IncomeInput("pension", -5, 0),)
            ),
            {"incomes.0.amount": "Beloppet får inte vara negativt."},
        ),
    ],
    ids=["applicant-first", "no-age", "other-applicant", "negative"],
)
def test_a_wrong_budget_is_refused_and_nothing_is_written(city, case, data, errors):
    with pytest.raises(InvalidInput) as error:
        make_budget(city, case, data=data)
    expected = {k: v.replace("%s", case.person.formatted_number) for k, v in errors.items()}
    assert {k: str(v) for k, v in error.value.errors.items()} == expected
    assert Budget.objects.count() == 0


def test_the_same_person_twice_and_a_receipt_from_another_case_are_refused(city, case):
    other_case = open_income_case(city, make_person(city))
    foreign = upload(city, other_case)
    number = child_numbers()[1]
    data = BudgetInput(
        members=(
            MemberInput(role="applicant", personal_identity_number=case.person.personal_identity_number),
            MemberInput(role="child", personal_identity_number=number),
            MemberInput(role="child", personal_identity_number=number),
        ),
    )
    with pytest.raises(InvalidInput) as error:
        make_budget(city, case, data=data)
    assert {k: str(v) for k, v in error.value.errors.items()} == {
        "members.2.personal_identity_number": "Personen finns redan i hushållet."
    }
    with pytest.raises(InvalidInput) as error:
        make_budget(city, case, data=single(case.person, receipts={"housing": foreign.pk}))
    assert {k: str(v) for k, v in error.value.errors.items()} == {
        "reasonable_costs.housing": "Underlaget finns inte bland ärendets handlingar."
    }
    assert Budget.objects.count() == 0


def test_a_month_without_a_national_norm_is_refused(city, case):
    with pytest.raises(InvalidInput) as error:
        make_budget(city, case, month=date(2027, 1, 1))
    assert {k: str(v) for k, v in error.value.errors.items()} == {
        "month": "Det finns ingen riksnorm för 2027-01."
    }


def test_one_budget_per_case_and_month(city, case):
    make_budget(city, case)
    with pytest.raises(InvalidInput) as error:
        make_budget(city, case)
    assert str(error.value.errors["month"]) == "Det finns redan en budget för 2026-03 i ärendet."


def test_a_changed_budget_is_recalculated_and_the_change_logged(city, case):
    budget = make_budget(city, case)
    before = budget.assistance
    budget_services.update_budget(
        actor=city.users["handlaggare.ifo"],
        budget=budget,
        data=single(case.person, housing=7000, incomes=[income("housing_allowance", 500)]),
    )
    budget.refresh_from_db()
    assert (before, budget.assistance) == (5220 + 6000, 5220 + 7000 - 500)
    event = AuditEvent.objects.get(action="update_budget")
    assert event.details == {"month": "2026-03", "assistance_before": 11220, "assistance": 11720}


def test_copying_last_months_budget_carries_the_household_forward(city, case):
    receipt = upload(city, case)
    child = child_numbers()[2]
    data = family(case.person, child)
    data = BudgetInput(
        members=data.members,
        costs={"housing": (9200, receipt.pk), "home_insurance": (180, None)},
        incomes=data.incomes,
    )
    march = make_budget(city, case, data=data)
    april = budget_services.copy_previous_budget(actor=city.users["handlaggare.ifo"], case=case, month=APRIL)

    copied = input_of(april)
    assert april.copied_from == march
    assert [(m.role, m.personal_identity_number) for m in copied.members] == [
        ("applicant", case.person.personal_identity_number),
        ("child", child),
    ]
    # The child's March pay (3 000) now counts as earlier this year; receipts stay with their month.
    assert copied.members[1].work_income_earlier_this_year == 3000
    assert copied.costs == {"housing": (9200, None), "home_insurance": (180, None)}
    assert copied.incomes == data.incomes
    assert [f.kind for f in april.flags.all()] == [CheckKind.MISSING_RECEIPT]
    assert AuditEvent.objects.get(action="copy_budget").details == {
        "month": "2026-04",
        "copied_from": march.pk,
        "assistance": april.assistance,
    }


def test_a_childs_earlier_income_starts_again_in_january(city, case):
    child = child_numbers()[3]
    make_budget(city, case, month=date(2026, 12, 1), data=family(case.person, child))
    # No 2027 norm yet: the copy is refused on the month, and the carried input shows the reset.
    december = Budget.objects.get(case=case)
    january = budget_services.carried_forward(december, date(2027, 1, 1))
    assert january.members[1].work_income_earlier_this_year == 0


def test_copying_needs_last_months_budget_and_no_budget_yet(city, case):
    actor = city.users["handlaggare.ifo"]
    with pytest.raises(InvalidInput) as error:
        budget_services.copy_previous_budget(actor=actor, case=case, month=APRIL)
    assert str(error.value.errors["month"]) == "Det finns ingen budget för 2026-03 att kopiera."
    make_budget(city, case)
    make_budget(city, case, month=APRIL)
    with pytest.raises(InvalidInput) as error:
        budget_services.copy_previous_budget(actor=actor, case=case, month=APRIL)
    assert str(error.value.errors["month"]) == "Det finns redan en budget för 2026-04 i ärendet."


@pytest.mark.parametrize(
    "username, allowed",
    [
        ("handlaggare.ifo", True),
        ("chef.ifo", True),
        ("handlaggare.ifo.bromma", False),
        ("handlaggare.ao", False),
        ("controller", False),
        ("utforare.hemtjanst", False),
    ],
)
def test_role_matrix_for_writing_budgets(city, case, username, allowed):
    actor = city.users[username]
    march = make_budget(city, case)
    writes = [
        lambda: budget_services.create_budget(
            actor=actor, case=case, month=date(2026, 5, 1), data=single(case.person)
        ),
        lambda: budget_services.copy_previous_budget(actor=actor, case=case, month=APRIL),
        lambda: budget_services.update_budget(actor=actor, budget=march, data=single(case.person, housing=1)),
    ]
    for write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(NotPermitted):
                write()
    if not allowed:
        march.refresh_from_db()
        assert Budget.objects.count() == 1
        assert march.reasonable_costs == 6000
        assert AuditEvent.objects.filter(username=username).count() == 0


# --- fetching incomes from SSBTEK ----------------------------------------------------------------------------


def test_fetching_asks_about_each_adult_and_compares_with_what_is_reported(city, ssbtek_settings):
    from .test_budget_support import number_with_profile

    person = make_person(city, number=number_with_profile("single_parent"), first_name="Ella")
    partner_number = number_with_profile("unemployed")
    case = open_income_case(city, person)
    data = BudgetInput(
        members=(
            MemberInput(role="applicant", personal_identity_number=person.personal_identity_number),
            MemberInput(role="partner", personal_identity_number=partner_number),
            MemberInput(role="child", personal_identity_number=child_numbers()[4]),
        ),
        costs={"housing": (8000, None)},
        incomes=(
            IncomeInput("housing_allowance", 3780, None),
            IncomeInput("child_allowance", 1250, None),
            IncomeInput("maintenance_support", 1673, None),
        ),
    )
    budget = make_budget(city, case, data=data)
    inquiries = budget_services.fetch_incomes(actor=city.users["handlaggare.ifo"], budget=budget)

    assert sorted((i.personal_identity_number, i.status) for i in inquiries) == sorted(
        [(person.personal_identity_number, InquiryStatus.ANSWERED), (partner_number, InquiryStatus.ANSWERED)]
    )
    monthly = sorted(
        FetchedIncome.objects.filter(inquiry__budget=budget, is_monthly=True).values_list(
            "income_type", "amount"
        )
    )
    assert monthly == [
        ("child_allowance", 1250),
        ("housing_allowance", 3780),
        ("maintenance_support", 1673),
        ("unemployment_benefit", 14700),
    ]
    # Everything reported matches except the partner's unemployment benefit, which is not reported.
    assert [
        (f.kind, f.params["type"], f.params["fetched"]) for f in budget.flags.filter(kind="income_differs")
    ] == [("income_differs", "unemployment_benefit", 14700)]
    events = AuditEvent.objects.filter(action="fetch_incomes").order_by("seq")
    assert [(e.person_id, e.details["status"], e.details["asked_about_client"]) for e in events] == [
        (person.pk, "answered", True),
        (person.pk, "answered", False),
    ]


def test_fetching_when_ssbtek_is_not_configured_says_so(city, case, settings):
    settings.SOCIALA_SSBTEK = {"url": ""}
    budget = make_budget(city, case)
    with pytest.raises(budget_services.IncomeInquiryFailed) as error:
        budget_services.fetch_incomes(actor=city.users["handlaggare.ifo"], budget=budget)
    assert (
        str(error.value.message) == "Hämtning från SSBTEK är inte konfigurerad. Kontakta systemförvaltaren."
    )
    assert IncomeInquiry.objects.count() == 0


def test_an_unreachable_service_is_recorded_as_a_failed_inquiry(city, case, ssbtek_pki):
    budget = make_budget(city, case)
    gone = type("Gone", (), {"url": "https://127.0.0.1:9/ssbtek/ssbt11"})()
    client = SsbtekClient(ssbtek_config(gone, ssbtek_pki))
    with pytest.raises(budget_services.IncomeInquiryFailed) as error:
        budget_services.fetch_incomes(actor=city.users["handlaggare.ifo"], budget=budget, client=client)
    assert str(error.value.message).startswith("SSBTEK kunde inte svara: SSBTEK did not answer:")
    inquiry = IncomeInquiry.objects.get()
    assert (inquiry.status, inquiry.error.startswith("SSBTEK did not answer:")) == (
        InquiryStatus.FAILED,
        True,
    )
    assert AuditEvent.objects.get(action="fetch_incomes").details["status"] == "failed"


@pytest.mark.parametrize("username", ["handlaggare.ifo.bromma", "controller"])
def test_fetching_is_refused_outside_the_case_and_asks_no_one(
    city, case, ssbtek_settings, ssbtek_simulator, username
):
    budget = make_budget(city, case)
    before = len(ssbtek_simulator.received)
    with pytest.raises(NotPermitted):
        budget_services.fetch_incomes(actor=city.users[username], budget=budget)
    assert len(ssbtek_simulator.received) == before
    assert IncomeInquiry.objects.count() == 0
