"""Every write of the Open311 app."""

from linli.open311.services.intake import Open311Post, open311_request_submit
from linli.open311.services.keys import open311_key_authenticate, open311_key_create, open311_key_revoke
from linli.open311.services.outbound import open311_link_retry, open311_outbound_sync, open311_send

__all__ = [
    "Open311Post",
    "open311_key_authenticate",
    "open311_key_create",
    "open311_key_revoke",
    "open311_link_retry",
    "open311_outbound_sync",
    "open311_request_submit",
    "open311_send",
]
