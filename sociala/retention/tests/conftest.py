"""Fixtures for the retention tests: the job runner, the municipality, a committee decision."""

from __future__ import annotations

from datetime import date

import pytest

from sociala.retention.services import culling


@pytest.fixture(autouse=True)
def _retention_settings(settings):
    # Tests start culling jobs themselves.
    settings.SOCIALA_RETENTION_JOB_RUNNER = "none"


@pytest.fixture
def admin(city):
    return city.users["admin"]


@pytest.fixture
def setting(city, admin):
    """Stockholm (0180): a municipality where case files are culled."""
    return culling.save_retention_setting(
        actor=admin,
        municipality_code="0180",
        municipality_name="Sociala stad",
        archive_authority="Stadsarkivet",
        data_protection_contact="dataskyddsombud@sociala.example, 08-508 000 00",
    )


@pytest.fixture
def authorization(city, admin, setting):
    """The social committee's decision (city-wide), in force from 2025-09-01."""
    return culling.record_culling_authorization(
        actor=admin,
        committee=city.social_committee,
        decision_reference="SN 2025-08-26 § 14",
        decided_on=date(2025, 8, 26),
        valid_from=date(2025, 9, 1),
    )
