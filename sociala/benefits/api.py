"""API routes of the benefits app, mounted under /api/v1/financial-assistance in sociala/api/api.py."""

from __future__ import annotations

from datetime import date

from ninja import Field, Router, Schema
from pydantic import ConfigDict

from sociala.api.common import ERRORS

from .calculation import Calculation, Household, Income, Member, ReasonableCosts
from .choices import IncomeType, LinePart, MemberRole, Rule
from .explanations import line_text
from .selectors import calculation_for_month

router = Router(tags=["benefits"])

# Ranges are checked by the calculation (Swedish messages per field); the schema only documents them.
_AMOUNT = {"minimum": 0, "description": "whole SEK per month"}


class AssistanceMemberIn(Schema):
    """A person in the household."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(..., json_schema_extra={"enum": list(MemberRole.values)})
    age: int = Field(
        ...,
        description="whole years, 0–120; a child at most 20",
        json_schema_extra={"minimum": 0, "maximum": 120},
    )
    preschool_lunch: bool = Field(
        False,
        description="children: eats lunch at preschool five days a week (the lower norm amount, ages 0–6)",
    )
    days_in_household: int | None = Field(
        None,
        description="children living part-time in the household: days of a 30-day month (1–30); null = all month",
        json_schema_extra={"minimum": 1, "maximum": 30},
    )
    work_income_earlier_this_year: int = Field(
        0,
        description="children: own work income earlier in the calendar year, whole SEK (exempt up to one price base amount a year)",
        json_schema_extra={"minimum": 0},
    )


class AssistanceReasonableCostsIn(Schema):
    """Reasonable costs outside the norm, actual amounts in whole SEK per month; omitted items are 0."""

    model_config = ConfigDict(extra="forbid")

    housing: int = Field(0, json_schema_extra=_AMOUNT)
    household_electricity: int = Field(0, json_schema_extra=_AMOUNT)
    work_travel: int = Field(0, json_schema_extra=_AMOUNT)
    home_insurance: int = Field(0, json_schema_extra=_AMOUNT)
    union_fee: int = Field(0, json_schema_extra=_AMOUNT)
    unemployment_fund_fee: int = Field(0, json_schema_extra=_AMOUNT)


class AssistanceIncomeIn(Schema):
    """A net income in the month."""

    model_config = ConfigDict(extra="forbid")

    member: int | None = Field(
        None, description="index in members, null for the household (required for employment)"
    )
    type: str = Field(..., json_schema_extra={"enum": list(IncomeType.values)})
    amount: int = Field(..., json_schema_extra=_AMOUNT)
    job_stimulus: bool = Field(
        False,
        description="employment only: the job-stimulus share (25 % in 2026) is disregarded (SoL 12 kap. 8 §)",
    )


class AssistanceCalculationIn(Schema):
    """A household for one month."""

    model_config = ConfigDict(extra="forbid")

    month: str = Field(..., description="YYYY-MM", examples=["2026-03"])
    members: list[AssistanceMemberIn]
    reasonable_costs: AssistanceReasonableCostsIn = Field(default_factory=AssistanceReasonableCostsIn)
    incomes: list[AssistanceIncomeIn] = Field(default_factory=list)

    def household(self) -> Household:
        return Household(
            members=tuple(
                Member(
                    role=m.role,
                    age=m.age,
                    preschool_lunch=m.preschool_lunch,
                    days_in_household=m.days_in_household,
                    work_income_earlier_this_year=m.work_income_earlier_this_year,
                )
                for m in self.members
            ),
            reasonable_costs=ReasonableCosts(**self.reasonable_costs.model_dump()),
            incomes=tuple(
                Income(member=i.member, type=i.type, amount=i.amount, job_stimulus=i.job_stimulus)
                for i in self.incomes
            ),
        )


class AssistanceTableRowOut(Schema):
    """The rule table row an amount comes from."""

    table: str = Field(..., description="national_norm, price_base_amount or job_stimulus")
    valid_from: date = Field(..., description="the version of the table")
    row: str = Field(..., examples=["child:4-6:with_preschool_lunch"])
    value: str = Field(..., description="the row's amount in SEK or share, exact")
    legal_source: str


class AssistanceLineOut(Schema):
    """One amount and why: the rule, the table rows and the inputs it used."""

    part: str = Field(
        ..., json_schema_extra={"enum": list(LinePart.values)}, description="the total this line adds to"
    )
    rule: str = Field(..., json_schema_extra={"enum": list(Rule.values)})
    members: list[int] = Field(..., description="indexes in members; empty for the whole household")
    amount: int = Field(..., description="whole SEK, negative for a disregarded part of an income")
    text: str = Field(..., description="the line in words, in the request's language")
    inputs: dict[str, int | bool | str | None]
    table_rows: list[AssistanceTableRowOut]


class AssistanceCalculationOut(Schema):
    """assistance = max(0, norm + reasonable_costs − counted_income); the lines of each part add up to it."""

    norm: int
    reasonable_costs: int
    counted_income: int
    assistance: int
    lines: list[AssistanceLineOut]


def calculation_out(calculation: Calculation) -> dict:
    return {
        "norm": calculation.norm,
        "reasonable_costs": calculation.reasonable_costs,
        "counted_income": calculation.counted_income,
        "assistance": calculation.assistance,
        "lines": [
            {
                "part": line.part,
                "rule": line.rule,
                "members": list(line.members),
                "amount": line.amount,
                "text": line_text(line),
                "inputs": dict(line.inputs),
                "table_rows": [
                    {
                        "table": row.table,
                        "valid_from": row.valid_from,
                        "row": row.row,
                        "value": str(row.value),
                        "legal_source": row.legal_source,
                    }
                    for row in line.rows
                ],
            }
            for line in calculation.lines
        ],
    }


@router.post("/calculations", response={200: AssistanceCalculationOut, **ERRORS})
def create_calculation(request, payload: AssistanceCalculationIn):
    """Calculate income support for a household and a month, without saving anything.

    Open to every signed-in staff user, whatever the role: the request describes a household by roles
    and ages only, so no personal data is read or stored and nothing is written to the audit log.
    A wrong request gets 422 with a message per field (``members.0.age``, ``incomes.1.member`` …).
    """
    return calculation_out(calculation_for_month(payload.month, payload.household()))
