"""Reads of the benefits app: the income-support calculation for a month from the cached rule tables."""

from __future__ import annotations

from datetime import date

from sociala.core.errors import InvalidInput

from .calculation import Calculation, Household, calculate, household_errors
from .norms import NormTable, norm_table_for, parse_month


def calculation_for_month(month: str | date, household: Household) -> Calculation:
    """Calculate ``household`` for ``month`` (``YYYY-MM`` or a date) without saving anything.

    Raises InvalidInput with every field that is wrong at once: the month (malformed, or no rule
    table for it) together with the household's own errors.
    """
    errors: dict[str, str] = {}
    table: NormTable | None = None
    try:
        table = norm_table_for(parse_month(month) if isinstance(month, str) else month)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if table is None:
        raise InvalidInput({**household_errors(household, None), **errors})
    return calculate(household, table)
