"""For tests without a server: the relying party's HTTP requests sent through Django's test client.

The requests reach the simulator's real views (discovery, JWKS, token endpoint) exactly as they would
over the network; only the socket is left out. A separate client, so the back channel has no cookies.
"""

from __future__ import annotations

import urllib.parse

from .transport import Response, TransportError


class TestClientTransport:
    """Implements the transport interface (``get``, ``post_form``) with ``django.test.Client``."""

    __test__ = False  # not a pytest test class

    def __init__(self, host: str = "testserver"):
        from django.test import Client

        self.host = host
        self.client = Client()
        self.requests: list[tuple[str, str]] = []

    def _path(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        if parts.hostname != self.host:
            raise TransportError(f"{url}: only {self.host} is reachable in tests")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def get(self, url: str) -> Response:
        self.requests.append(("GET", url))
        answer = self.client.get(self._path(url), HTTP_ACCEPT="application/json")
        return Response(answer.status_code, answer.content)

    def post_form(self, url: str, data: dict[str, str], headers: dict[str, str]) -> Response:
        self.requests.append(("POST", url))
        extra = {}
        if "Authorization" in headers:
            extra["HTTP_AUTHORIZATION"] = headers["Authorization"]
        answer = self.client.post(
            self._path(url),
            data=urllib.parse.urlencode(data),
            content_type="application/x-www-form-urlencoded",
            **extra,
        )
        return Response(answer.status_code, answer.content)
