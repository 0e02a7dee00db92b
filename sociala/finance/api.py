"""API routes of the finance app, mounted under /api/v1/finance in sociala/api/api.py.

Payment runs only, as summaries without personal data (the bank file is downloaded in the UI).
Roles that may not see runs get 403, a run that does not exist 404.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from sociala.api.common import ERRORS
from sociala.api.schemas import PathId
from sociala.audit.services import record_event
from sociala.core.errors import NotPermitted

from . import selectors, services
from .models import PaymentRun
from .permissions import may_start_payment_run, may_view_payment_runs

router = Router(tags=["finance"])


class DistrictTotalOut(Schema):
    district: str
    cost_centre: str
    count: int
    total: Decimal


class PaymentRunOut(Schema):
    """A payment run's state and totals (no persons)."""

    id: int
    payment_date: date
    status: str = Field(..., description="created, running, completed or failed")
    progress_done: int
    progress_total: int
    payment_count: int
    payment_order_count: int
    total_amount: Decimal = Field(..., description="SEK")
    held_count: int = Field(..., description="payable decisions left out (no account and no usable address)")
    created_at: datetime
    finished_at: datetime | None


class PaymentRunDetailOut(PaymentRunOut):
    districts: list[DistrictTotalOut]
    message_id: str = Field(..., description="MsgId of the bank file; empty until the run is completed")


class PaymentRunIn(Schema):
    payment_date: date


def _out(run: PaymentRun) -> dict:
    return {
        "id": run.pk,
        "payment_date": run.payment_date,
        "status": run.status,
        "progress_done": run.progress_done,
        "progress_total": run.progress_total,
        "payment_count": run.payment_count,
        "payment_order_count": run.payment_order_count,
        "total_amount": run.total_amount,
        "held_count": len(run.held),
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


def _detail(run: PaymentRun) -> dict:
    districts = [
        {"district": d.district, "cost_centre": d.cost_centre, "count": d.count, "total": d.total}
        for d in selectors.district_totals(run)
    ]
    return {**_out(run), "districts": districts, "message_id": run.message_id}


def _require_viewer(user) -> None:
    if not may_view_payment_runs(user):
        raise HttpError(403, str(_("Din roll ger inte tillgång till utbetalningar.")))


@router.get("/runs", response={200: list[PaymentRunOut], **ERRORS})
def list_runs(request):
    """The latest payment runs, newest payment date first."""
    _require_viewer(request.auth)
    record_event(actor=request.auth, action="view_payment_runs", object_type="payment_run")
    return [_out(run) for run in selectors.runs_for_user(request.auth)[:50]]


@router.get("/runs/{run_id}", response={200: PaymentRunDetailOut, **ERRORS})
def get_run(request, run_id: PathId):
    """One run with its progress and its totals per district and cost centre."""
    _require_viewer(request.auth)
    run = selectors.run_for_user(request.auth, run_id)
    record_event(actor=request.auth, action="view_payment_run", object_type="payment_run", object_id=run.pk)
    return _detail(run)


@router.post("/runs", response={201: PaymentRunDetailOut, 200: PaymentRunDetailOut, **ERRORS})
def start_run(request, payload: PaymentRunIn):
    """Start the run for a payment date (201); the date's existing run is returned as it is (200)."""
    if not may_start_payment_run(request.auth):
        raise HttpError(
            403, str(_("Bara enhetschefer inom individ- och familjeomsorgen startar utbetalningar."))
        )
    try:
        run, created = services.start_payment_run(actor=request.auth, payment_date=payload.payment_date)
    except NotPermitted as error:
        raise HttpError(
            403, str(_("Bara enhetschefer inom individ- och familjeomsorgen startar utbetalningar."))
        ) from error
    return Status(201 if created else 200, _detail(run))
