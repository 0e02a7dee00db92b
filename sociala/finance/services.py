"""Every write of the finance app: bank accounts, cost centres and payment runs.

Payment runs pay each decision exactly once
-------------------------------------------
A run pays every income-support decision that is granted or partly granted, whose granted items
have amounts, that was decided on or before the payment date, and that has no ``Payment`` yet.

* ``Payment.decision`` is unique: whatever happens (a rerun, two workers, a double click), the
  database refuses a second payment of a decision. Nothing checks "is it paid?" and then acts.
* The worker pays in chunks. Each chunk is one transaction that locks the run row, checks that
  the worker still holds the run (``worker_token``), inserts the chunk's payments and commits
  them together with the progress counters. A crash inside a chunk rolls the chunk back; a crash
  between chunks leaves the committed payments with the run.
* The bank file and the accounting file are written last, in one transaction, from all the
  run's payments. Before that nothing has left the system, so a failed run is resumed (never
  replaced): the resumed worker pays the decisions still unpaid and then writes one file with
  every payment of the run. At most one run may be open (not completed) at a time, enforced by
  a partial unique constraint, so no other run can start while a failed run holds payments.
* One run per payment date (unique): starting the same date again returns the existing run.
* The bank file's MsgId is fixed per run, so a bank that already has the file refuses a copy.

Background job
--------------
The project does not depend on django-tasks yet (ARCHITECTURE.md names it as the background
mechanism). Until it does, ``start_payment_run`` and ``resume_payment_run`` launch
``manage.py run_payment_run <id>`` as a detached subprocess after their transaction commits
(``jobs.launch_payment_run``), so the request returns at once and the run survives the request.
The job takes an id and is safe to run twice (the second finds the run claimed or completed). A
worker that dies mid-run stops writing heartbeats; after ``stale_after_seconds`` the run may be
resumed. When django-tasks arrives, ``launch_payment_run`` enqueues a task instead.

Who may start a run: see ``permissions``. The run pays all districts; a city whose districts pay
separately needs a dedicated payment role and per-district runs (not built).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.audit.services import record_event
from sociala.cases.choices import Outcome
from sociala.cases.models import Decision, DecisionItem
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Committee
from sociala.people.models import Person

from . import pain001, sie
from .choices import HoldReason, PaymentMethod, PaymentRunStatus
from .conf import FinanceConfig, finance_config
from .jobs import launch_payment_run
from .models import BankAccount, CostCentre, Payment, PaymentRun, end_to_end_id
from .permissions import bank_account_person, may_manage_cost_centres, may_start_payment_run

INCOME_SUPPORT_CASE_TYPE = "income_support_application"
PAYABLE_OUTCOMES = (Outcome.GRANTED, Outcome.PARTLY_GRANTED)
# The remittance text is printed on the payee's statement: always Swedish, whatever the UI language.
MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
MAX_DAYS_AHEAD = 366
_CODE = re.compile(r"^[A-Za-z0-9._-]{1,20}$")


class LostClaim(Exception):
    """Another worker took over the run (this one was too slow); stop without touching it."""


class MissingCostCentre(Exception):
    """A district with payable decisions has no cost centre; the run cannot be accounted."""

    def __init__(self, districts: list[str]):
        self.districts = districts
        super().__init__(", ".join(districts))


# --- bank accounts ------------------------------------------------------------------------------


def _digits(value: str) -> str | None:
    """The digits of an account field written with spaces or hyphens; None if anything else is there."""
    compact = (value or "").replace(" ", "").replace("-", "")
    return compact if compact.isdigit() or compact == "" else None


def _iban_is_valid(iban: str) -> bool:
    if not re.fullmatch(r"SE\d{22}", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def register_bank_account(
    *,
    actor,
    person: Person,
    method: str,
    clearing_number: str = "",
    account_number: str = "",
    iban: str = "",
) -> BankAccount:
    """Record how a person is paid from now on; the previous account is ended, not overwritten."""
    errors: dict[str, str] = {}
    clearing = _digits(clearing_number)
    account = _digits(account_number)
    iban = (iban or "").replace(" ", "").upper()
    if method not in PaymentMethod.values:
        errors["method"] = _("Välj hur personen ska få sina utbetalningar.")
    elif method == PaymentMethod.BANK_ACCOUNT:
        if iban:
            if clearing or account:
                errors["iban"] = _("Ange antingen clearing- och kontonummer eller IBAN, inte båda.")
            elif not _iban_is_valid(iban):
                errors["iban"] = _("IBAN ska vara ett giltigt svenskt IBAN (SE och 22 siffror).")
        else:
            if clearing is None or not (
                len(clearing) == 4 or (len(clearing) == 5 and clearing.startswith("8"))
            ):
                errors["clearing_number"] = _(
                    "Clearingnumret är fyra siffror (fem för Swedbank, som börjar med 8)."
                )
            if account is None or not 6 <= len(account) <= 12:
                errors["account_number"] = _("Kontonumret är 6–12 siffror.")
    if errors:
        raise InvalidInput(errors)
    if method == PaymentMethod.PAYMENT_ORDER:
        clearing, account, iban = "", "", ""
    try:
        with transaction.atomic():
            if bank_account_person(actor, person.pk) is None:
                raise NotPermitted
            now = timezone.now()
            previous = (
                BankAccount.objects.select_for_update().filter(person=person, ended_at__isnull=True).first()
            )
            if previous is not None:
                previous.ended_at = now
                previous.save(update_fields=["ended_at"])
            bank_account = BankAccount.objects.create(
                person=person,
                method=method,
                clearing_number=clearing if not iban else "",
                account_number=account if not iban else "",
                iban=iban,
                registered_by=actor,
                registered_at=now,
            )
            record_event(
                actor=actor,
                action="register_bank_account",
                person_id=person.pk,
                object_type="bank_account",
                object_id=bank_account.pk,
                details={
                    "method": method,
                    "account": bank_account.masked,
                    "previous": previous.pk if previous else None,
                },
            )
    except IntegrityError:
        # Someone registered an account for the person at the same moment (one current per person).
        raise InvalidInput(
            {"__all__": _("Utbetalningssättet ändrades samtidigt av någon annan. Försök igen.")}
        ) from None
    return bank_account


# --- cost centres -------------------------------------------------------------------------------


def set_cost_centre(*, actor, district: Committee, code: str, name: str = "") -> CostCentre:
    """Book a district's income-support costs on a cost centre (an object of the cost-centre dimension)."""
    code = (code or "").strip()
    name = " ".join((name or "").split())[:120]
    if not may_manage_cost_centres(actor):
        raise NotPermitted
    if not _CODE.fullmatch(code):
        raise InvalidInput(
            {"code": _("Ange kostnadsstället med 1–20 tecken: bokstäver, siffror, punkt, bindestreck.")}
        )
    try:
        with transaction.atomic():
            previous = CostCentre.objects.select_for_update().filter(district=district).first()
            cost_centre, _created = CostCentre.objects.update_or_create(
                district=district,
                defaults={"code": code, "name": name, "updated_by": actor, "updated_at": timezone.now()},
            )
            record_event(
                actor=actor,
                action="set_cost_centre",
                object_type="cost_centre",
                object_id=cost_centre.pk,
                details={
                    "district": district.code,
                    "before": previous.code if previous else None,
                    "after": code,
                },
            )
    except IntegrityError:
        raise InvalidInput({"code": _("Kostnadsstället används redan av en annan stadsdel.")}) from None
    return cost_centre


