"""The monthly fee (avgift) in elderly and disability care, SoL 32 kap.: pure, exact, explained line by line.

No database here: the rules of the month come in as ``FeeRules`` (see rules.py), the client's figures as
``FeeInput``. All amounts are whole kronor per month.

    fee_basis       = the client's monthly net income; spouses: half their joint income   (32:5)
    minimum_amount  = price_base_amount × factor / 12 (single or each spouse)              (32:8)
                      + the local raise for persons under an age limit, where the municipality has one
    reserved_amount = minimum_amount ± individual_adjustment + housing_cost               (32:8-9)
    fee_capacity    = fee_basis − reserved_amount                                          (32:7)
    fee             = Σ over the fee groups of min(price of the group, max fee of the group),
                      all groups together at most max(0, fee_capacity)

Decisions written down here:

* Rounding. Each rule amount (max fees, minimum amounts) is rounded to whole kronor, halves up, as
  the published tables are; the local raise is a percentage of the rounded minimum amount, rounded
  the same way. Half a krona of a couple's fee basis goes to the client (rounded down). Arithmetic is
  exact (``Fraction``), never float.
* Two caps, one capacity. Home care, day activity, safety alarm, short stay and health care share the
  max fee of 32:6 § 1 (group ``care``); the housing fee in residential care has its own max of 32:6 § 2
  (group ``housing``). 32:7 limits the *sum* of both fees by the reserved amount, so the fee capacity
  is shared: the housing fee takes it first and the care fee gets what is left; when money is short
  the care fee is reduced first, the home itself stays paid. A housing fee charged by the
  municipality is not a housing cost in the reserved amount (32:8: "för sådan boendekostnad som anges
  i 6 § ska dock inget förbehåll göras"); a resident with a tenancy enters the rent as housing cost.
* LSS. Only fees for housing, leisure and culture may be charged (LSS 19 §, 21 §); they have no
  statutory max fee, only the municipality's own cost, which is the price entered. They share the
  fee capacity after the SoL housing fee and before the care fee.
* ``max_fee`` of the result is the sum of the caps of the groups the services fall in (for LSS, the
  price), so that for one group it is exactly the max fee of DOMAIN.md's formula.
* For couples, ``housing_cost`` is the client's own share; spouses in one home split it in halves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import cast

from django.utils.translation import gettext_lazy as _

from sociala.core.errors import InvalidInput, Message
from sociala.core.money import format_sek

from .choices import (
    GROUP_OF_SERVICE,
    GROUP_ORDER,
    LSS_NO_FEE_MESSAGE,
    LSS_WITHOUT_FEE,
    FeeGroup,
    Household,
    ServiceType,
)

MAX_AMOUNT = 10_000_000
MAX_ADJUSTMENT = 100_000
MAX_AGE = 130
MAX_SERVICES = 50


def monthly_amount(price_base_amount: int, factor: Decimal) -> int:
    """price_base_amount × factor / 12 in whole kronor, halves rounded up, computed exactly."""
    return _round_half_up(Fraction(price_base_amount) * Fraction(factor) / 12)


def _round_half_up(value: Fraction) -> int:
    # floor(x + 1/2) for x >= 0; every amount rounded here is a positive share of a positive amount.
    return int((value + Fraction(1, 2)) // 1)


def _number(value: Decimal) -> str:
    """1.4789 -> '1,4789', 10.00 -> '10': a factor or percentage as Swedish text."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


