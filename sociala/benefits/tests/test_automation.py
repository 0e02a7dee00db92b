"""Automated decisions: the DMN table, the district switch, the batch, the sampling and the letter."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from sociala.accounts.models import Delegation
from sociala.audit.models import AuditEvent
from sociala.benefits import automation, decision_services, dmn_table
from sociala.benefits.automation_rules_data import DMN_V1
from sociala.benefits.choices import ReviewStatus
from sociala.benefits.decision_services import decide_month
from sociala.benefits.models import (
    AutomationEvaluation,
    AutomationRules,
    IncomeInquiry,
    IncomeSupportDecision,
)
from sociala.cases.choices import Outcome
from sociala.core.errors import InvalidInput, NotPermitted

from . import test_budget_support as support
from .conftest import TABLE_2026
from .test_budget_support import APRIL, MARCH, make_budget, open_income_case, single
from .test_decision import MOTIVATION, ready_for_decision

applicant, case = support.applicant, support.case

SOURCE = DMN_V1.read_text(encoding="utf-8")
STANDARD = {
    "flag_count": 0,
    "household_unchanged": True,
    "incomes_verified": True,
    "beyond_norm_items": 0,
    "costs_as_applied": True,
    "assistance": 5220,
    "assistance_change": 0,
    "tolerance": 500,
    "previous_decided_by_person": True,
}


# --- the table --------------------------------------------------------------------------------------


def test_a_standard_month_matches_only_the_standard_rule_and_is_automated():
    result = dmn_table.evaluate(SOURCE, STANDARD)
    assert (result.automate, result.reason) == (True, "standard_case")
    assert [m.id for m in result.matched] == ["standard_case"]
    assert result.matched[0].row == 9


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"flag_count": 1}, "flags"),
        ({"household_unchanged": False}, "household_changed"),
        ({"incomes_verified": False}, "incomes_not_verified"),
        ({"beyond_norm_items": 2}, "beyond_norm"),
        ({"costs_as_applied": False}, "costs_reduced"),
        ({"assistance": 0}, "no_assistance"),
        ({"assistance": -300}, "no_assistance"),
        ({"assistance_change": 501}, "assistance_changed"),
        ({"previous_decided_by_person": False}, "previous_not_by_person"),
    ],
)
def test_each_rule_fires_on_its_own_condition_and_sends_the_month_to_a_person(change, rule):
    result = dmn_table.evaluate(SOURCE, {**STANDARD, **change})
    assert (result.automate, result.reason) == (False, rule)
    assert [m.id for m in result.matched] == [rule]


def test_the_tolerance_is_inclusive_and_every_reason_is_kept():
    assert dmn_table.evaluate(SOURCE, {**STANDARD, "assistance_change": 500}).automate is True
    result = dmn_table.evaluate(SOURCE, {**STANDARD, "flag_count": 2, "assistance": 0})
    assert [m.id for m in result.matched] == ["flags", "no_assistance"]
    assert result.matched[1].description.startswith("Beräkningen ger inget bistånd")


def test_a_table_where_no_rule_fires_does_not_automate():
    without_catch_all = (
        SOURCE[: SOURCE.index('<rule id="standard_case">')] + "</decisionTable></decision></definitions>"
    )
    result = dmn_table.evaluate(without_catch_all, STANDARD)
    assert (result.automate, result.reason, result.matched) == (False, "no_rule", ())


def test_a_table_that_is_not_dmn_1_3_is_refused():
    with pytest.raises(dmn_table.InvalidDecisionTable):
        dmn_table.check_table(SOURCE.replace("20191111", "20151101"))
    with pytest.raises(dmn_table.InvalidDecisionTable):
        dmn_table.check_table(
            SOURCE.replace("<decisionTable", "<decisionTabel").replace("</decisionTable", "</decisionTabel")
        )


@settings(max_examples=300, deadline=None)
@given(
    flag_count=st.integers(0, 5),
    household_unchanged=st.booleans(),
    incomes_verified=st.booleans(),
    beyond_norm_items=st.integers(0, 4),
    costs_as_applied=st.booleans(),
    assistance=st.integers(-20_000, 40_000),
    previous_assistance=st.integers(0, 40_000),
    previous_decided_by_person=st.booleans(),
)
def test_refusals_and_partial_grants_are_never_automated(
    flag_count,
    household_unchanged,
    incomes_verified,
    beyond_norm_items,
    costs_as_applied,
    assistance,
    previous_assistance,
    previous_decided_by_person,
):
    inputs = {
        "flag_count": flag_count,
        "household_unchanged": household_unchanged,
        "incomes_verified": incomes_verified,
        "beyond_norm_items": beyond_norm_items,
        "costs_as_applied": costs_as_applied,
        "assistance": assistance,
        "assistance_change": abs(assistance - previous_assistance),
        "tolerance": 500,
        "previous_decided_by_person": previous_decided_by_person,
    }
    result = dmn_table.evaluate(SOURCE, inputs)
    if result.automate:
        # Only a grant in full: money to pay, costs as applied for, nothing beyond the norm.
        assert automation.is_full_grant(inputs)
        assert decision_services.outcome_of_amounts(assistance, assistance) == Outcome.GRANTED
    if assistance <= 0 or not costs_as_applied or beyond_norm_items:
        assert result.automate is False


# --- the sampling -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "count", "expected"), [("0.100", 37, 4), ("0.100", 20, 2), ("0.250", 7, 2), ("0", 9, 0)]
)
def test_the_share_picked_for_review_is_exact_and_the_same_on_every_run(share, count, expected):
    references = [f"B2026-{n:06d}" for n in range(count)]
    picked = automation.choose_for_review(Decimal(share), "seed", references, already=0)
    assert len(picked) == expected
    assert picked == automation.choose_for_review(
        Decimal(share), "seed", list(reversed(references)), already=0
    )
    assert automation.choose_for_review(Decimal(share), "seed", references, already=expected) == []


# --- the switch, the batch and the letter ------------------------------------------------------------


def standard_april(city, person):
    """March decided by a caseworker; April's application copied unchanged, incomes asked, ready."""
    march_case = open_income_case(city, person)
    march = make_budget(city, march_case, MARCH, single(person, housing=800))  # no receipt needed
    ready_for_decision(city, march_case)
    decide_month(actor=city.users["handlaggare.ifo"], budget=march, motivation=MOTIVATION)
    april_case = open_income_case(city, person, received_on=date(2026, 3, 25))
    april = make_budget(city, april_case, APRIL, single(person, housing=800))
    IncomeInquiry.objects.create(
        budget=april,
        personal_identity_number=person.personal_identity_number,
        period_start=APRIL,
        period_end=date(2026, 4, 30),
        correlation_id="c-april",
        status="answered",
        requested_by=city.users["handlaggare.ifo"],
    )
    ready_for_decision(city, april_case)
    return april


