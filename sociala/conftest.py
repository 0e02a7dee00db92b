"""Fixtures shared by the whole suite: a small organisation, staff in every role, and persons."""

import csv
from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "people" / "data"


@pytest.fixture(scope="session")
def test_numbers():
    with open(DATA / "test-personal-identity-numbers.csv", encoding="utf-8") as handle:
        return [row[0] for row in csv.reader(handle)][1:]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _swedish_by_default():
    """Every test starts in Swedish; a request in English must not leak into the next test."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.activate("sv")


@pytest.fixture
def city(db):
    """Two districts, their units, a provider, and staff in every role (see tests/factories.py)."""
    from sociala.tests.factories import build_city

    return build_city()


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def a_date():
    return date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _session_touch_once(request, monkeypatch):
    """The session-timeout middleware writes the session at most every 30 s, so a page's query count
    would depend on how long a test ran. Outside the tests of that middleware, it writes once per session."""
    if "sociala/accounts/" in str(request.node.fspath):
        return
    import time

    from django.test.client import ClientMixin

    from sociala.accounts import middleware

    monkeypatch.setattr(middleware, "TOUCH_EVERY_SECONDS", 10**9)
    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        # Like a real sign-in, which stamps the session: the first page after it then writes nothing.
        original(self, user, backend)
        session = self.session
        session[middleware.SIGNED_IN_KEY] = session[middleware.LAST_ACTIVITY_KEY] = time.time()
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)
