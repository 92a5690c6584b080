"""Conversations for the direct posts written before conversations existed.

With the models as they were at this point: a teacher's row for a thread names the newest
direct post of it they wrote or were mentioned in (a direct post's whole audience) that a
moderator has not removed, and the other people of those posts. Rows start read. The
readers re-check every last post against today's audience rule, and later posts refresh
the rows through the services."""

from collections import defaultdict

from django.db import migrations

BATCH = 1000


def backfill(apps, schema_editor):
    Status = apps.get_model("posts", "Status")
    Mention = apps.get_model("posts", "Mention")
    Profile = apps.get_model("profiles", "Profile")
    Conversation = apps.get_model("conversations", "Conversation")
    local = set(Profile.objects.filter(domain="").values_list("pk", flat=True))
    posts = Status.objects.filter(
        visibility="direct", reblog_of__isnull=True, removed_at__isnull=True
    )
    mentioned = defaultdict(set)
    for status_id, profile_id in Mention.objects.filter(status__in=posts).values_list(
        "status_id", "profile_id"
    ):
        mentioned[status_id].add(profile_id)
    last = {}
    others = defaultdict(set)
    rows = posts.order_by("id").values_list("pk", "thread_id", "account_id")
    for pk, thread_id, author_id in rows.iterator(chunk_size=BATCH):
        people = {author_id} | mentioned[pk]
        for owner_id in people & local:
            last[(owner_id, thread_id)] = pk
            others[(owner_id, thread_id)] |= people - {owner_id}
    existing = set(Conversation.objects.values_list("owner_id", "thread_id"))
    made = Conversation.objects.bulk_create(
        [
            Conversation(owner_id=owner_id, thread_id=thread_id, last_status_id=status_id)
            for (owner_id, thread_id), status_id in sorted(last.items())
            if (owner_id, thread_id) not in existing
        ],
        batch_size=BATCH,
    )
    Participant = Conversation.participants.through
    Participant.objects.bulk_create(
        [
            Participant(conversation_id=row.pk, profile_id=profile_id)
            for row in made
            for profile_id in sorted(others[(row.owner_id, row.thread_id)])
        ],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
