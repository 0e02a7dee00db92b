"""The demo city's accounting set-up: a cost centre for every district, so that runs can start."""

from __future__ import annotations

from sociala.organization.models import Committee

from .services import set_cost_centre


def seed_cost_centres(*, actor) -> int:
    """Give every district without a cost centre one (6101, 6102 … in name order); returns how many.

    ``actor`` must be a controller (the demo user ``controller``); each is set through the service,
    so it is audited like a cost centre entered in the UI.
    """
    created = 0
    districts = Committee.objects.filter(kind=Committee.Kind.DISTRICT).order_by("name")
    for number, district in enumerate(districts, start=1):
        if hasattr(district, "cost_centre"):
            continue
        set_cost_centre(actor=actor, district=district, code=f"61{number:02d}", name=district.name)
        created += 1
    return created
