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


def month_decisions(decision_ids) -> dict[int, dict]:
    """The month's decision record and its calculation in words, per decision id (for the citizen's page;
    the caller has checked that the decisions are the citizen's own)."""
    from .decision_services import calculation_rows
    from .models import IncomeSupportDecision

    return {
        record.decision_id: {"record": record, "parts": calculation_rows(record.budget.lines)}
        for record in IncomeSupportDecision.objects.filter(decision_id__in=list(decision_ids)).select_related(
            "budget", "rule_set"
        )
    }
