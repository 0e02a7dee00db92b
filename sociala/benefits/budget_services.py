"""Writes of the monthly budget: save (with calculation and checks), copy last month's, fetch incomes.

Every function takes the acting user as ``actor``, checks that the actor may write in the case, writes
in one transaction, records the change in the audit log and runs the automated checks again.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_write_case, emergency_only_access
from sociala.audit.services import record_event
from sociala.cases.models import Case
from sociala.core.errors import InvalidInput, Message, NotPermitted
from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number
from sociala.documents.models import Document
from sociala.integrations.ssbtek.client import SsbtekClient, SsbtekError
from sociala.integrations.ssbtek.conf import SsbtekConfig, load_config
from sociala.integrations.ssbtek.messages import InquiryRequest, InquiryResult
from sociala.people.models import Person

from .budget import (
    ADULT_ROLES,
    INCOME_SUPPORT_CASE_TYPE,
    BudgetInput,
    IncomeInput,
    MemberInput,
    add_months,
    age_on,
    household_of,
    input_of,
    inquiry_basis_for,
    lines_to_data,
    rule_version,
)
from .budget_choices import InquiryStatus
from .calculation import calculate, household_errors
from .checks import refresh_flags
from .choices import IncomeType, MemberRole
from .models import Budget, BudgetCost, BudgetIncome, BudgetMember, FetchedIncome, IncomeInquiry
from .norms import month_label, norm_table_for

NOT_INCOME_SUPPORT = _("Budgetar finns bara i ärenden om ekonomiskt bistånd.")
CASE_CLOSED = _("Ärendet är avslutat.")
BUDGET_EXISTS = _("Det finns redan en budget för %(month)s i ärendet.")
NO_PREVIOUS = _("Det finns ingen budget för %(month)s att kopiera.")
APPLICANT_FIRST = _("Den första personen i hushållet är den sökande.")
APPLICANT_IS_CLIENT = _("Den sökande är ärendets person (%(number)s).")
AGE_OR_NUMBER = _("Ange ålder eller personnummer.")
SAME_PERSON_TWICE = _("Personen finns redan i hushållet.")
NO_SUCH_RECEIPT = _("Underlaget finns inte bland ärendets handlingar.")
NOT_CONFIGURED = _("Hämtning från SSBTEK är inte konfigurerad. Kontakta systemförvaltaren.")
NO_ADULT_NUMBERS = _("Ange personnummer för de vuxna i hushållet innan inkomster hämtas.")
ALL_INQUIRIES_FAILED = _("SSBTEK kunde inte svara: %(reason)s")


class IncomeInquiryFailed(Exception):
    """No inquiry could be answered; ``message`` says why (safe to show)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _log(actor, action: str, budget: Budget, **details) -> None:
    case = budget.case
    access = emergency_only_access(actor, case.person)
    record_event(
        actor=actor,
        action=action,
        person_id=case.person_id,
        case_id=case.pk,
        object_type="budget",
        object_id=budget.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
        details={"month": month_label(budget.month), **details},
    )


def _check_case(actor, case: Case) -> None:
    if not can_write_case(actor, case):
        raise NotPermitted
    if case.case_type.code != INCOME_SUPPORT_CASE_TYPE:
        raise InvalidInput({"case": NOT_INCOME_SUPPORT})
    if not case.is_open:
        raise InvalidInput({"case": CASE_CLOSED})


