"""API routes of the fees app, mounted under /api/v1/fees in sociala/api/api.py."""

from __future__ import annotations

from ninja import Field, Router, Schema
from pydantic.json_schema import JsonDict

from sociala.api.common import ERRORS
from sociala.api.schemas import Text

from .calculation import MAX_ADJUSTMENT, MAX_AGE, MAX_AMOUNT
from .choices import Household, ServiceType
from .rules import calculate_for_year

router = Router(tags=["fees"])

# Ranges are documented here and checked by the calculation, so that a wrong value gets a Swedish
# message per field (422) rather than the validator's English one.
_AMOUNT: JsonDict = {"minimum": 0, "maximum": MAX_AMOUNT}


class FeeServiceIn(Schema):
    type: Text = Field(
        ...,
        max_length=60,
        description="A granted service that carries a fee; LSS services without a fee are refused",
        json_schema_extra={"enum": list(ServiceType.values)},
    )
    monthly_price: int = Field(
        ..., description="The service's price per month, whole kronor", json_schema_extra=_AMOUNT
    )


class FeeCalculationIn(Schema):
    """The client's figures for one month; nothing is saved."""

    year: int = Field(..., description="The year whose rules apply (those in force on 1 January)")
    household: Text = Field(
        ...,
        max_length=10,
        description="single or couple (spouses)",
        json_schema_extra={"enum": list(Household.values)},
    )
    age: int = Field(
        ..., description="The client's age", json_schema_extra={"minimum": 0, "maximum": MAX_AGE}
    )
    monthly_net_income: int = Field(
        ...,
        description="Net income per month incl. housing supplement, whole kronor; for a couple the joint income",
        json_schema_extra=_AMOUNT,
    )
    housing_cost: int = Field(
        ...,
        description="The client's own housing cost per month (spouses in one home: half); "
        "not a housing fee charged as residential_care",
        json_schema_extra=_AMOUNT,
    )
    individual_adjustment: int = Field(
        0,
        description="Raise (+) or lowering (−) of the minimum amount, whole kronor",
        json_schema_extra={"minimum": -MAX_ADJUSTMENT, "maximum": MAX_ADJUSTMENT},
    )
    services: list[FeeServiceIn] = Field(..., description="At least one")


class FeeLineOut(Schema):
    code: str = Field(
        ..., description="fee_basis, minimum_amount, …, price.<type>, max_fee.<group>, fee.<group>, fee"
    )
    label: str
    amount: int


class FeeCalculationOut(Schema):
    """Whole kronor per month."""

    minimum_amount: int = Field(
        ..., description="incl. the local under-age raise, excl. the individual adjustment"
    )
    reserved_amount: int
    fee_basis: int
    fee_capacity: int = Field(..., description="may be negative: the fee is then 0")
    max_fee: int = Field(..., description="the sum of the max fees of the fee groups the services fall in")
    fee: int
    lines: list[FeeLineOut]


@router.post("/calculations", response={200: FeeCalculationOut, **ERRORS})
def calculate(request, payload: FeeCalculationIn):
    """Calculate a monthly fee (SoL 32 kap.) without saving anything.

    Any signed-in staff user may call it: the request holds no identity, so no personal data is read
    or written and nothing is logged.
    """
    return calculate_for_year(payload.model_dump()).as_dict()
