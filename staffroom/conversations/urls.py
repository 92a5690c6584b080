"""Conversation pages: the list, opening one, deleting one for oneself."""

from django.urls import path

from staffroom.conversations import views

app_name = "conversations"

urlpatterns = [
    path("conversations", views.conversation_list, name="list"),
    path("conversations/<str:conversation_id>", views.conversation_open, name="open"),
    path(
        "conversations/<str:conversation_id>/delete",
        views.conversation_delete,
        name="delete",
    ),
]