@dataclass(frozen=True)
class FeeRules:
    """The rules of one month: the price base amount, the statutory factors and the local under-age raise."""

    year: int
    price_base_amount: int
    max_fee_factor: Decimal
    housing_max_fee_factor: Decimal
    minimum_amount_single_factor: Decimal
    minimum_amount_spouse_factor: Decimal
    formula_valid_from: date
    raise_percent: Decimal = Decimal(0)
    raise_age_limit: int | None = None
    raise_valid_from: date | None = None

    @property
    def max_fee(self) -> int:
        """Max fee for home care, day activity and health care per month (SoL 32:6 § 1)."""
        return monthly_amount(self.price_base_amount, self.max_fee_factor)

    @property
    def housing_max_fee(self) -> int:
        """Max housing fee in residential care per month (SoL 32:6 § 2)."""
        return monthly_amount(self.price_base_amount, self.housing_max_fee_factor)

    @property
    def minimum_amount_single(self) -> int:
        """Minimum amount per month for a single person (SoL 32:8 § 1)."""
        return monthly_amount(self.price_base_amount, self.minimum_amount_single_factor)

    @property
    def minimum_amount_spouse(self) -> int:
        """Minimum amount per month for each of two spouses or cohabitants (SoL 32:8 § 2)."""
        return monthly_amount(self.price_base_amount, self.minimum_amount_spouse_factor)

    def cap_of(self, group: str) -> tuple[int, Decimal] | None:
        """The max fee of a fee group and its factor; None for a group without a statutory max."""
        if group == FeeGroup.CARE:
            return self.max_fee, self.max_fee_factor
        if group == FeeGroup.HOUSING:
            return self.housing_max_fee, self.housing_max_fee_factor
        return None

    def raise_applies(self, age: int) -> bool:
        """Whether the local under-age raise of the minimum amount applies at this age."""
        return bool(
            self.raise_age_limit is not None and self.raise_percent > 0 and age < self.raise_age_limit
        )

    def version(self) -> dict:
        """The rule version as JSON, stored with every fee decision so that it can be explained later."""
        data = asdict(self)
        return {
            key: (str(value) if isinstance(value, Decimal | date) else value) for key, value in data.items()
        }

    @classmethod
    def from_version(cls, data: Mapping) -> FeeRules:
        """The rules a fee decision stored, back as FeeRules, to recompute and explain the decision."""

        def day(value):
            return date.fromisoformat(value) if value else None

        return cls(
            year=data["year"],
            price_base_amount=data["price_base_amount"],
            max_fee_factor=Decimal(data["max_fee_factor"]),
            housing_max_fee_factor=Decimal(data["housing_max_fee_factor"]),
            minimum_amount_single_factor=Decimal(data["minimum_amount_single_factor"]),
            minimum_amount_spouse_factor=Decimal(data["minimum_amount_spouse_factor"]),
            formula_valid_from=day(data["formula_valid_from"]),
            raise_percent=Decimal(data["raise_percent"]),
            raise_age_limit=data["raise_age_limit"],
            raise_valid_from=day(data["raise_valid_from"]),
        )


@dataclass(frozen=True)
class ServicePrice:
    """A granted service and its price per month in whole kronor."""

    type: str
    monthly_price: int


@dataclass(frozen=True)
class FeeInput:
    """The client's figures for a month: household, age, income, housing cost, adjustment, services."""

    household: str
    age: int
    monthly_net_income: int
    housing_cost: int
    individual_adjustment: int
    services: tuple[ServicePrice, ...]

    def as_dict(self) -> dict:
        """As JSON, the form a fee decision stores its inputs in."""
        data = asdict(self)
        data["services"] = list(data["services"])
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> FeeInput:
        """The input a fee decision stored, back as a FeeInput."""
        return cls(
            household=data["household"],
            age=data["age"],
            monthly_net_income=data["monthly_net_income"],
            housing_cost=data["housing_cost"],
            individual_adjustment=data["individual_adjustment"],
            services=tuple(ServicePrice(s["type"], s["monthly_price"]) for s in data["services"]),
        )


@dataclass(frozen=True)
class Line:
    """One explained step of the calculation: a stable code, a label in the active language, an amount."""

    code: str
    label: str
    amount: int


@dataclass(frozen=True)
class FeeCalculation:
    """The outcome: the amounts the issue names, the fee per group, and every step as a line."""

    fee_basis: int
    minimum_amount: int
    reserved_amount: int
    fee_capacity: int
    max_fee: int
    fee: int
    group_fees: dict[str, int] = field(default_factory=dict)
    lines: tuple[Line, ...] = ()

    def as_dict(self) -> dict:
        """The amounts and lines as the API returns them (and a fee decision stores them)."""
        return {
            "minimum_amount": self.minimum_amount,
            "reserved_amount": self.reserved_amount,
            "fee_basis": self.fee_basis,
            "fee_capacity": self.fee_capacity,
            "max_fee": self.max_fee,
            "fee": self.fee,
            "lines": [asdict(line) for line in self.lines],
        }