def switch_on(city):
    return automation.set_district_automation(
        actor=city.users["admin"],
        committee=city.districts["Rinkeby-Kista"],
        enabled=True,
        delegation_reference="3.1.9",
    )


def test_automation_is_off_by_default_and_an_off_district_gets_nothing_automated(city, applicant):
    april = standard_april(city, applicant)
    result = automation.run_automated_decisions(actor=city.users["admin"], month=APRIL)
    assert (result.decided, result.left) == ([], [])
    assert not IncomeSupportDecision.objects.filter(budget=april).exists()


def test_switching_on_records_a_grant_only_delegation_and_is_audited(city):
    setting = switch_on(city)
    assert setting.is_enabled is True
    delegation = Delegation.objects.get(user__username=automation.AUTOMATION_USERNAME)
    assert (delegation.reference, delegation.may_refuse, delegation.case_type) == (
        "3.1.9",
        False,
        "income_support_application",
    )
    assert (
        AuditEvent.objects.filter(
            action="enable_income_support_automation", user_id=city.users["admin"].pk
        ).count()
        == 1
    )
    automation.set_district_automation(
        actor=city.users["admin"], committee=city.districts["Rinkeby-Kista"], enabled=False
    )
    delegation.refresh_from_db()
    assert delegation.valid_to is not None
    assert AuditEvent.objects.filter(action="disable_income_support_automation").count() == 1


def test_only_an_administrator_of_the_district_switches_and_a_delegation_point_is_needed(city):
    with pytest.raises(NotPermitted):
        automation.set_district_automation(
            actor=city.users["handlaggare.ifo"],
            committee=city.districts["Rinkeby-Kista"],
            enabled=True,
            delegation_reference="3.1.9",
        )
    with pytest.raises(InvalidInput) as error:
        automation.set_district_automation(
            actor=city.users["admin"], committee=city.districts["Rinkeby-Kista"], enabled=True
        )
    assert error.value.errors["delegation_reference"] == automation.DELEGATION_MISSING
    assert not Delegation.objects.filter(user__username=automation.AUTOMATION_USERNAME).exists()


