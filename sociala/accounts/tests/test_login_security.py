"""Sign-in safety: lockout per user name and per address, the second factor, idle timeout,
re-authentication before emergency access. Exact counts of attempts and audit events."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sociala.access.models import EmergencyAccess
from sociala.access.services import grant_emergency_access
from sociala.access.tokens import CredentialsLocked, InvalidCredentials, issue_api_token
from sociala.accounts import totp
from sociala.accounts.middleware import LAST_ACTIVITY_KEY, SIGNED_IN_KEY
from sociala.accounts.models import LoginAttempt, TotpDevice
from sociala.accounts.services import (
    LoginLocked,
    check_login_allowed,
    needs_second_factor,
    record_login_failure,
    record_login_success,
    system_actor,
)
from sociala.accounts.services.login import confirm_totp, start_totp_enrolment
from sociala.audit.models import AuditEvent
from sociala.core.errors import InvalidInput
from sociala.demo.organization import DEMO_PASSWORD
from sociala.tests.factories import make_person

IP = "192.0.2.10"


def current_code(secret: str, offset_steps: int = 0) -> str:
    return totp.hotp(totp.secret_bytes(secret), totp.time_step(time.time()) + offset_steps)


def enrol(user) -> TotpDevice:
    device = start_totp_enrolment(actor=user)
    confirm_totp(actor=user, code=current_code(device.secret, -1))
    device.refresh_from_db()
    return device


def actions(*names):
    return list(AuditEvent.objects.filter(action__in=names).order_by("seq").values_list("action", "username"))


# --- Lockout ---------------------------------------------------------------------------------------------


def test_five_failures_lock_the_user_name_and_the_lock_is_audited_once(city):
    for _attempt in range(4):
        record_login_failure("Handlaggare.IFO", IP)
    check_login_allowed("handlaggare.ifo", IP)  # four failures: still allowed
    record_login_failure("handlaggare.ifo", IP)
    with pytest.raises(LoginLocked) as locked:
        check_login_allowed("handlaggare.ifo", "198.51.100.7")  # another address: the name is locked
    assert timedelta(minutes=14) < locked.value.until - timezone.now() <= timedelta(minutes=15)
    assert "15 minuter" in locked.value.message
    check_login_allowed("handlaggare.ao", IP)  # other names from the address are not
    assert actions("login_failed", "login_locked") == [("login_failed", "handlaggare.ifo")] * 5 + [
        ("login_locked", "handlaggare.ifo")
    ]
    failed = AuditEvent.objects.filter(action="login_failed").first()
    assert failed.details == {"ip": IP, "factor": "password", "username_known": True}


def test_the_lock_ends_after_the_period(city):
    for _attempt in range(5):
        record_login_failure("chef.ifo", IP)
    with pytest.raises(LoginLocked):
        check_login_allowed("chef.ifo", IP)
    LoginAttempt.objects.update(attempted_at=timezone.now() - timedelta(minutes=15, seconds=1))
    check_login_allowed("chef.ifo", IP)


def test_a_correct_password_starts_the_count_again(city):
    user = city.users["chef.ifo"]
    for _attempt in range(4):
        record_login_failure("chef.ifo", IP)
    record_login_success(user, IP)
    for _attempt in range(4):
        record_login_failure("chef.ifo", IP)
    check_login_allowed("chef.ifo", IP)


def test_twenty_failures_from_one_address_lock_the_address(city):
    for number in range(20):
        record_login_failure(f"guess{number}", IP)
    with pytest.raises(LoginLocked):
        check_login_allowed("handlaggare.ifo", IP)
    check_login_allowed("handlaggare.ifo", "198.51.100.7")


def test_an_unknown_name_is_audited_without_the_name(city):
    record_login_failure("hunter2-typed-in-the-wrong-field", IP)
    event = AuditEvent.objects.get(action="login_failed")
    assert event.username == system_actor().username
    assert event.details == {"ip": IP, "factor": "password", "username_known": False}
    assert "hunter2" not in str(event.details) + event.object_id


def test_the_wired_login_refuses_a_locked_name_even_with_the_right_password(city, wired):
    for _attempt in range(5):
        response = wired.post("/login/", {"username": "handlaggare.ifo", "password": "wrong-password-1"})
        assert response.status_code == 200
    response = wired.post("/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert "_auth_user_id" not in wired.session
    assert AuditEvent.objects.filter(action="login").count() == 0
    assert LoginAttempt.objects.filter(succeeded=False).count() == 5  # the locked attempt is not counted


def test_the_wired_login_signs_in_without_a_second_factor(city, wired):
    response = wired.post(
        "/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD, "next": "/persons/"}
    )
    assert response.status_code == 302 and response["Location"] == "/persons/"
    assert wired.session["_auth_user_id"] == str(city.users["handlaggare.ifo"].pk)
    assert actions("login") == [("login", "handlaggare.ifo")]


def test_api_tokens_share_the_lockout(city):
    for _attempt in range(5):
        with pytest.raises(InvalidCredentials):
            issue_api_token(username="handlaggare.ifo", password="wrong-password-1", ip=IP)
    with pytest.raises(CredentialsLocked):
        issue_api_token(username="handlaggare.ifo", password=DEMO_PASSWORD, ip=IP)
    assert AuditEvent.objects.filter(action="api_token_issued").count() == 0


def test_api_tokens_need_the_code_when_the_user_has_a_second_factor(city):
    user = city.users["handlaggare.ifo"]
    device = enrol(user)
    with pytest.raises(InvalidCredentials):
        issue_api_token(username="handlaggare.ifo", password=DEMO_PASSWORD, ip=IP)
    key = issue_api_token(
        username="handlaggare.ifo", password=DEMO_PASSWORD, code=current_code(device.secret, 1), ip=IP
    )
    assert len(key) > 30
    assert actions("login_failed") == [("login_failed", "handlaggare.ifo")]


# --- The second factor ---------------------------------------------------------------------------------


def test_sign_in_with_a_second_factor_needs_the_code_and_each_code_works_once(city, wired):
    user = city.users["handlaggare.ifo"]
    device = enrol(user)
    response = wired.post(
        "/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD, "next": "/persons/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:second_factor")
    assert "_auth_user_id" not in wired.session
    assert wired.get("/persons/").status_code == 302  # not signed in yet

    response = wired.post(reverse("accounts:second_factor"), {"code": "000000"})
    assert response.status_code == 422
    assert LoginAttempt.objects.filter(succeeded=False, username="handlaggare.ifo").count() == 1

    code = current_code(device.secret)
    response = wired.post(reverse("accounts:second_factor"), {"code": code})
    assert response.status_code == 302 and response["Location"] == "/persons/"
    assert wired.session["_auth_user_id"] == str(user.pk)
    login_event = AuditEvent.objects.get(action="login")
    assert login_event.details == {"second_factor": "totp"}

    wired.logout()
    wired.post("/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD})
    response = wired.post(reverse("accounts:second_factor"), {"code": code})  # the same code again
    assert response.status_code == 422
    assert "_auth_user_id" not in wired.session


def test_wrong_codes_lock_the_account(city, wired):
    enrol(city.users["handlaggare.ifo"])
    wired.post("/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD})
    for _attempt in range(5):
        assert wired.post(reverse("accounts:second_factor"), {"code": "000000"}).status_code == 422
    response = wired.post(reverse("accounts:second_factor"), {"code": "000000"})
    assert response.status_code == 302 and response["Location"] == reverse("web:login")
    assert AuditEvent.objects.filter(action="login_locked").count() == 1


def test_a_started_sign_in_expires(city, wired):
    enrol(city.users["handlaggare.ifo"])
    wired.post("/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD})
    session = wired.session
    session["sociala_pending_login"]["started"] -= 6 * 60
    session.save()
    response = wired.get(reverse("accounts:second_factor"))
    assert response.status_code == 302 and response["Location"] == reverse("web:login")


def test_a_role_that_requires_a_second_factor_sets_it_up_before_getting_in(city, wired, settings):
    settings.SOCIALA_SECURITY = {"second_factor_required_roles": ["local_administrator"]}
    response = wired.post("/login/", {"username": "admin.lokal", "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("accounts:second_factor_setup")
    page = wired.get(reverse("accounts:second_factor_setup"))
    assert page.status_code == 200
    device = TotpDevice.objects.get(user=city.users["admin.lokal"])
    html = page.content.decode()
    assert "otpauth://totp/" in html and device.secret[:4] in html
    assert "_auth_user_id" not in wired.session
    response = wired.post(reverse("accounts:second_factor_setup"), {"code": current_code(device.secret)})
    assert response.status_code == 302
    assert wired.session["_auth_user_id"] == str(city.users["admin.lokal"].pk)
    assert [a for a, _u in actions("totp_enrolment_started", "totp_enabled", "login")] == [
        "totp_enrolment_started",
        "totp_enabled",
        "login",
    ]
    # The role requires it: the user cannot turn it off.
    response = wired.post(reverse("accounts:security"), {"code": current_code(device.secret, 1)})
    assert response.status_code == 422
    assert TotpDevice.objects.filter(user=city.users["admin.lokal"]).exists()


def test_a_user_turns_the_second_factor_on_and_off_on_the_security_page(city, wired):
    user = city.users["handlaggare.ao"]
    wired.force_login(user)
    assert "Slå på tvåstegsverifiering" in wired.get(reverse("accounts:security")).content.decode()
    wired.get(reverse("accounts:second_factor_setup"))
    device = TotpDevice.objects.get(user=user)
    assert wired.post(reverse("accounts:second_factor_setup"), {"code": "123"}).status_code == 422
    response = wired.post(reverse("accounts:second_factor_setup"), {"code": current_code(device.secret)})
    assert response["Location"] == reverse("accounts:security")
    device.refresh_from_db()
    assert device.is_confirmed
    response = wired.post(reverse("accounts:security"), {"code": current_code(device.secret, 1)})
    assert response["Location"] == reverse("accounts:security")
    assert not TotpDevice.objects.filter(user=user).exists()
    assert [a for a, _u in actions("totp_enabled", "totp_removed")] == ["totp_enabled", "totp_removed"]


# --- Idle timeout --------------------------------------------------------------------------------------


def test_an_idle_session_is_signed_out_and_audited(city, wired):
    wired.force_login(city.users["handlaggare.ifo"])
    assert wired.get("/persons/").status_code == 200
    status = wired.get(reverse("accounts:session_status")).json()
    assert 1790 <= status["seconds_left"] <= 1800 and status["warning_seconds"] == 120
    session = wired.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    response = wired.get("/persons/?q=Anna")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fpersons%2F%3Fq%3DAnna"
    assert "_auth_user_id" not in wired.session
    assert actions("session_timeout") == [("session_timeout", "handlaggare.ifo")]


def test_a_session_ends_twelve_hours_after_sign_in_however_active(city, wired):
    wired.post("/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD})
    assert wired.get("/persons/").status_code == 200
    session = wired.session
    assert time.time() - session[SIGNED_IN_KEY] < 60
    session[SIGNED_IN_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = wired.get("/persons/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    event = AuditEvent.objects.get(action="session_timeout")
    assert event.details == {"reason": "max_age", "idle_minutes": 30, "max_hours": 12}


def test_sign_in_gives_a_new_session_key_and_sign_out_ends_it(city, wired):
    wired.get("/login/")
    wired.cookies["sessionid"] = "attacker-chosen-session-key-0123456789"
    wired.post("/login/", {"username": "handlaggare.ifo", "password": DEMO_PASSWORD})
    key = wired.cookies["sessionid"].value
    assert key != "attacker-chosen-session-key-0123456789" and len(key) == 32
    assert wired.cookies["sessionid"]["httponly"] is True and wired.cookies["sessionid"]["samesite"] == "Lax"
    wired.post("/logout/")
    stale = Client()
    stale.cookies["sessionid"] = key
    assert stale.get("/persons/").status_code == 302  # the old session no longer signs anyone in


def test_outside_demo_mode_administrators_and_log_reviewers_must_use_a_second_factor(city, settings):
    settings.DEMO_MODE = False
    assert needs_second_factor(city.users["admin.lokal"])
    assert needs_second_factor(city.users["revisor"])
    assert needs_second_factor(city.users["admin"])
    assert not needs_second_factor(city.users["handlaggare.ifo"])
    settings.DEMO_MODE = True
    assert not needs_second_factor(city.users["admin.lokal"])


def test_an_htmx_request_after_the_timeout_is_sent_to_the_login_page(city, wired):
    wired.force_login(city.users["handlaggare.ifo"])
    wired.get("/")
    session = wired.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    response = wired.get("/persons/?q=An", HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and response["HX-Redirect"] == "/login/"


def test_the_status_check_does_not_count_as_activity_but_keepalive_does(city, wired):
    wired.force_login(city.users["handlaggare.ifo"])
    wired.get("/")
    session = wired.session
    session[LAST_ACTIVITY_KEY] = time.time() - 29 * 60
    session.save()
    left = wired.get(reverse("accounts:session_status")).json()["seconds_left"]
    assert 50 <= left <= 60
    assert 50 <= wired.get(reverse("accounts:session_status")).json()["seconds_left"] <= 60
    assert wired.post(reverse("accounts:session_keepalive")).json()["seconds_left"] >= 1790


def test_the_status_of_a_signed_out_browser(wired, db):
    assert wired.get(reverse("accounts:session_status")).json()["authenticated"] is False


# --- Re-authentication before emergency access --------------------------------------------------------


def test_emergency_access_asks_for_the_password_again(city):
    user = city.users["socialjour"]
    person = make_person(city, district="Bromma")
    with pytest.raises(InvalidInput) as error:
        grant_emergency_access(
            actor=user, person=person, reason="Polisen ringer om ett barn", password="fel", ip=IP
        )
    assert list(error.value.errors) == ["password"]
    assert not EmergencyAccess.objects.exists()
    assert actions("login_failed") == [("login_failed", "socialjour")]
    grant = grant_emergency_access(
        actor=user, person=person, reason="Polisen ringer om ett barn", password=DEMO_PASSWORD, ip=IP
    )
    assert grant.person == person
    assert [a for a, _u in actions("reauthenticated", "emergency_access_granted")] == [
        "reauthenticated",
        "emergency_access_granted",
    ]


def test_re_authentication_is_refused_while_locked(city):
    for _attempt in range(5):
        record_login_failure("socialjour", IP)
    with pytest.raises(InvalidInput) as error:
        grant_emergency_access(
            actor=city.users["socialjour"],
            person=make_person(city),
            reason="Polisen ringer om ett barn",
            password=DEMO_PASSWORD,
            ip=IP,
        )
    assert "För många misslyckade inloggningar" in error.value.errors["password"]
    assert not EmergencyAccess.objects.exists()


# --- Password change -----------------------------------------------------------------------------------


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(city, wired):
    user = city.users["handlaggare.ifo"]
    other_device = Client()
    other_device.force_login(user)
    assert other_device.get("/persons/").status_code == 200
    wired.force_login(user)
    url = reverse("accounts:password_change")
    new = "en lång lösenfras om hösten"
    wrong = wired.post(url, {"old_password": "fel-lösenord", "new_password1": new, "new_password2": new})
    assert wrong.status_code == 422
    assert actions("login_failed") == [("login_failed", "handlaggare.ifo")]
    short = wired.post(url, {"old_password": DEMO_PASSWORD, "new_password1": "kort", "new_password2": "kort"})
    assert short.status_code == 422
    response = wired.post(url, {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert wired.get("/persons/").status_code == 200  # this session goes on
    assert other_device.get("/persons/").status_code == 302  # the other one has ended
    assert actions("password_changed") == [("password_changed", "handlaggare.ifo")]
