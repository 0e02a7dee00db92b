"""Cases: one case with its records, and writing in its journal."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Status

from sociala.cases import services
from sociala.cases.selectors import (
    case_for_user,
    decisions_of_cases,
    journal_entries,
    open_deadlines_of_cases,
    visible_cases,
)

from .common import ERRORS, require_personal_data_role
from .schemas import (
    CaseDetailOut,
    ErrorOut,
    JournalEntryIn,
    JournalEntryOut,
    PathId,
    case_detail_out,
    journal_entry_out,
)

router = Router(tags=["cases"])


@router.get("/{case_id}", response={200: CaseDetailOut, **ERRORS})
def get_case(request, case_id: PathId):
    """One case with its decisions, its journal (signed entries and your drafts) and open deadlines."""
    user = request.auth
    require_personal_data_role(user)
    case = case_for_user(user, case_id)
    return case_detail_out(
        case,
        decisions=list(decisions_of_cases([case.pk])),
        journal=list(journal_entries(user, case=case)),
        deadlines=list(open_deadlines_of_cases([case.pk]).select_related("rule")),
    )


@router.post("/{case_id}/journal", response={201: JournalEntryOut, 400: ErrorOut, **ERRORS})
def create_journal_entry(request, case_id: PathId, payload: JournalEntryIn):
    """Write a journal entry in the case: a draft, or signed at once with ``sign: true``."""
    user = request.auth
    require_personal_data_role(user)
    case = visible_cases(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    # Saving and signing commit together: a refused signature leaves no draft behind.
    entry = services.save_journal_entry(
        actor=user,
        case=case,
        category=payload.category,
        text=payload.text,
        title=payload.title,
        occurred_on=payload.occurred_on,
        sign=payload.sign,
    )
    entry.author = user
    return Status(201, journal_entry_out(entry, corrected_by=[]))