def test_a_standard_month_is_granted_automatically_with_its_rule_version_inputs_and_reasoning(
    city, applicant
):
    april = standard_april(city, applicant)
    switch_on(city)
    result = automation.run_automated_decisions(actor=city.users["admin"], month=APRIL)
    assert len(result.decided) == 1
    record = IncomeSupportDecision.objects.select_related("decision", "rule_set").get(budget=april)
    decision = record.decision
    assert (decision.is_automated, decision.outcome, decision.delegation_reference) == (
        True,
        "granted",
        "3.1.9",
    )
    assert decision.decided_by.username == automation.AUTOMATION_USERNAME
    assert [(i.outcome, i.amount) for i in decision.items.all()] == [("granted", 6_020)]
    assert (record.is_automated, record.rule_set.version) == (True, "1")
    assert record.inputs == {**STANDARD, "assistance": 6_020}
    assert [m["id"] for m in record.matched_rules] == ["standard_case"]
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(decision_services.month_letter_pdf(decision))).pages
    )
    flat = " ".join(text.split())
    assert "Beslutet är fattat automatiskt enligt regler som nämnden har beslutat (regelversion 1)." in flat
    assert "Du har rätt att få beslutet prövat av en handläggare" in flat

    # A second run decides nothing more.
    again = automation.run_automated_decisions(actor=city.users["admin"], month=APRIL)
    assert (again.decided, again.left, again.sampled) == ([], [], [])
    assert IncomeSupportDecision.objects.filter(budget=april).count() == 1
    assert AutomationEvaluation.objects.filter(budget=april).count() == 1


def test_a_month_that_is_not_standard_stays_with_the_caseworker_with_the_reason(city, applicant):
    april = standard_april(city, applicant)
    IncomeInquiry.objects.filter(budget=april).delete()
    switch_on(city)
    result = automation.run_automated_decisions(actor=city.users["admin"], month=APRIL)
    assert (result.decided, result.left) == ([], [april.pk])
    evaluation = AutomationEvaluation.objects.get(budget=april)
    assert (evaluation.is_automated, evaluation.reason) == (False, "incomes_not_verified")
    assert (
        automation.reason_text(evaluation.reason)
        == "Inkomsterna är inte hämtade eller stämmer inte med de redovisade."
    )
    assert not IncomeSupportDecision.objects.filter(budget=april).exists()


def test_the_automated_decision_maker_cannot_refuse_even_if_asked_to(city, case):
    budget = make_budget(
        city, case, data=single(case.person, housing=0, incomes=[support.income("pension", 20_000)])
    )
    ready_for_decision(city, case, refusal=True)
    switch_on(city)
    with pytest.raises(InvalidInput) as error:
        decide_month(
            actor=automation.automation_user(),
            budget=budget,
            motivation=MOTIVATION,
            support_motivation="Inkomsten är högre än normen och de skäliga kostnaderna.",
            automation={},
        )
    assert "bara vara bifall" in str(error.value.errors["__all__"])
    assert case.decisions.count() == 0


def test_a_picked_decision_is_reviewed_by_a_person_who_confirms_or_marks_it_to_change(city, applicant):
    april = standard_april(city, applicant)
    switch_on(city)
    AutomationRules.objects.update(review_share=Decimal("1"))
    result = automation.run_automated_decisions(actor=city.users["admin"], month=APRIL)
    assert len(result.sampled) == 1
    record = IncomeSupportDecision.objects.get(budget=april)
    assert record.review_status == ReviewStatus.TO_REVIEW
    assert list(automation.review_list(city.users["chef.ifo"])) == [record]
    with pytest.raises(InvalidInput) as error:
        automation.review_automated_decision(
            actor=city.users["chef.ifo"], record=record, confirm=False, note="Fel."
        )
    assert error.value.errors["note"] == automation.REVIEW_NOTE_NEEDED
    automation.review_automated_decision(actor=city.users["chef.ifo"], record=record, confirm=True)
    record.refresh_from_db()
    assert (record.review_status, record.reviewed_by) == (ReviewStatus.CONFIRMED, city.users["chef.ifo"])
    assert list(automation.review_list(city.users["chef.ifo"])) == []


