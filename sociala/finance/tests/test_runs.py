"""Payment runs: what is paid, exactly once, through crashes, reruns and double starts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.cases.choices import Outcome
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.finance import services
from sociala.finance.choices import HoldReason, PaymentMethod, PaymentRunStatus
from sociala.finance.models import Payment, PaymentRun
from sociala.finance.pain001 import NAMESPACE, parse_xml
from sociala.people.choices import ProtectionLevel
from sociala.tests.factories import make_person

from .factories import give_account, make_decision

NS = {"p": NAMESPACE}


def start(city, payment_date, username="chef.ifo"):
    run, created = services.start_payment_run(actor=city.users[username], payment_date=payment_date)
    return run, created


def run_to_end(city, payment_date):
    run, _created = start(city, payment_date)
    return services.execute_payment_run(run.pk)


def end_to_end_ids(run) -> list[str]:
    with run.bank_file.open("rb") as handle:
        tree = parse_xml(handle.read())
    return tree.xpath("//p:CdtTrfTxInf/p:PmtId/p:EndToEndId/text()", namespaces=NS)


def test_a_run_pays_approved_unpaid_income_support_with_amounts_and_nothing_else(
    city, cost_centres, payment_date
):
    granted = make_decision(
        city,
        amounts=[(5220, Outcome.GRANTED), (900, Outcome.PARTLY_GRANTED), (400, Outcome.REFUSED)],
        outcome=Outcome.PARTLY_GRANTED,
    )
    bromma = make_decision(city, district="Bromma", amounts=[(8510, Outcome.GRANTED)])
    make_decision(city, amounts=[(3000, Outcome.REFUSED)], outcome=Outcome.REFUSED)
    make_decision(
        city, amounts=[(3000, Outcome.REFUSED), (0, Outcome.GRANTED)], outcome=Outcome.PARTLY_GRANTED
    )
    make_decision(city, decided_on=payment_date + timedelta(days=1))
    make_decision(city, case_type="home_care_application", district="Rinkeby-Kista")

    run = run_to_end(city, payment_date)

    assert run.status == PaymentRunStatus.COMPLETED
    assert run.is_open is None
    payments = {p.decision_id: p for p in Payment.objects.all()}
    assert set(payments) == {granted.pk, bromma.pk}
    # Granted and partly granted items are paid; refused items are not.
    assert payments[granted.pk].amount == Decimal("6120.00")
    assert payments[bromma.pk].amount == Decimal("8510.00")
    assert payments[granted.pk].cost_centre == "6100"
    assert payments[bromma.pk].cost_centre == "6200"
    assert payments[granted.pk].remittance_information == "Ekonomiskt bistånd mars 2026"
    assert run.payment_count == 2
    assert run.total_amount == Decimal("14630.00")
    assert run.progress_done == run.progress_total == 2
    assert sorted(end_to_end_ids(run)) == sorted(f"SOC-P{p.pk}" for p in payments.values())
    (event,) = AuditEvent.objects.filter(action="create_payments")  # two payments: one chunk
    assert sorted(event.details["decisions"]) == sorted(payments)
    assert sorted(event.details["persons"]) == sorted(p.person_id for p in payments.values())
    assert AuditEvent.objects.filter(action="complete_payment_run", object_id=str(run.pk)).count() == 1


def test_payee_with_an_account_gets_a_transfer_without_one_a_payment_order(city, cost_centres, payment_date):
    with_account = make_decision(city)
    give_account(city, with_account.case.person)
    without = make_decision(city)
    run = run_to_end(city, payment_date)
    assert Payment.objects.get(decision=with_account).method == PaymentMethod.BANK_ACCOUNT
    order = Payment.objects.get(decision=without)
    assert order.method == PaymentMethod.PAYMENT_ORDER
    assert (order.street_address, order.postal_code, order.city) == ("Kistagången 12", "16440", "Kista")
    assert run.payment_order_count == 1


def test_a_secret_address_is_never_sent_and_the_decision_waits_for_an_account(
    city, cost_centres, payment_date
):
    person = make_person(city, protection_level=ProtectionLevel.PROTECTED_REGISTRATION)
    decision = make_decision(city, person)
    deceased = make_decision(city, make_person(city, is_deceased=True))
    run = run_to_end(city, payment_date)
    assert Payment.objects.count() == 0
    assert run.status == PaymentRunStatus.COMPLETED
    assert not run.bank_file
    assert sorted((h["decision"], h["reason"]) for h in run.held) == sorted(
        [(decision.pk, HoldReason.NO_PAYMENT_ROUTE), (deceased.pk, HoldReason.DECEASED)]
    )
    # Once an account is registered, the next run pays the decision.
    give_account(city, person)
    later = run_to_end(city, payment_date + timedelta(days=1))
    assert list(later.payments.values_list("decision_id", flat=True)) == [decision.pk]


def test_a_crash_between_chunks_keeps_the_paid_chunk_and_the_resumed_run_pays_each_decision_once(
    city, cost_centres, payment_date, monkeypatch
):
    decisions = [make_decision(city) for _ in range(5)]
    run, _created = start(city, payment_date)
    real_chunk = services._pay_chunk
    calls = {"n": 0}

    def crash_on_second_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real_chunk(*args, **kwargs)

    monkeypatch.setattr(services, "_pay_chunk", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        services.execute_payment_run(run.pk)
    run.refresh_from_db()
    assert run.status == PaymentRunStatus.FAILED
    assert "power cut" in run.error
    assert run.is_open is True
    assert Payment.objects.filter(run=run).count() == 2  # the first chunk was committed
    assert not run.bank_file

    # Nothing else may start while the failed run holds payments that are in no file.
    with pytest.raises(InvalidInput):
        start(city, payment_date + timedelta(days=1))

    monkeypatch.setattr(services, "_pay_chunk", real_chunk)
    services.resume_payment_run(actor=city.users["chef.ifo"], run=run)
    run = services.execute_payment_run(run.pk)
    assert run.status == PaymentRunStatus.COMPLETED
    assert run.attempts == 2
    assert sorted(Payment.objects.values_list("decision_id", flat=True)) == sorted(d.pk for d in decisions)
    ids = end_to_end_ids(run)
    assert len(ids) == len(set(ids)) == 5
    logged = [d for e in AuditEvent.objects.filter(action="create_payments") for d in e.details["decisions"]]
    assert sorted(logged) == sorted(d.pk for d in decisions)


def test_a_crash_inside_a_chunk_rolls_the_chunk_back(city, cost_centres, payment_date, monkeypatch):
    decisions = [make_decision(city) for _ in range(4)]
    run, _created = start(city, payment_date)
    real_record = services.record_event
    calls = {"n": 0}

    def crash_in_second_chunk(**kwargs):
        if kwargs.get("action") == "create_payments":
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("disk full")
        return real_record(**kwargs)

    monkeypatch.setattr(services, "record_event", crash_in_second_chunk)
    with pytest.raises(RuntimeError):
        services.execute_payment_run(run.pk)
    # The second chunk had inserted its payments when it crashed: they are gone with it.
    assert Payment.objects.count() == 2
    monkeypatch.setattr(services, "record_event", real_record)
    services.resume_payment_run(actor=city.users["chef.ifo"], run=run)
    run = services.execute_payment_run(run.pk)
    assert sorted(run.payments.values_list("decision_id", flat=True)) == sorted(d.pk for d in decisions)


def test_rerunning_a_completed_run_or_running_its_job_twice_pays_nothing_more(
    city, cost_centres, payment_date
):
    make_decision(city)
    make_decision(city)
    run = run_to_end(city, payment_date)
    first_file = run.bank_file.name
    again = services.execute_payment_run(run.pk)
    assert again.status == PaymentRunStatus.COMPLETED
    assert again.bank_file.name == first_file
    assert Payment.objects.count() == 2
    with pytest.raises(InvalidInput):
        services.resume_payment_run(actor=city.users["chef.ifo"], run=run)


def test_starting_the_same_date_twice_returns_the_same_run(city, cost_centres, payment_date):
    make_decision(city)
    first, created = start(city, payment_date)
    second, created_again = start(city, payment_date)
    assert created and not created_again
    assert first.pk == second.pk
    assert PaymentRun.objects.count() == 1
    services.execute_payment_run(first.pk)
    services.execute_payment_run(second.pk)
    assert Payment.objects.count() == 1
    # After completion too: the date is taken, the same run comes back.
    third, created_third = start(city, payment_date)
    assert third.pk == first.pk and not created_third


def test_the_database_refuses_a_second_payment_of_a_decision_and_a_second_open_run(
    city, cost_centres, payment_date
):
    decision = make_decision(city)
    run = run_to_end(city, payment_date)
    payment = Payment.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            run=run,
            decision=decision,
            person=payment.person,
            district=payment.district,
            cost_centre="6100",
            amount=1,
            method=PaymentMethod.PAYMENT_ORDER,
            creditor_name="x",
            remittance_information="x",
        )
    PaymentRun.objects.create(
        payment_date=payment_date + timedelta(days=1), started_by=city.users["chef.ifo"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRun.objects.create(
            payment_date=payment_date + timedelta(days=2), started_by=city.users["chef.ifo"]
        )


def test_a_later_run_pays_only_new_decisions(city, cost_centres, payment_date):
    make_decision(city)
    first = run_to_end(city, payment_date)
    new = make_decision(city)
    second = run_to_end(city, payment_date + timedelta(days=1))
    assert first.payment_count == 1
    assert list(second.payments.values_list("decision_id", flat=True)) == [new.pk]


def test_a_worker_that_lost_its_claim_stops_without_writing(city, cost_centres, payment_date, monkeypatch):
    for _ in range(4):
        make_decision(city)
    run, _created = start(city, payment_date)
    real_chunk = services._pay_chunk

    def taken_over_after_first_chunk(run_id, token, *args):
        result = real_chunk(run_id, token, *args)
        PaymentRun.objects.filter(pk=run_id).update(worker_token="another-worker")
        return result

    monkeypatch.setattr(services, "_pay_chunk", taken_over_after_first_chunk)
    run = services.execute_payment_run(run.pk)
    assert run.status == PaymentRunStatus.RUNNING
    assert run.worker_token == "another-worker"
    assert Payment.objects.count() == 2


def test_a_stale_run_can_be_resumed(city, cost_centres, payment_date):
    make_decision(city)
    run, _created = start(city, payment_date)
    run.status = PaymentRunStatus.RUNNING
    run.heartbeat_at = timezone.now() - timedelta(hours=1)
    run.save()
    services.resume_payment_run(actor=city.users["chef.ifo"], run=run)
    assert services.execute_payment_run(run.pk).payment_count == 1


def test_a_missing_cost_centre_refuses_the_start(city, payment_date):
    make_decision(city)
    with pytest.raises(InvalidInput) as error:
        start(city, payment_date)
    assert "Rinkeby-Kista stadsdelsnämnd" in error.value.errors["payment_date"]
    assert PaymentRun.objects.count() == 0


def test_a_cost_centre_removed_mid_way_fails_the_run_with_a_message(city, cost_centres, payment_date):
    make_decision(city)
    run, _created = start(city, payment_date)
    cost_centres["Rinkeby-Kista"].delete()
    with pytest.raises(services.MissingCostCentre):
        services.execute_payment_run(run.pk)
    run.refresh_from_db()
    assert run.status == PaymentRunStatus.FAILED
    assert "Kostnadsställe saknas för Rinkeby-Kista stadsdelsnämnd" in run.error


@pytest.mark.parametrize("days", [-1, 400])
def test_a_payment_date_in_the_past_or_far_ahead_is_refused(city, cost_centres, days):
    with pytest.raises(InvalidInput):
        start(city, timezone.localdate() + timedelta(days=days))
    assert PaymentRun.objects.count() == 0


@pytest.mark.parametrize("username", ["handlaggare.ifo", "controller", "admin", "handlaggare.ao", "revisor"])
def test_only_an_ifo_unit_manager_may_start_or_resume_a_run(city, cost_centres, payment_date, username):
    make_decision(city)
    with pytest.raises(NotPermitted):
        start(city, payment_date, username)
    assert PaymentRun.objects.count() == 0
    run, _created = start(city, payment_date)
    with pytest.raises(NotPermitted):
        services.resume_payment_run(actor=city.users[username], run=run)


def test_the_demo_gets_a_cost_centre_for_every_district(city):
    from sociala.finance.demo import seed_cost_centres
    from sociala.finance.models import CostCentre

    assert seed_cost_centres(actor=city.users["controller"]) == 2
    assert seed_cost_centres(actor=city.users["controller"]) == 0
    assert sorted(CostCentre.objects.values_list("code", flat=True)) == ["6101", "6102"]
