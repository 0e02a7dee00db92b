"""The first income-support rule rows, loaded by migration 0002 and after a test database flush.

Sources: DOMAIN.md ("Income support" and "Fees"). The 2025 national norm is UNVERIFIED there and is
deliberately absent: an administrator enters it once confirmed. Later changes are new rows, never edits
of this file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

NATIONAL_NORMS = [
    {
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2026, 12, 31),
        "single_adult": 3940,
        "cohabiting_couple": 7100,
        # "each person beyond 7 adds (2 830 − 2 640)"
        "common_cost_increment": 190,
        "legal_source": "12 kap. 2 § socialtjänstförordningen (2025:468), i lydelse enligt SFS 2025:1046",
        # (age_from, age_to, personal costs, personal costs when the child eats lunch at preschool)
        "child_costs": [
            (0, 0, 2740, 2560),
            (1, 2, 3060, 2800),
            (3, 3, 2720, 2500),
            (4, 6, 3060, 2720),
            (7, 10, 3820, None),
            (11, 14, 4390, None),
            (15, 18, 4960, None),
            (19, 20, 5000, None),
        ],
        "common_costs": {1: 1280, 2: 1410, 3: 1790, 4: 2030, 5: 2330, 6: 2640, 7: 2830},
    },
]

PRICE_BASE_AMOUNTS = [
    (
        date(2025, 1, 1),
        date(2025, 12, 31),
        58800,
        "2 kap. 6–7 §§ socialförsäkringsbalken; prisbasbelopp 2025",
    ),
    (
        date(2026, 1, 1),
        date(2026, 12, 31),
        59200,
        "2 kap. 6–7 §§ socialförsäkringsbalken; prisbasbelopp 2026",
    ),
]

# The rule as it stands in the new Socialtjänstlag, in force since 1 July 2025.
JOB_STIMULUS = [(date(2025, 7, 1), None, Decimal("0.25"), "12 kap. 8 § socialtjänstlagen (2025:400)")]


def load_initial_rules(
    norm_model, child_cost_model, common_cost_model, pbb_model, job_stimulus_model
) -> None:
    """Create the rows that are missing; never overwrite what an administrator changed."""
    for row in NATIONAL_NORMS:
        fields = {k: v for k, v in row.items() if k not in ("valid_from", "child_costs", "common_costs")}
        norm, created = norm_model.objects.get_or_create(valid_from=row["valid_from"], defaults=fields)
        if not created:
            continue
        for age_from, age_to, amount, with_lunch in row["child_costs"]:
            child_cost_model.objects.create(
                norm=norm,
                age_from=age_from,
                age_to=age_to,
                amount=amount,
                amount_with_preschool_lunch=with_lunch,
            )
        for size, amount in row["common_costs"].items():
            common_cost_model.objects.create(norm=norm, household_size=size, amount=amount)
    for valid_from, valid_to, amount, source in PRICE_BASE_AMOUNTS:
        pbb_model.objects.get_or_create(
            valid_from=valid_from, defaults={"valid_to": valid_to, "amount": amount, "legal_source": source}
        )
    for valid_from, valid_to, share, source in JOB_STIMULUS:
        job_stimulus_model.objects.get_or_create(
            valid_from=valid_from,
            defaults={"valid_to": valid_to, "disregarded_share": share, "legal_source": source},
        )
