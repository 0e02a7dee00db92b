"""Driving a sign-in through the real test identity providers: the browser's part is played by the Django
test client (towards Sociala) and ``requests`` (towards the identity provider), following every redirect
by hand so a test can stop, change or replay any step."""

from __future__ import annotations

import html
import re
import urllib.parse

import requests

FORM_FIELD = re.compile(r'<input[^>]*name="(?P<name>[^"]+)"[^>]*value="(?P<value>[^"]*)"', re.I)
FORM_ACTION = re.compile(r'<form[^>]*action="(?P<action>[^"]+)"', re.I)


def hidden_fields(page: str) -> dict[str, str]:
    return {m["name"]: html.unescape(m["value"]) for m in FORM_FIELD.finditer(page)}


def form_action(page: str) -> str:
    match = FORM_ACTION.search(page)
    assert match, page[:500]
    return html.unescape(match["action"])


def local_path(url: str) -> str:
    """The path and query of a URL on the test server (the test client takes no host)."""
    parts = urllib.parse.urlsplit(url)
    assert parts.netloc in ("testserver", ""), url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def oidc_sign_in_at_idp(authorize_url: str, username: str, password: str, browser=None) -> str:
    """Sign in at the OpenID Provider; returns the callback URL it sends the browser back to."""
    browser = browser or requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    while response.status_code in (302, 303):
        location = urllib.parse.urljoin(response.url, response.headers["Location"])
        if location.startswith("http://testserver"):
            return location  # already signed in at the provider
        response = browser.get(location, allow_redirects=False, timeout=10)
    assert response.status_code == 200, response.text[:500]
    action = urllib.parse.urljoin(response.url, form_action(response.text))
    response = browser.post(
        action, data={"login": username, "password": password}, allow_redirects=False, timeout=10
    )
    while response.status_code in (302, 303):
        location = urllib.parse.urljoin(response.url, response.headers["Location"])
        if location.startswith("http://testserver"):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(
        f"the provider did not send the browser back: {response.status_code} {response.text[:500]}"
    )


def saml_sign_in_at_idp(
    sso_url: str, username: str, password: str, browser=None
) -> tuple[str, dict[str, str]]:
    """Sign in at the SAML IdP; returns the ACS URL and the fields its page posts there."""
    browser = browser or requests.Session()
    response = browser.get(sso_url, timeout=10)
    assert response.status_code == 200, response.text[:500]
    fields = hidden_fields(response.text)
    action = urllib.parse.urljoin(response.url, form_action(response.text))
    response = browser.post(
        action, data={"key": fields["key"], "username": username, "password": password}, timeout=10
    )
    assert response.status_code == 200, response.text[:500]
    return form_action(response.text), hidden_fields(response.text)
