"""The notification pages through the views: the list (grouped entries, the kind filter,
the empty state, the read position), dismissing and clearing (never another teacher's),
the away summary, the header badge's poll, the settings section, and the unsubscribe link
e-mails carry; CSRF on every signed-in form."""

from __future__ import annotations

import pytest
from django.test import Client

from staffroom.graph.services import block_create, follow_create
from staffroom.notifications.models import Notification, NotificationPreferences
from staffroom.notifications.selectors import read_position, unread_count
from staffroom.notifications.services import preferences_update, unsubscribe_token
from staffroom.posts.services import favourite_create
from staffroom.profiles.models import Profile
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

BACKEND = "staffroom.accounts.backends.EmailOrHandleBackend"


def _client(profile: Profile, *, csrf: bool = False) -> Client:
    assert profile.user is not None
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(profile.user, backend=BACKEND)
    return client


def _away(profile: Profile, away: bool) -> None:
    profile.is_away = away
    profile.save(update_fields=["is_away"])


@pytest.fixture
def busy_ada(ada, bo, cy, post, run_jobs) -> Profile:
    """Ada's post favourited by Bo, Cy and Di, a reply from Bo, and a follow from Cy."""
    status = post(ada, "Fractions with pizza slices")
    di = make_profile("di", display_name="Di")
    for fan in (cy, di, bo):
        favourite_create(actor=fan, status=status)
    post(bo, "Trying this tomorrow!", in_reply_to=status)
    follow_create(actor=cy, target=ada)
    run_jobs()
    return ada


# --- The list ---------------------------------------------------------------------------


def test_the_page_groups_favourites_and_shows_the_reply_and_the_follow(busy_ada):
    response = _client(busy_ada).get("/notifications")
    assert response.status_code == 200
    page = response.content.decode()
    assert "bo and 2 others favourited your post" in page
    assert "bo replied to your post" in page
    assert "Trying this tomorrow!" in page
    assert "Fractions with pizza slices" in page
    assert "cy followed you" in page
    assert "Open the thread" in page
    assert page.count('name="also"') == 2  # the favourites group dismisses as one entry


def test_the_filter_shows_only_the_chosen_kinds(busy_ada):
    page = _client(busy_ada).get("/notifications?filter=mentions").content.decode()
    assert "bo replied to your post" in page
    assert "favourited your post" not in page
    assert "followed you" not in page
    assert 'aria-current="page">Mentions and replies' in page


def test_an_unknown_filter_shows_everything(busy_ada):
    response = _client(busy_ada).get("/notifications?filter=<script>")
    assert response.status_code == 200
    assert "followed you" in response.content.decode()


def test_an_empty_list_says_so(ada):
    response = _client(ada).get("/notifications")
    assert response.status_code == 200
    assert "No notifications yet." in response.content.decode()
    assert "Clear all notifications" not in response.content.decode()


def test_a_filter_with_nothing_says_so(busy_ada):
    page = _client(busy_ada).get("/notifications?filter=connections").content.decode()
    assert "No notifications of this kind." in page


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get("/notifications")
    assert response.status_code == 302
    assert "next=/notifications" in response["Location"]


def test_opening_the_page_moves_the_read_position_to_the_newest(busy_ada):
    newest = Notification.objects.filter(recipient=busy_ada).latest("id")
    assert unread_count(busy_ada) == 3 + 1 + 1
    _client(busy_ada).get("/notifications")
    assert read_position(busy_ada) == newest.pk
    assert unread_count(busy_ada) == 0


def test_a_filtered_page_leaves_the_read_position_alone(busy_ada):
    _client(busy_ada).get("/notifications?filter=mentions")
    assert read_position(busy_ada) == 0


def test_notifications_from_an_account_blocked_since_are_hidden(busy_ada, cy):
    block_create(actor=busy_ada, target=cy)
    page = _client(busy_ada).get("/notifications").content.decode()
    assert "cy followed you" not in page


def test_paging_keeps_the_filter(ada, post, run_jobs):
    status = post(ada, "Times tables song")
    for index in range(21):
        fan = make_profile(f"fan{index}")
        follow_create(actor=fan, target=ada)
        post(fan, f"@ada reply {index}", in_reply_to=status)
    run_jobs()
    page = _client(ada).get("/notifications?filter=mentions").content.decode()
    assert "filter=mentions" in page.split('rel="next"')[0].rsplit("href=", 1)[1]


