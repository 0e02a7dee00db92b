"""The payment-run API: summaries for those who see runs, starting for IFO unit managers."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.accounts.models import ApiToken
from sociala.finance import services
from sociala.finance.models import PaymentRun

from .factories import make_decision


def bearer(user) -> dict:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash(key), expires_at=timezone.now() + timedelta(hours=1)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def run(city, cost_centres, payment_date):
    make_decision(city)
    make_decision(city, district="Bromma")
    started, _created = services.start_payment_run(actor=city.users["chef.ifo"], payment_date=payment_date)
    return services.execute_payment_run(started.pk)


@pytest.mark.parametrize(
    ("username", "status"), [("chef.ifo", 200), ("controller", 200), ("handlaggare.ifo", 403), ("admin", 403)]
)
def test_who_sees_runs(client, city, run, username, status):
    response = client.get("/api/v1/finance/runs", **bearer(city.users[username]))
    assert response.status_code == status
    if status == 200:
        assert [r["id"] for r in response.json()] == [run.pk]


def test_a_run_in_detail_has_totals_per_district_and_no_persons(client, city, run):
    response = client.get(f"/api/v1/finance/runs/{run.pk}", **bearer(city.users["controller"]))
    body = response.json()
    assert body["status"] == "completed"
    assert body["payment_count"] == 2
    assert body["total_amount"] == "24280.00"
    assert sorted((d["district"], d["cost_centre"], d["count"]) for d in body["districts"]) == [
        ("Bromma stadsdelsnämnd", "6200", 1),
        ("Rinkeby-Kista stadsdelsnämnd", "6100", 1),
    ]
    assert "Betal" not in response.content.decode()
    assert client.get("/api/v1/finance/runs/999999", **bearer(city.users["controller"])).status_code == 404


def test_starting_a_run_twice_gives_201_then_200_with_the_same_run(client, city, cost_centres, payment_date):
    make_decision(city)
    headers = bearer(city.users["chef.ifo"])
    body = {"payment_date": payment_date.isoformat()}
    first = client.post("/api/v1/finance/runs", body, content_type="application/json", **headers)
    second = client.post("/api/v1/finance/runs", body, content_type="application/json", **headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert PaymentRun.objects.count() == 1


def test_only_an_ifo_unit_manager_starts_runs_and_bad_dates_get_422(client, city, cost_centres, payment_date):
    body = {"payment_date": payment_date.isoformat()}
    response = client.post(
        "/api/v1/finance/runs", body, content_type="application/json", **bearer(city.users["controller"])
    )
    assert response.status_code == 403
    past = {"payment_date": (timezone.localdate() - timedelta(days=1)).isoformat()}
    response = client.post(
        "/api/v1/finance/runs", past, content_type="application/json", **bearer(city.users["chef.ifo"])
    )
    assert response.status_code == 422
    assert "payment_date" in response.json()["errors"]
    assert PaymentRun.objects.count() == 0
