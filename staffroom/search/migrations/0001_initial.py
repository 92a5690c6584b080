from django.db import migrations

from staffroom.search.engine import create_index, drop_index

BUILT_IN = ("statuses", "accounts")


def create(apps, schema_editor):
    for kind in BUILT_IN:
        create_index(schema_editor, kind)


def drop(apps, schema_editor):
    for kind in BUILT_IN:
        drop_index(schema_editor, kind)


class Migration(migrations.Migration):
    initial = True
    dependencies = [("posts", "0004_tag_normalized_and_review"), ("profiles", "0005_profile_limited_at_profile_suspended_at")]
    operations = [migrations.RunPython(create, drop)]
