"""Hashtags are matched by Mastodon's normal form."""

import pytest

from staffroom.core.hashtags import normalize_tag
from staffroom.posts.models import Tag
from staffroom.posts.selectors import tagged_statuses
from tests.factories import make_post, make_profile


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("EdChat", "edchat"),
        ("#EdChat", "edchat"),
        ("Café", "cafe"),
        ("CAFÉ", "cafe"),
        ("Straße", "strasse"),
        ("\uff25\uff44\uff23\uff48\uff41\uff54", "edchat"),  # full-width letters
        ("mtbos_2026", "mtbos_2026"),
        ("Schüler·innen", "schuler·innen"),
        ("数学", "数学"),
        ("हिन्दी", "हिन्दी"),  # Devanagari keeps its marks
        ("edchat!", "edchat"),
        ("!!!", ""),
    ],
)
def test_normalize_tag_follows_mastodons_rules(written: str, key: str) -> None:
    assert normalize_tag(written) == key


def test_differently_written_hashtags_share_one_tag(db: None) -> None:
    author = make_profile("tagger")
    first = make_post(author, "Loving #Café chats")
    second = make_post(author, "More #cafe and #CAFÉ")
    assert Tag.objects.filter(normalized="cafe").count() == 1
    assert Tag.objects.get(normalized="cafe").name == "Café"
    assert second.tags.count() == 1
    found = {status.pk for status in tagged_statuses("CAFE")}
    assert found == {first.pk, second.pk}
