"""The price base amounts 2025 and 2026, the fee formula and the local under-age raise (see rules_data.py)."""

from django.db import migrations

from sociala.fees.rules_data import load_initial_fee_rules


def load(apps, schema_editor):
    load_initial_fee_rules(
        apps.get_model("fees", "PriceBaseAmount"),
        apps.get_model("fees", "FeeFormula"),
        apps.get_model("fees", "MinimumAmountRaise"),
    )


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
