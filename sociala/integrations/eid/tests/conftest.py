"""Fixtures for the e-ID tests: the relying party talks to the simulator through the test client."""

import pytest

from sociala.integrations.eid import client as eid_client
from sociala.integrations.eid.testing import TestClientTransport


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEMO_MODE = True
    settings.SOCIALA_EID = {}


@pytest.fixture
def transport(monkeypatch):
    """Every relying-party request goes to the simulator's views; the requests are recorded."""
    eid_client.clear_caches()
    shared = TestClientTransport()
    monkeypatch.setattr(eid_client, "default_transport", lambda config: shared)
    yield shared
    eid_client.clear_caches()
