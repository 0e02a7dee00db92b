"""The 2026 national norm, the price base amounts 2025–2026 and the job-stimulus share (see rules_data.py)."""

from django.db import migrations

from sociala.benefits.rules_data import load_initial_rules


def load(apps, schema_editor):
    load_initial_rules(
        apps.get_model("benefits", "NationalNorm"),
        apps.get_model("benefits", "NationalNormChildCost"),
        apps.get_model("benefits", "NationalNormCommonCost"),
        apps.get_model("benefits", "PriceBaseAmount"),
        apps.get_model("benefits", "JobStimulus"),
    )


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_rules")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
