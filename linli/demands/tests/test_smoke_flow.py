from linli.demands import services as s
from linli.demands.tests import factories as f


def test_full_loop_reaches_closed_with_events(world):
    d = f.called_back(world)
    s.demand_close(actor=world.user("agent"), demand_id=d.pk)
    d.refresh_from_db()
    assert d.status == "closed"
    assert d.resolved is True
    kinds = list(d.events.values_list("kind", flat=True))
    assert kinds == [
        "registered",
        "category_changed",
        "dispatched",
        "signed",
        "replied",
        "called_back",
        "closed",
    ]
