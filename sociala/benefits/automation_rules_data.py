"""The first version of the automated-decision table and the first automation figures.

Loaded by migration 0006 (and again after a test database is flushed). These are local choices, not
law; a change is a new row with a later ``valid_from`` (a new table version is published with
``manage.py publish_automation_rules``):

- ``assistance_tolerance`` 500 kr: a month whose assistance moved more than this since last month is
  looked at by a person.
- ``review_share`` 10 %: one automated decision in ten is picked for a person to review.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

DMN_V1 = Path(__file__).parent / "dmn" / "automation_v1.dmn"

RULE_SETS = [
    {
        "version": "1",
        "valid_from": date(2026, 1, 1),
        "file": DMN_V1,
        "published_by": "Sociala (första versionen)",
    }
]

AUTOMATION_RULES = [
    {
        "valid_from": date(2026, 1, 1),
        "assistance_tolerance": 500,
        "review_share": Decimal("0.100"),
        "sampling_seed": "sociala-2026",
        "source": "Lokalt beslut, första versionen (se docs/decisions/0025)",
    }
]


def load_initial_automation_rules(rule_set_model, rules_model) -> None:
    """Put in the rows above that are missing (by ``valid_from``); existing rows are never changed."""
    for row in RULE_SETS:
        if not rule_set_model.objects.filter(valid_from=row["valid_from"]).exists():
            rule_set_model.objects.create(
                version=row["version"],
                valid_from=row["valid_from"],
                source=row["file"].read_text(encoding="utf-8"),
                published_by=row["published_by"],
            )
    for row in AUTOMATION_RULES:
        if not rules_model.objects.filter(valid_from=row["valid_from"]).exists():
            rules_model.objects.create(**row)