# --- input checks ----------------------------------------------------------------------------

NEGATIVE = _("Beloppet kan inte vara negativt.")
TOO_LARGE = _("Beloppet är för stort. Ange högst %(max)s kronor per månad.")
NOT_WHOLE_KRONOR = _("Ange beloppet i hela kronor.")
HOUSEHOLD_ERROR = _("Ange hushåll: ”single” (ensamstående) eller ”couple” (sammanlevande makar).")


def amount_error(value: object, *, maximum: int = MAX_AMOUNT) -> Message | None:
    """The message for an amount that is not whole kronor between 0 and ``maximum``, else None."""
    if not isinstance(value, int) or isinstance(value, bool):
        return NOT_WHOLE_KRONOR
    if value < 0:
        return NEGATIVE
    if value > maximum:
        return TOO_LARGE % {"max": format_sek(maximum).removesuffix("\u00a0kr")}
    return None


def check_fee_input(data: Mapping) -> FeeInput:
    """Check the client's figures field by field; raise InvalidInput with one message per wrong field."""
    errors: dict[str, Message] = {}
    household = data.get("household")
    if household not in Household.values:
        errors["household"] = HOUSEHOLD_ERROR
    age = data.get("age")
    if not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= MAX_AGE:
        errors["age"] = _("Ange en ålder mellan 0 och %(max)s år.") % {"max": MAX_AGE}
    for name in ("monthly_net_income", "housing_cost"):
        problem = amount_error(data.get(name))
        if problem:
            errors[name] = problem
    adjustment = data.get("individual_adjustment", 0)
    if not isinstance(adjustment, int) or isinstance(adjustment, bool):
        errors["individual_adjustment"] = NOT_WHOLE_KRONOR
    elif abs(adjustment) > MAX_ADJUSTMENT:
        errors["individual_adjustment"] = _(
            "Justeringen får vara högst %(max)s kronor uppåt eller nedåt."
        ) % {"max": format_sek(MAX_ADJUSTMENT).removesuffix("\u00a0kr")}
    services = data.get("services")
    checked: list[ServicePrice] = []
    if not isinstance(services, list | tuple) or not services:
        errors["services"] = _("Ange minst en beviljad insats med pris per månad.")
    elif len(services) > MAX_SERVICES:
        errors["services"] = _("Ange högst %(max)s insatser.") % {"max": MAX_SERVICES}
    else:
        for index, service in enumerate(services):
            kind = service.get("type") if isinstance(service, Mapping) else None
            kind = kind if isinstance(kind, str) else None
            price = service.get("monthly_price") if isinstance(service, Mapping) else None
            if kind in LSS_WITHOUT_FEE:
                errors[f"services.{index}.type"] = LSS_WITHOUT_FEE[kind] or LSS_NO_FEE_MESSAGE
            elif kind not in ServiceType.values:
                errors[f"services.{index}.type"] = _("Okänd insats. Avgift kan beräknas för: %(types)s.") % {
                    "types": ", ".join(ServiceType.values)
                }
            problem = amount_error(price)
            if problem:
                errors[f"services.{index}.monthly_price"] = problem
            checked.append(ServicePrice(cast(str, kind), cast(int, price)))
    if errors:
        raise InvalidInput(errors)
    return FeeInput(
        household=cast(str, household),
        age=cast(int, age),
        monthly_net_income=data["monthly_net_income"],
        housing_cost=data["housing_cost"],
        individual_adjustment=adjustment,
        services=tuple(checked),
    )


# --- the calculation -------------------------------------------------------------------------


