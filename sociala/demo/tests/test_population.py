"""Choosing identity numbers and forming households, without the database."""

import random
from datetime import date

from sociala.core.identity_numbers import luhn_check_digit, parse_identity_number
from sociala.demo.population import (
    COORDINATION_NUMBERS_FILE,
    PERSONAL_NUMBERS_FILE,
    age_on,
    choose_numbers,
    form_households,
    listed_numbers,
    read_numbers,
    synthetic_numbers,
)

TODAY = date(2026, 11, 25)


def test_synthetic_numbers_are_valid_never_test_numbers_and_use_birth_numbers_980_to_999():
    numbers = synthetic_numbers(random.Random(1), 300, TODAY)
    reserved = listed_numbers()
    assert len({n.value for n in numbers}) == 300
    for number in numbers:
        assert number.value not in reserved
        assert 980 <= int(number.value[8:11]) <= 999
        assert luhn_check_digit(number.value[2:11]) == int(number.value[11])
        assert parse_identity_number(number.value, today=TODAY).kind == "personal_identity_number"


def test_beyond_the_test_lists_further_numbers_are_synthetic():
    available = len(read_numbers(PERSONAL_NUMBERS_FILE)) + len(read_numbers(COORDINATION_NUMBERS_FILE))
    residents = choose_numbers(random.Random(2), available + 25, TODAY)
    assert len({r.number.value for r in residents}) == available + 25
    assert sum(r.is_synthetic for r in residents) == 25
    listed = listed_numbers()
    assert all(r.is_synthetic == (r.number.value not in listed) for r in residents)


def test_ages_are_spread_like_a_city_and_two_percent_have_coordination_numbers():
    residents = choose_numbers(random.Random(3), 1000, TODAY)
    ages = [age_on(r.born, TODAY) for r in residents]
    assert sum(r.is_coordination for r in residents) == 20
    assert 150 <= sum(a < 18 for a in ages) <= 260
    assert 150 <= sum(a >= 65 for a in ages) <= 300
    assert max(ages) <= 104


def test_households_put_children_with_guardians_of_a_fitting_age():
    residents = choose_numbers(random.Random(4), 1000, TODAY)
    households = form_households(random.Random(4), residents, TODAY)
    assert sorted(r.number.value for h in households for r in h.members) == sorted(
        r.number.value for r in residents
    )
    with_children = [h for h in households if h.children]
    assert with_children
    for household in with_children:
        for parent in household.parents:
            assert age_on(parent.born, TODAY) >= 18
            for child in household.children:
                assert (child.born - parent.born).days >= 19 * 365
    assert sum(h.is_couple for h in households) > 50


def test_another_seed_chooses_other_persons():
    first = [r.number.value for r in choose_numbers(random.Random(5), 200, TODAY)]
    assert [r.number.value for r in choose_numbers(random.Random(5), 200, TODAY)] == first
    assert [r.number.value for r in choose_numbers(random.Random(6), 200, TODAY)] != first
