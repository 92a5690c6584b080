"""Pages of posts: the composer, a post and its thread, hashtags and bookmarks."""

from django.urls import path

from staffroom.posts import views

app_name = "posts"

urlpatterns = [
    path("compose", views.compose, name="compose"),
    path("bookmarks", views.bookmarks_list, name="bookmarks-list"),
    path("tags/<str:name>", views.tag_detail, name="tag"),
    path("posts/<str:status_id>/<slug:action>", views.status_action, name="status-action"),
    path("@<str:handle>/<str:status_id>", views.status_detail, name="status-detail"),
    path("@<str:handle>/<str:status_id>/embed", views.status_embed, name="status-embed"),
    path("@<str:handle>/<str:status_id>/history", views.status_history, name="status-history"),
    path(
        "@<str:handle>/<str:status_id>/favourites",
        views.status_favourites,
        name="status-favourites",
    ),
    path("@<str:handle>/<str:status_id>/reshares", views.status_reshares, name="status-reshares"),
    path("@<str:handle>/<str:status_id>/edit", views.status_edit_page, name="status-edit"),
    path("@<str:handle>/<str:status_id>/delete", views.status_delete_page, name="status-delete"),
]
