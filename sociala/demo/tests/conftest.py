"""A small demo city, seeded once for a test module and rolled back afterwards."""

import pytest
from django.db import transaction
from django.test import override_settings

from sociala.demo.seed import seed_city

SMALL_CITY = 240


@pytest.fixture(scope="module")
def small_city(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed 240 persons with letters in Bromma only; every test in the module reads the same city."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        summary = seed_city(persons=SMALL_CITY, seed=2026, letter_districts=frozenset({"Bromma"}))
        yield summary
        transaction.set_rollback(True)
