"""Every (action, status) pair of the action-item table, through the services: allowed pairs lead where the
table says and leave an event; forbidden ones raise ``visits.transition_not_allowed`` and change nothing."""

import itertools

import pytest

from linli.visits import services as s
from linli.visits.errors import TransitionNotAllowed
from linli.visits.models import ActionItem, VisitsEvent
from linli.visits.states import ACTION_ITEM_TRANSITIONS, ActionStatus
from linli.visits.tests import factories as f

pytestmark = pytest.mark.django_db

CASES = list(itertools.product(ACTION_ITEM_TRANSITIONS, ActionStatus.values))


def test_the_walk_covers_every_pair():
    assert len(CASES) == 2 * 2 == len(set(CASES))
    assert [(a, st) for a, st in CASES if st in ACTION_ITEM_TRANSITIONS[a][0]] == [
        ("complete", "open"),
        ("reopen", "done"),
    ]
    for allowed, target in ACTION_ITEM_TRANSITIONS.values():
        assert allowed <= set(ActionStatus.values) and target in ActionStatus.values


@pytest.mark.parametrize(("action", "status"), CASES)
def test_action_item_transition(world, action, status):
    coord = world.user("coord")
    meeting = s.meeting_create(actor=coord, topic="协调会", held_at=f.evening())
    item = s.action_item_add(
        actor=coord, meeting_id=meeting.pk, text_="投放自行车", owner_unit_id=world.cg.pk, deadline=f.EVENING
    )
    ActionItem.objects.filter(pk=item.pk).update(status=status)
    allowed, target = ACTION_ITEM_TRANSITIONS[action]
    service = s.action_item_complete if action == "complete" else s.action_item_reopen
    actor = world.user("cg_handler") if action == "complete" else coord
    events = VisitsEvent.objects.filter(subject_type="action_item", subject_id=item.pk).count()
    if status in allowed:
        assert service(actor=actor, item_id=item.pk, note="已办").status == target
        assert (
            VisitsEvent.objects.filter(subject_type="action_item", subject_id=item.pk).count() == events + 1
        )
    else:
        with pytest.raises(TransitionNotAllowed) as caught:
            service(actor=actor, item_id=item.pk, note="已办")
        assert caught.value.code == "visits.transition_not_allowed"
        assert caught.value.details == {"action": action, "status": status}
    item.refresh_from_db()
    assert item.status == (target if status in allowed else status)
