"""Reads of monthly budgets, restricted by the access policy; a read of one budget is logged."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from sociala.access.policy import person_access, restrict_cases, scope_for
from sociala.audit.services import record_event
from sociala.cases.models import Case
from sociala.core.choices import ServiceArea
from sociala.documents.models import Document

from .budget import INCOME_SUPPORT_CASE_TYPE
from .models import Budget, IncomeInquiry


def may_handle_income_support(user) -> bool:
    """Caseworkers and managers of a unit in individual and family care (the queue and the budgets)."""
    scope = scope_for(user)
    return bool(scope.case_unit_ids) and ServiceArea.INDIVIDUAL_FAMILY in scope.service_areas


def income_support_cases(user) -> QuerySet[Case]:
    """The income-support cases the user may see."""
    return restrict_cases(Case.objects.filter(case_type__code=INCOME_SUPPORT_CASE_TYPE), user)


def _log_read(user, action: str, case: Case, **details) -> None:
    access = person_access(user, case.person)
    record_event(
        actor=user,
        action=action,
        person_id=case.person_id,
        case_id=case.pk,
        object_type="case",
        object_id=case.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
        details=details,
    )


def income_support_case_for_user(user, case_id: int, *, action: str = "view_case_for_budget") -> Case:
    """One income-support case (404 when missing, out of scope or of another type); the read is logged."""
    if not may_handle_income_support(user):
        raise Http404
    case = (
        income_support_cases(user)
        .select_related("person", "case_type", "unit", "district", "assigned_to")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    _log_read(user, action, case)
    return case


def budget_for_user(user, budget_id: int, *, action: str = "view_budget") -> Budget:
    """One budget with everything its page shows (404 as for its case); the read is logged."""
    if not may_handle_income_support(user):
        raise Http404
    budget = (
        Budget.objects.filter(pk=budget_id, case__in=income_support_cases(user))
        .select_related(
            "case__person", "case__case_type", "case__district", "case__assigned_to", "updated_by"
        )
        .prefetch_related(
            "members",
            "costs__receipt",
            "incomes__member",
            "flags",
            Prefetch(
                "inquiries",
                queryset=IncomeInquiry.objects.select_related("requested_by").prefetch_related("incomes"),
            ),
        )
        .first()
    )
    if budget is None:
        raise Http404
    _log_read(user, action, budget.case, budget_id=budget.pk, month=f"{budget.month:%Y-%m}")
    return budget


def budgets_of_case(case: Case) -> QuerySet[Budget]:
    """The case's budgets, newest month first (the caller has checked access to the case)."""
    return Budget.objects.filter(case=case).order_by("-month")


def receipts_of_case(case: Case) -> QuerySet[Document]:
    """Documents in the case that can be linked as receipts (the caller has checked access)."""
    return Document.objects.filter(case=case, kind=Document.Kind.UPLOAD).order_by("-uploaded_at")


def visible_case_ids(user, case_ids) -> set[int]:
    """Which of ``case_ids`` the user may see (to name another household's case in a flag)."""
    ids = [i for i in case_ids if i]
    if not ids:
        return set()
    return set(restrict_cases(Case.objects.filter(pk__in=ids), user).values_list("pk", flat=True))
