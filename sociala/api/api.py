"""The API under /api/v1/ (django-ninja): bearer tokens, error mapping, and the routers."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from sociala.access.tokens import user_for_token
from sociala.accounts import ratelimit
from sociala.benefits import api as benefits_api
from sociala.care import api as care_api
from sociala.children import api as children_api
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.fees import api as fees_api
from sociala.finance import api as finance_api
from sociala.portal import api as portal_api
from sociala.retention import api as retention_api

from . import audit, auth, cases, persons


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``POST /auth/token``."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token or len(token) > 200:
            return None
        user = user_for_token(token)
        if user is not None:
            # The middleware limits each token and address; a user with several tokens shares one limit.
            limit = ratelimit.parse_limit(ratelimit.rate_limit_setting("api_per_user"))
            retry_after = ratelimit.hit(f"api:user:{user.pk}", limit) if limit else 0
            if retry_after:
                raise ratelimit.RateLimited(retry_after)
        return user


class SocialaAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        # Personal data must never sit in a shared or browser cache.
        response["Cache-Control"] = "no-store"
        return response


api = SocialaAPI(
    title="Sociala API",
    version="1",
    description="Case management for municipal social services. Authenticate with POST /auth/token.",
    urls_namespace="api",
    auth=BearerToken(),
)

api.add_router("/auth", auth.router)
api.add_router("/persons", persons.router)
api.add_router("/cases", cases.router)
api.add_router("/audit", audit.router)
api.add_router("/financial-assistance", benefits_api.router)
api.add_router("/fees", fees_api.router)
api.add_router("/children", children_api.router)
api.add_router("/finance", finance_api.router)
api.add_router("/care", care_api.router)
api.add_router("/portal", portal_api.router)
api.add_router("/retention", retention_api.router)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ratelimit.RateLimited)
def _rate_limited(request, exc: ratelimit.RateLimited):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    # Never say why: missing and out of scope must look the same.
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(NotPermitted)
def _not_permitted(request, exc):
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(InvalidInput)
def _invalid_input(request, exc: InvalidInput):
    return api.create_response(
        request, {"detail": str(_("Uppgifterna är inte giltiga.")), "errors": exc.errors}, status=422
    )


def _field_name(loc) -> str:
    parts = [str(part) for part in loc]
    # ninja prefixes the location with "body" and the parameter name, or with "query"/"path".
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    errors: dict[str, str] = {}
    for error in exc.errors:
        field = _field_name(error.get("loc", ()))
        message = str(error.get("msg", ""))
        errors[field] = f"{errors[field]} {message}" if field in errors else message
    return api.create_response(
        request, {"detail": str(_("Uppgifterna är inte giltiga.")), "errors": errors}, status=422
    )
