"""The page error decorator: how a view's domain errors reach the person."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from staffroom.core.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from staffroom.web.errors import domain_errors, error_text


def _raising(error: DomainError):
    def view(request, **kwargs) -> HttpResponse:
        raise error

    return view


def test_error_text_drops_the_api_prefix_and_starts_with_a_capital():
    assert error_text(ValidationFailed("Validation failed: title is empty")) == "Title is empty"
    assert error_text(Conflict("already there")) == "Already there"


def test_domain_errors_answers_not_found_with_the_404_page():
    view = domain_errors(_raising(NotFound("Record not found")))
    with pytest.raises(Http404):
        view(RequestFactory().get("/"))


def test_domain_errors_answers_permission_denied_with_the_403_page():
    view = domain_errors(_raising(PermissionDenied("Not yours")))
    with pytest.raises(DjangoPermissionDenied):
        view(RequestFactory().get("/"))


def test_domain_errors_lets_other_refusals_through_without_back():
    view = domain_errors(_raising(Conflict("Already there")))
    with pytest.raises(Conflict):
        view(RequestFactory().get("/"))


def test_domain_errors_with_back_still_answers_not_found_with_the_404_page():
    view = domain_errors(back=lambda request, **kwargs: "/back")(_raising(NotFound("gone")))
    with pytest.raises(Http404):
        view(RequestFactory().post("/"))


@pytest.mark.django_db
def test_domain_errors_with_back_shows_the_refusal_with_its_status_and_the_way_back():
    seen = {}

    def back(request, list_id: str) -> str:
        seen["list_id"] = list_id
        return f"/lists/{list_id}"

    view = domain_errors(back=back)(_raising(RateLimited("Slow down", retry_after=30)))
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    response = view(request, list_id="7")
    assert isinstance(response, HttpResponse)
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert seen == {"list_id": "7"}
    body = response.content.decode()
    assert "Slow down" in body
    assert 'href="/lists/7"' in body
