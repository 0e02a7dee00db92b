"""A collation named "sv" for Swedish alphabetical order (å, ä, ö after z) on PostgreSQL.

On SQLite the same name is registered per connection in sociala/core/db.py.
"""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    # CreateCollation does nothing on other databases than PostgreSQL.
    operations = [CreateCollation("sv", provider="icu", locale="sv-SE-x-icu")]
