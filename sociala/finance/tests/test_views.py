"""The finance pages × every demo role: allowed or 404, a denied request changes nothing; the flows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sociala.audit.models import AuditEvent
from sociala.finance import services
from sociala.finance.choices import PaymentRunStatus
from sociala.finance.models import BankAccount, CostCentre, Payment, PaymentRun
from sociala.people.choices import ProtectionLevel
from sociala.tests.factories import make_person

from .factories import make_decision

USERS = [
    "handlaggare.ifo",
    "handlaggare.ao",
    "handlaggare.lss",
    "handlaggare.barn",
    "handlaggare.ifo.bromma",
    "chef.ifo",
    "utforare.hemtjanst",
    "socialjour",
    "admin.lokal",
    "revisor",
    "controller",
    "admin",
]
STARTERS = {"chef.ifo"}
VIEWERS = {"chef.ifo", "controller"}
CONTROLLERS = {"controller"}
# Caseworkers and managers of individual and family care who see the Rinkeby-Kista person.
ACCOUNT_KEEPERS = {"handlaggare.ifo", "handlaggare.barn", "chef.ifo"}


@pytest.fixture
def world(city, cost_centres, payment_date):
    payee = make_person(city, first_name="Synlig", last_name="Mottagare")
    make_decision(city, payee)
    hidden = make_person(
        city,
        first_name="Skyddad",
        last_name="Person",
        protection_level=ProtectionLevel.PROTECTED_REGISTRATION,
    )
    make_decision(city, hidden)
    run, _created = services.start_payment_run(actor=city.users["chef.ifo"], payment_date=payment_date)
    run = services.execute_payment_run(run.pk)
    return {"run": run, "payee": payee, "hidden": hidden, "payment_date": payment_date}


def writes():
    """Everything a denied request could have changed."""
    return (
        PaymentRun.objects.count(),
        list(PaymentRun.objects.values_list("status", flat=True)),
        Payment.objects.count(),
        BankAccount.objects.count(),
        list(CostCentre.objects.values_list("code", flat=True)),
        AuditEvent.objects.filter(
            action__in=["start_payment_run", "resume_payment_run", "register_bank_account", "set_cost_centre"]
        ).count(),
    )


GETS = [
    ("finance:run_list", lambda w: [], VIEWERS),
    ("finance:run_detail", lambda w: [w["run"].pk], VIEWERS),
    ("finance:run_progress", lambda w: [w["run"].pk], VIEWERS),
    ("finance:run_bank_file", lambda w: [w["run"].pk], STARTERS),
    ("finance:run_accounting_file", lambda w: [w["run"].pk], VIEWERS),
    ("finance:cost_centres", lambda w: [], CONTROLLERS),
    ("finance:bank_account", lambda w: [w["payee"].pk], ACCOUNT_KEEPERS),
]


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("name", "args", "allowed"), GETS, ids=[g[0] for g in GETS])
def test_get(client, city, world, username, name, args, allowed):
    client.force_login(city.users[username])
    response = client.get(reverse(name, args=args(world)))
    expected = 200 if username in allowed else 404
    assert response.status_code == expected, (username, name, response.status_code)


def posts(world, city):
    later = (world["payment_date"] + timedelta(days=1)).isoformat()
    return [
        ("finance:run_start", [], {"payment_date": later}, STARTERS),
        ("finance:run_resume", [world["run"].pk], {}, STARTERS),
        ("finance:cost_centres", [], {"district": city.districts["Bromma"].pk, "code": "7000"}, CONTROLLERS),
        (
            "finance:bank_account",
            [world["payee"].pk],
            {"method": "bank_account", "clearing_number": "3300", "account_number": "7001011234"},
            ACCOUNT_KEEPERS,
        ),
    ]


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("index", range(4), ids=["run_start", "run_resume", "cost_centres", "bank_account"])
def test_post(client, city, world, username, index):
    name, args, data, allowed = posts(world, city)[index]
    client.force_login(city.users[username])
    before = writes()
    response = client.post(reverse(name, args=args), data)
    if username in allowed:
        assert response.status_code == 302, (username, name, response.status_code)
    else:
        assert response.status_code == 404, (username, name, response.status_code)
        assert writes() == before


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(reverse("finance:run_detail", args=[world["run"].pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_controller_sees_the_summary_without_personal_data(client, city, world):
    client.force_login(city.users["controller"])
    page = client.get(reverse("finance:run_detail", args=[world["run"].pk])).content.decode()
    assert "6100" in page and "Rinkeby-Kista stadsdelsnämnd" in page
    assert "12\u202f140\u00a0kr" in page
    assert "Synlig" not in page and "Skyddad" not in page
    assert reverse("finance:run_bank_file", args=[world["run"].pk]) not in page
    assert reverse("finance:run_accounting_file", args=[world["run"].pk]) in page
    assert AuditEvent.objects.filter(action="view_payment_run", username="controller").count() == 1


def test_the_unit_manager_sees_left_out_decisions_in_own_cases_and_the_read_is_logged(client, city, world):
    client.force_login(city.users["chef.ifo"])
    page = client.get(reverse("finance:run_detail", args=[world["run"].pk])).content.decode()
    assert "Skyddad Person" in page
    assert reverse("finance:bank_account", args=[world["hidden"].pk]) in page
    assert AuditEvent.objects.filter(action="view_held_payment", person_id=world["hidden"].pk).count() == 1


def test_downloads_are_logged(client, city, world):
    client.force_login(city.users["chef.ifo"])
    response = client.get(reverse("finance:run_bank_file", args=[world["run"].pk]))
    assert response["Content-Type"] == "application/xml"
    assert b"CstmrCdtTrfInitn" in b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(action="download_bank_file", object_id=str(world["run"].pk)).count() == 1


def test_starting_from_the_page_runs_the_job_and_the_progress_bar_follows_it(
    client, city, cost_centres, payment_date, settings, django_capture_on_commit_callbacks
):
    make_decision(city)
    settings.SOCIALA_FINANCE = {"job_runner": "none"}
    client.force_login(city.users["chef.ifo"])
    response = client.post(reverse("finance:run_start"), {"payment_date": payment_date.isoformat()})
    run = PaymentRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:run_detail", args=[run.pk])
    # Before the job has run: the bar polls every second.
    progress = client.get(reverse("finance:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.content.decode()
    assert "HX-Refresh" not in progress
    services.execute_payment_run(run.pk)
    progress = client.get(reverse("finance:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in progress.content.decode()
    assert progress["HX-Refresh"] == "true"
    assert 'aria-valuenow="100"' in progress.content.decode()
    # A double click: the same date again starts nothing new.
    settings.SOCIALA_FINANCE = {"job_runner": "inline"}
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("finance:run_start"), {"payment_date": payment_date.isoformat()})
    assert again["Location"] == reverse("finance:run_detail", args=[run.pk])
    assert PaymentRun.objects.count() == 1 and Payment.objects.count() == 1


def test_the_inline_runner_completes_a_run_started_from_the_page(
    client, city, cost_centres, payment_date, settings, django_capture_on_commit_callbacks
):
    make_decision(city)
    settings.SOCIALA_FINANCE = {"job_runner": "inline"}
    client.force_login(city.users["chef.ifo"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("finance:run_start"), {"payment_date": payment_date.isoformat()})
    run = PaymentRun.objects.get()
    assert run.status == PaymentRunStatus.COMPLETED
    assert run.payment_count == 1


def test_a_refused_start_shows_the_error_on_the_form(client, city, payment_date):
    make_decision(city)  # no cost centres
    client.force_login(city.users["chef.ifo"])
    response = client.post(reverse("finance:run_start"), {"payment_date": payment_date.isoformat()})
    assert response.status_code == 422
    assert "Kostnadsställe saknas" in response.content.decode()
    assert PaymentRun.objects.count() == 0


def test_registering_a_bank_account_ends_the_previous_one_and_is_logged(client, city, world):
    person = world["payee"]
    client.force_login(city.users["handlaggare.ifo"])
    url = reverse("finance:bank_account", args=[person.pk])
    client.post(url, {"method": "bank_account", "clearing_number": "3300", "account_number": "700101-1234"})
    client.post(url, {"method": "bank_account", "iban": "SE45 5000 0000 0583 9825 7466"})
    accounts = list(BankAccount.objects.filter(person=person).order_by("pk"))
    assert [(a.account_number, a.iban, a.ended_at is None) for a in accounts] == [
        ("7001011234", "", False),
        ("", "SE4550000000058398257466", True),
    ]
    events = AuditEvent.objects.filter(action="register_bank_account", person_id=person.pk)
    assert events.count() == 2
    assert "7001011234" not in str(list(events.values_list("details", flat=True)))
    page = client.get(url).content.decode()
    assert "SE4550000000058398257466" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"method": "bank_account", "clearing_number": "33", "account_number": "7001011234"},
            "clearing_number",
        ),
        ({"method": "bank_account", "clearing_number": "3300", "account_number": "12a"}, "account_number"),
        ({"method": "bank_account", "iban": "SE4550000000058398257467"}, "iban"),
        ({"method": "bank_account", "iban": "SE4550000000058398257466", "clearing_number": "3300"}, "iban"),
    ],
)
def test_a_wrong_account_is_refused_with_a_message_and_nothing_saved(client, city, world, data, field):
    client.force_login(city.users["handlaggare.ifo"])
    response = client.post(reverse("finance:bank_account", args=[world["payee"].pk]), data)
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert BankAccount.objects.count() == 0


def test_the_controller_sets_a_cost_centre_and_a_taken_code_is_refused(client, city, world):
    client.force_login(city.users["controller"])
    response = client.post(
        reverse("finance:cost_centres"), {"district": city.districts["Bromma"].pk, "code": "6100"}
    )
    assert response.status_code == 422
    assert CostCentre.objects.get(district=city.districts["Bromma"]).code == "6200"
    client.post(
        reverse("finance:cost_centres"),
        {"district": city.districts["Bromma"].pk, "code": "6250", "name": "Bromma IFO"},
    )
    assert CostCentre.objects.get(district=city.districts["Bromma"]).code == "6250"
    event = AuditEvent.objects.get(action="set_cost_centre")
    assert event.details["before"] == "6200" and event.details["after"] == "6250"
