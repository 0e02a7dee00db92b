"""Fixtures for the portal: citizens sign in through the e-ID simulator (over the test client)."""

from __future__ import annotations

import urllib.parse

import pytest
from django.test import Client

from sociala.integrations.eid import client as eid_client
from sociala.integrations.eid.testing import TestClientTransport


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEMO_MODE = True
    settings.SOCIALA_EID = {}


@pytest.fixture
def transport(monkeypatch):
    eid_client.clear_caches()
    shared = TestClientTransport()
    monkeypatch.setattr(eid_client, "default_transport", lambda config: shared)
    yield shared
    eid_client.clear_caches()


def sign_in(person) -> Client:
    """A browser signed in as the person through the whole OIDC flow against the simulator."""
    browser = Client()
    start = browser.post("/portal/login/start/")
    authorize = start["Location"]
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    back = browser.post(
        urllib.parse.urlsplit(authorize).path, {**params, "chosen": person.personal_identity_number}
    )
    done = browser.get(back["Location"])
    assert done.status_code == 302, done.content
    return browser


@pytest.fixture
def citizen_browser(transport):
    return sign_in
