"""Discovery documents served beside the Mastodon API: NodeInfo."""

from __future__ import annotations

from django.urls import path

from staffroom.mastodon_api import nodeinfo

app_name = "mastodon_api"
urlpatterns = [
    path(".well-known/nodeinfo", nodeinfo.well_known_nodeinfo, name="nodeinfo-links"),
    path("nodeinfo/<str:version>", nodeinfo.nodeinfo, name="nodeinfo"),
]
