"""Notification pages: the list, its live part and its actions, the header badge's poll,
the settings section and the unsubscribe link e-mails carry."""

from django.urls import path

from staffroom.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications", views.notification_list, name="list"),
    path("notifications/badge", views.badge, name="badge"),
    path("notifications/newer", views.notifications_newer, name="newer"),
    path("notifications/clear", views.notifications_clear, name="clear"),
    path("notifications/away-summary/seen", views.away_summary_seen, name="away-seen"),
    path("notifications/unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("notifications/requests", views.request_list, name="requests"),
    path(
        "notifications/requests/<str:request_id>/<slug:action>",
        views.request_action,
        name="request-action",
    ),
    path(
        "notifications/<str:notification_id>/dismiss",
        views.notification_dismiss,
        name="dismiss",
    ),
    path("settings/notifications", views.notification_settings, name="settings"),
    path("settings/notifications/policy", views.notification_policy, name="policy"),
]
