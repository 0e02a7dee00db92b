"""The rule tables as data: what the migration loaded, lookup by month, and the cache."""

from __future__ import annotations

from datetime import date

import pytest

from sociala.benefits.models import JobStimulus, NationalNorm, NationalNormChildCost, PriceBaseAmount
from sociala.benefits.norms import load_norm_table, norm_table_for, parse_month
from sociala.core.errors import InvalidInput

from .conftest import TABLE_2026


def test_the_migration_loaded_the_2026_norm_as_in_domain_md(db):
    norm = NationalNorm.objects.get()
    assert (norm.valid_from, norm.valid_to) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (norm.single_adult, norm.cohabiting_couple, norm.common_cost_increment) == (3940, 7100, 190)
    assert [
        (c.age_from, c.age_to, c.amount, c.amount_with_preschool_lunch) for c in norm.child_costs.all()
    ] == [
        (0, 0, 2740, 2560),
        (1, 2, 3060, 2800),
        (3, 3, 2720, 2500),
        (4, 6, 3060, 2720),
        (7, 10, 3820, None),
        (11, 14, 4390, None),
        (15, 18, 4960, None),
        (19, 20, 5000, None),
    ]
    assert [(c.household_size, c.amount) for c in norm.common_costs.all()] == [
        (1, 1280),
        (2, 1410),
        (3, 1790),
        (4, 2030),
        (5, 2330),
        (6, 2640),
        (7, 2830),
    ]
    assert [(p.valid_from.year, p.amount) for p in PriceBaseAmount.objects.order_by("valid_from")] == [
        (2025, 58800),
        (2026, 59200),
    ]


def test_the_table_from_the_database_is_the_one_the_tests_use(db):
    assert load_norm_table(date(2026, 3, 1)) == TABLE_2026
    assert load_norm_table(date(2026, 12, 1)).month == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("month", "message"),
    [
        (date(2025, 12, 1), "Det finns ingen riksnorm för 2025-12."),
        (date(2025, 3, 1), "Det finns ingen riksnorm för 2025-03."),
        (date(2027, 1, 1), "Det finns ingen riksnorm för 2027-01."),
    ],
)
def test_no_norm_no_calculation(db, month, message):
    # Never last year's norm for a new year: each norm row ends with its calendar year.
    with pytest.raises(InvalidInput) as raised:
        load_norm_table(month)
    assert raised.value.errors == {"month": message}


def test_the_other_tables_are_required_too(db):
    NationalNorm.objects.update(valid_to=None)  # an open-ended norm reaching into 2027
    with pytest.raises(InvalidInput) as raised:
        load_norm_table(date(2027, 1, 1))
    assert raised.value.errors == {"month": "Det finns inget prisbasbelopp för 2027-01."}
    JobStimulus.objects.update(valid_to=date(2026, 12, 31))
    with pytest.raises(InvalidInput) as raised:
        load_norm_table(date(2027, 1, 1))
    assert raised.value.errors == {
        "month": "Det finns inget prisbasbelopp för 2027-01. Det finns ingen regel för jobbstimulans för 2027-01."
    }


def test_a_gap_in_the_age_bands_is_reported(db):
    NationalNormChildCost.objects.filter(age_from=3).delete()
    with pytest.raises(InvalidInput) as raised:
        load_norm_table(date(2026, 3, 1))
    assert raised.value.errors == {
        "month": "Riksnormen för 2026-03 är ofullständig; en administratör behöver komplettera tabellen."
    }


def test_the_cached_table_is_read_once(db, django_assert_num_queries):
    with django_assert_num_queries(5):
        first = norm_table_for(date(2026, 3, 15))
    with django_assert_num_queries(0):
        assert norm_table_for(date(2026, 3, 1)) is first


def test_a_saved_row_clears_the_cache(db):
    first = norm_table_for(date(2026, 3, 1))
    PriceBaseAmount.objects.filter(valid_from__year=2026).update(amount=59300)  # no signal: still cached
    assert norm_table_for(date(2026, 3, 1)) is first
    row = PriceBaseAmount.objects.get(valid_from__year=2026)
    row.save()
    assert norm_table_for(date(2026, 3, 1)).price_base_amount.value == 59300


@pytest.mark.parametrize(
    ("text", "expected"), [("2026-03", date(2026, 3, 1)), (" 2026-12 ", date(2026, 12, 1))]
)
def test_parse_month(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text", ["2026-3", "2026-00", "2026-13", "0000-01", "26-03", "2026-03-01", "", "２０２６-03"]
)
def test_parse_month_refuses(text):
    with pytest.raises(InvalidInput) as raised:
        parse_month(text)
    assert raised.value.errors == {"month": "Ange månaden som ÅÅÅÅ-MM, till exempel 2026-03."}
