"""Demands in a given state, built through the services as a user would."""

from __future__ import annotations

from linli.demands import services as s


def registered(world, **kw):
    fields = dict(
        channel="hotline",
        demand_type="complaint",
        text="学校门口早晚高峰堵车，流动摊贩占道。",
        address="金榕路1号",
        community_id=world.community.pk,
        phone="13812341234",
        name="王女士",
    )
    fields.update(kw)
    return s.demand_register(actor=world.user("agent"), **fields)


def dispatched(world, *, assisting=(), **kw):
    d = registered(world, **kw)
    return s.demand_dispatch(
        actor=world.user("dispatcher"),
        demand_id=d.pk,
        category_id=world.categories["mid"].pk,
        lead_unit_id=world.cg.pk,
        assisting_unit_ids=[u.pk for u in assisting],
    )


def lead_of(demand):
    return demand.assignments.get(role="lead", status__in=["pending_sign", "signed", "return_requested"])


def in_progress(world, **kw):
    d = dispatched(world, **kw)
    s.assignment_sign(actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead_of(d).pk)
    d.refresh_from_db()
    return d


def replied(world, **kw):
    d = in_progress(world, **kw)
    s.assignment_reply(
        actor=world.user("cg_handler"),
        demand_id=d.pk,
        assignment_id=lead_of(d).pk,
        result="已协调清理摊贩，设置护学岗。",
    )
    d.refresh_from_db()
    return d


def called_back(world, *, resolved=True, satisfaction="satisfied", **kw):
    d = replied(world, **kw)
    s.demand_callback(
        actor=world.user("agent"),
        demand_id=d.pk,
        resolved=resolved,
        satisfaction=satisfaction,
        note="电话回访",
    )
    d.refresh_from_db()
    return d
