"""The conversations' JSON API: Mastodon's `/api/v1/conversations` (a page, marking one
read, deleting one for oneself). Routes are thin: each reads one selector or calls one
service of the app, and answers entities built in `entities.py`."""

from staffroom.conversations.api.v1 import router

__all__ = ["router"]
