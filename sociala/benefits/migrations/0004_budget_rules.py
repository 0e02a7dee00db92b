from django.db import migrations


def load(apps, schema_editor):
    from sociala.benefits.budget_rules_data import load_initial_budget_rules

    load_initial_budget_rules(apps.get_model("benefits", "CheckRules"), apps.get_model("benefits", "IncomeInquiryBasis"))


class Migration(migrations.Migration):
    dependencies = [("benefits", "0003_budgets")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
