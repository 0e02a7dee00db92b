"""HTTP between the relying party and the provider: GET of JSON documents and the token POST.

The default transport is the standard library's ``urllib`` over real HTTP(S). Plain HTTP is allowed
only to the simulator and to loopback addresses; a real provider is reached over HTTPS. Tests that run
without a server hand the client a transport that sends the same requests through Django's test
client to the simulator.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

MAX_RESPONSE_BYTES = 1024 * 1024
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "testserver"}


class TransportError(Exception):
    """The provider could not be reached or answered with something that is not JSON."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    def json(self) -> dict:
        try:
            data = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise TransportError("the response is not JSON") from error
        if not isinstance(data, dict):
            raise TransportError("the response is not a JSON object")
        return data


def check_url(url: str, *, allow_http: bool) -> None:
    """Refuse anything but https (and http to loopback or the simulator)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and (allow_http or (parts.hostname or "") in LOOPBACK_HOSTS):
        return
    raise TransportError(
        f"refusing to call {parts.scheme or '?'}://{parts.hostname or '?'}: HTTPS is required"
    )


class UrllibTransport:
    """Real HTTP with the standard library."""

    def __init__(self, *, timeout: float = 10, allow_http: bool = False):
        self.timeout = timeout
        self.allow_http = allow_http

    def _send(self, request: urllib.request.Request) -> Response:
        check_url(request.full_url, allow_http=self.allow_http)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 - scheme checked
                return Response(answer.status, answer.read(MAX_RESPONSE_BYTES + 1)[:MAX_RESPONSE_BYTES])
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read(MAX_RESPONSE_BYTES))
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise TransportError(f"{request.full_url}: {error}") from error

    def get(self, url: str) -> Response:
        return self._send(urllib.request.Request(url, headers={"Accept": "application/json"}))  # noqa: S310 - checked in _send

    def post_form(self, url: str, data: dict[str, str], headers: dict[str, str]) -> Response:
        body = urllib.parse.urlencode(data).encode("ascii")
        all_headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            **headers,
        }
        return self._send(urllib.request.Request(url, data=body, headers=all_headers, method="POST"))  # noqa: S310 - checked in _send
