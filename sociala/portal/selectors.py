"""Reads of the portal: the citizen's own applications and cases, and the caseworker's view of them.

A citizen sees only what belongs to the person they signed in as: everything is filtered on the login's
person, and a row of another person is "not found" (404). Staff reach a case's messages only through
``cases.selectors.case_for_user`` (the access policy, logged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.cases.choices import Outcome, Stage
from sociala.cases.models import Case, Decision
from sociala.cases.selectors import case_for_user, visible_cases
from sociala.documents.models import Document
from sociala.finance.choices import PaymentRunStatus
from sociala.finance.models import Payment

from .choices import ApplicationStatus, CitizenStatus, MessageSender
from .models import CitizenSession, CompletionRequest, IncomeSupportApplication, Message


def applications_of(citizen: CitizenSession) -> QuerySet[IncomeSupportApplication]:
    return (
        IncomeSupportApplication.objects.filter(person_id=citizen.person_id)
        .select_related("case")
        .order_by("-month")
    )


def application_for_citizen(citizen: CitizenSession, application_id: int) -> IncomeSupportApplication:
    """The citizen's own application; another person's is not found."""
    application = (
        IncomeSupportApplication.objects.filter(pk=application_id, person_id=citizen.person_id)
        .select_related("person", "case__assigned_to", "case__unit", "case__district")
        .first()
    )
    if application is None:
        raise Http404
    return application


@dataclass
class CitizenCaseStatus:
    """Where the application is, in the citizen's words, with what they need to know next."""

    code: str
    label: str
    completion: CompletionRequest | None = None
    decision: Decision | None = None
    granted_amount: int | None = None
    payment_date: date | None = None
    paid_amount: int | None = None
    steps: list[tuple[str, str, bool]] = field(default_factory=list)


OUTCOME_WORDS = {
    Outcome.GRANTED: _("Du får ekonomiskt bistånd."),
    Outcome.PARTLY_GRANTED: _("Du får ekonomiskt bistånd för en del av det du sökte."),
    Outcome.REFUSED: _("Du får inte ekonomiskt bistånd."),
}


def citizen_status(application: IncomeSupportApplication, today: date | None = None) -> CitizenCaseStatus:
    """The status of one application: not sent, received, being handled, more information needed,
    decided or paid (closed when the case ended without a decision)."""
    today = today or timezone.localdate()
    if application.status == ApplicationStatus.DRAFT or application.case_id is None:
        return CitizenCaseStatus(CitizenStatus.NOT_SENT, str(CitizenStatus.NOT_SENT.label))
    case = application.case
    assert case is not None  # a sent application has its case
    decision = case.decisions.prefetch_related("items").order_by("-decided_at").first()
    if decision is not None:
        granted = sum(item.amount or 0 for item in decision.items.all() if item.outcome != Outcome.REFUSED)
        status = CitizenCaseStatus(
            CitizenStatus.DECIDED, str(CitizenStatus.DECIDED.label), decision=decision, granted_amount=granted
        )
        payment = Payment.objects.filter(decision=decision).select_related("run").first()
        if payment is not None:
            status.payment_date = payment.run.payment_date
            status.paid_amount = int(payment.amount)
            if payment.run.status == PaymentRunStatus.COMPLETED:
                status.code, status.label = CitizenStatus.PAID, str(CitizenStatus.PAID.label)
        return status
    completion = (
        CompletionRequest.objects.filter(case=case, completed_at__isnull=True)
        .prefetch_related("items")
        .order_by("due_on")
        .first()
    )
    if completion is not None and completion.due_on >= today:
        return CitizenCaseStatus(
            CitizenStatus.COMPLETION_REQUIRED,
            str(CitizenStatus.COMPLETION_REQUIRED.label),
            completion=completion,
        )
    if case.stage == Stage.CLOSED:
        return CitizenCaseStatus(CitizenStatus.CLOSED, str(CitizenStatus.CLOSED.label))
    if case.stage == Stage.INTAKE and completion is None:
        return CitizenCaseStatus(CitizenStatus.RECEIVED, str(CitizenStatus.RECEIVED.label))
    # After the due date the request no longer holds the status: the caseworker decides on what came in.
    return CitizenCaseStatus(
        CitizenStatus.BEING_HANDLED, str(CitizenStatus.BEING_HANDLED.label), completion=completion
    )


