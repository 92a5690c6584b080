"""Paging by id on the web pages: newest first, PAGE_SIZE a page, with links to the older
and newer pages (`max_id` / `min_id` in the query string, as the API's Link headers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PAGE_SIZE = 20


@dataclass
class Page:
    rows: list[Any]
    older_url: str = ""
    newer_url: str = ""


def cursor_param(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


def paged(request: HttpRequest, fetch: Callable[..., list[Any]], key: Callable[[Any], int]) -> Page:
    """One page of `fetch(limit=, max_id=, min_id=)` with links to older and newer pages.
    Malformed cursors are ignored (the first page)."""
    max_id, min_id = cursor_param(request, "max_id"), cursor_param(request, "min_id")
    rows = fetch(limit=PAGE_SIZE + 1, max_id=None if min_id else max_id, min_id=min_id)
    if min_id:
        has_newer, has_older = len(rows) > PAGE_SIZE, True
        rows = rows[-PAGE_SIZE:]
    else:
        has_older, has_newer = len(rows) > PAGE_SIZE, max_id is not None
        rows = rows[:PAGE_SIZE]
    page = Page(rows)
    if rows and has_older:
        page.older_url = f"{request.path}?max_id={key(rows[-1])}"
    if rows and has_newer:
        page.newer_url = f"{request.path}?min_id={key(rows[0])}"
    elif not rows and max_id:
        page.newer_url = request.path
    return page
