"""Income support rules as data: the national norm, the price base amount and the job-stimulus share.

Each table is valid from a date (``valid_from``) and, for the amounts the government sets per calendar
year, to a date (``valid_to``): a month outside every period has no table, so last year's norm is never
used for a new year by mistake. A new year is a new row entered by an administrator, never a code change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .budget_choices import Agency, CheckKind, InquiryStatus
from .choices import IncomeType, MemberRole, ReasonableCost, ReviewStatus


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


# --- The month's budget in a case, incomes fetched from SSBTEK, and the automated checks -------------


class CheckRules(models.Model):
    """Thresholds of the automated checks on a month's budget, from a date (rules as data).

    A cost is "far" from a series of earlier amounts when it lies more than ``cost_deviation_factor`` ×
    the median absolute deviation (MAD) from the series' median; the MAD is never taken as less than
    ``cost_spread_floor`` × the median, so that a rent that was the same every month does not flag a
    small rise.
    """

    valid_from = models.DateField(unique=True)
    income_difference = models.PositiveIntegerField(
        help_text=_("Största skillnad i kronor per månad mellan redovisad och hämtad inkomst av ett slag")
    )
    cost_deviation_factor = models.DecimalField(max_digits=4, decimal_places=2)
    cost_spread_floor = models.DecimalField(max_digits=4, decimal_places=3)
    cost_history_months = models.PositiveSmallIntegerField(
        help_text=_("Hur många månader bakåt personens tidigare kostnader jämförs")
    )
    cost_min_history = models.PositiveSmallIntegerField(
        help_text=_("Minsta antal tidigare månader för en jämförelse med personens historik")
    )
    cost_min_district_sample = models.PositiveSmallIntegerField(
        help_text=_("Minsta antal andra hushåll i stadsdelen för en jämförelse")
    )
    receipt_threshold = models.PositiveIntegerField(
        help_text=_("En kostnad från detta belopp kräver ett underlag (kvitto, avi)")
    )
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(cost_deviation_factor__gt=0), name="check_rules_factor"),
        ]

    def __str__(self):
        return f"Kontrollregler från {self.valid_from:%Y-%m-%d}"


class IncomeInquiryBasis(models.Model):
    """The purpose and legal basis stated in every SSBTEK inquiry, from a date (rules as data)."""

    valid_from = models.DateField(unique=True)
    purpose = models.CharField(max_length=300)
    legal_basis = models.CharField(max_length=500)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self):
        return f"Syfte och lagrum från {self.valid_from:%Y-%m-%d}"


class Budget(models.Model):
    """A month's budget in an income-support case: the household, its reasonable costs and reported
    incomes, and the calculation with the rule version it used."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="budgets")
    month = models.DateField(help_text=_("Första dagen i månaden budgeten gäller"))
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    norm = models.IntegerField()
    reasonable_costs = models.IntegerField()
    counted_income = models.IntegerField()
    assistance = models.IntegerField()
    lines = models.JSONField(default=list, help_text="The calculation's explained lines")
    rule_version = models.CharField(max_length=200)
    calculated_at = models.DateTimeField()
    checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="budget_one_per_case_and_month")
        ]
        indexes = [models.Index(fields=["month", "case"], name="budget_month_case_idx")]

    def __str__(self):
        return f"Budget {self.month:%Y-%m}"


class BudgetMember(models.Model):
    """A person in the budget's household, in the order the calculation counts them."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="members")
    position = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    personal_identity_number = models.CharField(max_length=12, blank=True)
    name = models.CharField(max_length=200, blank=True)
    age = models.PositiveSmallIntegerField()
    preschool_lunch = models.BooleanField(default=False)
    days_in_household = models.PositiveSmallIntegerField(null=True, blank=True)
    work_income_earlier_this_year = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["budget", "position"]
        constraints = [models.UniqueConstraint(fields=["budget", "position"], name="budget_member_position")]
        indexes = [models.Index(fields=["personal_identity_number"], name="budget_member_number_idx")]

    def __str__(self):
        return f"{self.get_role_display()} {self.age}"


class BudgetCost(models.Model):
    """A reasonable cost of the month as reported, with the document that shows it."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="costs")
    item = models.CharField(max_length=40, choices=ReasonableCost.choices)
    amount = models.PositiveIntegerField()
    receipt = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["budget", "pk"]
        constraints = [models.UniqueConstraint(fields=["budget", "item"], name="budget_cost_item")]

    def __str__(self):
        return f"{self.get_item_display()} {self.amount}"


