"""Writes of the social graph (see docs/subsystems/graph.md); one module per subdomain."""

from staffroom.graph.services.block import block_create, block_delete, mute_create, mute_delete
from staffroom.graph.services.connection import (
    connection_accept,
    connection_ask,
    connection_decline,
    connection_end,
)
from staffroom.graph.services.domain_block import (
    domain_block_create,
    domain_block_delete,
    domain_normalize,
)
from staffroom.graph.services.endorse import (
    ENDORSEMENTS_MAX,
    account_note_set,
    endorsement_create,
    endorsement_delete,
)
from staffroom.graph.services.follow import (
    follow_create,
    follow_delete,
    follow_request_authorize,
    follow_request_reject,
    follow_set_purposes,
    follower_remove,
)
from staffroom.graph.services.lists import (
    ACCOUNTS_PER_CALL_MAX,
    LISTS_PER_ACCOUNT_MAX,
    SuggestedList,
    default_purpose_lists_for,
    purpose_list_add_accounts,
    purpose_list_create,
    purpose_list_delete,
    purpose_list_remove_accounts,
    purpose_list_update,
    purpose_lists_create_defaults,
)

__all__ = [
    "ACCOUNTS_PER_CALL_MAX",
    "ENDORSEMENTS_MAX",
    "LISTS_PER_ACCOUNT_MAX",
    "SuggestedList",
    "account_note_set",
    "block_create",
    "block_delete",
    "connection_accept",
    "connection_ask",
    "connection_decline",
    "connection_end",
    "default_purpose_lists_for",
    "domain_block_create",
    "domain_block_delete",
    "domain_normalize",
    "endorsement_create",
    "endorsement_delete",
    "follow_create",
    "follow_delete",
    "follow_request_authorize",
    "follow_request_reject",
    "follow_set_purposes",
    "follower_remove",
    "mute_create",
    "mute_delete",
    "purpose_list_add_accounts",
    "purpose_list_create",
    "purpose_list_delete",
    "purpose_list_remove_accounts",
    "purpose_list_update",
    "purpose_lists_create_defaults",
]
