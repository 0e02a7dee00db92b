"""IBIC life areas, ICF codes of activities and participation, and intervention kinds (see code_lists.py)."""

from django.db import migrations

from sociala.care.code_lists import load_code_lists


def load(apps, schema_editor):
    load_code_lists(
        apps.get_model("care", "LifeArea"),
        apps.get_model("care", "IcfCode"),
        apps.get_model("care", "InterventionKind"),
    )


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
