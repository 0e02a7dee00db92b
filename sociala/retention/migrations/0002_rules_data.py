"""The first culling rules (see rules_data.py)."""

from django.db import migrations

from sociala.retention.rules_data import load_initial_culling_rules


def load(apps, schema_editor):
    load_initial_culling_rules(apps.get_model("retention", "CullingRule"))


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
