"""Calculation lines in words, in the active language (for the API, the budget page and the letter)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sociala.core.money import format_sek

from .calculation import Line
from .choices import IncomeType, ReasonableCost, Rule

_TEXTS = {
    Rule.SINGLE_ADULT: _("Personliga kostnader, ensamstående vuxen"),
    Rule.COHABITING_COUPLE: _("Personliga kostnader, sammanboende vuxna tillsammans"),
    Rule.OTHER_ADULT: _("Personliga kostnader, annan vuxen i hushållet (som ensamstående)"),
    Rule.CHILD: _("Personliga kostnader, barn %(age)s år"),
    Rule.COMMON_COSTS: _("Hushållsgemensamma kostnader, %(household_size)s personer"),
    Rule.COMMON_COSTS_SHARE: _(
        "Andel av hushållsgemensamma kostnader: %(common_costs)s / %(household_size)s personer"
    ),
    Rule.REASONABLE_COST: _("Skälig kostnad: %(item)s"),
    Rule.INCOME: _("Inkomst: %(type)s"),
    Rule.JOB_STIMULUS: _("Jobbstimulans: %(percent)s %% av lönen %(amount)s räknas inte"),
    Rule.CHILD_WORK_INCOME: _(
        "Barns egen arbetsinkomst räknas bara över ett prisbasbelopp per år (%(price_base_amount)s); "
        "tidigare i år %(earlier)s"
    ),
}
PRESCHOOL_LUNCH = _("äter lunch i förskolan 5 dagar i veckan")
PART_TIME = _("i hushållet %(days)s av 30 dagar")
OTHER_ADULTS_EXCLUDED = _("utom andelarna för andra vuxna")


def line_text(line: Line) -> str:
    """What the line is, e.g. "Personliga kostnader, barn 4 år, äter lunch i förskolan 5 dagar i veckan"."""
    inputs = dict(line.inputs)
    rule = line.rule
    values: dict[str, object] = {}
    extra: list[str] = []
    if rule == Rule.CHILD:
        values["age"] = inputs["age"]
        row = line.rows[0].row if line.rows else ""
        if row.endswith(":with_preschool_lunch"):
            extra.append(str(PRESCHOOL_LUNCH))
        if inputs["days_in_household"] is not None and inputs["days_in_household"] != 30:
            extra.append(str(PART_TIME % {"days": inputs["days_in_household"]}))
    elif rule == Rule.COMMON_COSTS:
        values["household_size"] = inputs["household_size"]
        if inputs.get("other_adults"):
            extra.append(str(OTHER_ADULTS_EXCLUDED))
    elif rule == Rule.COMMON_COSTS_SHARE:
        values = {
            "common_costs": format_sek(inputs["common_costs"]),
            "household_size": inputs["household_size"],
        }
    elif rule == Rule.REASONABLE_COST:
        values["item"] = ReasonableCost(inputs["item"]).label
    elif rule == Rule.INCOME:
        values["type"] = IncomeType(inputs["type"]).label
    elif rule == Rule.JOB_STIMULUS:
        share = line.rows[0].value
        values = {"percent": f"{(share * 100).normalize():f}", "amount": format_sek(inputs["amount"])}
    elif rule == Rule.CHILD_WORK_INCOME:
        values = {
            "price_base_amount": format_sek(line.rows[0].value),
            "earlier": format_sek(inputs["earlier_this_year"]),
        }
    text = str(_TEXTS[Rule(rule)] % values) if values else str(_TEXTS[Rule(rule)])
    return ", ".join([text, *extra])
