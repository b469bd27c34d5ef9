"""Every write of the empowerment app. ``grep posting_ / volunteer_ / team_ / term_ / shift / roster_ /
assignment_ / swap_`` lists them."""

from linli.empower.services.duty import (
    assignment_check_in,
    assignment_check_out,
    assignment_no_show,
    assignment_swap,
    swap_request,
)
from linli.empower.services.people import (
    posting_create,
    team_create,
    team_member_add,
    volunteer_availability_set,
    volunteer_create,
)
from linli.empower.services.roster import (
    assignment_add,
    assignment_lock,
    roster_plan,
    shift_add,
    shift_template_add,
    shifts_generate,
    term_break_add,
    term_create,
)

__all__ = [
    "assignment_add",
    "assignment_check_in",
    "assignment_check_out",
    "assignment_lock",
    "assignment_no_show",
    "assignment_swap",
    "posting_create",
    "roster_plan",
    "shift_add",
    "shift_template_add",
    "shifts_generate",
    "swap_request",
    "team_create",
    "team_member_add",
    "term_break_add",
    "term_create",
    "volunteer_availability_set",
    "volunteer_create",
]
