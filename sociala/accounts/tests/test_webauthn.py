"""Security keys (WebAuthn) with real attestations and assertions from a software authenticator: adding,
listing and removing keys, signing in with password and key, and what is refused (a replayed assertion, a
reused challenge, another origin, another user's key) and counted towards the lockout."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from sociala.access.tokens import InvalidCredentials, issue_api_token
from sociala.accounts.models import LoginAttempt, WebAuthnCredential
from sociala.accounts.services import needs_second_factor
from sociala.accounts.services import webauthn as keys
from sociala.audit.models import AuditEvent
from sociala.demo.organization import DEMO_PASSWORD

from .authenticator import SoftAuthenticator

ORIGIN = "https://sociala.example"
RP_ID = "sociala.example"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.SOCIALA_BASE_URL = ORIGIN


@pytest.fixture
def rp():
    return keys.relying_party()


def post_json(client, name, body=None, **kwargs):
    return client.post(
        reverse(name, kwargs=kwargs or None), json.dumps(body or {}), content_type="application/json"
    )


def add_key(user, rp, name="Gul nyckel") -> SoftAuthenticator:
    authenticator = SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)
    _options, challenge = keys.registration_options(actor=user, rp=rp)
    keys.register_webauthn_credential(
        actor=user, name=name, credential=authenticator.create(challenge), challenge=challenge, rp=rp
    )
    return authenticator


def start_sign_in(client, username="handlaggare.ifo"):
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD, "next": "/persons/"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:second_factor")
    options = post_json(client, "accounts:webauthn_login_options")
    assert options.status_code == 200
    return options.json()


def failures(username="handlaggare.ifo") -> int:
    return LoginAttempt.objects.filter(username=username, succeeded=False).count()


def test_the_relying_party_comes_from_the_base_url(settings):
    settings.SOCIALA_BASE_URL = "https://sociala.example:8443/some/path"
    assert keys.relying_party() == keys.RelyingParty(
        rp_id="sociala.example", origin="https://sociala.example:8443", name="Sociala Sociala stad"
    )
    settings.SOCIALA_SECURITY = {
        "webauthn_origin": "https://a.sociala.example",
        "webauthn_rp_id": "sociala.example",
    }
    assert keys.relying_party().rp_id == "sociala.example"
    assert keys.relying_party().origin == "https://a.sociala.example"


def test_without_a_base_url_keys_are_off_outside_demo_mode(settings):
    settings.SOCIALA_BASE_URL = ""
    settings.DEMO_MODE = False
    settings.DEBUG = False
    assert keys.relying_party("http://localhost:8000") is None
    settings.DEMO_MODE = True
    assert keys.relying_party("http://localhost:8000") == keys.RelyingParty(
        rp_id="localhost", origin="http://localhost:8000", name="Sociala Sociala stad"
    )


# --- Adding, listing, removing -------------------------------------------------------------------------


def test_a_user_adds_a_key_with_a_real_attestation_and_sees_it_listed(client, city):
    user = city.users["handlaggare.ifo"]
    client.force_login(user)
    options = post_json(client, "accounts:webauthn_register_options")
    assert options.status_code == 200
    body = options.json()
    assert body["rp"] == {"id": RP_ID, "name": "Sociala Sociala stad"}
    assert body["user"]["name"] == "handlaggare.ifo"
    authenticator = SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)
    response = post_json(
        client,
        "accounts:webauthn_register",
        {"name": "Gul nyckel", "credential": authenticator.create(body["challenge"])},
    )
    assert response.status_code == 201
    assert response.json() == {"redirect": reverse("accounts:security")}
    saved = WebAuthnCredential.objects.get(user=user)
    assert (saved.name, saved.credential_id, saved.sign_count, saved.transports) == (
        "Gul nyckel",
        authenticator.id,
        0,
        ["usb"],
    )
    event = AuditEvent.objects.get(action="webauthn_registered")
    assert event.details == {"credential": saved.pk, "name": "Gul nyckel"}
    page = client.get(reverse("accounts:security"))
    assert "Gul nyckel" in page.content.decode()
    assert 'data-webauthn="register"' in page.content.decode()
    # The key is excluded when the user adds another one.
    again = post_json(client, "accounts:webauthn_register_options").json()
    assert [c["id"] for c in again["excludeCredentials"]] == [authenticator.id]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"origin": "https://evil.example"}, "credential"),
        ({"rp_id": "evil.example"}, "credential"),
        ({"name": ""}, "name"),
        ({"name": "x" * 61}, "name"),
    ],
)
def test_a_key_from_another_origin_or_without_a_name_is_refused(client, city, change, field):
    client.force_login(city.users["handlaggare.ifo"])
    challenge = post_json(client, "accounts:webauthn_register_options").json()["challenge"]
    authenticator = SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)
    credential = authenticator.create(challenge, origin=change.get("origin"), rp_id=change.get("rp_id"))
    response = post_json(
        client, "accounts:webauthn_register", {"name": change.get("name", "Nyckel"), "credential": credential}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {field}
    assert WebAuthnCredential.objects.count() == 0


def test_a_registration_challenge_works_once(client, city):
    client.force_login(city.users["handlaggare.ifo"])
    challenge = post_json(client, "accounts:webauthn_register_options").json()["challenge"]
    first = SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)
    assert (
        post_json(
            client, "accounts:webauthn_register", {"name": "Ett", "credential": first.create(challenge)}
        ).status_code
        == 201
    )
    second = SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)
    response = post_json(
        client, "accounts:webauthn_register", {"name": "Två", "credential": second.create(challenge)}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"credential": "Nyckeln kunde inte registreras. Försök igen."}
    assert list(WebAuthnCredential.objects.values_list("name", flat=True)) == ["Ett"]


def test_removing_a_key_needs_the_password_again(client, city, rp):
    user = city.users["handlaggare.ifo"]
    add_key(user, rp)
    saved = WebAuthnCredential.objects.get()
    client.force_login(user)
    url = reverse("accounts:webauthn_remove", kwargs={"credential_id": saved.pk})
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"password": "inte mitt lösenord"})
    assert wrong.status_code == 422
    assert WebAuthnCredential.objects.filter(pk=saved.pk).exists()
    assert failures() == 1
    right = client.post(url, {"password": DEMO_PASSWORD})
    assert right.status_code == 302 and right["Location"] == reverse("accounts:security")
    assert not WebAuthnCredential.objects.exists()
    assert AuditEvent.objects.get(action="webauthn_removed").details == {
        "credential": saved.pk,
        "name": "Gul nyckel",
    }


def test_another_users_key_cannot_be_removed(client, city, rp):
    add_key(city.users["handlaggare.ifo.bromma"], rp)
    saved = WebAuthnCredential.objects.get()
    client.force_login(city.users["handlaggare.ifo"])
    url = reverse("accounts:webauthn_remove", kwargs={"credential_id": saved.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"password": DEMO_PASSWORD}).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=saved.pk).exists()


def test_the_last_key_stays_when_the_role_requires_a_second_factor(client, city, rp, settings):
    user = city.users["handlaggare.ifo"]
    settings.SOCIALA_SECURITY = {"second_factor_required_roles": [user.primary_role]}
    add_key(user, rp)
    saved = WebAuthnCredential.objects.get()
    client.force_login(user)
    response = client.post(
        reverse("accounts:webauthn_remove", kwargs={"credential_id": saved.pk}), {"password": DEMO_PASSWORD}
    )
    assert response.status_code == 422
    assert WebAuthnCredential.objects.filter(pk=saved.pk).exists()


# --- Signing in ------------------------------------------------------------------------------------------


def test_sign_in_with_password_and_key(client, city, rp):
    user = city.users["handlaggare.ifo"]
    authenticator = add_key(user, rp)
    assert needs_second_factor(user)
    options = start_sign_in(client)
    assert [c["id"] for c in options["allowCredentials"]] == [authenticator.id]
    page = client.get(reverse("accounts:second_factor")).content.decode()
    assert "Logga in med säkerhetsnyckel" in page
    assert 'name="code"' not in page  # no authenticator app: no code field
    assert "_auth_user_id" not in client.session
    response = post_json(
        client, "accounts:webauthn_login", {"credential": authenticator.get(options["challenge"])}
    )
    assert response.status_code == 200
    assert response.json() == {"redirect": "/persons/"}
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.get(action="login").details == {"second_factor": "webauthn"}
    saved = WebAuthnCredential.objects.get()
    assert saved.sign_count == 1 and saved.last_used_at is not None


def test_a_replayed_assertion_is_refused(client, city, rp):
    authenticator = add_key(city.users["handlaggare.ifo"], rp)
    options = start_sign_in(client)
    assertion = authenticator.get(options["challenge"])
    assert post_json(client, "accounts:webauthn_login", {"credential": assertion}).status_code == 200
    client.logout()
    # The same answer again, on a new sign-in: its challenge is not this session's.
    start_sign_in(client)
    again = post_json(client, "accounts:webauthn_login", {"credential": assertion})
    assert again.status_code == 422
    assert "_auth_user_id" not in client.session
    assert failures() == 1


def test_a_challenge_works_once(client, city, rp):
    authenticator = add_key(city.users["handlaggare.ifo"], rp)
    options = start_sign_in(client)
    wrong_origin = authenticator.get(options["challenge"], origin="https://evil.example")
    assert post_json(client, "accounts:webauthn_login", {"credential": wrong_origin}).status_code == 422
    # The right answer to the spent challenge: refused too.
    assertion = authenticator.get(options["challenge"])
    assert post_json(client, "accounts:webauthn_login", {"credential": assertion}).status_code == 422
    assert "_auth_user_id" not in client.session
    assert failures() == 2


def test_a_signature_counter_that_did_not_move_on_is_refused(client, city, rp):
    authenticator = add_key(city.users["handlaggare.ifo"], rp)
    options = start_sign_in(client)
    assert (
        post_json(
            client, "accounts:webauthn_login", {"credential": authenticator.get(options["challenge"])}
        ).status_code
        == 200
    )
    client.logout()
    options = start_sign_in(client)
    cloned = authenticator.get(options["challenge"], sign_count=1)  # a copy of the key, counter behind
    assert post_json(client, "accounts:webauthn_login", {"credential": cloned}).status_code == 422
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="webauthn_assertion_refused")
    assert "sign count" in event.details["reason"]


def test_a_wrong_origin_is_refused_and_counted(client, city, rp):
    authenticator = add_key(city.users["handlaggare.ifo"], rp)
    options = start_sign_in(client)
    response = post_json(
        client,
        "accounts:webauthn_login",
        {
            "credential": authenticator.get(
                options["challenge"], origin="https://sociala.example.evil.example"
            )
        },
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "Nyckeln kunde inte användas. Försök igen eller använd en annan nyckel."
    }
    assert failures() == 1
    assert WebAuthnCredential.objects.get().sign_count == 0


def test_another_users_key_is_refused(client, city, rp):
    add_key(city.users["handlaggare.ifo"], rp)
    other = add_key(city.users["handlaggare.ifo.bromma"], rp, name="Bromma")
    options = start_sign_in(client)
    response = post_json(client, "accounts:webauthn_login", {"credential": other.get(options["challenge"])})
    assert response.status_code == 422
    assert "_auth_user_id" not in client.session
    assert (
        AuditEvent.objects.get(action="webauthn_assertion_refused").details["reason"]
        == "not the user's credential"
    )


def test_failed_assertions_lock_the_account_like_wrong_codes(client, city, rp):
    authenticator = add_key(city.users["handlaggare.ifo"], rp)
    start_sign_in(client)
    for _attempt in range(4):
        options = post_json(client, "accounts:webauthn_login_options").json()
        bad = authenticator.get(options["challenge"], origin="https://evil.example")
        assert post_json(client, "accounts:webauthn_login", {"credential": bad}).status_code == 422
    options = post_json(client, "accounts:webauthn_login_options").json()
    # The fifth failure locks the name; the answer ends the sign-in.
    post_json(
        client, "accounts:webauthn_login", {"credential": authenticator.get(options["challenge"], origin="x")}
    )
    assert failures() == 5
    assert AuditEvent.objects.filter(action="login_locked").count() == 1
    # Even a good password and key are refused while locked.
    response = client.post("/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_name_cannot_finish_with_a_key(client, city, rp):
    authenticator = add_key(city.users["handlaggare.ifo"], rp)
    options = start_sign_in(client)
    from sociala.accounts.services import record_login_failure

    for _attempt in range(5):
        record_login_failure("handlaggare.ifo", "198.51.100.9")
    response = post_json(
        client, "accounts:webauthn_login", {"credential": authenticator.get(options["challenge"])}
    )
    assert response.status_code == 429
    assert response.json() == {"redirect": reverse("web:login")}
    assert "_auth_user_id" not in client.session


def test_without_a_pending_sign_in_there_is_nothing_to_sign(client, city):
    assert post_json(client, "accounts:webauthn_login_options").status_code == 409
    assert post_json(client, "accounts:webauthn_login", {"credential": {}}).status_code == 409


def test_garbage_is_refused_as_a_failed_attempt(client, city, rp):
    add_key(city.users["handlaggare.ifo"], rp)
    start_sign_in(client)
    for body in [{"credential": "not json"}, {"credential": {"id": 5}}, {"credential": None}, {}]:
        assert post_json(client, "accounts:webauthn_login", body).status_code == 422
    assert failures() == 4


def test_a_key_only_user_gets_no_api_token_without_a_code(city, rp):
    add_key(city.users["handlaggare.ifo"], rp)
    with pytest.raises(InvalidCredentials):
        issue_api_token(username="handlaggare.ifo", password=DEMO_PASSWORD)


def test_a_key_name_is_shown_escaped(client, city, rp):
    user = city.users["handlaggare.ifo"]
    add_key(user, rp, name="<b>min</b> nyckel")
    client.force_login(user)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "&lt;b&gt;min&lt;/b&gt; nyckel" in page
    assert "<b>min</b>" not in page


def test_a_challenge_older_than_two_minutes_is_refused(client, city, rp, monkeypatch):
    import time

    from sociala.accounts import webauthn_views

    authenticator = add_key(city.users["handlaggare.ifo"], rp)
    options = start_sign_in(client)
    # Later than a challenge lives, sooner than the pending sign-in ends (five minutes).
    later = time.time() + webauthn_views.CHALLENGE_SECONDS + 5
    monkeypatch.setattr(time, "time", lambda: later)
    response = post_json(
        client, "accounts:webauthn_login", {"credential": authenticator.get(options["challenge"])}
    )
    assert response.status_code == 422
    assert "_auth_user_id" not in client.session
    assert failures() == 1


# --- An administrator resets a lost second factor -------------------------------------------------------


def test_an_administrator_resets_a_lost_key_and_the_app_together(client, city, rp):
    from sociala.accounts.models import TotpDevice
    from sociala.accounts.services.login import reset_second_factor

    from .test_login_security import enrol

    user = city.users["handlaggare.ifo"]
    add_key(user, rp, name="Blå nyckel")
    enrol(user)

    client.force_login(city.users["admin.lokal"])
    page = client.get(reverse("access:user_access", args=[user.pk]))
    assert "Nollställ tvåstegsverifiering" in page.content.decode()

    reset_second_factor(actor=city.users["admin.lokal"], user=user)

    assert not WebAuthnCredential.objects.filter(user=user).exists()
    assert not TotpDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert (event.username, event.object_id, event.details) == (
        "admin.lokal",
        str(user.pk),
        {"had_app": True, "keys_removed": 1},
    )


def test_the_reset_is_offered_for_a_user_whose_only_second_factor_is_a_key(client, city, rp):
    user = city.users["handlaggare.ifo"]
    add_key(user, rp)
    client.force_login(city.users["admin.lokal"])

    response = client.post(reverse("access:user_access", args=[user.pk]), {"action": "reset_second_factor"})

    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    assert AuditEvent.objects.get(action="second_factor_reset").details == {
        "had_app": False,
        "keys_removed": 1,
    }


def test_an_administrator_of_another_district_cannot_reset_and_nothing_changes(client, city, rp):
    user = city.users["handlaggare.ifo.bromma"]
    add_key(user, rp)
    client.force_login(city.users["admin.lokal"])  # administers Rinkeby-Kista only

    response = client.post(reverse("access:user_access", args=[user.pk]), {"action": "reset_second_factor"})

    assert response.status_code == 404
    assert WebAuthnCredential.objects.filter(user=user).count() == 1
    assert not AuditEvent.objects.filter(action="second_factor_reset").exists()
