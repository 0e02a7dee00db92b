"""The first recertification rule: access not confirmed for 180 days expires."""

from datetime import date

from django.db import migrations


def load(apps, schema_editor):
    RecertificationRule = apps.get_model("accounts", "RecertificationRule")
    RecertificationRule.objects.get_or_create(valid_from=date(2025, 1, 1), defaults={"period_days": 180})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_security")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