def _normalised(case: Case, month: date, data: BudgetInput) -> BudgetInput:
    """Numbers as 12 digits, ages from the numbers; InvalidInput on the household's own rules."""
    errors: dict[str, Message] = {}
    members = []
    seen: dict[str, int] = {}
    for index, member in enumerate(data.members):
        number, age = "", member.age
        if member.personal_identity_number.strip():
            try:
                parsed = parse_identity_number(member.personal_identity_number)
            except InvalidIdentityNumber as error:
                errors[f"members.{index}.personal_identity_number"] = error.message
            else:
                number = parsed.value
                age = age_on(parsed.birth_date, month)
                if number in seen:
                    errors[f"members.{index}.personal_identity_number"] = SAME_PERSON_TWICE
                seen[number] = index
        elif age is None:
            errors[f"members.{index}.age"] = AGE_OR_NUMBER
        name = member.name.strip()
        if not name and number and number == case.person.personal_identity_number:
            name = case.person.full_name
        members.append(replace(member, personal_identity_number=number, age=age, name=name))
    if members:
        if members[0].role != MemberRole.APPLICANT:
            errors.setdefault("members.0.role", APPLICANT_FIRST)
        elif members[0].personal_identity_number and members[0].personal_identity_number != (
            case.person.personal_identity_number
        ):
            errors.setdefault(
                "members.0.personal_identity_number",
                APPLICANT_IS_CLIENT % {"number": case.person.formatted_number},
            )
    if errors:
        raise InvalidInput(errors)
    return data.with_members(tuple(members))


def _calculate(case: Case, month: date, data: BudgetInput):
    try:
        table = norm_table_for(month)
    except InvalidInput as error:
        raise InvalidInput({**error.errors}) from error
    household = household_of(data)
    errors: dict[str, Message] = dict(household_errors(household, table))
    receipts = [receipt for _amount, receipt in data.costs.values() if receipt]
    if receipts:
        found = set(Document.objects.filter(pk__in=receipts, case=case).values_list("pk", flat=True))
        for item, (_amount, receipt) in data.costs.items():
            if receipt and receipt not in found:
                errors[f"reasonable_costs.{item}"] = NO_SUCH_RECEIPT
    if errors:
        raise InvalidInput(errors)
    return table, calculate(household, table)


def _write(budget: Budget, data: BudgetInput, table, calculation) -> None:
    """Replace the budget's rows with ``data`` and store the calculation."""
    budget.members.all().delete()
    budget.costs.all().delete()
    budget.incomes.all().delete()
    members = BudgetMember.objects.bulk_create(
        BudgetMember(
            budget=budget,
            position=index,
            role=m.role,
            personal_identity_number=m.personal_identity_number,
            name=m.name,
            age=m.age if m.age is not None else 0,  # every age is known once normalised
            preschool_lunch=m.preschool_lunch,
            days_in_household=m.days_in_household,
            work_income_earlier_this_year=m.work_income_earlier_this_year,
        )
        for index, m in enumerate(data.members)
    )
    if any(m.pk is None for m in members):  # SQLite before 3.35 returns no ids from bulk_create
        members = list(budget.members.all())
    BudgetCost.objects.bulk_create(
        BudgetCost(budget=budget, item=item, amount=amount, receipt_id=receipt)
        for item, (amount, receipt) in data.costs.items()
        if amount or receipt
    )
    BudgetIncome.objects.bulk_create(
        BudgetIncome(
            budget=budget,
            position=index,
            member=members[i.member] if i.member is not None else None,
            type=i.type,
            amount=i.amount,
            job_stimulus=i.job_stimulus,
        )
        for index, i in enumerate(data.incomes)
    )
    budget.norm = calculation.norm
    budget.reasonable_costs = calculation.reasonable_costs
    budget.counted_income = calculation.counted_income
    budget.assistance = calculation.assistance
    budget.lines = lines_to_data(calculation)
    budget.rule_version = rule_version(table)
    budget.calculated_at = timezone.now()


def _create(actor, case: Case, month: date, data: BudgetInput, copied_from: Budget | None) -> Budget:
    if Budget.objects.filter(case=case, month=month).exists():
        raise InvalidInput({"month": BUDGET_EXISTS % {"month": month_label(month)}})
    data = _normalised(case, month, data)
    table, calculation = _calculate(case, month, data)
    now = timezone.now()
    budget = Budget(
        case=case,
        month=month,
        copied_from=copied_from,
        created_by=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
        norm=0,
        reasonable_costs=0,
        counted_income=0,
        assistance=0,
        calculated_at=now,
    )
    budget.save()
    _write(budget, data, table, calculation)
    budget.save()
    refresh_flags(budget)
    return budget


