"""Same seed, same city."""

import pytest
from django.db import transaction

from sociala.demo.seed import fingerprint, seed_city

pytestmark = pytest.mark.django_db

TINY_CITY = 80


def seeded_fingerprint(seed: int) -> str:
    """Seed in a transaction that is rolled back, so the next seeding starts from the same empty registry."""
    with transaction.atomic():
        seed_city(persons=TINY_CITY, seed=seed, letter_districts=frozenset())
        digest = fingerprint()
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_city():
    assert seeded_fingerprint(7) == seeded_fingerprint(7)
