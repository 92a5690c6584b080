"""Pages of the social graph: the follow control's actions, the network pages, blocks and
mutes (under /settings), and a profile's followers and following."""

from django.urls import path

from staffroom.graph import views

app_name = "graph"

urlpatterns = [
    path("network", views.network_index, name="network-index"),
    path(
        "network/accounts/<int:profile_id>/<slug:action>",
        views.account_action,
        name="account-action",
    ),
    path("network/followers", views.followers_list, name="followers-list"),
    path("network/following", views.following_list, name="following-list"),
    path("network/connections", views.connections_list, name="connections-list"),
    path("network/requests", views.requests_list, name="requests-list"),
    path("network/lists", views.lists_list, name="lists-list"),
    path("network/lists/defaults", views.lists_create_defaults, name="lists-defaults"),
    path("network/lists/<str:list_id>", views.list_detail, name="list-detail"),
    path("network/lists/<str:list_id>/delete", views.list_delete, name="list-delete"),
    path("network/lists/<str:list_id>/remove", views.list_member_remove, name="list-member-remove"),
    path("settings/blocks", views.blocks_list, name="blocks-list"),
    path("settings/blocks/domains", views.domain_block_add, name="domain-block-add"),
    path("settings/blocks/domains/remove", views.domain_block_remove, name="domain-block-remove"),
    path("settings/mutes", views.mutes_list, name="mutes-list"),
    path("@<str:handle>/followers", views.profile_followers, name="profile-followers"),
    path("@<str:handle>/following", views.profile_following, name="profile-following"),
]
