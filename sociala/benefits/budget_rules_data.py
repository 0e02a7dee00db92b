"""The first rows of the budget checks' rules and of the SSBTEK inquiry's purpose and legal basis.

Loaded by migration 0004 (and again after a test database is flushed). A change is a new row with a
later ``valid_from``, entered by an administrator; these figures are local choices, not law:

- ``income_difference``: 100 kr a month per kind of income, reported against fetched.
- ``cost_deviation_factor`` 3 × the median absolute deviation (MAD), the usual robust outlier rule
  (a normal distribution has about 0.3 % beyond 3 × 1.4826 MAD; 3 × MAD is a little stricter).
- ``cost_spread_floor``: the MAD is taken as at least 5 % of the median.
- ``cost_history_months`` 12 and ``cost_min_history`` 3: the person's own last year, from three months.
- ``cost_min_district_sample`` 10 other households of the same size in the district that month.
- ``receipt_threshold`` 1 000 kr: a cost from this amount needs a document (hyresavi, elräkning …).

The legal basis cites the socialtjänstlag of 2001 as Försäkringskassan's integration examples do; since
1 July 2025 the new SoL (2025:400) applies, so the row is marked UNVERIFIED until an administrator
enters the current reference.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

CHECK_RULES = [
    {
        "valid_from": date(2025, 1, 1),
        "income_difference": 100,
        "cost_deviation_factor": Decimal("3.00"),
        "cost_spread_floor": Decimal("0.050"),
        "cost_history_months": 12,
        "cost_min_history": 3,
        "cost_min_district_sample": 10,
        "receipt_threshold": 1000,
        "source": "Lokal rutin för kontroller av ekonomiskt bistånd (UNVERIFIED: fastställs av nämnden)",
    }
]

INQUIRY_BASES = [
    {
        "valid_from": date(2025, 1, 1),
        "purpose": "Beslut om eller kontroll av ekonomiskt bistånd",
        "legal_basis": (
            "11 kap. 11 a § socialtjänstlagen (2001:453), 5 § förordning (2008:975) om uppgiftsskyldighet "
            "i vissa fall enligt socialtjänstlagen."
        ),
        "source": "UNVERIFIED: hänvisning enligt den äldre socialtjänstlagen; ange bestämmelsen i SoL (2025:400)",
    }
]


def load_initial_budget_rules(check_rules_model, inquiry_basis_model) -> None:
    """Create the rows above that are missing (by ``valid_from``); safe to run again."""
    for row in CHECK_RULES:
        check_rules_model.objects.get_or_create(valid_from=row["valid_from"], defaults=row)
    for row in INQUIRY_BASES:
        inquiry_basis_model.objects.get_or_create(valid_from=row["valid_from"], defaults=row)
