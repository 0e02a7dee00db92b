"""Fixtures for the benefits tests: the 2026 rule table built without the database, and a clean cache."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from sociala.benefits import rules_data
from sociala.benefits.models import (
    JobStimulus,
    NationalNorm,
    NationalNormChildCost,
    NationalNormCommonCost,
    PriceBaseAmount,
)
from sociala.benefits.norms import NormTable, build_norm_table, clear_norm_tables


def table_from_rules_data(month: date) -> NormTable:
    """The table of ``month`` from rules_data.py, through unsaved model rows (no database)."""
    (norm_row,) = [r for r in rules_data.NATIONAL_NORMS if r["valid_from"].year == month.year]
    fields = {k: v for k, v in norm_row.items() if k not in ("child_costs", "common_costs")}
    norm = NationalNorm(**fields)
    child_costs = [
        NationalNormChildCost(
            norm=norm, age_from=a, age_to=b, amount=amount, amount_with_preschool_lunch=lunch
        )
        for a, b, amount, lunch in norm_row["child_costs"]
    ]
    common_costs = [
        NationalNormCommonCost(norm=norm, household_size=size, amount=amount)
        for size, amount in norm_row["common_costs"].items()
    ]
    (pbb,) = [
        PriceBaseAmount(valid_from=f, valid_to=t, amount=a, legal_source=s)
        for f, t, a, s in rules_data.PRICE_BASE_AMOUNTS
        if f.year == month.year
    ]
    (job,) = [
        JobStimulus(valid_from=f, valid_to=t, disregarded_share=share, legal_source=s)
        for f, t, share, s in rules_data.JOB_STIMULUS
    ]
    return build_norm_table(
        month,
        norm=norm,
        child_costs=child_costs,
        common_costs=common_costs,
        price_base_amount=pbb,
        job_stimulus=job,
    )


TABLE_2026 = table_from_rules_data(date(2026, 3, 1))


@pytest.fixture
def table():
    """The March 2026 table (the 2026 national norm, price base amount 59 200, job stimulus 25 %)."""
    return TABLE_2026


@pytest.fixture(autouse=True)
def _swedish():
    # Messages are asserted in Swedish. A request with Accept-Language: en leaves English active in the
    # thread (LocaleMiddleware never deactivates); the override puts back what was active before.
    with translation.override("sv"):
        yield


@pytest.fixture(autouse=True)
def _fresh_norm_tables():
    # A row changed inside a rolled-back test must not survive in the process's cache.
    clear_norm_tables()
    yield
    clear_norm_tables()
