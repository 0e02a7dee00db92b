"""The first log review rules: every rule on; more than 40 persons a day is unusual; 10 accesses a
month drawn per district for the random sample."""

from datetime import date

from django.db import migrations

RULES = [
    ("emergency_access", None),
    ("protected_person", None),
    ("outside_caseload", None),
    ("many_persons", 40),
    ("same_surname", None),
    ("same_address", None),
    ("random_sample", 10),
]


def load(apps, schema_editor):
    ReviewRule = apps.get_model("audit", "ReviewRule")
    for code, threshold in RULES:
        ReviewRule.objects.get_or_create(
            code=code, valid_from=date(2025, 1, 1), defaults={"threshold": threshold, "is_active": True}
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_log_review")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
