"""Pages of the social graph (a package: the follow control, the network pages, the settings
pages). Each view checks its input, calls one graph service or selector, and renders; every
action is a POST form that works without JavaScript, and with htmx the control swaps in place.
Domain errors become a page (or the control) with their status; nothing is changed then.
"""

from staffroom.graph.views._common import control_options, relationships_by_id
from staffroom.graph.views.control import account_action
from staffroom.graph.views.network import (
    connections_list,
    followers_list,
    following_list,
    list_delete,
    list_detail,
    list_member_remove,
    lists_create_defaults,
    lists_list,
    network_index,
    profile_followers,
    profile_following,
    requests_list,
)
from staffroom.graph.views.settings import (
    blocks_list,
    domain_block_add,
    domain_block_remove,
    mutes_list,
)

__all__ = [
    "account_action",
    "blocks_list",
    "connections_list",
    "control_options",
    "domain_block_add",
    "domain_block_remove",
    "followers_list",
    "following_list",
    "list_delete",
    "list_detail",
    "list_member_remove",
    "lists_create_defaults",
    "lists_list",
    "mutes_list",
    "network_index",
    "profile_followers",
    "profile_following",
    "relationships_by_id",
    "requests_list",
]
