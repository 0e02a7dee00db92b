"""The demo city's price list per intervention kind (see rules_data.py)."""

from django.db import migrations

from sociala.fees.rules_data import load_price_list


def load(apps, schema_editor):
    load_price_list(apps.get_model("fees", "PriceListEntry"))


class Migration(migrations.Migration):
    dependencies = [("fees", "0003_price_list")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
