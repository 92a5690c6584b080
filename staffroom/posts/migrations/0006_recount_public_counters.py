"""Recount every post's `replies_count`, `reblogs_count` and `favourites_count` under the
rule of `posts.counters`: replies and reshares count only while public or unlisted, not
removed and by an author in good standing; favourites only by an author in good standing.
Until now every reply and reshare counted, whatever its visibility.

The rule is written out here with the historical models (a migration must not import the
app's code, which changes after it)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

OPEN = ["public", "unlisted"]


def _good_standing(prefix: str) -> Q:
    # profiles.models.good_standing_q as it stands at this migration.
    return Q(**{f"{prefix}suspended_at__isnull": True}) & (
        Q(**{f"{prefix}domain__gt": ""})
        | Q(**{f"{prefix}user__is_active": True, f"{prefix}user__approval": "approved"})
    )


def _count(rows: Any, link: str) -> Coalesce:
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def recount(apps: Any, schema_editor: Any) -> None:
    status_model = apps.get_model("posts", "Status")
    favourite_model = apps.get_model("posts", "Favourite")
    counted = status_model.objects.filter(
        visibility__in=OPEN, removed_at__isnull=True
    ).filter(_good_standing("account__"))
    status_model.objects.update(
        replies_count=_count(counted, "in_reply_to"),
        reblogs_count=_count(counted, "reblog_of"),
        favourites_count=_count(
            favourite_model.objects.filter(_good_standing("account__")), "status"
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0005_conversation_mute"),
        ("profiles", "0006_profile_posting_defaults"),
        ("accounts", "0003_siteconfiguration_require_media_description"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop, elidable=True)]