def calculate_fee(rules: FeeRules, fee_input: FeeInput) -> FeeCalculation:
    """The fee per month for checked input under the given rules, with every step as a line."""
    lines: list[Line] = []

    def add(code: str, label, amount: int) -> int:
        lines.append(Line(code, str(label), amount))
        return amount

    pbb = format_sek(rules.price_base_amount)
    if fee_input.household == Household.COUPLE:
        add("joint_income", _("Makarnas sammanlagda nettoinkomst per månad"), fee_input.monthly_net_income)
        fee_basis = add(
            "fee_basis",
            _("Avgiftsunderlag: hälften av makarnas nettoinkomst"),
            fee_input.monthly_net_income // 2,
        )
        minimum = add(
            "minimum_amount",
            _("Minimibelopp för var och en av makarna: %(factor)s × prisbasbeloppet %(pbb)s / 12")
            % {"factor": _number(rules.minimum_amount_spouse_factor), "pbb": pbb},
            rules.minimum_amount_spouse,
        )
    else:
        fee_basis = add(
            "fee_basis", _("Avgiftsunderlag: nettoinkomst per månad"), fee_input.monthly_net_income
        )
        minimum = add(
            "minimum_amount",
            _("Minimibelopp för ensamstående: %(factor)s × prisbasbeloppet %(pbb)s / 12")
            % {"factor": _number(rules.minimum_amount_single_factor), "pbb": pbb},
            rules.minimum_amount_single,
        )
    if rules.raise_applies(fee_input.age):
        minimum += add(
            "under_age_raise",
            _("Höjt minimibelopp för personer under %(age)s år: %(percent)s %% (lokal regel)")
            % {"age": rules.raise_age_limit, "percent": _number(rules.raise_percent)},
            _round_half_up(Fraction(minimum) * Fraction(rules.raise_percent) / 100),
        )
    adjustment = fee_input.individual_adjustment
    if minimum + adjustment < 0:
        raise InvalidInput(
            {
                "individual_adjustment": _(
                    "Justeringen kan inte göra minimibeloppet negativt. Minimibeloppet är %(minimum)s."
                )
                % {"minimum": format_sek(minimum)}
            }
        )
    if adjustment:
        add("individual_adjustment", _("Individuell justering av minimibeloppet"), adjustment)
    add("housing_cost", _("Boendekostnad"), fee_input.housing_cost)
    reserved = add(
        "reserved_amount",
        _("Förbehållsbelopp: minimibelopp och boendekostnad"),
        minimum + adjustment + fee_input.housing_cost,
    )
    capacity = add(
        "fee_capacity", _("Avgiftsutrymme: avgiftsunderlag minus förbehållsbelopp"), fee_basis - reserved
    )

    left = max(0, capacity)
    max_fee = 0
    group_fees: dict[str, int] = {}
    for group in GROUP_ORDER:
        services = [s for s in fee_input.services if GROUP_OF_SERVICE[s.type] == group]
        if not services:
            continue
        for service in services:
            add(
                f"price.{service.type}",
                _("Pris för %(service)s per månad") % {"service": ServiceType(service.type).label},
                service.monthly_price,
            )
        price = sum(s.monthly_price for s in services)
        cap = rules.cap_of(group)
        if cap is None:
            capped = price
        else:
            cap_amount, factor = cap
            add(
                f"max_fee.{group}",
                _("Högsta avgift (maxtaxa) för %(group)s: %(factor)s × prisbasbeloppet / 12")
                % {"group": FeeGroup(group).label, "factor": _number(factor)},
                cap_amount,
            )
            capped = min(price, cap_amount)
        max_fee += capped if cap is None else cap[0]
        group_fee = min(capped, left)
        left -= group_fee
        label = (
            _("Avgift för %(group)s")
            if group_fee == capped
            else _("Avgift för %(group)s, begränsad av avgiftsutrymmet")
        )
        group_fees[group] = add(f"fee.{group}", label % {"group": FeeGroup(group).label}, group_fee)
    fee = add("fee", _("Avgift per månad"), sum(group_fees.values()))
    return FeeCalculation(
        fee_basis=fee_basis,
        minimum_amount=minimum,
        reserved_amount=reserved,
        fee_capacity=capacity,
        max_fee=max_fee,
        fee=fee,
        group_fees=group_fees,
        lines=tuple(lines),
    )
