"""A security key in the browser: Chromium's virtual authenticator (DevTools protocol) registers a key on
the security page and signs in with it after the password. axe-core on each page."""

import pytest

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def authenticator(page):
    """A virtual CTAP2 security key on USB that answers at once (user present and verified)."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable", {"enableUI": False})
    added = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session, added["authenticatorId"]


def test_a_user_adds_a_security_key_and_signs_in_with_it(page, demo_city, authenticator, settings):
    from sociala.accounts.models import WebAuthnCredential
    from sociala.audit.models import AuditEvent

    settings.SOCIALA_BASE_URL = ""  # demo mode: the live server's own origin (http://localhost:port)
    session, authenticator_id = authenticator
    login(page, "handlaggare.ifo")
    page.goto("/account/security/")
    axe(page)
    form = page.locator("form[data-webauthn=register]")
    assert form.is_visible()
    page.get_by_label("Namn på nyckeln").fill("Virtuell nyckel")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till säkerhetsnyckel").click()
    assert "Säkerhetsnyckeln ”Virtuell nyckel” är tillagd." in page.content()
    assert page.get_by_role("cell", name="Virtuell nyckel", exact=True).is_visible()
    axe(page)
    saved = WebAuthnCredential.objects.get(user=demo_city.users["handlaggare.ifo"])
    assert saved.name == "Virtuell nyckel"
    assert (
        len(session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"])
        == 1
    )

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login/**")
    page.locator('input[name="username"]').fill("handlaggare.ifo")
    page.locator('input[name="password"]').fill("sociala-demo")
    with page.expect_navigation():
        page.locator('form [type="submit"]').filter(has_text="Logga in").first.click()
    assert page.locator("h1").inner_text() == "Tvåstegsverifiering"
    axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in med säkerhetsnyckel").click()
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url and "second-factor" not in page.url
    axe(page)
    login_event = AuditEvent.objects.filter(action="login").order_by("-seq").first()
    assert login_event.details == {"second_factor": "webauthn"}
    saved.refresh_from_db()
    assert saved.sign_count >= 1 and saved.last_used_at is not None

    # Removing the key asks for the password again.
    page.goto("/account/security/")
    page.get_by_role("link", name="Ta bort Virtuell nyckel").click()
    assert page.locator("h1").inner_text() == "Ta bort säkerhetsnyckel"
    axe(page)
    page.get_by_label("Ditt lösenord").fill("sociala-demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Ta bort nyckeln").click()
    assert "Säkerhetsnyckeln ”Virtuell nyckel” är borttagen." in page.content()
    assert not WebAuthnCredential.objects.exists()


def test_the_security_page_without_webauthn_support_says_so(page, demo_city):
    # No virtual authenticator and no PublicKeyCredential: the form stays hidden, a note shows instead.
    page.add_init_script("delete window.PublicKeyCredential;")
    login(page, "handlaggare.ifo")
    page.goto("/account/security/")
    assert not page.locator("form[data-webauthn=register]").is_visible()
    assert page.get_by_text("Din webbläsare kan inte använda säkerhetsnycklar.").is_visible()
    axe(page)