def test_a_month_the_decision_service_refuses_is_left_to_a_person_and_the_batch_goes_on(city, applicant):
    april = standard_april(city, applicant)
    switch_on(city)
    # The delegation ends (an administrator changed the delegation order by hand) but the switch is on.
    Delegation.objects.filter(user__username=automation.AUTOMATION_USERNAME).update(
        valid_from=date(2030, 1, 1)
    )
    result = automation.run_automated_decisions(actor=city.users["admin"], month=APRIL)
    assert (result.decided, result.left) == ([], [april.pk])
    assert AutomationEvaluation.objects.get(budget=april).reason == "not_decided"
    assert not IncomeSupportDecision.objects.filter(budget=april).exists()


def test_the_batch_costs_a_bounded_number_of_queries_per_month_left_to_a_person(
    city, applicant, django_assert_max_num_queries
):
    april = standard_april(city, applicant)
    IncomeInquiry.objects.filter(budget=april).delete()
    switch_on(city)
    with django_assert_max_num_queries(22):
        result = automation.run_automated_decisions(actor=city.users["admin"], month=APRIL)
    assert result.left == [april.pk]


def test_the_monthly_command_runs_the_batch_and_says_what_it_did(city, applicant):
    from io import StringIO

    from django.core.management import call_command

    standard_april(city, applicant)
    switch_on(city)
    out = StringIO()
    call_command("decide_income_support", "2026-04", stdout=out)
    assert (
        out.getvalue().strip()
        == "2026-04: 1 decided automatically, 0 left to caseworkers, 0 picked for review."
    )


def test_a_new_table_version_is_published_validated_and_never_replaces_one(db, tmp_path):
    from django.core.management import CommandError, call_command

    from sociala.benefits.models import AutomationRuleSet

    good = tmp_path / "v2.dmn"
    good.write_text(SOURCE, encoding="utf-8")
    call_command(
        "publish_automation_rules",
        str(good),
        "--table-version",
        "2",
        "--valid-from",
        "2027-01-01",
        "--published-by",
        "Socialnämnden 2026-11-30 § 12",
    )
    assert automation.rule_set_for(date(2027, 1, 1)).version == "2"
    assert automation.rule_set_for(date(2026, 12, 1)).version == "1"
    bad = tmp_path / "bad.dmn"
    bad.write_text(SOURCE.replace("20191111", "20151101"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command(
            "publish_automation_rules",
            str(bad),
            "--table-version",
            "3",
            "--valid-from",
            "2027-02-01",
            "--published-by",
            "x",
        )
    with pytest.raises(CommandError):
        call_command(
            "publish_automation_rules",
            str(good),
            "--table-version",
            "2",
            "--valid-from",
            "2027-03-01",
            "--published-by",
            "x",
        )
    assert list(AutomationRuleSet.objects.values_list("version", flat=True)) == ["2", "1"]


@settings(max_examples=200, deadline=None)
@given(
    children=st.lists(st.integers(0, 17), max_size=3),
    housing=st.integers(0, 15_000),
    housing_applied_extra=st.sampled_from([0, 0, 500]),
    incomes=st.lists(st.integers(0, 30_000), max_size=3),
    previous_assistance=st.integers(0, 30_000),
    beyond_norm_items=st.sampled_from([0, 0, 1]),
    flag_count=st.sampled_from([0, 0, 1]),
)
def test_across_generated_budgets_an_automated_month_is_always_a_full_grant_of_the_calculation(
    children,
    housing,
    housing_applied_extra,
    incomes,
    previous_assistance,
    beyond_norm_items,
    flag_count,
):
    from sociala.benefits.calculation import Household, Income, Member, ReasonableCosts, calculate

    household = Household(
        members=(Member(role="applicant", age=35), *(Member(role="child", age=age) for age in children)),
        reasonable_costs=ReasonableCosts(housing=housing),
        incomes=tuple(Income(member=0, type="pension", amount=amount) for amount in incomes),
    )
    calculation = calculate(household, TABLE_2026)
    applied = max(calculation.norm + housing + housing_applied_extra - calculation.counted_income, 0)
    outcome = decision_services.outcome_of_amounts(applied, max(calculation.assistance, 0))
    inputs = {
        **STANDARD,
        "flag_count": flag_count,
        "beyond_norm_items": beyond_norm_items,
        "costs_as_applied": housing_applied_extra == 0,
        "assistance": calculation.assistance,
        "assistance_change": abs(calculation.assistance - previous_assistance),
    }
    result = dmn_table.evaluate(SOURCE, inputs)
    if result.automate:
        assert outcome == Outcome.GRANTED
        assert calculation.assistance > 0 and beyond_norm_items == 0 and flag_count == 0
    if outcome != Outcome.GRANTED:
        assert result.automate is False