# --- payment runs -------------------------------------------------------------------------------


def payable_decisions(payment_date: date) -> QuerySet[Decision]:
    """Approved income-support decisions with granted amounts, decided by the date, not yet paid."""
    granted_amounts = DecisionItem.objects.filter(
        decision=OuterRef("pk"), outcome__in=PAYABLE_OUTCOMES, amount__gt=0
    )
    return Decision.objects.filter(
        case__case_type__code=INCOME_SUPPORT_CASE_TYPE,
        outcome__in=PAYABLE_OUTCOMES,
        decided_on__lte=payment_date,
        payment__isnull=True,
    ).filter(Exists(granted_amounts))


def districts_without_cost_centre(payment_date: date) -> list[Committee]:
    """Districts with decisions to pay on the date but no cost centre to book them on."""
    district_ids = payable_decisions(payment_date).values("case__district_id")
    return list(Committee.objects.filter(pk__in=district_ids, cost_centre__isnull=True).order_by("name"))


def start_payment_run(*, actor, payment_date: date | None) -> tuple[PaymentRun, bool]:
    """Create the run for a payment date and start its job; the same date again returns that run."""
    if not may_start_payment_run(actor):
        raise NotPermitted
    today = timezone.localdate()
    if payment_date is None:
        raise InvalidInput({"payment_date": _("Ange utbetalningsdag.")})
    if payment_date < today:
        raise InvalidInput({"payment_date": _("Utbetalningsdagen kan inte ligga före i dag.")})
    if payment_date > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInput({"payment_date": _("Utbetalningsdagen får ligga högst ett år fram.")})
    existing = PaymentRun.objects.filter(payment_date=payment_date).first()
    if existing is None:
        missing = districts_without_cost_centre(payment_date)
        if missing:
            raise InvalidInput(
                {
                    "payment_date": _(
                        "Kostnadsställe saknas för %(districts)s. Controllern lägger in dem under Kostnadsställen."
                    )
                    % {"districts": ", ".join(d.name for d in missing)}
                }
            )
        try:
            with transaction.atomic():
                run = PaymentRun.objects.create(
                    payment_date=payment_date,
                    started_by=actor,
                    # A first estimate for the progress bar; the worker counts again when it starts.
                    progress_total=payable_decisions(payment_date).count(),
                )
                _log_run(actor, "start_payment_run", run, created=True)
                transaction.on_commit(lambda: launch_payment_run(run.pk))
            return run, True
        except IntegrityError:
            existing = PaymentRun.objects.filter(payment_date=payment_date).first()
    if existing is not None:
        # A double click or a second start of the same date: the run that exists, nothing new.
        _log_run(actor, "start_payment_run", existing, created=False)
        return existing, False
    open_run = PaymentRun.objects.filter(is_open=True).first()
    raise InvalidInput(
        {
            "payment_date": _("Körningen för %(date)s är inte klar. Återuppta eller slutför den först.")
            % {"date": open_run.payment_date.isoformat() if open_run else "?"}
        }
    )


