"""Security keys and platform authenticators (WebAuthn) as a second factor, with py_webauthn.

The server makes a fresh challenge for each ceremony; the view keeps it in the session and hands it back
once (a challenge is used at most once). A failed assertion counts as a failed sign-in, like a wrong code.
The relying party (RP ID and origin) comes from the settings (decision 0022).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import webauthn
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from webauthn.helpers import bytes_to_base64url, parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from sociala.accounts.conf import security_setting
from sociala.accounts.models import TotpDevice, User, WebAuthnCredential
from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, NotPermitted

from .login import check_login_allowed, reauthenticate, record_login_failure, second_factor_required_by_role

NAME_MAX = 60
# The failures a browser may report are many; the user sees one message, the audit log the reason.
BAD_CREDENTIAL_ERRORS = (WebAuthnException, ValueError, TypeError, KeyError)


@dataclass(frozen=True)
class RelyingParty:
    """Who the keys are registered with: the RP ID (a host name) and the origin the browser must report."""

    rp_id: str
    origin: str
    name: str


def relying_party(request_origin: str | None = None) -> RelyingParty | None:
    """The relying party from the settings: ``webauthn_origin`` or else ``SOCIALA_BASE_URL``; without
    either, the request's own origin in demo mode or DEBUG (a live test server on a random port), and no
    security keys otherwise."""
    origin = security_setting("webauthn_origin") or getattr(settings, "SOCIALA_BASE_URL", "")
    if not origin and (settings.DEMO_MODE or settings.DEBUG):
        origin = request_origin or ""
    if not origin:
        return None
    parts = urlsplit(origin)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    rp_id = security_setting("webauthn_rp_id") or parts.hostname
    return RelyingParty(rp_id=rp_id, origin=origin, name=security_setting("totp_issuer"))


def credentials_of(user: User):
    """The user's security keys, oldest first."""
    return WebAuthnCredential.objects.filter(user=user)


def has_webauthn(user: User) -> bool:
    return credentials_of(user).exists()


def _user_handle(user: User) -> bytes:
    # Stable per user and free of personal data (the spec asks for no name or address in it).
    return f"sociala-user-{user.pk}".encode()


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for credential in credentials_of(user):
        transports = []
        for value in credential.transports or []:
            try:
                transports.append(AuthenticatorTransport(value))
            except ValueError:
                continue
        descriptors.append(
            PublicKeyCredentialDescriptor(
                id=webauthn.base64url_to_bytes(credential.credential_id), transports=transports or None
            )
        )
    return descriptors


def registration_options(*, actor: User, rp: RelyingParty) -> tuple[str, bytes]:
    """Options for ``navigator.credentials.create()`` (JSON) and their challenge, for the session."""
    options = webauthn.generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=rp.name,
        user_id=_user_handle(actor),
        user_name=actor.username,
        user_display_name=actor.get_full_name() or actor.username,
        exclude_credentials=_descriptors(actor),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return webauthn.options_to_json(options), options.challenge


def _as_dict(credential) -> dict:
    if isinstance(credential, str):
        credential = json.loads(credential)
    if not isinstance(credential, dict):
        raise TypeError("credential must be an object")
    return credential


