"""The price of granted services: each running intervention's scope in its decision times the price list.

    hours per month        × price per hour
    days per month         × price per day
    activities per week    × price per activity × 52 / 12   (weeks in a year over months)
    a place, or no scope   → the price per month

Each intervention's price is rounded to whole kronor (halves up) and the prices are summed per fee
service type; the calculation then caps each fee group at its max fee (calculation.py). Intervention
kinds without a row in the price list carry no fee (most LSS interventions, LSS 21 §).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q

from sociala.care.models import InterventionTerms, Reassessment, Termination
from sociala.cases.models import Intervention

from .calculation import _round_half_up
from .choices import PRICE_UNIT_OF_SCOPE, PriceUnit
from .models import PriceListEntry

WEEKS_PER_MONTH = Fraction(52, 12)


class PriceMismatch(ValueError):
    """The price list's unit does not fit how the intervention's scope is measured."""


@dataclass(frozen=True)
class PricedIntervention:
    """One running intervention with its price per month, for the staff page's explanation."""

    intervention_id: int
    description: str
    intervention_kind: str
    scope: str
    service_type: str
    unit: str
    price: Decimal
    monthly_price: int

    @property
    def unit_label(self) -> str:
        return str(PriceUnit(self.unit).label)


def price_in_force(kind: str, on: date) -> PriceListEntry | None:
    """The price list row of an intervention kind valid on a date."""
    return (
        PriceListEntry.objects.filter(intervention_kind=kind, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )


def monthly_price(scope_amount: Decimal | None, scope_unit: str, entry: PriceListEntry) -> int:
    """The price per month of one intervention, whole kronor, halves rounded up."""
    expected = PRICE_UNIT_OF_SCOPE.get(scope_unit)
    if entry.unit != expected:
        raise PriceMismatch(f"{entry.intervention_kind}: price {entry.unit} does not fit scope {scope_unit}")
    price = Fraction(entry.price)
    if entry.unit == PriceUnit.PER_MONTH:
        return _round_half_up(price)
    amount = Fraction(scope_amount or 0)
    if entry.unit == PriceUnit.PER_ACTIVITY:
        return _round_half_up(amount * price * WEEKS_PER_MONTH)
    return _round_half_up(amount * price)


def running_interventions(person, month: date) -> list[Intervention]:
    """The person's granted interventions that run in ``month``: started by its last day, not ended
    before its first, not replaced by a reassessment nor ended by a termination before it began."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    interventions = (
        Intervention.objects.filter(case__person=person, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("decision_item")
        .order_by("starts_on", "pk")
    )
    replaced = set(
        Reassessment.objects.filter(previous_case__person=person, replaces_from__lte=first).values_list(
            "previous_case_id", flat=True
        )
    )
    terminated = set(
        Termination.objects.filter(case__person=person, ended_on__lte=first).values_list("case_id", flat=True)
    )
    return [i for i in interventions if i.case_id not in replaced | terminated]


def priced_interventions(person, month: date) -> list[PricedIntervention]:
    """Each running intervention that has a price, with its price per month."""
    first = month.replace(day=1)
    running = running_interventions(person, first)
    terms = {
        t.decision_item_id: t
        for t in InterventionTerms.objects.filter(decision_item_id__in=[i.decision_item_id for i in running])
    }
    rows = []
    for intervention in running:
        term = terms.get(intervention.decision_item_id)
        if term is None:
            continue
        entry = price_in_force(term.intervention_kind, first)
        if entry is None:
            continue
        rows.append(
            PricedIntervention(
                intervention_id=intervention.pk,
                description=intervention.description,
                intervention_kind=term.intervention_kind,
                scope=intervention.scope,
                service_type=entry.service_type,
                unit=entry.unit,
                price=entry.price,
                monthly_price=monthly_price(term.scope_amount, term.scope_unit, entry),
            )
        )
    return rows


def granted_services(person, month: date) -> list[dict]:
    """The fee calculation's services: per fee service type, the summed price per month."""
    totals: dict[str, int] = {}
    for row in priced_interventions(person, month):
        totals[row.service_type] = totals.get(row.service_type, 0) + row.monthly_price
    return [{"type": kind, "monthly_price": price} for kind, price in sorted(totals.items())]