def resume_payment_run(*, actor, run: PaymentRun) -> PaymentRun:
    """Start a failed run (or one whose worker died) again; it pays what is still unpaid."""
    if not may_start_payment_run(actor):
        raise NotPermitted
    config = finance_config()
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if not (
            run.status == PaymentRunStatus.FAILED or run.is_stale(after_seconds=config.stale_after_seconds)
        ):
            raise InvalidInput(
                {"__all__": _("Körningen kan bara återupptas om den har misslyckats eller stannat.")}
            )
        run.status = PaymentRunStatus.CREATED
        run.worker_token = ""
        run.save(update_fields=["status", "worker_token"])
        _log_run(actor, "resume_payment_run", run, attempts=run.attempts)
        transaction.on_commit(lambda: launch_payment_run(run.pk))
    return run


def record_file_download(*, actor, run: PaymentRun, kind: str) -> None:
    """Log a download of a run's bank file (personal data of every payee) or accounting file."""
    _log_run(actor, f"download_{kind}_file", run, payments=run.payment_count)


def _log_run(actor, action: str, run: PaymentRun, **details) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type="payment_run",
        object_id=run.pk,
        details={"payment_date": run.payment_date.isoformat(), **details},
    )


# --- the job ------------------------------------------------------------------------------------


def execute_payment_run(run_id: int) -> PaymentRun:
    """The background job: claim the run, pay in chunks, write and validate the files, complete.

    Safe to run twice: only a run in state ``created`` is claimed; anything else is left alone.
    An exception marks the run failed (payments of committed chunks stay with it) and is raised.
    """
    config = finance_config()
    run, token = _claim(run_id)
    if run is None:
        return PaymentRun.objects.get(pk=run_id)
    try:
        cost_centres = dict(CostCentre.objects.values_list("district_id", "code"))
        after = 0
        while after is not None:
            after = _pay_chunk(run.pk, token, after, config.chunk_size, cost_centres)
        return _finish(run.pk, token, config)
    except LostClaim:
        return PaymentRun.objects.get(pk=run_id)
    except Exception as error:
        _fail(run.pk, token, error)
        raise


def _claim(run_id: int) -> tuple[PaymentRun | None, str]:
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run_id)
        if run.status != PaymentRunStatus.CREATED:
            return None, ""
        now = timezone.now()
        paid = run.payments.count()
        run.status = PaymentRunStatus.RUNNING
        run.worker_token = uuid.uuid4().hex
        run.attempts += 1
        run.started_at = run.started_at or now
        run.heartbeat_at = now
        run.progress_done = paid
        run.progress_total = paid + payable_decisions(run.payment_date).count()
        run.held = []
        run.error = ""
        run.save(
            update_fields=[
                "status",
                "worker_token",
                "attempts",
                "started_at",
                "heartbeat_at",
                "progress_done",
                "progress_total",
                "held",
                "error",
            ]
        )
    return run, run.worker_token


