from django.db import migrations


def load(apps, schema_editor):
    from sociala.benefits.automation_rules_data import load_initial_automation_rules

    load_initial_automation_rules(
        apps.get_model("benefits", "AutomationRuleSet"), apps.get_model("benefits", "AutomationRules")
    )


class Migration(migrations.Migration):
    dependencies = [("benefits", "0005_decisions_and_automation")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