class BudgetIncome(models.Model):
    """A net income of the month as reported; ``member`` None for the household's."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="incomes")
    position = models.PositiveSmallIntegerField()
    member = models.ForeignKey(
        BudgetMember, null=True, blank=True, on_delete=models.CASCADE, related_name="incomes"
    )
    type = models.CharField(max_length=40, choices=IncomeType.choices)
    amount = models.PositiveIntegerField()
    job_stimulus = models.BooleanField(default=False)

    class Meta:
        ordering = ["budget", "position"]

    def __str__(self):
        return f"{self.get_type_display()} {self.amount}"


class IncomeInquiry(models.Model):
    """One question to SSBTEK about one person of the household for the budget's month."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="inquiries")
    personal_identity_number = models.CharField(max_length=12)
    period_start = models.DateField()
    period_end = models.DateField()
    correlation_id = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=InquiryStatus.choices)
    error = models.CharField(max_length=500, blank=True)
    agency_errors = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name_plural = "income inquiries"

    def __str__(self):
        return f"SSBTEK {self.requested_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class FetchedIncome(models.Model):
    """An income or fact an agency reported through SSBTEK; ``amount`` None for a status."""

    inquiry = models.ForeignKey(IncomeInquiry, on_delete=models.CASCADE, related_name="incomes")
    agency = models.CharField(max_length=4, choices=Agency.choices)
    income_type = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=200)
    amount = models.IntegerField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    is_net = models.BooleanField(default=True)
    is_monthly = models.BooleanField(default=True)

    class Meta:
        ordering = ["inquiry", "pk"]

    def __str__(self):
        return self.description


class BudgetFlag(models.Model):
    """A check that fired on a budget, with what it found (``params``) to say why in words."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=40, choices=CheckKind.choices)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["budget", "pk"]

    def __str__(self):
        return self.get_kind_display()


# --- The month's decision, and automated decisions by a DMN decision table ---------------------------


class IncomeSupportDecision(models.Model):
    """The month's decision in an income-support case, tied to the budget it was made from.

    The decision itself (items, outcome, delegation, letter) is the case's ``Decision``; this row keeps
    what income support adds: the budget and its figures as decided, and for an automated decision the
    rule version, the inputs and the rules that matched, and whether a person is to review it."""

    decision = models.OneToOneField("cases.Decision", on_delete=models.PROTECT, related_name="income_support")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="decisions")
    month = models.DateField()
    norm = models.IntegerField()
    reasonable_costs = models.IntegerField()
    reasonable_costs_applied = models.IntegerField()
    counted_income = models.IntegerField()
    assistance = models.IntegerField()
    is_automated = models.BooleanField(default=False)
    rule_set = models.ForeignKey(
        "AutomationRuleSet", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    inputs = models.JSONField(default=dict, blank=True)
    matched_rules = models.JSONField(default=list, blank=True)
    review_status = models.CharField(max_length=20, choices=ReviewStatus.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["budget"], name="income_support_decision_one_per_budget")
        ]

    def __str__(self):
        return f"Beslut {self.month:%Y-%m}"


class AutomationRuleSet(models.Model):
    """A published version of the DMN decision table that says which month's cases may be decided
    automatically; the version in force on the first day of the month is used, and never edited."""

    version = models.CharField(max_length=20, unique=True)
    valid_from = models.DateField(unique=True)
    source = models.TextField(help_text="DMN 1.3 XML")
    published_by = models.CharField(max_length=150)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self):
        return f"Regler för automatiska beslut {self.version} från {self.valid_from:%Y-%m-%d}"


class AutomationRules(models.Model):
    """The figures around automated decisions, from a date: the tolerance on the change in assistance
    since last month, the share picked for human review and the seed of the picking."""

    valid_from = models.DateField(unique=True)
    assistance_tolerance = models.PositiveIntegerField(
        help_text=_("Största ändring i kronor av biståndet sedan förra månaden för ett automatiskt beslut")
    )
    review_share = models.DecimalField(
        max_digits=4, decimal_places=3, help_text=_("Andel av de automatiska besluten som granskas, 0–1")
    )
    sampling_seed = models.CharField(max_length=64)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_share__gte=0) & Q(review_share__lte=1), name="automation_review_share"
            )
        ]

    def __str__(self):
        return f"Automatiska beslut, regler från {self.valid_from:%Y-%m-%d}"


class DistrictAutomation(models.Model):
    """Whether a district (committee) lets standard cases be decided automatically: off until an
    administrator switches it on under a delegation to the automated decision-maker."""

    committee = models.OneToOneField(
        "organization.Committee", on_delete=models.PROTECT, related_name="income_support_automation"
    )
    is_enabled = models.BooleanField(default=False)
    delegation = models.ForeignKey(
        "accounts.Delegation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.committee}: {'på' if self.is_enabled else 'av'}"


class AutomationEvaluation(models.Model):
    """One evaluation of the decision table on a month's budget by the batch: the inputs, the rules that
    matched and whether it was decided automatically; a case not decided stays with the caseworker, who
    sees the reason."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="automation_evaluations")
    rule_set = models.ForeignKey(AutomationRuleSet, on_delete=models.PROTECT, related_name="+")
    inputs = models.JSONField(default=dict)
    matched_rules = models.JSONField(default=list)
    reason = models.CharField(max_length=60)
    is_automated = models.BooleanField(default=False)
    evaluated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-evaluated_at", "-pk"]

    def __str__(self):
        return f"{self.budget}: {self.reason}"