# --- Dismiss and clear ------------------------------------------------------------------


def test_dismissing_an_entry_deletes_its_group(busy_ada):
    favourites = Notification.objects.filter(recipient=busy_ada, kind="favourite").order_by("-id")
    latest, *others = favourites
    response = _client(busy_ada).post(
        f"/notifications/{latest.pk}/dismiss", {"also": [n.pk for n in others]}
    )
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=busy_ada, kind="favourite").exists()
    assert Notification.objects.filter(recipient=busy_ada).count() == 2


def test_dismissing_with_htmx_answers_the_entry_in_place(busy_ada):
    notification = Notification.objects.filter(recipient=busy_ada, kind="follow").get()
    response = _client(busy_ada).post(
        f"/notifications/{notification.pk}/dismiss", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Notification dismissed." in response.content.decode()
    assert not Notification.objects.filter(pk=notification.pk).exists()


def test_another_teachers_notification_is_a_404_and_nothing_is_deleted(busy_ada, bo):
    theirs = Notification.objects.filter(recipient=busy_ada).latest("id")
    response = _client(bo).post(f"/notifications/{theirs.pk}/dismiss")
    assert response.status_code == 404
    unknown = _client(bo).post("/notifications/999999999/dismiss")
    assert unknown.status_code == 404
    garbled = _client(bo).post("/notifications/not-an-id/dismiss")
    assert garbled.status_code == 404
    in_place = _client(bo).post(
        f"/notifications/{theirs.pk}/dismiss", headers={"HX-Request": "true"}
    )
    assert in_place.status_code == 404
    assert "dismissed already" in in_place.content.decode()
    assert "<html" not in in_place.content.decode()
    assert Notification.objects.filter(pk=theirs.pk).exists()


def test_another_teachers_ids_slipped_into_a_group_are_left_alone(busy_ada, bo, post, run_jobs):
    follow_create(actor=busy_ada, target=bo)
    run_jobs()
    mine = Notification.objects.get(recipient=bo)
    theirs = Notification.objects.filter(recipient=busy_ada).latest("id")
    _client(bo).post(f"/notifications/{mine.pk}/dismiss", {"also": [theirs.pk]})
    assert Notification.objects.filter(pk=theirs.pk).exists()
    assert not Notification.objects.filter(pk=mine.pk).exists()


def test_clear_all_deletes_only_the_teachers_notifications(busy_ada, bo, run_jobs):
    follow_create(actor=busy_ada, target=bo)
    run_jobs()
    response = _client(busy_ada).post("/notifications/clear")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=busy_ada).exists()
    assert Notification.objects.filter(recipient=bo).exists()


def test_the_actions_are_post_only(busy_ada):
    notification = Notification.objects.filter(recipient=busy_ada).latest("id")
    client = _client(busy_ada)
    assert client.get(f"/notifications/{notification.pk}/dismiss").status_code == 405
    assert client.get("/notifications/clear").status_code == 405
    assert Notification.objects.filter(pk=notification.pk).exists()


@pytest.mark.parametrize(
    "path", ["/notifications/{id}/dismiss", "/notifications/clear", "/settings/notifications"]
)
def test_signed_in_forms_need_a_csrf_token(busy_ada, path):
    notification = Notification.objects.filter(recipient=busy_ada).latest("id")
    response = _client(busy_ada, csrf=True).post(
        path.format(id=notification.pk), {"emailed": ["mention"]}
    )
    assert response.status_code == 403
    assert Notification.objects.filter(recipient=busy_ada).count() == 5
    assert not NotificationPreferences.objects.filter(owner=busy_ada).exists()


def test_got_it_needs_a_csrf_token(ada):
    response = _client(ada, csrf=True).post("/notifications/away-summary/seen")
    assert response.status_code == 403
    assert not NotificationPreferences.objects.filter(owner=ada).exists()


# --- While away -------------------------------------------------------------------------


def test_the_away_summary_is_shown_on_return_and_dismissed_with_got_it(ada, bo, cy, run_jobs):
    _away(ada, True)
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    run_jobs()
    assert "While you were away" not in _client(ada).get("/notifications").content.decode()
    _away(ada, False)
    page = _client(ada).get("/notifications").content.decode()
    assert "While you were away: 2 new followers" in page
    response = _client(ada).post("/notifications/away-summary/seen")
    assert response.status_code == 302
    assert "While you were away" not in _client(ada).get("/notifications").content.decode()


