"""The rule tables in force in one month, read once from the database into an immutable, cached object.

A calculation never touches the database: it takes a ``NormTable``. ``norm_table_for(month)`` builds one
from the rows valid on the first day of the month and keeps it for ``TABLE_TTL_SECONDS`` (a changed row
clears this process's cache at once; other processes pick it up within the TTL).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sociala.core.errors import InvalidInput

from .models import JobStimulus, NationalNorm, NationalNormChildCost, NationalNormCommonCost, PriceBaseAmount

TABLE_TTL_SECONDS = 60

NATIONAL_NORM = "national_norm"
PRICE_BASE_AMOUNT = "price_base_amount"
JOB_STIMULUS = "job_stimulus"

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

MONTH_FORMAT = _("Ange månaden som ÅÅÅÅ-MM, till exempel 2026-03.")
NO_NATIONAL_NORM = _("Det finns ingen riksnorm för %(month)s.")
NO_PRICE_BASE_AMOUNT = _("Det finns inget prisbasbelopp för %(month)s.")
NO_JOB_STIMULUS = _("Det finns ingen regel för jobbstimulans för %(month)s.")
INCOMPLETE_NORM = _(
    "Riksnormen för %(month)s är ofullständig; en administratör behöver komplettera tabellen."
)


@dataclass(frozen=True, slots=True)
class TableRow:
    """One value of a rule table as a calculation line cites it: which table, which version, which row."""

    table: str
    valid_from: date
    row: str
    value: int | Decimal
    legal_source: str


@dataclass(frozen=True, slots=True)
class ChildBand:
    """An age band of children's personal costs; ``with_preschool_lunch`` is None where the table has none."""

    age_from: int
    age_to: int
    at_home: TableRow
    with_preschool_lunch: TableRow | None


@dataclass(frozen=True, slots=True)
class NormTable:
    """Every rule value a calculation for ``month`` needs, immutable."""

    month: date
    single_adult: TableRow
    cohabiting_couple: TableRow
    # Indexed by age: child_bands[4] is the band 4–6.
    child_bands: tuple[ChildBand, ...]
    # Indexed by household size − 1.
    common_costs: tuple[TableRow, ...]
    common_cost_increment: TableRow
    price_base_amount: TableRow
    job_stimulus: TableRow
    # The disregarded share as an exact fraction (numerator, denominator): 0.25 -> (1, 4).
    job_stimulus_ratio: tuple[int, int]

    @property
    def max_child_age(self) -> int:
        return len(self.child_bands) - 1

    def common_cost(self, household_size: int) -> tuple[int, tuple[TableRow, ...]]:
        """Household common costs for ``household_size`` persons and the rows they come from.

        Beyond the largest size in the table, each further person adds ``common_cost_increment``.
        """
        largest = len(self.common_costs)
        if household_size <= largest:
            row = self.common_costs[household_size - 1]
            return int(row.value), (row,)
        top = self.common_costs[-1]
        extra = household_size - largest
        return int(top.value) + extra * int(self.common_cost_increment.value), (
            top,
            self.common_cost_increment,
        )


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def parse_month(text: str) -> date:
    """The first day of a month written ``YYYY-MM``; InvalidInput on ``month`` otherwise."""
    match = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise InvalidInput({"month": MONTH_FORMAT})
    return date(int(match.group(1)), int(match.group(2)), 1)


