"""Web pages for posts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from staffroom.posts.selectors import tagged_statuses


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    return render(request, "posts/tag.html", {"name": name, "statuses": tagged_statuses(name)})
