"""Pages of posts: the composer, a post and its thread, hashtags and bookmarks."""

from django.urls import path

from staffroom.posts import views

app_name = "posts"

urlpatterns = [
    path("tags/<str:name>", views.tag_detail, name="tag"),
]
