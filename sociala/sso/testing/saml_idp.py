"""A real SAML 2.0 identity provider for the tests: pysaml2's ``saml2.server.Server`` behind a small WSGI
app served on a free localhost port (in a thread of the test process).

Endpoints: ``/metadata`` (the IdP's metadata), ``/sso/redirect`` (the single sign-on service, HTTP-Redirect
binding: it checks the AuthnRequest and its signature and shows a sign-in form) and ``/sso/login`` (the
form's target: with the right password it answers with the page that posts a signed Response to the
SP's assertion consumer service). Tests may change ``lifetime_minutes`` to issue assertions that are
already expired.
"""

from __future__ import annotations

import html
import secrets
import shutil
import threading
import urllib.parse
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORD, AuthnBroker, authn_context_class_ref
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server

from .certs import make_key_pair


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


class SamlTestIdp:
    """One IdP with test users: ``{"name": {"password", "subject", "givenName", "sn", "mail", "groups"}}``
    (``"transient": True`` sends a new transient NameID each time instead of the subject)."""

    def __init__(self, directory: Path, users: dict):
        self.users = users
        self.key_file, self.cert_file = make_key_pair(directory, "test-idp")
        self.lifetime_minutes = 5
        self.requests_seen: list[dict] = []
        self._pending: dict[str, tuple] = {}
        self._sp_metadata: str | None = None
        self.httpd: WSGIServer = make_server("127.0.0.1", 0, self.app, handler_class=_QuietHandler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.entity_id = f"{self.base_url}/metadata"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -- configuration --

    def _config(self) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": shutil.which("xmlsec1"),
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "metadata": {"inline": [self._sp_metadata]} if self._sp_metadata else {},
                "service": {
                    "idp": {
                        "name": "Sociala test IdP",
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.base_url}/sso/redirect", BINDING_HTTP_REDIRECT)
                            ]
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "want_authn_requests_signed": True,
                        "sign_assertion": True,
                        "sign_response": False,
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": self.lifetime_minutes},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_BASIC,
                            }
                        },
                    }
                },
            }
        )
        return config

    def metadata_xml(self) -> str:
        return str(entity_descriptor(self._config()))

    def trust_sp(self, sp_metadata_xml: str) -> None:
        """Register the service provider (its metadata as Sociala publishes it)."""
        self._sp_metadata = sp_metadata_xml

    def server(self) -> Server:
        """pysaml2's IdP with the configuration in force now."""
        return Server(config=self._config())

    def start(self) -> SamlTestIdp:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- HTTP --

    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        try:
            if path == "/metadata":
                return self._answer(
                    start_response, "200 OK", self.metadata_xml(), "application/samlmetadata+xml"
                )
            if path == "/sso/redirect" and environ["REQUEST_METHOD"] == "GET":
                return self._sso(environ, start_response)
            if path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
                return self._login(environ, start_response)
            return self._answer(start_response, "404 Not Found", "not found")
        except Exception as error:  # noqa: BLE001 - a test server reports every failure as a 400
            return self._answer(start_response, "400 Bad Request", f"{type(error).__name__}: {error}")

    @staticmethod
    def _answer(start_response, status: str, body: str, content_type: str = "text/html; charset=utf-8"):
        data = body.encode("utf-8")
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]

    def _sso(self, environ, start_response):
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        one = {key: values[0] for key, values in query.items()}
        if "Signature" not in one:
            return self._answer(start_response, "400 Bad Request", "the AuthnRequest is not signed")
        request = self.server().parse_authn_request(
            one["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=one.get("RelayState"),
            sigalg=one.get("SigAlg"),
            signature=one.get("Signature"),
        )
        message = request.message
        self.requests_seen.append({"id": message.id, "issuer": message.issuer.text, "signed": True})
        key = secrets.token_urlsafe(16)
        self._pending[key] = (request, one.get("RelayState", ""))
        page = f"""<!DOCTYPE html><html lang="en"><head><title>Test IdP sign-in</title></head><body><main>
<h1>Test SAML identity provider</h1>
<form method="post" action="/sso/login"><input type="hidden" name="key" value="{html.escape(key)}">
<label for="username">User name</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form></main></body></html>"""
        return self._answer(start_response, "200 OK", page)

    def _login(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {
            k: v[0] for k, v in urllib.parse.parse_qs(environ["wsgi.input"].read(length).decode()).items()
        }
        pending = self._pending.pop(form.get("key", ""), None)
        if pending is None:
            return self._answer(start_response, "400 Bad Request", "unknown sign-in")
        request, relay_state = pending
        user = self.users.get(form.get("username", ""))
        if user is None or user["password"] != form.get("password"):
            return self._answer(start_response, "401 Unauthorized", "wrong user name or password")
        server = self.server()
        args = server.response_args(request.message, [BINDING_HTTP_POST])
        identity = {
            "uid": [form["username"]],
            "givenName": [user["givenName"]],
            "sn": [user["sn"]],
            "mail": [user["mail"]],
            "groups": list(user["groups"]),
        }
        broker = AuthnBroker()
        broker.add(authn_context_class_ref(PASSWORD), "")
        response = server.create_authn_response(
            identity,
            userid=form["username"],
            name_id=NameID(
                format=NAMEID_FORMAT_TRANSIENT if user.get("transient") else NAMEID_FORMAT_PERSISTENT,
                text=secrets.token_hex(16) if user.get("transient") else user["subject"],
            ),
            authn=broker.get_authn_by_accr(PASSWORD),
            sign_assertion=True,
            **args,
        )
        http_args = server.apply_binding(
            BINDING_HTTP_POST, str(response), args["destination"], relay_state, response=True
        )
        return self._answer(start_response, "200 OK", http_args["data"])