def register_webauthn_credential(
    *, actor: User, name: str, credential, challenge: bytes | None, rp: RelyingParty
) -> WebAuthnCredential:
    """Save a new security key after checking its attestation against the challenge, RP ID and origin."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Ge nyckeln ett namn, till exempel var du har den.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Namnet får vara högst %(max)s tecken.") % {"max": NAME_MAX}
    elif credentials_of(actor).filter(name__iexact=name).exists():
        errors["name"] = _("Du har redan en nyckel med det namnet.")
    if errors:
        raise InvalidInput(errors)
    refused = InvalidInput({"credential": _("Nyckeln kunde inte registreras. Försök igen.")})
    if not challenge:
        raise refused
    try:
        data = _as_dict(credential)
        verified = webauthn.verify_registration_response(
            credential=data, expected_challenge=challenge, expected_rp_id=rp.rp_id, expected_origin=rp.origin
        )
    except BAD_CREDENTIAL_ERRORS as error:
        record_event(
            actor=actor,
            action="webauthn_registration_refused",
            object_type="user",
            object_id=actor.pk,
            details={"reason": str(error)[:200]},
        )
        raise refused from None
    credential_id = bytes_to_base64url(verified.credential_id)
    with transaction.atomic():
        if WebAuthnCredential.objects.filter(credential_id=credential_id).exists():
            raise InvalidInput({"credential": _("Den här nyckeln är redan registrerad.")})
        transports = data.get("response", {}).get("transports") or []
        saved = WebAuthnCredential.objects.create(
            user=actor,
            name=name,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=[str(t) for t in transports if isinstance(t, str)][:8],
        )
        record_event(
            actor=actor,
            action="webauthn_registered",
            object_type="user",
            object_id=actor.pk,
            details={"credential": saved.pk, "name": name},
        )
    return saved


def authentication_options(*, user: User, rp: RelyingParty) -> tuple[str, bytes]:
    """Options for ``navigator.credentials.get()`` limited to the user's own keys, and the challenge."""
    options = webauthn.generate_authentication_options(
        rp_id=rp.rp_id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return webauthn.options_to_json(options), options.challenge


def verify_webauthn_assertion(
    *, user: User, credential, challenge: bytes | None, rp: RelyingParty, ip: str | None
) -> bool:
    """Check a signed challenge at sign-in: one of the user's own keys, the session's challenge, this
    origin, a signature counter that has moved on. A refused assertion counts as a failed sign-in (raises
    LoginLocked when already locked)."""
    check_login_allowed(user.username, ip)
    reason = ""
    with transaction.atomic():
        saved = None
        try:
            data = _as_dict(credential)
            parsed = parse_authentication_credential_json(data)
            credential_id = bytes_to_base64url(parsed.raw_id)
            saved = (
                WebAuthnCredential.objects.select_for_update()
                .filter(user=user, credential_id=credential_id)
                .first()
            )
            if saved is None:
                reason = "not the user's credential"
            elif not challenge:
                reason = "no challenge in the session"
            else:
                verified = webauthn.verify_authentication_response(
                    credential=parsed,
                    expected_challenge=challenge,
                    expected_rp_id=rp.rp_id,
                    expected_origin=rp.origin,
                    credential_public_key=bytes(saved.public_key),
                    credential_current_sign_count=saved.sign_count,
                )
                saved.sign_count = verified.new_sign_count
                saved.last_used_at = timezone.now()
                saved.save(update_fields=["sign_count", "last_used_at"])
        except BAD_CREDENTIAL_ERRORS as error:
            reason = str(error)[:200] or error.__class__.__name__
    if reason:
        record_login_failure(user.username, ip, factor="webauthn")
        record_event(
            actor=user,
            action="webauthn_assertion_refused",
            object_type="user",
            object_id=user.pk,
            details={"reason": reason, "ip": ip or ""},
        )
        return False
    return True


def remove_webauthn_credential(
    *, actor: User, credential_pk: int, password: str, ip: str | None = None
) -> None:
    """The user removes one of their own keys, after typing their password again; not the last second
    factor when their role requires one."""
    credential = credentials_of(actor).filter(pk=credential_pk).first()
    if credential is None:
        raise NotPermitted
    reauthenticate(user=actor, password=password, ip=ip)
    with transaction.atomic():
        others = credentials_of(actor).exclude(pk=credential.pk).exists()
        has_totp = TotpDevice.objects.filter(user=actor, confirmed_at__isnull=False).exists()
        if second_factor_required_by_role(actor) and not others and not has_totp:
            raise InvalidInput(
                {"password": _("Din roll kräver tvåstegsverifiering. Lägg till en annan nyckel först.")}
            )
        credential.delete()
        record_event(
            actor=actor,
            action="webauthn_removed",
            object_type="user",
            object_id=actor.pk,
            details={"credential": credential_pk, "name": credential.name},
        )
