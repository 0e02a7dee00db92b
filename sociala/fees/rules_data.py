"""The first fee rules, loaded by migration 0002 and after a test database flush.

Later years are new rows entered by an administrator, never edits of this file.
"""

from datetime import date
from decimal import Decimal

PRICE_BASE_AMOUNTS = [
    (2025, 58_800, "2 kap. 6–7 §§ socialförsäkringsbalken; prisbasbelopp 2025 fastställt av regeringen"),
    (2026, 59_200, "2 kap. 6–7 §§ socialförsäkringsbalken; prisbasbelopp 2026 fastställt av regeringen"),
]

FORMULAS = [
    {
        "valid_from": date(2025, 1, 1),
        "max_fee_factor": Decimal("0.5392"),
        "housing_max_fee_factor": Decimal("0.5539"),
        "minimum_amount_single_factor": Decimal("1.4789"),
        "minimum_amount_spouse_factor": Decimal("1.2066"),
        "legal_source": "32 kap. 6 och 8 §§ socialtjänstlagen (2025:400); "
        "före 2025-07-01 8 kap. 5 och 7 §§ socialtjänstlagen (2001:453)",
    }
]

# A local rule: each municipality decides its own (or none). This is the demo city's.
MINIMUM_AMOUNT_RAISES = [
    {
        "valid_from": date(2025, 1, 1),
        "percent": Decimal("10.00"),
        "age_limit": 65,
        "local_decision": "Lokal regel i kommunens avgiftstaxa (demo): +10 % för personer under 65 år",
    }
]


def load_initial_fee_rules(price_base_amount_model, formula_model, raise_model) -> None:
    """Create the rows that are missing; never overwrite what an administrator changed."""
    for year, amount, source in PRICE_BASE_AMOUNTS:
        price_base_amount_model.objects.get_or_create(
            year=year, defaults={"amount": amount, "legal_source": source}
        )
    for row in FORMULAS:
        formula_model.objects.get_or_create(valid_from=row["valid_from"], defaults=row)
    for row in MINIMUM_AMOUNT_RAISES:
        raise_model.objects.get_or_create(valid_from=row["valid_from"], defaults=row)


# The demo city's price list (a local decision; UNVERIFIED placeholders an administrator replaces):
# intervention kind, fee service type, price unit, price in kronor.
PRICES_VALID_FROM = date(2025, 1, 1)
PRICE_DECISION = "Kommunens avgiftstaxa (demo), prislista för insatser"
PRICES = [
    ("home_care", "home_care", "per_hour", Decimal("450.00")),
    ("companion_service", "home_care", "per_hour", Decimal("450.00")),
    ("day_activity", "day_activity", "per_activity", Decimal("150.00")),
    ("short_stay", "short_stay", "per_day", Decimal("190.00")),
    ("safety_alarm", "safety_alarm", "per_month", Decimal("250.00")),
    ("home_health_care", "health", "per_month", Decimal("300.00")),
    ("residential_care", "residential_care", "per_month", Decimal("2733.00")),
    ("lss_adult_housing", "lss_adult_housing", "per_month", Decimal("2500.00")),
]


def load_price_list(price_list_model) -> None:
    """Create the price rows that are missing; never overwrite what an administrator changed."""
    for kind, service_type, unit, price in PRICES:
        price_list_model.objects.get_or_create(
            intervention_kind=kind,
            valid_from=PRICES_VALID_FROM,
            defaults={
                "service_type": service_type,
                "unit": unit,
                "price": price,
                "local_decision": PRICE_DECISION,
            },
        )
