from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    """A person's place in the household of an income-support calculation."""

    APPLICANT = "applicant", _("Sökande")
    PARTNER = "partner", _("Make, maka eller sambo")
    CHILD = "child", _("Barn eller skolungdom")
    OTHER_ADULT = "other_adult", _("Annan vuxen i hushållet")


class IncomeType(models.TextChoices):
    """Kinds of net income; only ``employment`` has rules of its own (job stimulus, children's work income)."""

    EMPLOYMENT = "employment", _("Lön efter skatt")
    CHILD_ALLOWANCE = "child_allowance", _("Barnbidrag")
    HOUSING_ALLOWANCE = "housing_allowance", _("Bostadsbidrag")
    MAINTENANCE_SUPPORT = "maintenance_support", _("Underhållsstöd eller underhållsbidrag")
    PARENTAL_BENEFIT = "parental_benefit", _("Föräldrapenning")
    SICKNESS_BENEFIT = "sickness_benefit", _("Sjukpenning eller sjukersättning")
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("Arbetslöshetsersättning")
    ACTIVITY_SUPPORT = "activity_support", _("Aktivitetsstöd eller etableringsersättning")
    PENSION = "pension", _("Pension")
    STUDENT_AID = "student_aid", _("Studiemedel")
    LODGER_INCOME = "lodger_income", _("Inkomst från inneboende")
    OTHER = "other", _("Annan inkomst")


class ReasonableCost(models.TextChoices):
    """The costs outside the national norm that count at their actual reasonable amount (SoL 12 kap. 7 §)."""

    HOUSING = "housing", _("Boende")
    HOUSEHOLD_ELECTRICITY = "household_electricity", _("Hushållsel")
    WORK_TRAVEL = "work_travel", _("Arbetsresor")
    HOME_INSURANCE = "home_insurance", _("Hemförsäkring")
    UNION_FEE = "union_fee", _("Fackföreningsavgift")
    UNEMPLOYMENT_FUND_FEE = "unemployment_fund_fee", _("Avgift till arbetslöshetskassa")


class LinePart(models.TextChoices):
    """Which total of a calculation a line adds to."""

    NORM = "norm", _("Riksnorm")
    REASONABLE_COSTS = "reasonable_costs", _("Skäliga kostnader")
    COUNTED_INCOME = "counted_income", _("Inkomster som räknas")


class Rule(models.TextChoices):
    """The rule that produced a calculation line (reasonable costs use their ``ReasonableCost`` code)."""

    SINGLE_ADULT = "single_adult", _("Personliga kostnader, ensamstående vuxen")
    COHABITING_COUPLE = "cohabiting_couple", _("Personliga kostnader, sammanboende")
    OTHER_ADULT = "other_adult", _("Personliga kostnader, annan vuxen")
    CHILD = "child", _("Personliga kostnader, barn")
    COMMON_COSTS = "common_costs", _("Hushållsgemensamma kostnader")
    COMMON_COSTS_SHARE = "common_costs_share", _("Andel av hushållsgemensamma kostnader")
    REASONABLE_COST = "reasonable_cost", _("Skälig kostnad")
    INCOME = "income", _("Inkomst")
    JOB_STIMULUS = "job_stimulus", _("Jobbstimulans")
    CHILD_WORK_INCOME = "child_work_income", _("Barns inkomst av eget arbete")


class BeyondNormItem(models.TextChoices):
    """Costs beyond the national norm and the reasonable costs (livsföring i övrigt), applied for one by one.

    The codes of the e-application's "other costs" are the same, so that its rows pre-fill the decision."""

    MEDICINE = "medicine", _("Medicin")
    HEALTH_CARE = "health_care", _("Läkarvård")
    DENTAL_CARE = "dental_care", _("Tandvård")
    GLASSES = "glasses", _("Glasögon")
    CHILDCARE = "childcare", _("Avgift för förskola eller fritids")
    FURNITURE = "furniture", _("Möbler och husgeråd")
    OTHER = "other", _("Annat")


class ReviewStatus(models.TextChoices):
    """Where an automated decision picked for human review stands."""

    TO_REVIEW = "to_review", _("Att granska")
    CONFIRMED = "confirmed", _("Bekräftat")
    CHANGED = "changed", _("Ska ändras")