def _locked(run_id: int, token: str) -> PaymentRun:
    run = PaymentRun.objects.select_for_update(of=("self",)).select_related("started_by").get(pk=run_id)
    if run.worker_token != token or run.status != PaymentRunStatus.RUNNING:
        raise LostClaim
    return run


def remittance_text(period_start: date) -> str:
    """``Ekonomiskt bistånd mars 2026``: the month the assistance is for."""
    return f"Ekonomiskt bistånd {MONTHS_SV[period_start.month - 1]} {period_start.year}"


class _Payee(SimpleNamespace):
    """The person fields a chunk reads, as plain values (no model instances: 25,000 of them are slow)."""

    # The register's own rules, so that they are not restated here.
    full_name = Person.full_name
    address_is_secret = Person.address_is_secret


# Decision, case and person fields read per payable decision, under the names ``_Payee`` expects.
_CHUNK_FIELDS = {
    "district_id": F("case__district_id"),
    "district_name": F("case__district__name"),
    "person_id": F("case__person_id"),
    "first_name": F("case__person__first_name"),
    "last_name": F("case__person__last_name"),
    "street_address": F("case__person__street_address"),
    "postal_code": F("case__person__postal_code"),
    "city": F("case__person__city"),
    "protection_level": F("case__person__protection_level"),
    "is_deceased": F("case__person__is_deceased"),
}


def _usable_address(payee) -> bool:
    # A payment order is posted to the registered address; a secret address never leaves Sociala.
    return bool(not payee.address_is_secret and payee.street_address and payee.postal_code and payee.city)


