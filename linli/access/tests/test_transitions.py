"""Every (action, status) pair of access's two transition tables, through the services.

Allowed pairs succeed and lead where the table says; forbidden pairs raise the stable error
(``access.already_decided`` for requests, ``access.task_transition_not_allowed`` for tasks) and change nothing.
Two actions move rows in bulk instead of one at a time: the approval sweep (``escalate``) and a decision's
effect on its tasks (``admit``, ``withdraw``); there a forbidden row is left as it was.
"""

import datetime as dt
import itertools

import pytest

from linli.access import services as s
from linli.access.errors import AlreadyDecided, TaskTransitionNotAllowed
from linli.access.models import AccessRequest, RequestEvent, Task
from linli.access.states import REQUEST_TRANSITIONS, TASK_TRANSITIONS, RequestStatus, TaskStatus
from linli.access.tests import factories as f
from linli.core import clock

pytestmark = pytest.mark.django_db

REQUEST_CASES = list(itertools.product(REQUEST_TRANSITIONS, RequestStatus.values))
TASK_CASES = list(itertools.product(TASK_TRANSITIONS, TaskStatus.values))


def test_the_walks_cover_every_pair_of_both_tables():
    assert len(REQUEST_CASES) == 5 * 6 == len(set(REQUEST_CASES))
    assert len(TASK_CASES) == 4 * 5 == len(set(TASK_CASES))
    # Only a pending request can be decided, commented on or escalated; only an awaiting task admitted,
    # withdrawn or refused; an admitted (or already reported) task reported on.
    assert sum(st in REQUEST_TRANSITIONS[a][0] for a, st in REQUEST_CASES) == 5
    assert sum(st in TASK_TRANSITIONS[a][0] for a, st in TASK_CASES) == 5
    for table, statuses in (
        (REQUEST_TRANSITIONS, RequestStatus.values),
        (TASK_TRANSITIONS, TaskStatus.values),
    ):
        for allowed, target in table.values():
            assert allowed and allowed <= set(statuses) and (target is None or target in statuses)


def _request_in(world, status: str) -> AccessRequest:
    req = f.pending(world)  # awaiting the office's decision, with one task for 金榕社区
    AccessRequest.objects.filter(pk=req.pk).update(
        status=status, approval_due=clock.now() - dt.timedelta(days=1)
    )
    return req


def _request_act(world, action: str, req: AccessRequest):
    if action == "opinion":
        return s.request_opinion_add(actor=world.user("cg_boss"), request_id=req.pk, opinion="建议同意")
    if action == "escalate":
        return s.approval_sweep()
    return s.request_decide(actor=world.user("coord"), request_id=req.pk, decision=action, reason="职责不清")


@pytest.mark.parametrize(("action", "status"), REQUEST_CASES)
def test_request_transition(world, cat, action, status):
    req = _request_in(world, status)
    allowed, target = REQUEST_TRANSITIONS[action]
    events = RequestEvent.objects.filter(request=req).count()
    if status in allowed:
        result = _request_act(world, action, req)
        req.refresh_from_db()
        assert req.status == (target or status)
        assert RequestEvent.objects.filter(request=req).count() == events + 1
        if action == "escalate":
            assert result == 1 and req.escalated_at is not None
    elif action == "escalate":
        assert _request_act(world, action, req) == 0
        req.refresh_from_db()
        assert req.escalated_at is None
    else:
        with pytest.raises(AlreadyDecided) as caught:
            _request_act(world, action, req)
        assert caught.value.code == "access.already_decided"
        assert caught.value.details == {"action": action, "status": status}
    req.refresh_from_db()
    assert req.status == (target or status if status in allowed else status)


def _task_in(world, status: str) -> Task:
    req = f.pending(world)
    task = Task.objects.get(request=req, community=world.community)
    Task.objects.filter(pk=task.pk).update(status=status)
    return task


@pytest.mark.parametrize(("action", "status"), TASK_CASES)
def test_task_transition(world, cat, action, status):
    task = _task_in(world, status)
    allowed, target = TASK_TRANSITIONS[action]
    if action in ("admit", "withdraw"):  # the office's decision moves the request's tasks that may move
        decision = "approve_once" if action == "admit" else "reject"
        s.request_decide(
            actor=world.user("coord"), request_id=task.request_id, decision=decision, reason="不同意"
        )
        task.refresh_from_db()
        assert task.status == (target if status in allowed else status)
        return
    worker = world.user("worker")

    def act():
        if action == "refuse":
            return s.task_refuse(actor=worker, task_id=task.pk, reason="未经准入")
        return s.task_report(actor=worker, task_id=task.pk, note="已完成")

    if status in allowed:
        assert act().status == target
    else:
        with pytest.raises(TaskTransitionNotAllowed) as caught:
            act()
        assert caught.value.code == "access.task_transition_not_allowed"
        assert caught.value.details == {"action": action, "status": status, "from": status, "to": target}
    task.refresh_from_db()
    assert task.status == (target if status in allowed else status)
