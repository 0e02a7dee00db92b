"""Root of the test harness: PostgreSQL on demand (SOCIALA_TEST_DB=postgres) for the whole suite."""

import contextlib
from pathlib import Path

import pytest

from sociala.testing import postgres


def pytest_configure(config):
    # pytest-django has read the settings by now, but no connection is open yet.
    postgres.start_for_session()
    from django.conf import settings

    # Argon2 is slow on purpose (about 0.2 s a check on these machines) and most tests sign in:
    # new hashes in tests use a fast hasher; Argon2 stays listed, so its hashes still verify.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]

    # WhiteNoise warns on every request handler it is built into while STATIC_ROOT is missing;
    # the tests serve static files from the finders (WHITENOISE_USE_FINDERS), so an empty one will do.
    with contextlib.suppress(OSError):
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

    # The rate limits count in memory in the tests (in production a cache shared by the workers), and
    # every test starts with no requests counted (see the fixture below).
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
    }


@pytest.fixture(autouse=True)
def _rate_limits_start_empty():
    from django.core.cache import caches

    caches["ratelimit"].clear()


def pytest_unconfigure(config):
    postgres.stop_for_session()


def pytest_report_header(config):
    return postgres.describe()