def build_norm_table(
    month: date,
    *,
    norm: NationalNorm,
    child_costs: list[NationalNormChildCost],
    common_costs: list[NationalNormCommonCost],
    price_base_amount: PriceBaseAmount,
    job_stimulus: JobStimulus,
) -> NormTable:
    """A ``NormTable`` from rule rows (saved or not); InvalidInput on ``month`` when the norm has gaps."""
    month = month.replace(day=1)
    source = norm.legal_source

    def norm_row(key: str, value: int) -> TableRow:
        return TableRow(NATIONAL_NORM, norm.valid_from, key, value, source)

    bands: list[ChildBand] = []
    for cost in sorted(child_costs, key=lambda c: c.age_from):
        if cost.age_from != len(bands) or cost.age_to < cost.age_from:
            raise InvalidInput({"month": INCOMPLETE_NORM % {"month": month_label(month)}})
        ages = f"{cost.age_from}-{cost.age_to}"
        band = ChildBand(
            age_from=cost.age_from,
            age_to=cost.age_to,
            at_home=norm_row(f"child:{ages}", cost.amount),
            with_preschool_lunch=(
                norm_row(f"child:{ages}:with_preschool_lunch", cost.amount_with_preschool_lunch)
                if cost.amount_with_preschool_lunch is not None
                else None
            ),
        )
        bands.extend([band] * (cost.age_to - cost.age_from + 1))
    common = sorted(common_costs, key=lambda c: c.household_size)
    if not bands or not common or [c.household_size for c in common] != list(range(1, len(common) + 1)):
        raise InvalidInput({"month": INCOMPLETE_NORM % {"month": month_label(month)}})
    share = Decimal(job_stimulus.disregarded_share).normalize()
    return NormTable(
        month=month,
        single_adult=norm_row("single_adult", norm.single_adult),
        cohabiting_couple=norm_row("cohabiting_couple", norm.cohabiting_couple),
        child_bands=tuple(bands),
        common_costs=tuple(norm_row(f"common_costs:{c.household_size}", c.amount) for c in common),
        common_cost_increment=norm_row("common_cost_increment", norm.common_cost_increment),
        price_base_amount=TableRow(
            PRICE_BASE_AMOUNT,
            price_base_amount.valid_from,
            "price_base_amount",
            price_base_amount.amount,
            price_base_amount.legal_source,
        ),
        job_stimulus=TableRow(
            JOB_STIMULUS, job_stimulus.valid_from, "disregarded_share", share, job_stimulus.legal_source
        ),
        job_stimulus_ratio=share.as_integer_ratio(),
    )


def _in_force(queryset, day: date):
    return (
        queryset.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def load_norm_table(month: date) -> NormTable:
    """Read the rows in force on the first day of ``month`` (five queries); InvalidInput when one is missing."""
    month = month.replace(day=1)
    label = month_label(month)
    norm = _in_force(NationalNorm.objects.all(), month)
    if norm is None:
        # The norm first: without it nothing else matters, and a list of missing tables would only blur that.
        raise InvalidInput({"month": NO_NATIONAL_NORM % {"month": label}})
    price_base_amount = _in_force(PriceBaseAmount.objects.all(), month)
    job_stimulus = _in_force(JobStimulus.objects.all(), month)
    missing = []
    if price_base_amount is None:
        missing.append(str(NO_PRICE_BASE_AMOUNT % {"month": label}))
    if job_stimulus is None:
        missing.append(str(NO_JOB_STIMULUS % {"month": label}))
    if missing:
        raise InvalidInput({"month": " ".join(missing)})
    return build_norm_table(
        month,
        norm=norm,
        child_costs=list(norm.child_costs.all()),
        common_costs=list(norm.common_costs.all()),
        price_base_amount=price_base_amount,
        job_stimulus=job_stimulus,
    )


_tables: dict[date, tuple[float, NormTable]] = {}
_lock = threading.Lock()


def norm_table_for(month: date) -> NormTable:
    """The cached ``NormTable`` for ``month`` (loaded on first use and again after the TTL)."""
    month = month.replace(day=1)
    now = time.monotonic()
    cached = _tables.get(month)
    if cached is not None and now - cached[0] < TABLE_TTL_SECONDS:
        return cached[1]
    table = load_norm_table(month)
    with _lock:
        _tables[month] = (now, table)
    return table


def clear_norm_tables() -> None:
    """Forget every cached table (called when a rule row is saved or deleted)."""
    with _lock:
        _tables.clear()
