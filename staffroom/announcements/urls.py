"""Announcement pages: the administrators' page and the banner's dismiss button."""

from django.urls import path

from staffroom.announcements import views

app_name = "announcements"

urlpatterns = [
    path("moderation/announcements", views.announcement_admin, name="admin"),
    path(
        "moderation/announcements/<str:announcement_id>/edit",
        views.announcement_edit,
        name="edit",
    ),
    path(
        "moderation/announcements/<str:announcement_id>/<slug:action>",
        views.announcement_action,
        name="action",
    ),
    path(
        "announcements/<str:announcement_id>/dismiss",
        views.announcement_dismiss,
        name="dismiss",
    ),
]
