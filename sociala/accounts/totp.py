"""Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226), as authenticator apps use them.

pyotp is not a dependency; the algorithm is a few lines of hmac and is tested against the RFC's
test vectors (tests/test_totp.py).
"""

from __future__ import annotations

import base64
import hmac
import secrets
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# How many steps before and after the current one are accepted (clock drift of the phone).
DRIFT_STEPS = 1


def new_secret() -> str:
    """A new random 160-bit secret in base32 without padding, as authenticator apps expect it."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """Decode a base32 secret (spaces and lower case allowed, padding optional)."""
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226: HMAC of the counter, dynamically truncated to ``digits`` decimal digits."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), digest).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(unix_time: float, *, step: int = STEP_SECONDS) -> int:
    return int(unix_time // step)


def totp(
    key: bytes, unix_time: float, *, digits: int = DIGITS, digest: str = "sha1", step: int = STEP_SECONDS
) -> str:
    """RFC 6238: HOTP with the number of ``step``-second periods since the Unix epoch as counter."""
    return hotp(key, time_step(unix_time, step=step), digits=digits, digest=digest)


def matching_step(secret: str, code: str, unix_time: float, *, after_step: int | None = None) -> int | None:
    """The time step whose code equals ``code`` within the drift window, or None.

    Steps at or before ``after_step`` (the last one used) are refused, so a code works only once.
    """
    code = (code or "").replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = secret_bytes(secret)
    current = time_step(unix_time)
    for candidate in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if after_step is not None and candidate <= after_step:
            continue
        if hmac.compare_digest(hotp(key, candidate), code):
            return candidate
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads (Key Uri Format)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"
