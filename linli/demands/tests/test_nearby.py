"""Nearby open demands on the map and "我也遇到": counted, notified, followed with one's own phone, not a new order."""

import json

import pytest

from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.map_selectors import nearby_open_demands, staff_map_points
from linli.demands.models import Demand
from linli.demands.selectors import demand_track
from linli.demands.tests import factories as df
from linli.notify import services as ns

SCHOOL = (26.6565, 119.5478)  # the school gate of the test world (fictional position)


@pytest.fixture
def gate(world):
    return df.registered(world, text="校门口早高峰堵塞", latitude=SCHOOL[0], longitude=SCHOOL[1])


def test_nearby_shows_open_demands_within_the_radius_without_text(world, gate):
    df.registered(world, text="三公里外的件", latitude=SCHOOL[0] + 0.03, longitude=SCHOOL[1])
    near = nearby_open_demands(latitude=SCHOOL[0] + 0.001, longitude=SCHOOL[1], radius_m=500)
    assert [n.code for n in near] == [gate.code]
    assert 100 <= near[0].distance_m <= 120
    assert not hasattr(near[0], "text") and near[0].latitude == round(SCHOOL[0], 3)


def test_me_too_is_counted_once_and_not_a_new_order(world, gate):
    before = Demand.objects.count()
    demand, added = s.demand_me_too(demand_id=gate.pk, phone="13911112222", name="李先生")
    assert added and demand.supporters == 1
    assert s.demand_me_too(demand_id=gate.pk, phone="139 1111 2222")[1] is False  # the same person again
    assert s.demand_me_too(demand_id=gate.pk, phone="13812341234")[1] is False  # the one who filed it
    gate.refresh_from_db()
    assert (gate.supporters, gate.version, Demand.objects.count()) == (1, 1, before)
    assert gate.events.filter(kind="me_too").count() == 1
    assert demand_track(code=gate.code, phone_last4="2222").pk == gate.pk  # followed with one's own phone
    assert staff_map_points(user=world.user("dispatcher"))[0]["supporters"] == 1


def test_me_too_refused_when_closed_and_for_a_bad_phone(world, gate):
    with pytest.raises(ApplicationError) as bad:
        s.demand_me_too(demand_id=gate.pk, phone="12")
    assert bad.value.code == "resident.bad_phone"
    done = df.called_back(world, latitude=SCHOOL[0], longitude=SCHOOL[1])
    s.demand_close(actor=world.user("agent"), demand_id=done.pk)
    with pytest.raises(ApplicationError) as closed:
        s.demand_me_too(demand_id=done.pk, phone="13911113333")
    assert closed.value.code == "demand.transition_not_allowed"


def test_supporters_hear_when_they_join_and_with_the_reply(world, settings, tmp_path):
    path = tmp_path / "out.jsonl"
    channel = {"backend": "linli.notify.channels.FileChannel", "path": str(path)}
    settings.LINLI_NOTIFY_CHANNELS = dict.fromkeys(("sms", "wechat", "email", "webhook"), channel)
    ns.notify_collect()
    demand = df.in_progress(world, latitude=SCHOOL[0], longitude=SCHOOL[1])
    s.demand_me_too(demand_id=demand.pk, phone="13911114444")
    s.assignment_reply(
        actor=world.user("cg_handler"),
        demand_id=demand.pk,
        assignment_id=df.lead_of(demand).pk,
        result="已疏导",
    )
    ns.notify_run()
    to_supporter = [
        json.loads(line)["body"] for line in path.read_text().splitlines() if "13911114444" in line
    ]
    assert len(to_supporter) == 2
    assert "附议" in to_supporter[0] and "已疏导" in to_supporter[1]
