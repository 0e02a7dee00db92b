"""The e-ID login end to end over HTTP: the portal (relying party) against the simulator (provider),
both driven through Django's test client."""

from __future__ import annotations

import urllib.parse

from django.test import Client

from sociala.audit.models import AuditEvent
from sociala.integrations.eid.conf import SIMULATOR_CLIENT_ID, simulator_client_secret
from sociala.portal.auth import SESSION_KEY
from sociala.portal.models import CitizenSession
from sociala.tests.factories import make_person

ISSUER = "http://testserver/eid-simulator"


def _query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def start_login(browser: Client) -> tuple[str, dict]:
    answer = browser.post("/portal/login/start/")
    assert answer.status_code == 302
    location = answer["Location"]
    assert location.startswith(f"{ISSUER}/authorize?")
    return location, _query(location)


def pick_person(browser: Client, authorize_url: str, number: str):
    """The tester picks a person on the simulator's page; the simulator sends the browser back."""
    page = browser.get(authorize_url)
    assert page.status_code == 200
    params = _query(authorize_url)
    return browser.post(urllib.parse.urlsplit(authorize_url).path, {**params, "chosen": number})


def test_login_with_the_simulator_end_to_end(city, transport):
    person = make_person(city, first_name="Hanna", last_name="Lind")
    browser = Client()

    authorize_url, params = start_login(browser)
    assert params["response_type"] == "code"
    assert params["client_id"] == SIMULATOR_CLIENT_ID
    assert params["redirect_uri"] == "http://testserver/portal/login/callback/"
    assert params["scope"] == "openid"
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 40 and len(params["nonce"]) >= 40
    assert transport.requests == [("GET", f"{ISSUER}/.well-known/openid-configuration")]

    page = browser.get(authorize_url)
    assert "Hanna Lind" in page.content.decode()

    back = pick_person(browser, authorize_url, person.personal_identity_number)
    assert back.status_code == 302
    callback = back["Location"]
    assert callback.startswith("http://testserver/portal/login/callback/?")
    assert _query(callback)["state"] == params["state"]

    done = browser.get(callback)
    assert done.status_code == 302
    assert done["Location"] == "/portal/"
    assert transport.requests[1:] == [("POST", f"{ISSUER}/token"), ("GET", f"{ISSUER}/jwks.json")]

    citizen = CitizenSession.objects.get()
    assert citizen.person == person
    assert citizen.issuer == ISSUER
    assert citizen.acr == "http://id.elegnamnden.se/loa/1.0/loa3"
    assert browser.session[SESSION_KEY] == citizen.pk
    assert "Hej Hanna" in browser.get("/portal/").content.decode()
    event = AuditEvent.objects.get(action="portal_login")
    assert event.person_id == person.pk
    assert event.username == "sociala-system"
    assert event.details == {
        "channel": "portal",
        "citizen_session": citizen.pk,
        "idp": ISSUER,
        "acr": "http://id.elegnamnden.se/loa/1.0/loa3",
    }


def test_a_typed_number_in_any_common_form_logs_in(city, transport):
    person = make_person(city)
    browser = Client()
    authorize_url, params = start_login(browser)
    short = f"{person.personal_identity_number[2:8]}-{person.personal_identity_number[8:]}"
    back = browser.post(
        urllib.parse.urlsplit(authorize_url).path, {**params, "personal_identity_number": short}
    )
    assert browser.get(back["Location"]).status_code == 302
    assert CitizenSession.objects.get().person == person


def test_a_citizen_login_opens_no_staff_page(city, transport):
    person = make_person(city)
    browser = Client()
    authorize_url, _params = start_login(browser)
    browser.get(pick_person(browser, authorize_url, person.personal_identity_number)["Location"])
    assert browser.get("/portal/").status_code == 200
    for url in ("/", "/persons/", f"/persons/{person.pk}/", "/portal/staff/"):
        answer = browser.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"].startswith("/login/"), url


def test_a_callback_with_another_state_is_refused(city, transport):
    person = make_person(city)
    browser = Client()
    authorize_url, _params = start_login(browser)
    callback = pick_person(browser, authorize_url, person.personal_identity_number)["Location"]
    forged = callback.replace("state=", "state=x")
    answer = browser.get(forged)
    assert answer.status_code == 400
    assert "Börja om från början" in answer.content.decode()
    assert CitizenSession.objects.count() == 0
    assert AuditEvent.objects.get(action="portal_login_failed").details["code"] == "state_mismatch"


def test_a_code_is_redeemed_once(city, transport):
    person = make_person(city)
    browser = Client()
    authorize_url, params = start_login(browser)
    callback = pick_person(browser, authorize_url, person.personal_identity_number)["Location"]
    code = _query(callback)["code"]
    assert browser.get(callback).status_code == 302
    again = Client().post(
        "/eid-simulator/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": params["redirect_uri"],
            "code_verifier": "x" * 43,
            "client_id": SIMULATOR_CLIENT_ID,
            "client_secret": simulator_client_secret(),
        },
    )
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_the_token_endpoint_checks_client_pkce_and_redirect_uri(city, transport):
    person = make_person(city)
    browser = Client()
    authorize_url, params = start_login(browser)
    code = _query(pick_person(browser, authorize_url, person.personal_identity_number)["Location"])["code"]
    base = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": params["redirect_uri"],
        "client_id": SIMULATOR_CLIENT_ID,
        "client_secret": simulator_client_secret(),
    }
    backend = Client()
    wrong_secret = backend.post(
        "/eid-simulator/token", {**base, "client_secret": "nope", "code_verifier": "v" * 43}
    )
    assert (wrong_secret.status_code, wrong_secret.json()["error"]) == (401, "invalid_client")
    wrong_verifier = backend.post("/eid-simulator/token", {**base, "code_verifier": "v" * 43})
    assert (wrong_verifier.status_code, wrong_verifier.json()["error_description"]) == (
        400,
        "PKCE verification failed",
    )
    wrong_redirect = backend.post(
        "/eid-simulator/token",
        {**base, "redirect_uri": "http://testserver/elsewhere/", "code_verifier": "v" * 43},
    )
    assert wrong_redirect.json()["error"] == "invalid_grant"


def test_cancelling_at_the_provider_is_reported(city, transport):
    browser = Client()
    authorize_url, params = start_login(browser)
    back = browser.post(urllib.parse.urlsplit(authorize_url).path, {**params, "action": "cancel"})
    assert _query(back["Location"])["error"] == "access_denied"
    answer = browser.get(back["Location"])
    assert answer.status_code == 400
    assert "Inloggningen avbröts." in answer.content.decode()


def test_the_simulator_refuses_another_client_or_redirect_without_redirecting(city):
    browser = Client()
    answer = browser.get(
        "/eid-simulator/authorize", {"client_id": "evil", "redirect_uri": "https://evil.example/"}
    )
    assert answer.status_code == 400
    answer = browser.get(
        "/eid-simulator/authorize",
        {"client_id": SIMULATOR_CLIENT_ID, "redirect_uri": "https://evil.example/cb"},
    )
    assert answer.status_code == 400
    assert "Location" not in answer


def test_a_person_not_in_the_register_is_told_so(city, transport):
    browser = Client()
    authorize_url, params = start_login(browser)
    back = browser.post(
        urllib.parse.urlsplit(authorize_url).path, {**params, "personal_identity_number": "19121212-1212"}
    )
    answer = browser.get(back["Location"])
    assert answer.status_code == 403
    assert "Vi hittar dig inte" in answer.content.decode()
    assert CitizenSession.objects.count() == 0