def _pay_chunk(run_id: int, token: str, after: int, size: int, cost_centres: dict[int, str]) -> int | None:
    """Pay the next chunk of decisions after ``after`` (by id); the last id paid, or None when done."""
    with transaction.atomic():
        run = _locked(run_id, token)
        # The chunk's ids first, then their amounts: grouping before the limit would sum every
        # remaining decision on each chunk.
        ids = list(
            payable_decisions(run.payment_date)
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        rows = list(
            Decision.objects.filter(pk__in=ids)
            .order_by("pk")
            .annotate(
                to_pay=Sum(
                    "items__amount", filter=Q(items__outcome__in=PAYABLE_OUTCOMES, items__amount__gt=0)
                )
            )
            .values("pk", "period_start", "to_pay", **_CHUNK_FIELDS)
        )
        if not rows:
            return None
        missing = sorted({r["district_name"] for r in rows if r["district_id"] not in cost_centres})
        if missing:
            raise MissingCostCentre(missing)
        accounts = {
            a["person_id"]: a
            for a in BankAccount.objects.filter(
                person_id__in={r["person_id"] for r in rows}, ended_at__isnull=True
            ).values("person_id", "method", "clearing_number", "account_number", "iban")
        }
        payments, held = [], []
        now = timezone.now()
        for row in rows:
            payee = _Payee(**row)
            if payee.is_deceased:
                held.append({"decision": payee.pk, "reason": HoldReason.DECEASED.value})
                continue
            account = accounts.get(payee.person_id)
            payment = Payment(
                run_id=run.pk,
                decision_id=payee.pk,
                person_id=payee.person_id,
                district_id=payee.district_id,
                cost_centre=cost_centres[payee.district_id],
                amount=Decimal(payee.to_pay),
                creditor_name=pain001.text(payee.full_name, 140),
                remittance_information=remittance_text(payee.period_start),
                created_at=now,
            )
            if account is not None and account["method"] == PaymentMethod.BANK_ACCOUNT:
                payment.method = PaymentMethod.BANK_ACCOUNT
                payment.clearing_number = account["clearing_number"]
                payment.account_number = account["account_number"]
                payment.iban = account["iban"]
            elif _usable_address(payee):
                payment.method = PaymentMethod.PAYMENT_ORDER
                payment.street_address = payee.street_address
                payment.postal_code = payee.postal_code
                payment.city = payee.city
            else:
                held.append({"decision": payee.pk, "reason": HoldReason.NO_PAYMENT_ROUTE.value})
                continue
            payments.append(payment)
        Payment.objects.bulk_create(payments)
        if payments:
            # One event per chunk (an event per payment would cost more than the payments): the
            # payments, decisions and persons are listed, and each Payment row names its person.
            record_event(
                actor=run.started_by,
                action="create_payments",
                object_type="payment_run",
                object_id=run.pk,
                details={
                    "payments": [p.pk for p in payments],
                    "decisions": [p.decision_id for p in payments],
                    "persons": [p.person_id for p in payments],
                    "total": str(sum((p.amount for p in payments), Decimal(0))),
                },
            )
        run.progress_done += len(rows)
        run.heartbeat_at = timezone.now()
        run.held = run.held + held
        run.save(update_fields=["progress_done", "heartbeat_at", "held"])
        return rows[-1]["pk"]


def _vouchers(run: PaymentRun, config: FinanceConfig) -> tuple[list[sie.Voucher], dict[str, str]]:
    """One balanced voucher per district and cost centre: debit the cost, credit the settlement account."""
    totals = (
        Payment.objects.filter(run=run)
        .values("district__name", "cost_centre")
        .annotate(total=Sum("amount"))
        .order_by("cost_centre", "district__name")
    )
    vouchers, objects = [], {}
    dimension = config.cost_centre_dimension
    for row in totals:
        name, code, total = row["district__name"], row["cost_centre"], row["total"]
        objects[code] = name
        vouchers.append(
            sie.Voucher(
                on=run.payment_date,
                text=f"Ekonomiskt bistånd utbetalning {run.payment_date.isoformat()} {name}",
                rows=[
                    sie.Row(config.cost_account, total, {dimension: code}),
                    sie.Row(config.settlement_account, -total),
                ],
            )
        )
    return vouchers, objects


def message_id_for(run: PaymentRun) -> str:
    """The bank file's MsgId: the same for every file of the run, so the bank refuses a second copy."""
    return f"SOCIALA-{run.pk}-{run.payment_date:%Y%m%d}"


_TRANSFER_FIELDS = (
    "pk",
    "amount",
    "method",
    "creditor_name",
    "clearing_number",
    "account_number",
    "iban",
    "street_address",
    "postal_code",
    "city",
    "remittance_information",
)


def run_transfers(run: PaymentRun) -> list[pain001.Transfer]:
    """The run's payments as they go into the bank file, in payment order."""
    return [
        pain001.Transfer(end_to_end_id=end_to_end_id(row.pop("pk")), **row)
        for row in Payment.objects.filter(run=run).order_by("pk").values(*_TRANSFER_FIELDS)
    ]


def _finish(run_id: int, token: str, config: FinanceConfig) -> PaymentRun:
    with transaction.atomic():
        run = _locked(run_id, token)
        transfers = run_transfers(run)
        now = timezone.now()
        run.payment_count = len(transfers)
        run.payment_order_count = sum(1 for t in transfers if t.method == PaymentMethod.PAYMENT_ORDER)
        run.total_amount = sum((t.amount for t in transfers), Decimal(0))
        if transfers:
            run.message_id = message_id_for(run)
            bank_file = pain001.build_pain001(
                message_id=run.message_id,
                created_at=timezone.localtime(now),
                payment_date=run.payment_date,
                transfers=transfers,
                config=config,
            )
            pain001.validate_pain001(bank_file)
            vouchers, objects = _vouchers(run, config)
            accounting_file = sie.build_sie(
                vouchers=vouchers, objects=objects, config=config, generated_on=timezone.localdate()
            )
            stem = f"run-{run.pk}-{run.payment_date:%Y%m%d}"
            run.bank_file.save(f"{stem}-pain001.xml", ContentFile(bank_file), save=False)
            run.bank_file_sha256 = hashlib.sha256(bank_file).hexdigest()
            run.accounting_file.save(f"{stem}.si", ContentFile(accounting_file), save=False)
        run.status = PaymentRunStatus.COMPLETED
        run.is_open = None
        run.finished_at = now
        run.heartbeat_at = now
        run.worker_token = ""
        run.progress_done = run.progress_total
        run.save()
        _log_run(
            run.started_by,
            "complete_payment_run",
            run,
            payments=run.payment_count,
            total=str(run.total_amount),
            held=len(run.held),
        )
    return run


def _fail(run_id: int, token: str, error: Exception) -> None:
    if isinstance(error, MissingCostCentre):
        message = str(
            _("Kostnadsställe saknas för %(districts)s. Controllern lägger in dem under Kostnadsställen.")
            % {"districts": ", ".join(error.districts)}
        )
    else:
        message = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        updated = PaymentRun.objects.filter(
            pk=run_id, worker_token=token, status=PaymentRunStatus.RUNNING
        ).update(status=PaymentRunStatus.FAILED, error=message, heartbeat_at=timezone.now(), worker_token="")
        if updated:
            run = PaymentRun.objects.select_related("started_by").get(pk=run_id)
            _log_run(run.started_by, "fail_payment_run", run, error=type(error).__name__)
