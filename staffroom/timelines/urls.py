"""Feed pages: home's poll, purpose-list feeds, the local timeline and the feed settings.
(Home itself is web's `/home`; the hashtag page is posts' `/tags/<name>`.)"""

from django.urls import path

from staffroom.timelines import views

app_name = "timelines"

urlpatterns = [
    path("home/new", views.home_new, name="home-new"),
    path("feeds", views.feeds_index, name="feeds-index"),
    path("feeds/lists/<int:list_id>", views.list_feed, name="list-feed"),
    path("feeds/lists/<int:list_id>/new", views.list_feed_new, name="list-feed-new"),
    path("local", views.local_feed, name="local-feed"),
    path("local/new", views.local_feed_new, name="local-feed-new"),
    path("tags/<str:name>/new", views.tag_feed_new, name="tag-feed-new"),
    path("settings/feed", views.feed_settings, name="feed-settings"),
]
