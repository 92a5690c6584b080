"""What travels from the process where something happened to the web workers holding the
streaming connections: a `StreamMessage` names the event, the routing keys it is for and
the ids the receiving worker renders the payload from (per viewer, as the REST API would).

Messages carry ids, never rendered payloads that depend on a viewer: each web worker
renders for the connections it holds, so a payload is never built for someone who is not
connected, and never sent to someone it was not built for.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

# Mastodon's streaming event names.
UPDATE = "update"
DELETE = "delete"
STATUS_UPDATE = "status.update"
NOTIFICATION = "notification"
CONVERSATION = "conversation"
FILTERS_CHANGED = "filters_changed"
ANNOUNCEMENT = "announcement"
ANNOUNCEMENT_REACTION = "announcement.reaction"
ANNOUNCEMENT_DELETE = "announcement.delete"
# Events whose `payload` is the same for every viewer and travels in the message.
SHARED_PAYLOAD_EVENTS = frozenset({ANNOUNCEMENT, ANNOUNCEMENT_REACTION, ANNOUNCEMENT_DELETE})
EVENTS = frozenset(
    {UPDATE, DELETE, STATUS_UPDATE, NOTIFICATION, CONVERSATION, FILTERS_CHANGED}
    | SHARED_PAYLOAD_EVENTS
)


class MalformedMessage(ValueError):
    """Bytes from the broker that are not a StreamMessage (logged and dropped)."""


@dataclass(frozen=True, kw_only=True)
class StreamMessage:
    """One event for the connections subscribed to any of `keys` (see `routing.py`).

    `status_id` for update, status.update, delete and conversation (the new direct post:
    each viewer gets their own conversation of its thread); `notification_id` for
    notification; `payload` only where it is the same for everyone who may receive it (a
    delete's id, an announcement and its reaction counts).
    `sent_at` (Unix time at publishing) measures the broker's lag.
    """

    event: str
    keys: tuple[str, ...]
    status_id: int | None = None
    notification_id: int | None = None
    payload: str | None = None
    sent_at: float = field(default_factory=time.time)

    def encode(self) -> bytes:
        return json.dumps(
            {
                "event": self.event,
                "keys": list(self.keys),
                "status_id": self.status_id,
                "notification_id": self.notification_id,
                "payload": self.payload,
                "sent_at": self.sent_at,
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def decode(cls, raw: bytes | str) -> StreamMessage:
        try:
            data = json.loads(raw)
            message = cls(
                event=str(data["event"]),
                keys=tuple(str(key) for key in data["keys"]),
                status_id=_optional_int(data.get("status_id")),
                notification_id=_optional_int(data.get("notification_id")),
                payload=None if data.get("payload") is None else str(data["payload"]),
                sent_at=float(data["sent_at"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise MalformedMessage(str(error)) from error
        if message.event not in EVENTS:
            raise MalformedMessage(f"unknown event {message.event!r}")
        return message


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not an id: {value!r}")
    return value
