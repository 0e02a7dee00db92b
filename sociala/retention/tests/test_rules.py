"""The culling rules, worked out by hand: every rule, its dates, and how the rules combine.

Birth dates come from Skatteverket's test numbers (sociala/people/data). The municipality is
Stockholm (0180) unless a test says otherwise. Dates are after 2025-07-01, when the rules of the
new socialtjänstlag are in force.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sociala.core.identity_numbers import parse_identity_number
from sociala.retention.rules import (
    CaseFileFacts,
    MatterFacts,
    NoRuleInForce,
    Rule,
    RuleTable,
    add_years,
    birthday,
    culling_decision,
    default_table,
)
from sociala.retention.rules_data import RULES

ADULT = "197909189230"  # born 1979-09-18
SAMPLE_5TH = "199002052380"  # born 1990-02-05
SAMPLE_15TH = "195107152166"  # born 1951-07-15
SAMPLE_25TH = "201201252382"  # born 2012-01-25
COORDINATION_5TH = "195108652388"  # samordningsnummer, born 1951-08-05 (day 65 - 60)
CHILD = "201312072398"  # born 2013-12-07
CHILD_2015 = "201501012395"  # born 2015-01-01
LEAP_CHILD = "200802292383"  # born 2008-02-29


def facts(number: str = ADULT, *, last_entry: date = date(2021, 3, 10), municipality: str = "0180", **fields):
    return CaseFileFacts(
        person_id=1,
        birth_date=parse_identity_number(number).birth_date,
        municipality_code=municipality,
        last_entry_on=last_entry,
        **fields,
    )


def matter(case_type: str = "income_support_application", **fields) -> MatterFacts:
    return MatterFacts(case_id=1, case_type=case_type, **fields)


# --- the five-year rule ----------------------------------------------------------------------


def test_five_years_after_the_last_entry_culls_on_the_day_the_duty_arises():
    file = facts(last_entry=date(2021, 3, 10), matters=(matter(),))
    before = culling_decision(file, date(2026, 3, 9))
    on_the_day = culling_decision(file, date(2026, 3, 10))
    assert (before.cull, before.rule.code, before.keep_until) == (False, "sol_five_years", date(2026, 3, 10))
    assert (on_the_day.cull, on_the_day.rule.code, on_the_day.keep_until) == (
        True,
        "sol_five_years",
        date(2026, 3, 10),
    )
    assert on_the_day.reason == "last_entry"
    assert on_the_day.rule.legal_source == "16 kap. 1 § socialtjänstlagen (2025:400)"


def test_culling_must_be_finished_by_the_end_of_the_following_calendar_year():
    decision = culling_decision(facts(last_entry=date(2021, 3, 10)), date(2026, 3, 10))
    assert decision.cull_by == date(2027, 12, 31)
    assert decision.is_overdue(date(2027, 12, 31)) is False
    assert decision.is_overdue(date(2028, 1, 1)) is True


def test_the_decision_unpacks_as_cull_rule_keep_until():
    cull, rule, keep_until = culling_decision(facts(last_entry=date(2020, 11, 30)), date(2026, 1, 2))
    assert (cull, rule.code, keep_until) == (True, "sol_five_years", date(2025, 11, 30))


def test_a_last_entry_on_29_february_is_kept_until_28_february_five_years_later():
    # Lag (1930:173): a period of years ends on the same date, or the month's last day.
    decision = culling_decision(facts(last_entry=date(2020, 2, 29)), date(2025, 7, 1))
    assert (decision.cull, decision.keep_until) == (True, date(2025, 2, 28))


def test_five_years_after_the_circumstances_ended_when_that_is_later():
    # An intervention ran until 2021-06-30, long after the last journal entry in 2019.
    file = facts(last_entry=date(2019, 5, 2), circumstances_ended_on=date(2021, 6, 30))
    decision = culling_decision(file, date(2026, 6, 29))
    assert (decision.cull, decision.keep_until, decision.reason) == (
        False,
        date(2026, 6, 30),
        "circumstances",
    )
    assert culling_decision(file, date(2026, 6, 30)).cull is True


def test_the_last_entry_counts_when_it_is_later_than_the_end_of_the_circumstances():
    file = facts(last_entry=date(2021, 9, 1), circumstances_ended_on=date(2021, 6, 30))
    decision = culling_decision(file, date(2026, 11, 25))
    assert (decision.cull, decision.keep_until, decision.reason) == (True, date(2026, 9, 1), "last_entry")


def test_nothing_is_culled_while_the_circumstances_go_on():
    file = facts(last_entry=date(2015, 1, 1), is_ongoing=True, matters=(matter(),))
    cull, rule, keep_until = culling_decision(file, date(2026, 11, 25))
    assert (cull, rule.code, keep_until) == (False, "sol_five_years", None)
    assert culling_decision(file, date(2026, 11, 25)).reason == "ongoing"


# --- LSS -------------------------------------------------------------------------------------


def test_a_file_of_lss_matters_only_follows_lss_21_c():
    file = facts(last_entry=date(2020, 4, 14), matters=(matter("lss_contact_person_application"),))
    decision = culling_decision(file, date(2025, 8, 1))
    assert (decision.cull, decision.rule.code, decision.keep_until) == (
        True,
        "lss_five_years",
        date(2025, 4, 14),
    )
    assert decision.rule.legal_source.startswith("21 c § lagen (1993:387)")


def test_a_file_with_sol_and_lss_matters_follows_the_socialtjanstlag():
    file = facts(
        last_entry=date(2020, 4, 14),
        matters=(matter("lss_contact_person_application"), matter("home_care_application")),
    )
    assert culling_decision(file, date(2025, 8, 1)).rule.code == "sol_five_years"


def test_a_file_without_matters_follows_the_socialtjanstlag():
    assert culling_decision(facts(), date(2026, 3, 10)).rule.code == "sol_five_years"


def test_lss_housing_for_children_is_never_culled():
    file = facts(
        CHILD,
        last_entry=date(2019, 1, 1),
        matters=(
            matter("lss_child_housing_application", interventions=(("lss_child_housing", date(2017, 8, 1)),)),
        ),
    )
    assert tuple(culling_decision(file, date(2026, 11, 25)))[:1] == (False,)
    decision = culling_decision(file, date(2026, 11, 25))
    assert (decision.rule.code, decision.keep_until, decision.reason) == (
        "lss_child_housing",
        None,
        "permanent",
    )


def test_lss_rules_are_in_force_before_the_new_socialtjanstlag():
    file = facts(last_entry=date(2018, 5, 2), matters=(matter("lss_contact_person_application"),))
    decision = culling_decision(file, date(2024, 1, 15))
    assert (decision.cull, decision.rule.code, decision.keep_until) == (
        True,
        "lss_five_years",
        date(2023, 5, 2),
    )


def test_no_rule_in_force_before_the_new_socialtjanstlag_for_sol_matters():
    with pytest.raises(NoRuleInForce):
        culling_decision(facts(matters=(matter(),)), date(2025, 6, 30))
    assert default_table().earliest_date() == date(2025, 7, 1)


# --- research: municipalities and the sample of persons ---------------------------------------


@pytest.mark.parametrize(
    ("municipality", "research"),
    [
        ("0580", True),  # Linköping, Östergötlands län (05)
        ("0509", True),  # Ödeshög, Östergötlands län
        ("0980", True),  # Gotland (09)
        ("2281", True),  # Sundsvall, Västernorrlands län (22)
        ("1480", True),  # Göteborg
        ("1481", False),  # Mölndal: Västra Götaland, but not Göteborg
        ("0180", False),  # Stockholm
        ("2480", False),  # Umeå
    ],
)
def test_nothing_is_culled_in_a_research_municipality(municipality, research):
    decision = culling_decision(
        facts(municipality=municipality, last_entry=date(2010, 1, 1)), date(2026, 11, 25)
    )
    if research:
        assert (decision.cull, decision.rule.code, decision.keep_until) == (
            False,
            "research_municipality",
            None,
        )
    else:
        assert (decision.cull, decision.rule.code, decision.keep_until) == (
            True,
            "sol_five_years",
            date(2015, 1, 1),
        )


@pytest.mark.parametrize(
    ("number", "sample"),
    [
        (SAMPLE_5TH, True),
        (SAMPLE_15TH, True),
        (SAMPLE_25TH, True),
        (COORDINATION_5TH, True),  # the birth day of a samordningsnummer is the day minus 60
        (ADULT, False),  # the 18th
        (CHILD, False),  # the 7th
        (CHILD_2015, False),  # the 1st
    ],
)
def test_persons_born_on_the_5th_15th_or_25th_are_kept_for_research(number, sample):
    decision = culling_decision(facts(number, last_entry=date(2010, 1, 1)), date(2026, 11, 25))
    if sample:
        assert (decision.cull, decision.rule.code, decision.keep_until) == (False, "research_sample", None)
    else:
        assert (decision.cull, decision.rule.code) == (True, "sol_five_years")


def test_a_research_municipality_comes_before_the_sample():
    decision = culling_decision(facts(SAMPLE_5TH, municipality="0980"), date(2026, 11, 25))
    assert decision.rule.code == "research_municipality"


def test_the_research_sample_applies_to_lss_files_too():
    file = facts(SAMPLE_25TH, matters=(matter("lss_contact_person_application"),))
    assert culling_decision(file, date(2026, 11, 25)).rule.code == "research_sample"


# --- records never culled --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case_type", "rule"),
    [
        ("paternity_investigation", "paternity_investigation"),
        ("parenthood_investigation", "paternity_investigation"),
        ("adoption_investigation", "adoption_investigation"),
    ],
)
def test_paternity_parenthood_and_adoption_investigations_are_never_culled(case_type, rule):
    file = facts(CHILD, last_entry=date(2014, 6, 2), matters=(matter(case_type),))
    decision = culling_decision(file, date(2026, 11, 25))
    assert (decision.cull, decision.rule.code, decision.keep_until, decision.reason) == (
        False,
        rule,
        None,
        "permanent",
    )
    assert decision.cull_by is None


@pytest.mark.parametrize(
    "kind",
    [
        "foster_home",
        "emergency_foster_home",
        "private_home",
        "supported_housing",
        "protected_housing",
        "residential_home",
        "disability_housing",
    ],
)
def test_placing_a_child_outside_the_home_is_never_culled(kind):
    file = facts(
        CHILD,
        last_entry=date(2020, 9, 1),
        matters=(matter("child_report_of_concern", interventions=((kind, date(2020, 5, 1)),)),),
    )
    assert tuple(culling_decision(file, date(2026, 11, 25))) == (
        False,
        next(r for r in default_table().in_force(date(2026, 11, 25)) if r.code == "child_placement"),
        None,
    )


def test_an_adult_placed_in_a_residential_home_is_culled_after_five_years():
    file = facts(
        ADULT,
        last_entry=date(2020, 9, 1),
        matters=(
            matter("addiction_care_application", interventions=(("residential_home", date(2010, 3, 1)),)),
        ),
    )
    decision = culling_decision(file, date(2026, 11, 25))
    assert (decision.cull, decision.rule.code, decision.keep_until) == (
        True,
        "sol_five_years",
        date(2025, 9, 1),
    )


@pytest.mark.parametrize(
    ("starts_on", "kept"),
    [
        (date(2026, 2, 28), True),  # the day before the 18th birthday: still a child
        (date(2026, 3, 1), False),  # born 29 February 2008: 18 on 1 March 2026
    ],
)
def test_a_placement_is_a_childs_placement_until_the_18th_birthday(starts_on, kept):
    file = facts(
        LEAP_CHILD,
        last_entry=date(2026, 3, 2),
        matters=(matter("child_report_of_concern", interventions=(("foster_home", starts_on),)),),
    )
    decision = culling_decision(file, date(2031, 3, 2))
    if kept:
        assert (decision.cull, decision.rule.code) == (False, "child_placement")
    else:
        assert (decision.cull, decision.rule.code, decision.keep_until) == (
            True,
            "sol_five_years",
            date(2031, 3, 2),
        )


def test_records_never_culled_are_kept_even_while_ongoing_and_the_reason_is_permanence():
    file = facts(CHILD, is_ongoing=True, matters=(matter("adoption_investigation"),))
    assert culling_decision(file, date(2026, 11, 25)).reason == "permanent"


def test_the_research_sample_comes_before_records_never_culled():
    file = facts(SAMPLE_25TH, matters=(matter("adoption_investigation"),))
    assert culling_decision(file, date(2026, 11, 25)).rule.code == "research_sample"


# --- age limits: child-protection investigations (30) and custody agreements (18) -------------


def test_a_child_protection_investigation_is_kept_until_the_child_has_turned_30():
    file = facts(
        CHILD,
        last_entry=date(2016, 1, 10),
        matters=(matter("child_report_of_concern", investigation_opened=True),),
    )
    decision = culling_decision(file, date(2026, 11, 25))
    assert (decision.cull, decision.rule.code, decision.keep_until, decision.reason) == (
        False,
        "child_investigation",
        date(2043, 12, 7),
        "age_limit",
    )
    assert decision.cull_by == date(2044, 12, 31)
    assert culling_decision(file, date(2043, 12, 6)).cull is False
    assert tuple(culling_decision(file, date(2043, 12, 7)))[0] is True


def test_the_30_year_rule_applies_from_15_january_2026():
    file = facts(
        CHILD,
        last_entry=date(2016, 1, 10),
        matters=(matter("child_report_of_concern", investigation_opened=True),),
    )
    before = culling_decision(file, date(2026, 1, 14))
    assert (before.cull, before.rule.code, before.keep_until) == (True, "sol_five_years", date(2021, 1, 10))
    assert culling_decision(file, date(2026, 1, 15)).rule.code == "child_investigation"


def test_a_report_that_led_to_no_investigation_is_culled_after_five_years():
    # 16 kap. 2 a § second paragraph: a decision not to open an investigation follows 1 §.
    file = facts(
        CHILD,
        last_entry=date(2016, 1, 10),
        matters=(matter("child_report_of_concern", investigation_opened=False),),
    )
    decision = culling_decision(file, date(2026, 11, 25))
    assert (decision.cull, decision.rule.code, decision.keep_until) == (
        True,
        "sol_five_years",
        date(2021, 1, 10),
    )


def test_a_child_born_on_29_february_turns_30_on_1_march():
    file = facts(
        LEAP_CHILD,
        last_entry=date(2012, 5, 5),
        matters=(matter("child_report_of_concern", investigation_opened=True),),
    )
    assert culling_decision(file, date(2026, 11, 25)).keep_until == date(2038, 3, 1)


def test_when_the_five_years_end_after_the_30th_birthday_the_five_years_count():
    # An investigation about a child born 2008 with entries until the person was 29 (2037).
    file = facts(
        LEAP_CHILD,
        last_entry=date(2037, 6, 1),
        matters=(matter("child_report_of_concern", investigation_opened=True),),
    )
    decision = culling_decision(file, date(2042, 6, 1))
    assert (decision.cull, decision.rule.code, decision.keep_until) == (
        True,
        "sol_five_years",
        date(2042, 6, 1),
    )


@pytest.mark.parametrize("case_type", ["custody_agreement", "residence_agreement", "contact_agreement"])
def test_an_agreement_on_custody_residence_or_contact_is_kept_until_the_child_is_18(case_type):
    file = facts(CHILD_2015, last_entry=date(2017, 4, 3), matters=(matter(case_type),))
    decision = culling_decision(file, date(2026, 11, 25))
    assert (decision.cull, decision.rule.code, decision.keep_until) == (
        False,
        "custody_agreement",
        date(2033, 1, 1),
    )
    assert culling_decision(file, date(2033, 1, 1)).cull is True
    assert culling_decision(file, date(2032, 12, 31)).cull is False


def test_an_agreement_about_someone_already_18_follows_the_five_years():
    file = facts(ADULT, last_entry=date(2021, 3, 10), matters=(matter("custody_agreement"),))
    decision = culling_decision(file, date(2026, 3, 10))
    assert (decision.cull, decision.rule.code, decision.keep_until) == (
        True,
        "sol_five_years",
        date(2026, 3, 10),
    )


def test_the_later_age_limit_wins():
    file = facts(
        CHILD_2015,
        last_entry=date(2018, 2, 1),
        matters=(
            matter("custody_agreement"),
            replace(matter("child_report_of_concern", investigation_opened=True), case_id=2),
        ),
    )
    decision = culling_decision(file, date(2026, 11, 25))
    assert (decision.rule.code, decision.keep_until) == ("child_investigation", date(2045, 1, 1))


def test_records_never_culled_come_before_age_limits():
    file = facts(
        CHILD,
        matters=(
            matter(
                "child_report_of_concern",
                investigation_opened=True,
                interventions=(("foster_home", date(2019, 1, 1)),),
            ),
        ),
    )
    assert culling_decision(file, date(2026, 11, 25)).rule.code == "child_placement"


# --- rules are data with valid_from ------------------------------------------------------------


def test_a_new_version_of_a_rule_applies_from_its_date():
    longer = Rule(
        code="sol_five_years",
        kind="base",
        name="Gallras sju år efter sista anteckningen (exempel)",
        legal_source="Ny lydelse (exempel)",
        valid_from=date(2027, 1, 1),
        years=7,
        case_types=("*",),
    )
    table = RuleTable([*default_table().rules, longer])
    file = facts(last_entry=date(2020, 6, 1))
    assert culling_decision(file, date(2026, 12, 31), table).keep_until == date(2025, 6, 1)
    decision = culling_decision(file, date(2027, 1, 1), table)
    assert (decision.cull, decision.rule.legal_source, decision.keep_until) == (
        False,
        "Ny lydelse (exempel)",
        date(2027, 6, 1),
    )


def test_the_default_table_holds_every_rule_of_rules_data():
    codes = sorted(r.code for r in default_table().in_force(date(2026, 11, 25)))
    assert codes == sorted(row["code"] for row in RULES)
    assert codes == [
        "adoption_investigation",
        "child_investigation",
        "child_placement",
        "custody_agreement",
        "lss_child_housing",
        "lss_five_years",
        "paternity_investigation",
        "research_municipality",
        "research_sample",
        "sol_five_years",
    ]


def test_date_helpers():
    assert add_years(date(2021, 3, 10), 5) == date(2026, 3, 10)
    assert add_years(date(2020, 2, 29), 5) == date(2025, 2, 28)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert birthday(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert birthday(date(2008, 2, 29), 16) == date(2024, 2, 29)
    assert birthday(date(2013, 12, 7), 30) == date(2043, 12, 7)
