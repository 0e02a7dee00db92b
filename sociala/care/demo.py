"""The demo city's choice scheme (LOV): which demo providers are approved for which interventions."""

from __future__ import annotations

from sociala.organization.models import Provider

from .code_lists import KINDS_VALID_FROM
from .models import ProviderApproval
from .services import approve_provider

# organisation number -> [(intervention kind, the municipality's default)]
DEMO_APPROVALS = {
    "212000-0142": [  # Stadens hemtjänst Järva (municipal)
        ("home_care", True),
        ("safety_alarm", True),
        ("day_activity", True),
        ("companion_service", True),
        ("lss_companion", True),
        ("lss_relief", True),
    ],
    "556677-8899": [("home_care", False), ("companion_service", False)],  # Omsorgshuset Hemtjänst AB
    "559012-3456": [("lss_contact_person", True), ("lss_companion", False)],  # Kontakt & Stöd i Norden AB
}


def seed_provider_approvals(*, actor) -> int:
    """Approve the demo providers that exist; ``actor`` is a system administrator (demo user ``admin``).
    Returns how many approvals were made; running it again changes nothing."""
    count = 0
    for number, kinds in DEMO_APPROVALS.items():
        provider = Provider.objects.filter(organization_number=number).first()
        if provider is None:
            continue
        for kind, is_default in kinds:
            if ProviderApproval.objects.filter(provider=provider, intervention_kind=kind).exists():
                continue
            approve_provider(
                actor=actor,
                provider=provider,
                intervention_kind=kind,
                valid_from=KINDS_VALID_FROM,
                is_default=is_default,
            )
            count += 1
    return count
