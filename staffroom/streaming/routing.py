"""Routing keys: the names under which events are published and connections subscribe.

A key names one audience of events, never a viewer's permission: a connection subscribes to
the keys of the streams it asked for (after its token was checked for them), and the
worker still renders every payload for that connection's viewer, applying visibility,
blocks and mutes, so a key alone never shows anyone anything.

- `user:<account id>`: the account's home feed (update, status.update, delete) and
  filters_changed;
- `announcements`: announcement, announcement.reaction and announcement.delete, for every
  `user` stream;
- `notification:<account id>`: the account's notifications (streams `user` and
  `user:notification`);
- `public`, `public:local`, `public:remote`, each also with `:media`: the public timelines;
- `hashtag:<normal form>`, `hashtag:local:<normal form>`: a hashtag's timelines;
- `list:<list id>`: a purpose list's feed;
- `direct:<account id>`: direct posts to or from the account.
"""

from __future__ import annotations


def user_key(account_id: int) -> str:
    return f"user:{account_id}"


# Every signed-in `user` stream listens to it: announcements are the same for everyone.
ANNOUNCEMENTS_KEY = "announcements"


def notification_key(account_id: int) -> str:
    return f"notification:{account_id}"


def public_key(*, local: bool = False, remote: bool = False, media: bool = False) -> str:
    base = "public:local" if local else "public:remote" if remote else "public"
    return f"{base}:media" if media else base


def hashtag_key(normalized: str, *, local: bool = False) -> str:
    return f"hashtag:local:{normalized}" if local else f"hashtag:{normalized}"


def list_key(list_id: int) -> str:
    return f"list:{list_id}"


def direct_key(account_id: int) -> str:
    return f"direct:{account_id}"
