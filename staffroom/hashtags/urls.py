"""Pages of hashtags: follow and unfollow from a tag page, and Settings → Followed hashtags
(the tag page itself, `/tags/<name>`, is posts')."""

from django.urls import path

from staffroom.hashtags import views

app_name = "hashtags"

urlpatterns = [
    path("tags/<str:name>/follow", views.tag_follow_action, name="follow"),
    path("tags/<str:name>/unfollow", views.tag_unfollow_action, name="unfollow"),
    path("settings/hashtags", views.hashtags_settings, name="settings"),
    path("settings/hashtags/follow", views.settings_follow, name="settings-follow"),
    path("settings/hashtags/featured", views.featured_add, name="featured-add"),
    path(
        "settings/hashtags/featured/<str:featured_id>/remove",
        views.featured_remove,
        name="featured-remove",
    ),
]
