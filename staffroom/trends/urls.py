"""Trend pages: Explore and the moderators' review."""

from django.urls import path

from staffroom.trends import views

app_name = "trends"

urlpatterns = [
    path("explore", views.explore, name="explore"),
    path("explore/<slug:tab>", views.explore, name="explore-tab"),
    path("moderation/trends", views.review, name="review"),
    path(
        "moderation/trends/<slug:kind>/<str:item_id>/<slug:decision>",
        views.review_action,
        name="review-action",
    ),
]
