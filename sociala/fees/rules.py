"""Reading the fee rules in force for a month or a year, and calculating a fee with them (no writes)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext_lazy as _

from sociala.core.errors import InvalidInput, Message

from .calculation import FeeCalculation, FeeRules, calculate_fee, check_fee_input
from .models import FeeFormula, MinimumAmountRaise, PriceBaseAmount

EARLIEST_YEAR, LATEST_YEAR = 1900, 9999


class RulesMissing(LookupError):
    """No price base amount or formula for the month: an administrator must enter the year first."""


def rules_for_month(month: date) -> FeeRules:
    """The rules in force on the first day of ``month``: its year's price base amount, the formula and raise."""
    first = month.replace(day=1)
    pbb = PriceBaseAmount.objects.filter(year=first.year).first()
    formula = FeeFormula.objects.filter(valid_from__lte=first).order_by("-valid_from").first()
    if pbb is None or formula is None:
        raise RulesMissing(f"no fee rules for {first:%Y-%m}")
    local_raise = MinimumAmountRaise.objects.filter(valid_from__lte=first).order_by("-valid_from").first()
    return FeeRules(
        year=first.year,
        price_base_amount=pbb.amount,
        max_fee_factor=formula.max_fee_factor,
        housing_max_fee_factor=formula.housing_max_fee_factor,
        minimum_amount_single_factor=formula.minimum_amount_single_factor,
        minimum_amount_spouse_factor=formula.minimum_amount_spouse_factor,
        formula_valid_from=formula.valid_from,
        raise_percent=local_raise.percent if local_raise else FeeRules.raise_percent,
        raise_age_limit=local_raise.age_limit if local_raise else None,
        raise_valid_from=local_raise.valid_from if local_raise else None,
    )


def rules_for_year(year: object) -> FeeRules:
    """The rules in force on 1 January of ``year`` (what the calculation API uses)."""
    if not isinstance(year, int) or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise RulesMissing(f"no fee rules for {year!r}")
    return rules_for_month(date(year, 1, 1))


def years_with_rules() -> list[int]:
    """The years that have a price base amount, oldest first."""
    return list(PriceBaseAmount.objects.order_by("year").values_list("year", flat=True))


def calculate_for_year(data: Mapping) -> FeeCalculation:
    """Check the request, find the year's rules and calculate; InvalidInput names every wrong field."""
    errors: dict[str, Message] = {}
    fee_input = None
    try:
        fee_input = check_fee_input(data)
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    rules = None
    try:
        rules = rules_for_year(data.get("year"))
    except RulesMissing:
        errors["year"] = _("Det finns inga avgiftsregler för år %(year)s. Regler finns för: %(years)s.") % {
            "year": data.get("year"),
            "years": ", ".join(str(y) for y in years_with_rules()) or "–",
        }
    if errors or rules is None or fee_input is None:
        raise InvalidInput(errors)
    return calculate_fee(rules, fee_input)