@transaction.atomic
def create_budget(*, actor, case: Case, month: date, data: BudgetInput) -> Budget:
    """Enter a new month's budget in an income-support case; it is calculated and checked at once."""
    case = Case.objects.select_for_update(of=("self",)).select_related("case_type", "person").get(pk=case.pk)
    _check_case(actor, case)
    budget = _create(actor, case, month.replace(day=1), data, None)
    _log(actor, "create_budget", budget, assistance=budget.assistance)
    return budget


@transaction.atomic
def update_budget(*, actor, budget: Budget, data: BudgetInput) -> Budget:
    """Change a month's budget: recalculated with the month's rules and checked again."""
    budget = (
        Budget.objects.select_for_update(of=("self",))
        .select_related("case__case_type", "case__person")
        .get(pk=budget.pk)
    )
    _check_case(actor, budget.case)
    before = budget.assistance
    data = _normalised(budget.case, budget.month, data)
    table, calculation = _calculate(budget.case, budget.month, data)
    _write(budget, data, table, calculation)
    budget.updated_by = actor
    budget.updated_at = timezone.now()
    budget.save()
    refresh_flags(budget)
    _log(actor, "update_budget", budget, assistance_before=before, assistance=budget.assistance)
    return budget


def carried_forward(previous: Budget, month: date) -> BudgetInput:
    """Last month's budget as this month's input: receipts are left behind (they belong to the month),
    and a child's work income earlier this year adds last month's pay (reset in January)."""
    data = input_of(previous)
    earned: dict[int, int] = {}
    for income in data.incomes:
        if income.type == IncomeType.EMPLOYMENT and income.member is not None:
            earned[income.member] = earned.get(income.member, 0) + income.amount
    members = tuple(
        replace(
            member,
            work_income_earlier_this_year=0
            if month.month == 1
            else member.work_income_earlier_this_year + earned.get(index, 0),
        )
        if member.role == MemberRole.CHILD
        else member
        for index, member in enumerate(data.members)
    )
    return BudgetInput(
        members=members,
        costs={item: (amount, None) for item, (amount, _receipt) in data.costs.items()},
        incomes=tuple(IncomeInput(i.type, i.amount, i.member, i.job_stimulus) for i in data.incomes),
    )


def previous_budget(actor, case: Case, month: date) -> Budget | None:
    """The household's budget for ``month``: in the same case, else in the person's other income-support
    case that the actor may see (each month's e-application is a case of its own)."""
    from .budget_selectors import income_support_cases

    budgets = Budget.objects.filter(month=month).prefetch_related("members", "costs", "incomes")
    same_case = budgets.filter(case=case).first()
    if same_case is not None:
        return same_case
    return (
        budgets.filter(case__person_id=case.person_id, case__in=income_support_cases(actor))
        .order_by("-case__received_on", "-pk")
        .first()
    )


@transaction.atomic
def copy_previous_budget(*, actor, case: Case, month: date) -> Budget:
    """Copy last month's budget into ``month`` as one action: same household, costs and incomes,
    recalculated with ``month``'s rules and checked; ages follow the personal identity numbers."""
    case = Case.objects.select_for_update(of=("self",)).select_related("case_type", "person").get(pk=case.pk)
    _check_case(actor, case)
    month = month.replace(day=1)
    previous_month = add_months(month, -1)
    previous = previous_budget(actor, case, previous_month)
    if previous is None:
        raise InvalidInput({"month": NO_PREVIOUS % {"month": month_label(previous_month)}})
    data = carried_forward(previous, month)
    members = tuple(
        replace(m, age=None) if m.personal_identity_number else m for m in data.members
    )  # worked out again from the number for the new month
    budget = _create(actor, case, month, data.with_members(members), previous)
    _log(actor, "copy_budget", budget, copied_from=previous.pk, assistance=budget.assistance)
    return budget


# --- incomes from SSBTEK ---------------------------------------------------------------------------------


