"""Fixtures for the finance tests: job settings, cost centres, a payment date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.finance.models import CostCentre


@pytest.fixture(autouse=True)
def _finance_settings(settings):
    # Tests start jobs themselves; small chunks so that a handful of decisions spans several.
    settings.SOCIALA_FINANCE = {"job_runner": "none", "chunk_size": 2}


@pytest.fixture
def cost_centres(city):
    actor = city.users["controller"]
    return {
        name: CostCentre.objects.create(district=city.districts[name], code=code, name=name, updated_by=actor)
        for name, code in [("Rinkeby-Kista", "6100"), ("Bromma", "6200")]
    }


@pytest.fixture
def payment_date():
    return timezone.localdate() + timedelta(days=3)
