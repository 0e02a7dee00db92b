"""The first case types and deadline rules (see sociala/cases/rules_data.py)."""

from django.db import migrations

from sociala.cases.rules_data import load_initial_rules


def load(apps, schema_editor):
    load_initial_rules(apps.get_model("cases", "CaseType"), apps.get_model("cases", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
