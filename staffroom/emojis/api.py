"""`GET /api/v1/custom_emojis`: the server's custom emojis for pickers, to anyone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from staffroom.emojis.entities import CustomEmojiEntity, custom_emoji_entity
from staffroom.emojis.selectors import picker_emojis
from staffroom.mastodon_api.entities import CustomEmoji

router = Router(tags=["custom emojis"])

# Public and the same for everyone: clients and proxies may keep it a few minutes.
CACHE_CONTROL = "public, max-age=300"


@router.get(
    "",
    response=list[CustomEmoji],
    summary="The server's custom emojis shown in pickers (no sign-in needed)",
)
def custom_emoji_list(request: HttpRequest, response: HttpResponse) -> list[CustomEmojiEntity]:
    """Enabled emojis listed in the picker, by category then shortcode, as Mastodon."""
    response["Cache-Control"] = CACHE_CONTROL
    return [custom_emoji_entity(image) for image in picker_emojis()]
