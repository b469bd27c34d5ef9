"""The one transition check: the target from an allowed status, the app's typed error from any other."""

import pytest

from linli.core.errors import Conflict
from linli.core.transitions import moving, starting_from, transition_target


class NotNow(Conflict):
    code = "test.transition_not_allowed"


TABLE = {
    "close": (frozenset({"open", "paused"}), "closed"),
    "comment": (frozenset({"open"}), None),
}


def test_an_allowed_start_answers_the_target_or_none_to_keep_the_status():
    assert transition_target(TABLE, "close", "paused", error=NotNow) == "closed"
    assert transition_target(TABLE, "comment", "open", error=NotNow) is None
    assert starting_from(TABLE, "close") == ["open", "paused"]


def test_a_forbidden_start_raises_the_apps_error_with_action_status_and_extra_details():
    with pytest.raises(NotNow) as caught:
        transition_target(TABLE, "close", "closed", error=NotNow, unit="城管局")
    assert caught.value.code == "test.transition_not_allowed" and caught.value.status == 409
    assert caught.value.details == {"action": "close", "status": "closed", "unit": "城管局"}
    with pytest.raises(KeyError):  # an action the table lacks is a programming error, not a user's
        transition_target(TABLE, "reopen", "closed", error=NotNow)


def test_an_action_that_must_move_gets_its_target_and_a_table_without_one_is_a_programming_error():
    assert moving(transition_target(TABLE, "close", "open", error=NotNow), "close") == "closed"
    with pytest.raises(LookupError):
        moving(transition_target(TABLE, "comment", "open", error=NotNow), "comment")