def _last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def fetch_incomes(*, actor, budget: Budget, client: SsbtekClient | None = None) -> list[IncomeInquiry]:
    """Ask SSBTEK about every adult of the household with a personal identity number for the budget's
    month, store the answers (and failures) and run the checks again.

    The calls are made before the transaction (a slow agency must not hold the budget's lock); every
    inquiry is logged with the person asked about. IncomeInquiryFailed when none could be answered.
    """
    budget = Budget.objects.select_related("case__case_type", "case__person").get(pk=budget.pk)
    _check_case(actor, budget.case)
    config: SsbtekConfig = client.config if client is not None else load_config()
    if not config.is_configured:
        raise IncomeInquiryFailed(NOT_CONFIGURED)
    numbers = [
        m.personal_identity_number
        for m in budget.members.all()
        if m.role in ADULT_ROLES and m.personal_identity_number
    ]
    if not numbers:
        raise IncomeInquiryFailed(NO_ADULT_NUMBERS)
    client = client or SsbtekClient(config)
    basis = inquiry_basis_for(budget.month)
    start, end = budget.month, _last_day(budget.month)
    outcomes: list[tuple[InquiryRequest, InquiryResult | None, str]] = []
    for number in numbers:
        request = InquiryRequest(
            organization_number=config.organization_number_12,
            organization_name=config.organization_name,
            caseworker=actor.username,
            personal_identity_number=number,
            case_reference=budget.case.reference,
            period_start=start,
            period_end=end,
            purpose=basis.purpose,
            legal_basis=basis.legal_basis,
            correlation_id=str(uuid.uuid4()),
            fk_actor_id=config.fk_actor_id,
            lefi_version=config.lefi_version,
            asked_at=timezone.now().replace(microsecond=0),
        )
        try:
            outcomes.append((request, client.fetch(request), ""))
        except SsbtekError as error:
            outcomes.append((request, None, str(error)[:500]))

    with transaction.atomic():
        locked = (
            Budget.objects.select_for_update(of=("self",)).select_related("case__person").get(pk=budget.pk)
        )
        persons = dict(
            Person.objects.filter(personal_identity_number__in=numbers).values_list(
                "personal_identity_number", "pk"
            )
        )
        inquiries = []
        for request, result, failure in outcomes:
            inquiry = IncomeInquiry.objects.create(
                budget=locked,
                personal_identity_number=request.personal_identity_number,
                period_start=start,
                period_end=end,
                correlation_id=request.correlation_id,
                status=InquiryStatus.ANSWERED if result is not None else InquiryStatus.FAILED,
                error=failure,
                agency_errors=[
                    {"agency": e.agency, "source": e.source, "code": e.code, "message": e.message}
                    for e in (result.errors if result is not None else [])
                ],
                requested_by=actor,
            )
            if result is not None:
                FetchedIncome.objects.bulk_create(
                    FetchedIncome(
                        inquiry=inquiry,
                        agency=item.agency,
                        income_type=item.income_type,
                        description=item.description[:200],
                        amount=item.amount,
                        period_start=item.period_start,
                        period_end=item.period_end,
                        is_net=item.is_net,
                        is_monthly=item.is_monthly,
                    )
                    for item in result.items
                )
            record_event(
                actor=actor,
                action="fetch_incomes",
                person_id=persons.get(request.personal_identity_number, locked.case.person_id),
                case_id=locked.case_id,
                object_type="income_inquiry",
                object_id=inquiry.pk,
                details={
                    "month": month_label(locked.month),
                    "status": inquiry.status,
                    "correlation_id": inquiry.correlation_id,
                    "asked_about_client": request.personal_identity_number
                    == locked.case.person.personal_identity_number,
                },
            )
            inquiries.append(inquiry)
        refresh_flags(locked)
    if all(result is None for _request, result, _failure in outcomes):
        raise IncomeInquiryFailed(ALL_INQUIRIES_FAILED % {"reason": outcomes[0][2]})
    return inquiries


__all__ = [
    "BudgetInput",
    "IncomeInput",
    "IncomeInquiryFailed",
    "MemberInput",
    "carried_forward",
    "copy_previous_budget",
    "create_budget",
    "fetch_incomes",
    "update_budget",
]
