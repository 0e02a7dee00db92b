"""Rate limits on the API and on the public pages, counted in a shared cache (decision 0023).

A fixed window per key: the first request of a window adds the counter with the window as its timeout,
later ones increment it. A refused request never reaches the view, so it changes nothing.

The counters live in the cache alias ``settings.SOCIALA_RATE_LIMITS["cache"]`` ("ratelimit"), which the
settings point at a file-based cache under ``var/`` so that every gunicorn worker on the machine counts
together (a local-memory cache would count per process). Several machines share a Redis, Memcached or
database cache instead (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    "cache": "ratelimit",
    # "requests/seconds"; an empty value turns the limit off.
    "api_per_token": "600/60",
    "api_per_address": "1200/60",
    # Counted after the token is checked (sociala/api/api.py): all of one user's tokens together.
    "api_per_user": "900/60",
    "public_per_address": "120/60",
}

# Pages anyone can reach without signing in, where a request costs work or touches sign-in state.
# A prefix with a trailing slash covers the pages under it.
PUBLIC_PREFIXES = (
    "/login/",
    "/account/second-factor/",
    "/account/webauthn/login/",
    "/portal/login/",
    "/sso/",
    "/eid-simulator/",
)


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


def rate_limit_setting(name: str) -> str:
    configured = getattr(settings, "SOCIALA_RATE_LIMITS", {}) or {}
    return configured.get(name, DEFAULTS[name])


def parse_limit(value: str) -> Limit | None:
    """``"600/60"`` → 600 requests a minute; empty or "off" → no limit."""
    value = (value or "").strip()
    if not value or value == "off":
        return None
    requests, _slash, seconds = value.partition("/")
    limit = Limit(int(requests), int(seconds or 60))
    if limit.requests < 1 or limit.seconds < 1:
        raise ValueError(f"rate limit must be positive: {value!r}")
    return limit


def refusal_message(retry_after: int) -> str:
    return str(
        _("För många förfrågningar. Vänta %(seconds)s sekunder och försök igen.") % {"seconds": retry_after}
    )


class RateLimited(Exception):
    """Over a limit; ``retry_after`` seconds until the window ends."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"rate limited for {retry_after} s")

    @property
    def message(self) -> str:
        return refusal_message(self.retry_after)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(key: str, limit: Limit, now: float | None = None) -> int:
    """Count one request for ``key``; return 0 when allowed, else the seconds until the window ends."""
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    cache = caches[rate_limit_setting("cache")]
    cache_key = f"rl:{key}:{limit.seconds}:{window}"
    if cache.add(cache_key, 1, timeout=limit.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: this request starts the window again
            cache.set(cache_key, 1, timeout=limit.seconds + 1)
            count = 1
    if count <= limit.requests:
        return 0
    return max(1, math.ceil((window + 1) * limit.seconds - now))


def _bearer_key(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    # The key is the token's hash, as stored: the cache never holds a usable token.
    return hashlib.sha256(token.strip().encode()).hexdigest()


def _checks(request) -> list[tuple[str, Limit]]:
    path = request.path
    address = client_address(request)
    checks: list[tuple[str, str]] = []
    if path.startswith("/api/v1/"):
        token = _bearer_key(request)
        if token:
            checks.append((f"api:token:{token}", "api_per_token"))
        checks.append((f"api:addr:{address}", "api_per_address"))
    elif path.startswith(PUBLIC_PREFIXES):
        checks.append((f"public:addr:{address}", "public_per_address"))
    limits = [(key, parse_limit(rate_limit_setting(name))) for key, name in checks]
    return [(key, limit) for key, limit in limits if limit is not None]


def _refused(request, retry_after: int) -> HttpResponse:
    message = refusal_message(retry_after)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
        response["Cache-Control"] = "no-store"
    else:
        body = render_to_string("accounts/rate_limited.html", {"message": message}, request=request)
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Before the session and the views: refuse a request over its limit with 429 and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        retry_after = 0
        for key, limit in _checks(request):
            retry_after = max(retry_after, hit(key, limit))
        if retry_after:
            return _refused(request, retry_after)
        return self.get_response(request)
