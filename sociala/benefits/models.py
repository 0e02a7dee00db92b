"""Income support rules as data: the national norm, the price base amount and the job-stimulus share.

Each table is valid from a date (``valid_from``) and, for the amounts the government sets per calendar
year, to a date (``valid_to``): a month outside every period has no table, so last year's norm is never
used for a new year by mistake. A new year is a new row entered by an administrator, never a code change.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class NationalNorm(models.Model):
    """The riksnorm for a period (SoF 12 kap. 2 §): adults' personal costs per month and its sub-tables."""

    valid_from = models.DateField(unique=True)
    valid_to = models.DateField(null=True, blank=True, help_text=_("Sista dag; tomt = tills vidare"))
    single_adult = models.PositiveIntegerField(help_text=_("Personliga kostnader, ensamstående vuxen"))
    cohabiting_couple = models.PositiveIntegerField(
        help_text=_("Personliga kostnader, sammanboende (tillsammans)")
    )
    common_cost_increment = models.PositiveIntegerField(
        help_text=_("Hushållsgemensamma kostnader för varje person utöver tabellens största hushåll")
    )
    legal_source = models.CharField(max_length=200)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="national_norm_period",
            )
        ]

    def __str__(self):
        return f"Riksnorm från {self.valid_from:%Y-%m-%d}"


class NationalNormChildCost(models.Model):
    """Personal costs of a child or school youth in an age band of the national norm.

    ``amount`` is the table's "summa personliga kostnader": the child eats lunch at home.
    ``amount_with_preschool_lunch`` is the table's lower column "utan lunch 5 dagar/vecka" (the personal
    costs *without* the cost of lunch five days a week), which applies when the child eats lunch at
    preschool; the table has it for ages 0–6 only, since every school pupil gets a free school lunch and
    the amounts from 7 years already assume it.
    """

    norm = models.ForeignKey(NationalNorm, on_delete=models.CASCADE, related_name="child_costs")
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField()
    amount = models.PositiveIntegerField()
    amount_with_preschool_lunch = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["norm", "age_from"]
        constraints = [
            models.UniqueConstraint(fields=["norm", "age_from"], name="national_norm_child_band"),
            models.CheckConstraint(condition=Q(age_to__gte=F("age_from")), name="national_norm_child_ages"),
        ]

    def __str__(self):
        return f"{self.norm}: barn {self.age_from}–{self.age_to} år"


class NationalNormCommonCost(models.Model):
    """Household common costs of the national norm for a household of ``household_size`` persons."""

    norm = models.ForeignKey(NationalNorm, on_delete=models.CASCADE, related_name="common_costs")
    household_size = models.PositiveSmallIntegerField()
    amount = models.PositiveIntegerField()

    class Meta:
        ordering = ["norm", "household_size"]
        constraints = [
            models.UniqueConstraint(fields=["norm", "household_size"], name="national_norm_common_cost"),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="national_norm_household_size"),
        ]

    def __str__(self):
        return f"{self.norm}: {self.household_size} personer"


class PriceBaseAmount(models.Model):
    """The prisbasbelopp for a period (2 kap. 6–7 §§ socialförsäkringsbalken), in whole kronor per year."""

    valid_from = models.DateField(unique=True)
    valid_to = models.DateField(null=True, blank=True, help_text=_("Sista dag; tomt = tills vidare"))
    amount = models.PositiveIntegerField()
    legal_source = models.CharField(max_length=200)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="price_base_amount_period",
            )
        ]

    def __str__(self):
        return f"Prisbasbelopp från {self.valid_from:%Y-%m-%d}: {self.amount}"


class JobStimulus(models.Model):
    """The share of employment income disregarded as jobbstimulans (SoL 12 kap. 8 §), from a date."""

    valid_from = models.DateField(unique=True)
    valid_to = models.DateField(null=True, blank=True, help_text=_("Sista dag; tomt = tills vidare"))
    disregarded_share = models.DecimalField(max_digits=5, decimal_places=4)
    legal_source = models.CharField(max_length=200)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="job_stimulus_period",
            ),
            models.CheckConstraint(
                condition=Q(disregarded_share__gte=0) & Q(disregarded_share__lte=1),
                name="job_stimulus_share",
            ),
        ]

    def __str__(self):
        return f"Jobbstimulans från {self.valid_from:%Y-%m-%d}: {self.disregarded_share}"
