"""Answering entities the server built itself without validating them again.

django-ninja validates whatever a route returns against its `response=` schema, then dumps
it: for a page of 20 Statuses (each with its Account and their `pln` objects) that is
thousands of field checks on dictionaries our own entity builders just made in the wire
format, and it was the largest single cost of a timeline page. Hot read routes return
`prebuilt_json(...)` instead: the same JSON, encoded once. The schema still documents the
route in the OpenAPI document, and tests check that what these routes answer validates
against it and dumps to itself (tests/timelines/test_api_schema.py), so the two cannot
drift apart unnoticed.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def json_text(data: Any) -> str:
    """`data` as the API writes it (compact, UTF-8 as is): also the streaming payloads."""
    return _ENCODER.encode(data)


def prebuilt_json(response: HttpResponse, data: Any) -> HttpResponse:
    """`data` (plain dicts, lists, strings, numbers, booleans and None only) as the JSON body
    of `response`, the route's temporal response, so headers a route set on it (Link) are
    kept. Return the result from the route: ninja passes an HttpResponse through as is."""
    response.content = json_text(data).encode()
    response["Content-Type"] = "application/json; charset=utf-8"
    return response
