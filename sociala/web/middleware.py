"""Security headers for every response."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline scripts) and related headers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.headers.setdefault("Cache-Control", "no-store")
        if settings.DEBUG:
            response.headers["X-Sociala-Debug"] = "1"
        return response
