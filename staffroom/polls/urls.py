"""Voting on a poll from a post's card."""

from django.urls import path

from staffroom.polls import views

app_name = "polls"

urlpatterns = [
    path("polls/<str:poll_id>/vote", views.poll_vote_page, name="poll-vote"),
]
