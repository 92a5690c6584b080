"""The streaming API in the OpenAPI document: it is served beside Django (asgi.py), not by
a ninja route, so its paths are described here and added to the one document."""

from __future__ import annotations

from typing import Any

from staffroom.streaming.asgi import PREFIX
from staffroom.streaming.streams import SSE_PATHS

_ERROR = {
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"error": {"type": "string"}}}
        }
    }
}
_ERRORS = {
    "400": {"description": "Unknown stream type, or a missing `tag` / `list`", **_ERROR},
    "401": {
        "description": "Missing or invalid access token, a token without the scope, or a list "
        "that is not yours",
        **_ERROR,
    },
    "404": {"description": "No such stream path", **_ERROR},
    "429": {"description": "Too many streaming connections", **_ERROR},
}
_PARAMETERS: dict[str, list[dict[str, Any]]] = {
    "hashtag": [{"in": "query", "name": "tag", "required": True, "schema": {"type": "string"}}],
    "list": [{"in": "query", "name": "list", "required": True, "schema": {"type": "string"}}],
    "public": [{"in": "query", "name": "only_media", "schema": {"type": "boolean"}}],
}
_EVENT_STREAM = {
    "description": "Server-sent events: `event: update|status.update|delete|notification` "
    "and `data: <the REST entity as JSON, or a deleted post's id>`, a `:thump` comment every "
    "15 s",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}


def _token_parameter() -> dict[str, Any]:
    return {"in": "query", "name": "access_token", "schema": {"type": "string"}}


def streaming_paths() -> dict[str, Any]:
    """OpenAPI path items for every streaming route."""
    paths: dict[str, Any] = {
        f"{PREFIX}/health": {
            "get": {
                "operationId": "streaming_health",
                "summary": "Whether the streaming API is up (`OK`)",
                "tags": ["streaming"],
                "responses": {"200": {"description": "OK", "content": {"text/plain": {}}}},
            }
        },
        PREFIX: {
            "get": {
                "operationId": "streaming_websocket",
                "summary": "WebSocket (send `Upgrade: websocket`): `stream=` subscribes at once; "
                'then `{"type": "subscribe" | "unsubscribe", "stream": ..., "tag"/"list": ...}`; '
                'each event is `{"stream": [...], "event": ..., "payload": "<JSON>"}`. The token '
                "may also come as `Sec-WebSocket-Protocol`",
                "tags": ["streaming"],
                "parameters": [
                    _token_parameter(),
                    {"in": "query", "name": "stream", "schema": {"type": "string"}},
                ],
                "responses": {"101": {"description": "Switching protocols"}, **_ERRORS},
                "security": [{"TokenAuth": []}],
            }
        },
    }
    for rest, stream in SSE_PATHS.items():
        family = stream.split(":")[0]
        paths[f"{PREFIX}/{rest}"] = {
            "get": {
                "operationId": f"streaming_{rest.replace('/', '_')}",
                "summary": f"The `{stream}` stream as server-sent events",
                "tags": ["streaming"],
                "parameters": [_token_parameter(), *_PARAMETERS.get(family, [])],
                "responses": {"200": _EVENT_STREAM, **_ERRORS},
                "security": [{"TokenAuth": []}],
            }
        }
    return paths
