"""Every write of the visits app. ``grep campaign_ / round_ / visit_ / meeting_ / action_item_`` lists them."""

from linli.visits.services.campaigns import (
    cadre_create,
    cadre_unavailable_add,
    campaign_create,
    plan_assignment_lock,
    plan_assignment_unlock,
    round_add,
    round_plan,
)
from linli.visits.services.meetings import (
    action_item_add,
    action_item_complete,
    action_item_demand_create,
    action_item_link_demand,
    action_item_reopen,
    designation_create,
    meeting_create,
    meeting_refer_demand,
    meeting_update,
)
from linli.visits.services.visits import (
    IssueInput,
    visit_issue_add,
    visit_issue_link,
    visit_record,
)

__all__ = [
    "IssueInput",
    "action_item_add",
    "action_item_complete",
    "action_item_demand_create",
    "action_item_link_demand",
    "action_item_reopen",
    "cadre_create",
    "cadre_unavailable_add",
    "campaign_create",
    "designation_create",
    "meeting_create",
    "meeting_refer_demand",
    "meeting_update",
    "plan_assignment_lock",
    "plan_assignment_unlock",
    "round_add",
    "round_plan",
    "visit_issue_add",
    "visit_issue_link",
    "visit_record",
]
