"""Rate limits on the API and the public pages: 429 with Retry-After, a window that ends, nothing changed."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.accounts import ratelimit
from sociala.accounts.models import ApiToken, LoginAttempt
from sociala.audit.models import AuditEvent
from sociala.demo.organization import DEMO_PASSWORD


def bearer(user) -> dict:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash(key), expires_at=timezone.now() + timedelta(hours=1)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, at the start of a minute (so a window is exactly the test's minute)."""
    now = {"t": 1_800_000_000.0 - 1_800_000_000.0 % 60}
    monkeypatch.setattr(ratelimit.time, "time", lambda: now["t"])
    return now


def test_parse_limit():
    assert ratelimit.parse_limit("600/60") == ratelimit.Limit(600, 60)
    assert ratelimit.parse_limit("5") == ratelimit.Limit(5, 60)
    assert ratelimit.parse_limit("") is None
    assert ratelimit.parse_limit("off") is None
    with pytest.raises(ValueError):
        ratelimit.parse_limit("0/60")


def test_the_api_refuses_a_token_over_its_limit_with_retry_after_and_json(client, city, settings, clock):
    settings.SOCIALA_RATE_LIMITS = {**settings.SOCIALA_RATE_LIMITS, "api_per_token": "3/60"}
    headers = bearer(city.users["handlaggare.ifo"])
    statuses = [client.get("/api/v1/persons", **headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    clock["t"] += 20
    refused = client.get("/api/v1/persons", **headers)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused["Cache-Control"] == "no-store"
    assert refused.json() == {"detail": "För många förfrågningar. Vänta 40 sekunder och försök igen."}
    # Another token (another user) is counted on its own.
    assert client.get("/api/v1/persons", **bearer(city.users["handlaggare.ifo.bromma"])).status_code == 200


def test_the_window_ends_and_requests_are_allowed_again(client, city, settings, clock):
    settings.SOCIALA_RATE_LIMITS = {**settings.SOCIALA_RATE_LIMITS, "api_per_token": "2/60"}
    headers = bearer(city.users["handlaggare.ifo"])
    assert [client.get("/api/v1/persons", **headers).status_code for _ in range(3)] == [200, 200, 429]
    clock["t"] += 60
    assert client.get("/api/v1/persons", **headers).status_code == 200


def test_the_api_limits_an_address_whatever_the_token(client, city, settings, clock):
    settings.SOCIALA_RATE_LIMITS = {**settings.SOCIALA_RATE_LIMITS, "api_per_address": "2/60"}
    responses = [client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer guess-{n}") for n in range(3)]
    assert [r.status_code for r in responses] == [401, 401, 429]
    other = client.get("/api/v1/persons", REMOTE_ADDR="192.0.2.7", **bearer(city.users["handlaggare.ifo"]))
    assert other.status_code == 200


def test_a_limited_token_request_changes_nothing(client, city, settings, clock):
    settings.SOCIALA_RATE_LIMITS = {**settings.SOCIALA_RATE_LIMITS, "api_per_address": "1/60"}
    body = {"username": "handlaggare.ifo", "password": DEMO_PASSWORD}
    assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 200
    tokens, attempts, events = (
        ApiToken.objects.count(),
        LoginAttempt.objects.count(),
        AuditEvent.objects.count(),
    )
    refused = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert refused.status_code == 429
    assert (ApiToken.objects.count(), LoginAttempt.objects.count(), AuditEvent.objects.count()) == (
        tokens,
        attempts,
        events,
    )


def test_the_sign_in_page_is_limited_per_address_and_a_refused_attempt_is_not_counted(
    client, city, settings, clock
):
    settings.SOCIALA_RATE_LIMITS = {**settings.SOCIALA_RATE_LIMITS, "public_per_address": "2/60"}
    wrong = {"username": "handlaggare.ifo", "password": "fel lösenord"}
    assert client.post("/login/", wrong).status_code != 429
    assert client.post("/login/", wrong).status_code != 429
    attempts, events = LoginAttempt.objects.count(), AuditEvent.objects.count()
    refused = client.post("/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "För många förfrågningar" in refused.content.decode()
    assert (LoginAttempt.objects.count(), AuditEvent.objects.count()) == (attempts, events)
    assert "_auth_user_id" not in client.session
    # Signed-in pages are not limited by this rule.
    client.force_login(city.users["handlaggare.ifo"])
    assert client.get("/persons/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/portal/login/start/", "/portal/login/callback/?state=x", "/sso/oidc/login/", "/eid-simulator/"]
)
def test_the_citizen_and_single_sign_on_entry_points_are_limited(client, db, settings, clock, path):
    settings.SOCIALA_RATE_LIMITS = {**settings.SOCIALA_RATE_LIMITS, "public_per_address": "1/60"}
    client.get(path)
    refused = client.get(path)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"


def test_an_empty_limit_turns_it_off(client, city, settings, clock):
    settings.SOCIALA_RATE_LIMITS = {
        **settings.SOCIALA_RATE_LIMITS,
        "api_per_token": "",
        "api_per_address": "",
    }
    headers = bearer(city.users["handlaggare.ifo"])
    assert {client.get("/api/v1/persons", **headers).status_code for _ in range(5)} == {200}


def test_the_limit_answers_in_english_for_an_english_client(client, db, settings, clock):
    settings.SOCIALA_RATE_LIMITS = {**settings.SOCIALA_RATE_LIMITS, "public_per_address": "1/60"}
    client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    refused = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused.headers["Content-Language"] == "en"


def test_a_users_tokens_share_the_per_user_limit(client, city, settings, clock):
    settings.SOCIALA_RATE_LIMITS = {**settings.SOCIALA_RATE_LIMITS, "api_per_user": "2/60"}
    user = city.users["handlaggare.ifo"]
    first, second = bearer(user), bearer(user)
    assert client.get("/api/v1/persons", **first).status_code == 200
    assert client.get("/api/v1/persons", **second).status_code == 200
    refused = client.get("/api/v1/persons", **second)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json() == {"detail": "För många förfrågningar. Vänta 60 sekunder och försök igen."}
    assert client.get("/api/v1/persons", **bearer(city.users["handlaggare.ifo.bromma"])).status_code == 200


def test_the_openapi_document_declares_the_429(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert "429" in document["paths"]["/api/v1/persons"]["get"]["responses"]


def test_the_default_cache_is_shared_by_worker_processes(settings, tmp_path):
    """Another process (a second gunicorn worker) counts in the same file cache as this one."""
    import subprocess
    import sys

    location = tmp_path / "ratelimit-cache"
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(location),
        },
    }
    worker = (
        "import django; django.setup()\n"
        "from sociala.accounts import ratelimit\n"
        "print([ratelimit.hit('shared', ratelimit.Limit(3, 60), now=6000.0) for _ in range(2)])\n"
    )
    env = {**os.environ, "SOCIALA_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "sociala.settings"}
    env.pop("SOCIALA_RATE_LIMIT_CACHE_BACKEND", None)
    env.pop("SOCIALA_RATE_LIMIT_CACHE_LOCATION", None)
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", worker], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[0, 0]"
    limit = ratelimit.Limit(3, 60)
    assert [ratelimit.hit("shared", limit, now=6000.0) for _ in range(2)] == [0, 60]
