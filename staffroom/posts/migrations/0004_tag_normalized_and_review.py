"""Hashtags matched by their normalised form (`core.hashtags.normalize_tag`), and a
moderator's review of whether a tag may trend.

Tags that normalise alike (`#Café` and `#cafe`, once two rows) are merged into the oldest:
their posts move to it, the others go.
"""

from django.db import migrations, models

from staffroom.core.hashtags import normalize_tag


def fill_normalized(apps, schema_editor):
    Tag = apps.get_model("posts", "Tag")
    Through = apps.get_model("posts", "Status_tags")
    kept: dict[str, int] = {}
    for tag in Tag.objects.order_by("pk"):
        key = normalize_tag(tag.name) or f"tag{tag.pk}"
        if key not in kept:
            kept[key] = tag.pk
            Tag.objects.filter(pk=tag.pk).update(normalized=key)
            continue
        target = kept[key]
        carried = set(Through.objects.filter(tag_id=target).values_list("status_id", flat=True))
        Through.objects.filter(tag_id=tag.pk, status_id__in=carried).delete()
        Through.objects.filter(tag_id=tag.pk).update(tag_id=target)
        Tag.objects.filter(pk=tag.pk).delete()


class Migration(migrations.Migration):
    dependencies = [("posts", "0003_alter_status_modality")]

    operations = [
        migrations.RemoveConstraint(model_name="tag", name="posts_tag_name_unique_ci"),
        migrations.AddField(
            model_name="tag",
            name="normalized",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.RunPython(fill_normalized, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tag",
            name="normalized",
            field=models.CharField(max_length=200, unique=True),
        ),
        migrations.AddField(
            model_name="tag",
            name="trendable",
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="tag",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="tag",
            name="requested_review_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
