"""A fixture that wires the security pages and the idle-timeout middleware into the site for a test."""

import pytest
from django.test import Client


@pytest.fixture
def wired(settings):
    """A test client on the site with the security URLs and middleware added (as the lead wires them)."""
    from sociala.access.tests import urls

    settings.ROOT_URLCONF = "sociala.access.tests.urls"
    settings.MIDDLEWARE = urls.MIDDLEWARE
    return Client()