def decision_letters(case: Case) -> dict[int, Document]:
    """The stored letter of each decision in the case (the PDF is the record)."""
    documents = Document.objects.filter(case=case, kind=Document.Kind.DECISION_LETTER).order_by("uploaded_at")
    by_title = {document.title: document for document in documents}
    return {
        decision.pk: by_title[f"Beslut {decision.reference}"]
        for decision in case.decisions.all()
        if f"Beslut {decision.reference}" in by_title
    }


def letter_for_citizen(citizen: CitizenSession, application_id: int, decision_id: int) -> Document:
    """A decision letter in the citizen's own case; the read is logged."""
    application = application_for_citizen(citizen, application_id)
    if application.case is None:
        raise Http404
    document = decision_letters(application.case).get(int(decision_id))
    if document is None:
        raise Http404
    record_event(
        actor=system_actor(),
        action="portal_view_document",
        person_id=application.person_id,
        case_id=application.case_id,
        object_type="document",
        object_id=document.pk,
        details={"channel": "portal", "citizen_session": citizen.pk},
    )
    return document


def contact_caseworker(case: Case):
    """Whom the citizen reaches: the case's caseworker, else whoever decided or last wrote in it."""
    if case.assigned_to_id:
        return case.assigned_to
    decision = case.decisions.select_related("decided_by").order_by("-decided_at").first()
    if decision is not None:
        return decision.decided_by
    message = (
        Message.objects.filter(case=case, sender=MessageSender.STAFF)
        .select_related("sent_by")
        .order_by("-sent_at")
        .first()
    )
    return message.sent_by if message is not None else None


def case_messages(case: Case) -> QuerySet[Message]:
    return (
        Message.objects.filter(case=case)
        .select_related("sent_by", "document", "completion_item", "completion_request")
        .order_by("sent_at", "pk")
    )


def completion_requests(case: Case) -> list[CompletionRequest]:
    return list(
        CompletionRequest.objects.filter(case=case).prefetch_related("items").select_related("created_by")
    )


def unread_for_citizen(citizen: CitizenSession) -> dict[int, int]:
    """Unread messages from the caseworker per application."""
    rows = (
        Message.objects.filter(
            case__income_support_application__person_id=citizen.person_id,
            sender=MessageSender.STAFF,
            read_at__isnull=True,
        )
        .values("case__income_support_application")
        .annotate(count=Count("pk"))
    )
    return {row["case__income_support_application"]: row["count"] for row in rows}


# --- staff -------------------------------------------------------------------------------------


def staff_case(user, case_id: int, *, action: str = "view_case_messages") -> Case:
    """A case with its messages for a caseworker: the access policy decides; the read is logged."""
    return case_for_user(user, case_id, action=action)


def application_of_case(case: Case) -> IncomeSupportApplication | None:
    return (
        IncomeSupportApplication.objects.filter(case=case).prefetch_related("attachments__document").first()
    )


def staff_inbox(user) -> QuerySet[Case]:
    """E-applications the user may see that are waiting: not yet decided, or with unread messages."""
    unread = Q(portal_messages__sender=MessageSender.CITIZEN, portal_messages__read_at__isnull=True)
    return (
        visible_cases(user)
        .filter(income_support_application__isnull=False)
        .filter(Q(decisions__isnull=True) | unread)
        .exclude(stage=Stage.CLOSED)
        .annotate(unread=Count("portal_messages", filter=unread, distinct=True))
        .select_related("person", "assigned_to", "income_support_application")
        .order_by("-unread", "received_on", "pk")
        .distinct()
    )
