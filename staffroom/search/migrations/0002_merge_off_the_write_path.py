from django.db import migrations

from staffroom.search.engine import tune_index

BUILT_IN = ("statuses", "accounts")


def tune(apps, schema_editor):
    for kind in BUILT_IN:
        tune_index(schema_editor, kind)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(tune, migrations.RunPython.noop)]
