from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.accounts.models import ApiToken
from sociala.audit.models import AuditEvent
from sociala.demo.organization import DEMO_PASSWORD

TOKEN_URL = "/api/v1/auth/token"


def post_token(client, username, password):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )


def test_a_token_from_username_and_password_authenticates_later_requests(client, city):
    response = post_token(client, "handlaggare.ifo", DEMO_PASSWORD)
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    token = response.json()["token"]
    assert ApiToken.objects.get(user=city.users["handlaggare.ifo"]).key_hash == ApiToken.hash(token)
    assert (
        AuditEvent.objects.filter(action="api_token_issued", user_id=city.users["handlaggare.ifo"].pk).count()
        == 1
    )

    listed = client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert listed.status_code == 200
    assert listed["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("username", "password"),
    [("handlaggare.ifo", "wrong password"), ("nobody", DEMO_PASSWORD), ("", "")],
)
def test_wrong_credentials_are_refused_with_a_message(client, city, username, password):
    response = post_token(client, username, password)
    assert response.status_code == 401
    assert response.json() == {"detail": "Fel användarnamn eller lösenord."}
    assert ApiToken.objects.count() == 0


def test_an_inactive_user_gets_no_token(client, city):
    user = city.users["handlaggare.ifo"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert post_token(client, "handlaggare.ifo", DEMO_PASSWORD).status_code == 401


def test_a_token_request_without_a_password_is_invalid_input(client, city):
    response = client.post(TOKEN_URL, {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"password"}


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer not-a-token", "Basic aGFuZGxhZ2dhcmUuaWZvOnNvY2lhbGEtZGVtbw==", "Token abc"],
)
def test_missing_or_invalid_tokens_are_401(client, city, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/api/v1/persons", **extra)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_is_401(client, city):
    token = post_token(client, "handlaggare.ifo", DEMO_PASSWORD).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_a_token_of_a_deactivated_user_stops_working(client, city):
    token = post_token(client, "handlaggare.ifo", DEMO_PASSWORD).json()["token"]
    city.users["handlaggare.ifo"].is_active = False
    city.users["handlaggare.ifo"].save(update_fields=["is_active"])
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_session_cookie_does_not_authenticate_the_api(client, city):
    client.force_login(city.users["handlaggare.ifo"])
    assert client.get("/api/v1/persons").status_code == 401
