"""One reading of API input, however a Mastodon client sends it.

Clients send JSON, urlencoded forms, multipart forms (with files) and query strings, on POST,
PUT and PATCH alike; Rails-style keys carry structure: `media_ids[]=1&media_ids[]=2` is a
list and `fields_attributes[0][name]=x` a list of objects. `request_data()` turns all of
them into one plain dict, with the query string merged underneath the body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

from staffroom.core.ids import ascii_digits

MAX_DEPTH = 6
MAX_INDEX = 1000
_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _split_key(key: str) -> list[str]:
    """`a[0][b]` -> ["a", "0", "b"]; `ids[]` -> ["ids", ""]; a malformed key stays whole."""
    match = _KEY.match(key)
    if match is None:
        return [key]
    segments = [match.group(1), *_SEGMENT.findall(match.group(2))]
    if len(segments) > MAX_DEPTH:
        raise BadRequest(f"The parameter {key[:60]!r} is nested too deeply.")
    return segments


def _place(target: dict[str, Any], segments: list[str], values: list[Any]) -> None:
    node = target
    for depth, segment in enumerate(segments[:-1]):
        following = segments[depth + 1]
        default: Any = [] if following == "" else {}
        child = node.setdefault(segment, default)
        if not isinstance(child, (dict, list)) or (following == "") != isinstance(child, list):
            raise BadRequest(f"The parameter {segments[0]!r} is given in two shapes.")
        if isinstance(child, list):
            child.extend(values)
            return
        node = child
    last = segments[-1]
    if last == "":
        node.setdefault("", []).extend(values)  # only reached for a bare `[]` key
    else:
        node[last] = values[-1] if len(values) == 1 else values


def _listify(node: Any) -> Any:
    """Objects whose keys are all indices (`{"0": .., "1": ..}`) become lists, in order."""
    if isinstance(node, list):
        return [_listify(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value) for key, value in node.items()}
    if converted and all(ascii_digits(key) for key in converted):
        indices = sorted(converted, key=int)
        if int(indices[-1]) > MAX_INDEX:
            raise BadRequest("A list parameter has too many items.")
        return [converted[key] for key in indices]
    return converted


def fold(data: MultiValueDict[str, Any] | Iterable[tuple[str, list[Any]]]) -> dict[str, Any]:
    """Fold flat form keys into nested dicts and lists (see the module docstring).

    A key given several times without `[]` keeps its last value, as Rails does.
    """
    items = data.lists() if isinstance(data, MultiValueDict) else data
    result: dict[str, Any] = {}
    for key, values in items:
        segments = _split_key(key)
        if len(segments) == 1:
            result[key] = values[-1] if values else ""
            continue
        _place(result, segments, list(values))
    return _listify(result)  # type: ignore[no-any-return]


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    merged.update(top)
    return merged


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest("The request body is not valid JSON.") from error
    except RecursionError as error:
        # Python's decoder recurses once per level: `[[[...]]]` a thousand deep ends here,
        # before any route (or authentication) sees it.
        raise BadRequest("The request body is nested too deeply.") from error
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data


def _form_body(request: HttpRequest) -> dict[str, Any]:
    if request.method == "POST":
        post, files = request.POST, request.FILES
    else:
        # Django parses form bodies for POST only; PUT and PATCH (Mastodon.py sends
        # update_credentials as a PATCH) go through the same streaming parser.
        method, request.method = request.method, "POST"
        try:
            request._load_post_and_files()
        finally:
            request.method = method
        post, files = request._post, request._files  # type: ignore[attr-defined]
    data = fold(post)
    data.update(fold(files))
    return data


def request_data(request: HttpRequest) -> dict[str, Any]:
    """The request's input as one dict: body (any content type) over the query string.

    Raises BadRequest (a 400 with a readable message) for malformed JSON, a non-object JSON
    body, or keys that cannot be folded; Django raises TooManyFieldsSent and
    RequestDataTooBig for oversized forms (also 400s).
    """
    cached: dict[str, Any] | None = getattr(request, "_staffroom_api_data", None)
    if cached is not None:
        return cached
    query = fold(request.GET)
    if request.method not in _WRITE_METHODS:
        data = query
    else:
        content_type = request.content_type or ""
        if content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
            data = _merge(query, _form_body(request))
        elif content_type == "application/json" or request.body:
            data = _merge(query, _json_body(request))
        else:
            data = query
    request._staffroom_api_data = data  # type: ignore[attr-defined]
    return data


def querydict_from(data: dict[str, Any]) -> QueryDict:
    """A read-only QueryDict of top-level scalars (for code that expects request.GET)."""
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, [str(item) for item in value])
        elif not isinstance(value, dict):
            query[key] = str(value)
    query._mutable = False
    return query
