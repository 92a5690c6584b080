"""The notification filtering pages: Settings → Notifications' "Filter notifications
from..." (saved, refused with 422 for a value that is not a choice), the list's
"Filtered notifications (N)" entry, and the requests page (empty state, preview, accept,
dismiss; another teacher's request is a 404 and nothing changes; POST with CSRF only)."""

from __future__ import annotations

import pytest
from django.test import Client

from staffroom.notifications.models import Notification, NotificationPolicy, NotificationRequest
from staffroom.notifications.selectors import policy_of
from staffroom.posts.models import Visibility
from staffroom.profiles.models import Profile

pytestmark = pytest.mark.django_db

BACKEND = "staffroom.accounts.backends.EmailOrHandleBackend"
POLICY_FORM = {
    "for_not_following": "filter",
    "for_not_followers": "accept",
    "for_new_accounts": "drop",
    "for_private_mentions": "filter",
    "for_limited_accounts": "filter",
}


def _client(profile: Profile, *, csrf: bool = False) -> Client:
    assert profile.user is not None
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(profile.user, backend=BACKEND)
    return client


@pytest.fixture
def put_aside(ada, bo, post, run_jobs) -> NotificationRequest:
    """Two private mentions from Bo, whom Ada does not follow: put aside by default."""
    post(bo, "@ada could we swap duties on Friday?", visibility=Visibility.DIRECT)
    post(bo, "@ada no worries if not", visibility=Visibility.DIRECT)
    run_jobs()
    return NotificationRequest.objects.get(recipient=ada)


def test_settings_show_the_filters_with_explanations(ada):
    page = _client(ada).get("/settings/notifications").content.decode()
    assert "Filter notifications from..." in page
    assert "People you don&#x27;t follow" in page
    assert "Accounts created in the past 30 days." in page
    assert 'name="for_private_mentions" value="filter"' in page
    assert 'id="id_for_private_mentions_1" required checked' in page
    assert "Ignore them completely" in page


def test_settings_save_the_filters(ada):
    response = _client(ada).post("/settings/notifications/policy", POLICY_FORM)
    assert response.status_code == 302
    policy = policy_of(ada)
    assert (policy.for_not_following, policy.for_new_accounts) == ("filter", "drop")


def test_settings_refuse_a_value_that_is_not_a_choice_with_422(ada):
    response = _client(ada).post(
        "/settings/notifications/policy", POLICY_FORM | {"for_new_accounts": "sometimes"}
    )
    assert response.status_code == 422
    assert "sometimes is not one of the available choices" in response.content.decode()
    assert not NotificationPolicy.objects.filter(owner=ada).exists()


def test_the_policy_form_needs_post_and_a_csrf_token(ada):
    assert _client(ada).get("/settings/notifications/policy").status_code == 405
    response = _client(ada, csrf=True).post("/settings/notifications/policy", POLICY_FORM)
    assert response.status_code == 403
    assert not NotificationPolicy.objects.filter(owner=ada).exists()


def test_the_list_links_to_filtered_notifications_with_their_count(ada, put_aside):
    page = _client(ada).get("/notifications").content.decode()
    assert "Filtered notifications (2)" in page
    assert "could we swap duties" not in page


def test_the_list_has_no_filtered_entry_when_nothing_is_put_aside(ada):
    page = _client(ada).get("/notifications").content.decode()
    assert "Filtered notifications" not in page


def test_the_requests_page_empty_state(ada):
    response = _client(ada).get("/notifications/requests")
    assert response.status_code == 200
    assert "Nothing is filtered." in response.content.decode()


def test_the_requests_page_previews_each_sender(ada, put_aside):
    page = _client(ada).get("/notifications/requests").content.decode()
    assert "@bo" in page
    assert "2 notifications put aside" in page
    assert "could we swap duties on Friday?" in page
    assert f"/notifications/requests/{put_aside.pk}/accept" in page


def test_accept_moves_them_to_the_list(ada, put_aside):
    response = _client(ada).post(f"/notifications/requests/{put_aside.pk}/accept")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=ada, filtered=True).exists()
    page = _client(ada).get("/notifications").content.decode()
    assert "could we swap duties" in page


def test_dismiss_deletes_them(ada, put_aside):
    response = _client(ada).post(f"/notifications/requests/{put_aside.pk}/dismiss")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=ada).exists()
    assert "Nothing is filtered." in _client(ada).get("/notifications/requests").content.decode()


def test_another_teachers_request_is_a_404_and_nothing_changes(ada, cy, put_aside):
    for action in ("accept", "dismiss"):
        response = _client(cy).post(f"/notifications/requests/{put_aside.pk}/{action}")
        assert response.status_code == 404
    assert _client(ada).post(f"/notifications/requests/{put_aside.pk}/shred").status_code == 404
    assert Notification.objects.filter(recipient=ada, filtered=True).count() == 2


def test_request_actions_need_post_and_csrf(ada, put_aside):
    url = f"/notifications/requests/{put_aside.pk}/accept"
    assert _client(ada).get(url).status_code == 405
    assert _client(ada, csrf=True).post(url).status_code == 403
    assert NotificationRequest.objects.filter(pk=put_aside.pk).exists()


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get("/notifications/requests")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]
