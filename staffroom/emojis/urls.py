"""The administrators' custom emoji page."""

from django.urls import path

from staffroom.emojis import views

app_name = "emojis"

urlpatterns = [
    path("moderation/emojis", views.emoji_admin, name="admin"),
    path("moderation/emojis/<str:emoji_id>/<slug:action>", views.emoji_action, name="action"),
]
