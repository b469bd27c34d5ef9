"""Eleven demands with known outcomes over March and April 2025, built through the services at set times.

The figures each test expects are worked out by hand from this table, not
computed by the code under test. Sign deadlines are 2 working hours
(08:30–12:00, 14:00–17:30), finish deadlines 7 working days for a complaint
or a help request. Every date below is an ordinary working day.

==== ========== ============ ======== =========== ======================================================
name registered community    channel  lead unit   story
==== ========== ============ ======== =========== ======================================================
d1   03-10      金榕社区     hotline  CG          signed on time, replied on time, resolved + satisfied, closed
d2   03-10      金榕社区     hotline  CG (+JJ)    CG signed late, JJ on time; replied late; resolved, not rated; closed
d3   03-10      金榕社区     hotline  —           consultation resolved at intake, no category
d4   03-11      金榕社区     hotline  JR          unresolved + unsatisfied, reopened to JR, then resolved + satisfied; closed
d5   03-11      涵江村       web      JH          street office; replied late; resolved, not rated; closed
d6   03-11      金榕社区     hotline  —           merged into d2
d7   03-31      金榕社区     night    JJ          help; resolved + satisfied; called back but not closed
d8   03-31      金榕社区     hotline  CG          signed on time (next morning), still in progress
d9   04-14      金榕社区     open311  JR (was CG) re-dispatched from CG before CG signed; resolved + satisfied; closed
d10  04-14      —            walk_in  —           report marked invalid, no community, no category
d11  04-14      金榕社区     hotline  CG          replied late; resolved but unsatisfied; closed
==== ========== ============ ======== =========== ======================================================

CG 区城管局 and JJ 区交警大队 are departments; JR 金榕社区居委会 is a
community committee and JH 金涵乡政府 a street office (both grassroots).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from linli.core import clock
from linli.demands import services as s

TZ = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=TZ)


class Story:
    def __init__(self, world) -> None:
        self.w = world
        self.d: dict[str, object] = {}

    # --- steps, each at a given moment ---------------------------------------------------------

    def register(self, name: str, when: dt.datetime, **kw):
        fields = dict(
            channel="hotline",
            demand_type="complaint",
            text="学校门口早晚高峰堵车，流动摊贩占道。",
            community_id=self.w.community.pk,
            phone="13812341234",
            name="王女士",
        )
        fields.update(kw)
        with clock.at(when):
            self.d[name] = s.demand_register(actor=self.w.user("agent"), **fields)
        return self.d[name]

    def dispatch(self, name: str, when: dt.datetime, lead, category, assisting=()):
        with clock.at(when):
            s.demand_dispatch(
                actor=self.w.user("dispatcher"),
                demand_id=self.d[name].pk,
                lead_unit_id=lead.pk,
                category_id=category.pk,
                assisting_unit_ids=[u.pk for u in assisting],
            )

    def _active(self, name: str, unit):
        return self.d[name].assignments.get(unit=unit, status__in=["pending_sign", "signed"])

    def sign(self, name: str, when: dt.datetime, unit, user: str):
        with clock.at(when):
            s.assignment_sign(
                actor=self.w.user(user), demand_id=self.d[name].pk, assignment_id=self._active(name, unit).pk
            )

    def reply(self, name: str, when: dt.datetime, unit, user: str):
        with clock.at(when):
            s.assignment_reply(
                actor=self.w.user(user),
                demand_id=self.d[name].pk,
                assignment_id=self._active(name, unit).pk,
                result="已处理，现场已恢复正常。",
            )

    def callback(self, name: str, when: dt.datetime, *, resolved: bool, satisfaction: str):
        with clock.at(when):
            s.demand_callback(
                actor=self.w.user("agent"),
                demand_id=self.d[name].pk,
                resolved=resolved,
                satisfaction=satisfaction,
            )

    def close(self, name: str, when: dt.datetime):
        with clock.at(when):
            s.demand_close(actor=self.w.user("agent"), demand_id=self.d[name].pk)


def build(world) -> Story:
    w, st = world, Story(world)
    mid, vendors, traffic = w.categories["mid"], w.categories["vendors"], w.categories["traffic"]

    st.register("d1", at(3, 10, 8, 50), category_id=mid.pk)
    st.dispatch("d1", at(3, 10, 9, 0), w.cg, mid)  # sign due 11:00
    st.sign("d1", at(3, 10, 9, 30), w.cg, "cg_handler")
    st.reply("d1", at(3, 12, 10), w.cg, "cg_handler")  # finish due 03-19
    st.callback("d1", at(3, 13, 10), resolved=True, satisfaction="satisfied")
    st.close("d1", at(3, 13, 10, 5))

    st.register("d2", at(3, 10, 9, 10), category_id=mid.pk)
    st.dispatch("d2", at(3, 10, 9, 15), w.cg, mid, assisting=[w.jj])  # sign due 11:15
    st.sign("d2", at(3, 10, 9, 40), w.jj, "jj_handler")
    st.sign("d2", at(3, 10, 14, 30), w.cg, "cg_handler")  # late
    st.reply("d2", at(3, 11, 9), w.jj, "jj_handler")

    st.register("d3", at(3, 10, 10), demand_type="consultation")
    with clock.at(at(3, 10, 10, 5)):
        s.demand_resolve_at_intake(
            actor=w.user("agent"), demand_id=st.d["d3"].pk, answer="社保卡补办请到区政务中心。"
        )

    st.register("d4", at(3, 11, 9), category_id=vendors.pk)
    st.dispatch("d4", at(3, 11, 9, 5), w.committee, vendors)  # sign due 11:05
    st.sign("d4", at(3, 11, 9, 20), w.committee, "worker")
    st.reply("d4", at(3, 12, 9), w.committee, "worker")
    st.callback("d4", at(3, 13, 10), resolved=False, satisfaction="unsatisfied")
    with clock.at(at(3, 13, 14)):
        s.demand_reopen(
            actor=w.user("agent"), demand_id=st.d["d4"].pk, reason="群众反映摊贩仍在"
        )  # sign due 16:00
    st.sign("d4", at(3, 13, 15), w.committee, "worker")
    st.reply("d4", at(3, 14, 10), w.committee, "worker")
    st.callback("d4", at(3, 17, 10), resolved=True, satisfaction="satisfied")
    st.close("d4", at(3, 17, 10, 5))

    st.register("d5", at(3, 11, 10), channel="web", community_id=w.other_community.pk, category_id=traffic.pk)
    st.dispatch("d5", at(3, 11, 10, 5), w.street_office, traffic)  # sign due 14:05, finish due 03-20
    st.sign("d5", at(3, 11, 10, 30), w.street_office, "admin")

    st.register("d6", at(3, 11, 11), category_id=mid.pk)
    with clock.at(at(3, 11, 11, 10)):
        s.demand_merge(actor=w.user("dispatcher"), demand_id=st.d["d6"].pk, master_id=st.d["d2"].pk)

    st.reply("d5", at(3, 21, 10), w.street_office, "admin")  # late
    st.callback("d5", at(3, 24, 10), resolved=True, satisfaction="")
    st.close("d5", at(3, 24, 10, 5))

    st.reply("d2", at(3, 24, 10), w.cg, "cg_handler")  # late: due 03-19
    st.callback("d2", at(3, 25, 10), resolved=True, satisfaction="")
    st.close("d2", at(3, 25, 10, 5))

    st.register("d7", at(3, 31, 16), channel="night_visit", demand_type="help", category_id=traffic.pk)
    st.dispatch("d7", at(3, 31, 16, 10), w.jj, traffic)  # sign due 04-01 09:10
    st.register("d8", at(3, 31, 17), category_id=mid.pk)
    st.dispatch("d8", at(3, 31, 17, 5), w.cg, mid)  # sign due 04-01 10:05
    st.sign("d7", at(4, 1, 9), w.jj, "jj_handler")
    st.sign("d8", at(4, 1, 9), w.cg, "cg_handler")
    st.reply("d7", at(4, 2, 10), w.jj, "jj_handler")
    st.callback("d7", at(4, 3, 10), resolved=True, satisfaction="satisfied")

    st.register("d9", at(4, 14, 9), channel="open311", demand_type="help", category_id=mid.pk)
    st.dispatch("d9", at(4, 14, 9, 5), w.cg, mid)
    with clock.at(at(4, 14, 9, 30)):
        s.demand_redispatch(
            actor=w.user("dispatcher"),
            demand_id=st.d["d9"].pk,
            lead_unit_id=w.committee.pk,
            reason="属社区事务",
        )  # sign due 11:30
    st.sign("d9", at(4, 14, 9, 45), w.committee, "worker")
    st.reply("d9", at(4, 15, 10), w.committee, "worker")
    st.callback("d9", at(4, 16, 10), resolved=True, satisfaction="satisfied")
    st.close("d9", at(4, 16, 10, 5))

    st.register("d10", at(4, 14, 10), channel="walk_in", demand_type="report", community_id=None)
    with clock.at(at(4, 14, 10, 30)):
        s.demand_mark_invalid(actor=w.user("dispatcher"), demand_id=st.d["d10"].pk, reason="内容与诉求无关")

    st.register("d11", at(4, 14, 11), category_id=traffic.pk)
    st.dispatch("d11", at(4, 14, 11, 5), w.cg, traffic)  # sign due 15:05, finish due 04-23
    st.sign("d11", at(4, 14, 11, 30), w.cg, "cg_handler")
    st.reply("d11", at(4, 25, 10), w.cg, "cg_handler")  # late
    st.callback("d11", at(4, 28, 10), resolved=True, satisfaction="unsatisfied")
    st.close("d11", at(4, 28, 10, 5))
    return st
