"""Walking the OpenAPI document for sweep tests: every operation, its path parameters and
its body's fields, read from the document the server serves."""

from __future__ import annotations

import re
from typing import Any

from staffroom.config.api import api

PATH_PARAMETER = re.compile(r"\{[^}]+\}")


def openapi_schema() -> dict[str, Any]:
    schema: dict[str, Any] = api.get_openapi_schema()
    return schema


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its `$ref` (to a component schema) followed."""
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node
