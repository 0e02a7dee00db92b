"""The site-wide protections that docs/security.md cites: headers, CSRF, escaping, password rules and
hashing, the log's protection against change. Each test names what it shows."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sociala.accounts.models import ApiToken, User
from sociala.audit.models import AuditEvent
from sociala.audit.services import record_event
from sociala.demo.organization import DEMO_PASSWORD
from sociala.tests.factories import make_person


def test_every_page_sends_the_security_headers(city, client):
    client.force_login(city.users["handlaggare.ifo"])
    response = client.get("/persons/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"  # signed in: nothing personal in the browser cache
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Server" not in response and "X-Powered-By" not in response


def test_a_post_without_the_csrf_token_is_refused(city):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.users["handlaggare.ifo"])
    response = browser.post("/logout/")
    assert response.status_code == 403
    assert "_auth_user_id" in browser.session


def test_text_from_users_is_escaped(city, client):
    person = make_person(city, first_name="<script>alert(1)</script>", last_name="O'Hara")
    client.force_login(city.users["handlaggare.ifo"])
    html = client.get(f"/persons/{person.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_passwords_need_twelve_characters_and_allow_long_unicode(city):
    with pytest.raises(ValidationError):
        validate_password("kort-lösen")
    validate_password("en lång lösenfras med mellanslag och å ä ö 🙂 " * 2)


def test_passwords_are_stored_with_argon2(city, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = User.objects.create(username="ny.anvandare")
    user.set_password("en lång lösenfras med mellanslag")
    user.save()
    hasher = identify_hasher(user.password)
    assert hasher.algorithm == "argon2"
    assert hasher.safe_summary(user.password)["variety"] == "argon2id"
    assert user.check_password("en lång lösenfras med mellanslag")


def test_api_tokens_are_stored_only_as_hashes(city, client):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "handlaggare.ifo", "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    key = response.json()["token"]
    stored = ApiToken.objects.get()
    assert stored.key_hash == ApiToken.hash(key) and key not in stored.key_hash


def test_the_audit_log_cannot_be_changed_through_the_application(city):
    event = record_event(actor=city.users["handlaggare.ifo"], action="view_person", person_id=1)
    event.action = "something_else"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "view_person"


def test_an_unknown_page_and_an_out_of_scope_person_look_the_same(city, client):
    bromma = make_person(city, district="Bromma")
    client.force_login(city.users["handlaggare.ifo"])
    assert client.get(f"/persons/{bromma.pk}/").status_code == 404
    assert client.get("/persons/999999/").status_code == 404
    assert client.get(reverse("web:audit_search")).status_code == 404


def test_sign_in_redirects_only_to_this_site(city, wired):
    response = wired.post(
        "/login/?next=https://evil.example/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
