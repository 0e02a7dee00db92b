"""The BBIC areas, and the children's deadline rules added to sociala/cases/rules_data.py."""

from django.db import migrations

from sociala.cases.rules_data import load_initial_rules
from sociala.children.rules_data import load_bbic_areas


def load(apps, schema_editor):
    load_bbic_areas(apps.get_model("children", "BbicArea"))
    load_initial_rules(apps.get_model("cases", "CaseType"), apps.get_model("cases", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0002_investigation_placement_lvu"),
        ("cases", "0003_deadline_rule_completes_when_due"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