# --- The badge --------------------------------------------------------------------------


def test_the_badge_counts_unread_notifications(busy_ada):
    response = _client(busy_ada).get("/notifications/badge")
    assert response.status_code == 200
    assert '<span class="badge">5</span>' in response.content.decode()
    assert "seen=5" in response.content.decode()


def test_the_badge_answers_204_when_the_count_has_not_changed(busy_ada):
    assert _client(busy_ada).get("/notifications/badge?seen=5").status_code == 204


def test_the_badge_is_empty_at_zero(ada):
    response = _client(ada).get("/notifications/badge?seen=3")
    assert response.status_code == 200
    assert 'class="badge"' not in response.content.decode()


def test_the_badge_is_empty_while_away(busy_ada):
    _away(busy_ada, True)
    response = _client(busy_ada).get("/notifications/badge")
    assert response.status_code == 200
    assert 'class="badge"' not in response.content.decode()


def test_the_badge_answers_204_when_signed_out():
    assert Client().get("/notifications/badge").status_code == 204


def test_the_header_loads_the_badge_without_costing_the_page_a_query(busy_ada):
    page = _client(busy_ada).get("/feeds").content.decode()
    assert 'hx-get="/notifications/badge?seen=0" hx-trigger="load, every 30s, ' in page
    assert 'class="badge"' not in page


def test_signed_out_pages_have_no_badge():
    page = Client().get("/local").content.decode()
    assert "notifications/badge" not in page


# --- Settings ---------------------------------------------------------------------------


def test_settings_show_the_current_choices(ada):
    preferences_update(ada, muted_kinds=["follow"], email_kinds=["mention"])
    page = _client(ada).get("/settings/notifications").content.decode()
    assert 'value="mention" id="id_shown_0" checked>' in page
    assert 'value="follow" id="id_shown_4">' in page
    assert 'value="mention" id="id_emailed_0" checked>' in page
    assert 'value="follow" id="id_emailed_4">' in page
    assert 'aria-current="page">Notifications' in page
    assert "batches" in page


def test_settings_save(ada):
    response = _client(ada).post(
        "/settings/notifications",
        {"shown": ["mention", "favourite"], "emailed": ["mention"]},
    )
    assert response.status_code == 302
    preferences = NotificationPreferences.objects.get(owner=ada)
    assert "follow" in preferences.muted_kinds
    assert "mention" not in preferences.muted_kinds
    assert preferences.email_kinds == ["mention"]


def test_settings_refuse_an_unknown_kind_with_422_and_keep_the_form(ada):
    response = _client(ada).post(
        "/settings/notifications", {"shown": ["mention"], "emailed": ["mention", "gossip"]}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "gossip is not one of the available choices" in page
    assert 'value="mention" id="id_emailed_0" aria-invalid="true" checked' in page
    assert not NotificationPreferences.objects.filter(owner=ada).exists()


# --- Unsubscribe ------------------------------------------------------------------------


def test_the_unsubscribe_page_needs_no_sign_in_and_asks_first(ada):
    preferences_update(ada, email_kinds=["mention", "follow"])
    response = Client().get(f"/notifications/unsubscribe/{unsubscribe_token(ada)}")
    assert response.status_code == 200
    assert ">Unsubscribe</button>" in response.content.decode()
    assert NotificationPreferences.objects.get(owner=ada).email_kinds == ["follow", "mention"]


def test_unsubscribe_post_turns_emails_off_without_a_csrf_cookie(ada):
    preferences_update(ada, email_kinds=["mention", "follow"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/notifications/unsubscribe/{unsubscribe_token(ada)}",
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert NotificationPreferences.objects.get(owner=ada).email_kinds == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_token_is_a_400_and_changes_nothing(ada, method):
    preferences_update(ada, email_kinds=["mention"])
    token = unsubscribe_token(ada)
    response = getattr(Client(), method)(f"/notifications/unsubscribe/{token[:-2]}xx")
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert NotificationPreferences.objects.get(owner=ada).email_kinds == ["mention"]
