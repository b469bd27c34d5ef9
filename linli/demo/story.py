"""One demand's life as a story: the steps it takes through the services, each at its moment.

A story is a generator that yields the moment of its next step and, when
resumed, performs that step (the driver in ``linli.demo.life`` resumes it
inside ``clock.at(moment)``). ``Spec.plan`` and ``Spec.flags`` decide the
path; ``Cast`` picks the people and units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from functools import partial

from linli.core.calendar import add_working_days
from linli.demands.services import (
    assignment_reply,
    assignment_return,
    assignment_return_decide,
    assignment_sign,
    demand_callback,
    demand_close,
    demand_dispatch,
    demand_escalate,
    demand_mark_invalid,
    demand_merge,
    demand_redispatch,
    demand_register,
    demand_reopen,
    demand_resolve_at_intake,
    demand_withdraw,
    extension_decide,
    extension_request,
)
from linli.demands.states import Channel, DemandStatus
from linli.demo import texts
from linli.demo.cast import Cast
from linli.demo.plan import Planner, Spec
from linli.demo.timing import MINUTE, aware, local, on_duty, on_time_reply, work_after
from linli.demo.world import SCHOOL_GATE, World

Story = Generator[dt.datetime, None, None]
Steps = Generator[dt.datetime, None, dt.datetime]  # returns the moment of its last step
MERGEABLE = {
    DemandStatus.REGISTERED,
    DemandStatus.DISPATCHED,
    DemandStatus.IN_PROGRESS,
    DemandStatus.RETURNED,
    DemandStatus.REPLIED,
    DemandStatus.CALLED_BACK,
}


class Ended(Exception):
    """The demand's story stops here (withdrawn, or pinned to an open state)."""


class Stories:
    """Tells each demand's story. ``deadline_missed(due)`` is told whenever a step will come after a deadline."""

    def __init__(self, world: World, planner: Planner, deadline_missed: Callable[[dt.datetime | None], None]):
        self.world, self.planner, self.deadline_missed = world, planner, deadline_missed
        self.cast = Cast(world, planner)
        self.agents, self.dispatchers = self.cast.agents, self.cast.dispatchers

    def life(self, s: Spec) -> Story:
        try:
            yield from self._story(s)
        except Ended:
            return

    def _story(self, s: Spec) -> Story:
        rng = s.rng
        yield s.at
        registrar = self.cast.registrar(s)
        d = demand_register(
            channel=s.channel,
            demand_type=s.demand_type,
            text=s.text,
            urgency=s.urgency,
            title=s.title,
            address=s.address,
            community_id=s.community.j.pk if s.community else None,
            latitude=s.lat,
            longitude=s.lng,
            phone=s.phone or None,
            name=s.name,
            actor=registrar,
            category_id=None if s.leaf is None or "classify_at_dispatch" in s.flags else s.leaf.category.pk,
            external_ref=f"JWRX{local(s.at):%Y%m%d}{s.idx:05d}" if s.channel == Channel.IMPORT else "",
        )
        s.demand_id, s.status = d.pk, DemandStatus.REGISTERED
        if s.plan == "intake":
            yield (
                s.at + rng.randint(2, 9) * MINUTE
                if registrar
                else on_duty(rng, s.at + rng.randint(10, 120) * MINUTE)
            )
            demand_resolve_at_intake(
                actor=registrar or rng.choice(self.agents),
                demand_id=d.pk,
                answer=s.template.answer or texts.INTAKE_HELP_ANSWER,
            )
            return
        if s.plan == "invalid":
            prank = s.channel == Channel.HOTLINE
            yield (
                s.at + rng.randint(1, 5) * MINUTE
                if prank
                else on_duty(rng, s.at + rng.randint(8, 90) * MINUTE)
            )
            demand_mark_invalid(
                actor=registrar if prank else rng.choice(self.dispatchers),
                demand_id=d.pk,
                reason=texts.INVALID_REASONS[not prank],
            )
            return
        if s.plan == "merge":
            yield on_duty(rng, s.at + rng.randint(5, 40) * MINUTE)
            if s.master.status in MERGEABLE:
                demand_merge(
                    actor=rng.choice(self.dispatchers),
                    demand_id=d.pk,
                    master_id=s.master.demand_id,
                    note=texts.MERGE_NOTE,
                )
                s.status = DemandStatus.MERGED
                return
            # The master was closed in the meantime: the duplicate is handled as a demand of its own.
        if s.plan == "stop_registered":
            raise Ended
        if s.plan == "withdraw" and rng.random() < 0.4:
            yield on_duty(rng, s.at + rng.randint(20, 600) * MINUTE)
            self._withdraw(s)
        urgent = s.urgency == "urgent"
        td = (
            s.at + rng.randint(2, 10) * MINUTE if urgent else on_duty(rng, s.at + rng.randint(5, 45) * MINUTE)
        )
        yield td
        dispatcher = rng.choice(
            self.dispatchers if s.channel != Channel.HOTLINE or rng.random() < 0.7 else self.agents
        )
        lead, assisting = self.cast.units(s)
        wrong = self.cast.wrong_unit(s) if "return" in s.flags else None
        if wrong is not None:
            d = demand_dispatch(
                actor=dispatcher, demand_id=d.pk, lead_unit_id=wrong.pk, category_id=s.leaf.category.pk
            )
            s.status = DemandStatus.DISPATCHED
            td = yield from self._returned(s, d, td, wrong)
            if s.plan == "stop_returned":
                raise Ended
            td = on_duty(rng, td + rng.randint(10, 90) * MINUTE)
            yield td
            d = demand_redispatch(
                actor=rng.choice(self.dispatchers),
                demand_id=d.pk,
                lead_unit_id=lead,
                assisting_unit_ids=assisting,
                reason=texts.REDISPATCH.format(reason=f"{wrong.name}：不属于本单位职责"),
            )
        else:
            instructions = (
                texts.HOTSPOT_INSTRUCTIONS
                if s.hotspot and assisting and s.leaf.path == SCHOOL_GATE
                else (texts.JOINT_INSTRUCTIONS if assisting else "")
            )
            d = demand_dispatch(
                actor=dispatcher,
                demand_id=d.pk,
                lead_unit_id=lead,
                assisting_unit_ids=assisting,
                category_id=s.leaf.category.pk,
                instructions=instructions,
            )
        s.status = DemandStatus.DISPATCHED
        if s.plan == "stop_dispatched":
            self.deadline_missed(d.sign_due)
            raise Ended
        tr = yield from self._handle(s, d, td, assisting, first=True)
        yield from self._after_reply(s, d.pk, tr, first=True)

    def _handle(self, s: Spec, d, td: dt.datetime, assisting: list[int], *, first: bool) -> Steps:
        """Signing, extension, returns, escalation and assisting units, then the lead unit's reply."""
        rng, flags = s.rng, (s.flags if first else {"quick"} & s.flags)
        lead_id, due = d.lead_unit_id, d.finish_due
        lead_asg = self.cast.assignment(d.pk, lead_id)
        handler = rng.choice(self.world.handlers[lead_id])
        boss = self.world.supervisors.get(lead_id)
        if s.urgency == "urgent":
            ts = td + rng.randint(3, 25) * MINUTE
        elif "late_sign" in flags:
            ts = work_after(td, rng.randint(130, 900))
        else:
            ts = work_after(td, rng.randint(3, 40) if "quick" in flags else rng.triangular(3, 110, 25))
        steps: list[tuple[dt.datetime, int, Callable[[], object]]] = [
            (ts, 0, partial(assignment_sign, actor=handler, demand_id=d.pk, assignment_id=lead_asg))
        ]
        if s.urgency == "urgent":
            tr = ts + rng.randint(60, 18 * 60) * MINUTE
            if "late_finish" in flags:
                tr = due + rng.randint(60, 16 * 60) * MINUTE
        elif "extension" in flags and boss and ts < due - 120 * MINUTE:
            tr, due = self._extension(s, steps, d.pk, lead_asg, handler, boss, ts, due)
        elif "late_finish" in flags:
            tr = work_after(due, rng.randint(30, 5 * 420))
        elif "quick" in flags:
            tr = work_after(ts, rng.randint(30, 300))
        else:
            tr = on_time_reply(rng, ts, due)
        if s.story == "riders" and first:
            meeting = self.planner.riders_meeting
            tr = max(ts + 30 * MINUTE, work_after(aware(meeting, 14), rng.randint(10, 200)))
        for unit_id in assisting if first else ():
            self._assisting(s, steps, d, unit_id, td, tr)
        if ts > d.sign_due:
            self.deadline_missed(d.sign_due)
        if tr > due:
            self.deadline_missed(due)
        if "return_rejected" in flags and boss:
            t_ask = work_after(ts, rng.randint(20, 120))
            t_no = work_after(t_ask, rng.randint(20, 180))
            if t_no < tr - 10 * MINUTE:
                reason = texts.RETURN_REASON.format(leaf=s.leaf.name, right="其他单位")
                steps.append(
                    (
                        t_ask,
                        3,
                        partial(
                            assignment_return,
                            actor=handler,
                            demand_id=d.pk,
                            assignment_id=lead_asg,
                            reason=reason,
                        ),
                    )
                )
                steps.append(
                    (
                        t_no,
                        3,
                        partial(
                            assignment_return_decide,
                            actor=boss,
                            demand_id=d.pk,
                            assignment_id=lead_asg,
                            approve=False,
                            note=texts.RETURN_REJECT,
                        ),
                    )
                )
        if "escalate" in flags:
            te = work_after(ts + (tr - ts) * rng.uniform(0.2, 0.8), 0)
            if te < tr:
                steps.append(
                    (
                        te,
                        4,
                        partial(
                            demand_escalate,
                            actor=self.cast.escalator(s),
                            demand_id=d.pk,
                            reason=self.cast.escalation_reason(s),
                        ),
                    )
                )
        if s.plan == "withdraw" and first:
            tw = on_duty(rng, td + (tr - td) * rng.uniform(0.05, 0.7))
            if tw < tr:
                steps.append((tw, 5, partial(self._withdraw, s)))
        steps.sort(key=lambda step: (step[0], step[1]))
        for moment, _, action in steps:
            yield moment
            action()
        s.status = DemandStatus.IN_PROGRESS
        if s.plan == "stop_in_progress" and first:
            self.deadline_missed(due)
            raise Ended
        yield tr
        unit = self.world.units_by_id[lead_id]
        assignment_reply(
            actor=handler,
            demand_id=d.pk,
            assignment_id=lead_asg,
            result=texts.reply_text(
                rng, leaf=s.leaf, phase=self.cast.phase(s, tr), unit=unit.name, place=s.place
            ),
        )
        s.status = DemandStatus.REPLIED
        return tr

    def _extension(self, s: Spec, steps: list, demand_id: int, asg: int, handler, boss, ts, due):
        """Ask for ``days`` more and get them (or not); returns the reply moment and the deadline it is held to."""
        rng = s.rng
        t_ask = work_after(ts + (due - ts) * rng.uniform(0.3, 0.7), 0)
        t_decide = work_after(t_ask, rng.randint(15, 240))
        days = rng.choice((3, 5, 5, 7, 10))
        approve = "ext_reject" not in s.flags
        request: dict[str, int] = {}

        def ask() -> None:
            request["id"] = extension_request(
                actor=handler,
                demand_id=demand_id,
                assignment_id=asg,
                days=days,
                reason=rng.choice(texts.EXTENSION_REASONS).format(days=days),
            ).pk

        def decide() -> None:
            note = rng.choice(texts.EXTENSION_APPROVE if approve else texts.EXTENSION_REJECT)
            extension_decide(actor=boss, extension_id=request["id"], approve=approve, note=note)

        steps += [(t_ask, 1, ask), (t_decide, 2, decide)]
        reply = max(work_after(due, rng.randint(30, int((days - 0.5) * 420 * 0.9))), t_decide + 30 * MINUTE)
        return reply, add_working_days(due, days) if approve else due

    def _assisting(self, s: Spec, steps: list, d, unit_id: int, td, tr) -> None:
        rng, demand_id = s.rng, d.pk
        ta = work_after(td, rng.triangular(5, 240, 40))
        if ta > d.sign_due:
            self.deadline_missed(d.sign_due)
        if ta >= tr - 10 * MINUTE:
            return
        asg = self.cast.assignment(demand_id, unit_id)
        handler = rng.choice(self.world.handlers[unit_id])
        steps.append((ta, 1, partial(assignment_sign, actor=handler, demand_id=demand_id, assignment_id=asg)))
        t_reply = work_after(ta + (tr - ta) * rng.uniform(0.3, 0.9), 0)
        if t_reply < tr - 5 * MINUTE and rng.random() < 0.9:
            unit = self.world.units_by_id[unit_id]
            result = texts.SCHOOL_GATE_ASSIST.get(unit.code) if s.hotspot else None
            result = result or rng.choice(texts.ASSIST_REPLIES).format(unit=unit.name)
            steps.append(
                (
                    t_reply,
                    2,
                    partial(
                        assignment_reply, actor=handler, demand_id=demand_id, assignment_id=asg, result=result
                    ),
                )
            )

    def _returned(self, s: Spec, d, td, wrong) -> Steps:
        """The wrongly chosen unit signs or not, asks to return it, its supervisor agrees (or returns it directly)."""
        rng, demand_id = s.rng, d.pk
        asg = self.cast.assignment(demand_id, wrong.pk)
        handler, boss = rng.choice(self.world.handlers[wrong.pk]), self.world.supervisors[wrong.pk]
        t = td
        signs = rng.random() < 0.5 and "quick" not in s.flags
        if signs:
            t = work_after(t, rng.triangular(5, 100, 20))
            yield t
            assignment_sign(actor=handler, demand_id=demand_id, assignment_id=asg)
        right = self.world.units_by_id[self.cast.route(s)].name
        reason = texts.RETURN_REASON.format(leaf=s.leaf.name, right=right)
        t = work_after(t, rng.randint(15, 240))
        if not signs and t > d.sign_due:
            self.deadline_missed(d.sign_due)
        yield t
        if "return_direct" in s.flags:
            assignment_return(actor=boss, demand_id=demand_id, assignment_id=asg, reason=reason)
        else:
            assignment_return(actor=handler, demand_id=demand_id, assignment_id=asg, reason=reason)
            t = work_after(t, rng.randint(10, 300))
            yield t
            assignment_return_decide(
                actor=boss, demand_id=demand_id, assignment_id=asg, approve=True, note="情况属实，同意退回。"
            )
        s.status = DemandStatus.RETURNED
        return t

    def _after_reply(self, s: Spec, demand_id: int, tr: dt.datetime, *, first: bool) -> Story:
        rng, flags = s.rng, (s.flags if first else {"quick"} & s.flags)
        callback_due = add_working_days(tr, 2)
        if s.plan == "stop_replied":
            self.deadline_missed(callback_due)
            raise Ended
        if "skip_callback" in flags:
            yield on_duty(rng, tr + rng.randint(10, 240) * MINUTE)
            note = texts.CLOSE_NO_CALLBACK if s.phone else texts.CLOSE_ANONYMOUS
            demand_close(actor=rng.choice(self.dispatchers), demand_id=demand_id, note=note)
            s.status = DemandStatus.CLOSED
            return
        if "no_callback" in flags:
            self.deadline_missed(callback_due)
            yield on_duty(rng, callback_due + rng.randint(60, 2 * 1440) * MINUTE)
            demand_close(actor=rng.choice(self.dispatchers), demand_id=demand_id, note=texts.CLOSE_UNREACHED)
            s.status = DemandStatus.CLOSED
            return
        if "late_callback" in flags:
            tc = on_duty(rng, callback_due + rng.randint(60, 2 * 1440) * MINUTE)
        elif "quick" in flags:
            tc = work_after(tr, rng.randint(30, 400))
        else:
            window = max(180.0, (callback_due - tr).total_seconds() / 60 * 0.9)
            tc = on_duty(rng, tr + rng.uniform(120, window) * MINUTE)
            if tc > callback_due:
                tc = max(tr + 30 * MINUTE, callback_due - rng.randint(10, 120) * MINUTE)
        if "reopen" in flags:
            resolved, rating = False, "unsatisfied"
        elif "unsatisfied" in flags:
            resolved, rating = rng.random() < 0.4, "unsatisfied"
        else:
            r = rng.random()
            resolved, rating = True, ("satisfied" if r < 0.74 else "basically" if r < 0.95 else "")
        if tc > callback_due:
            self.deadline_missed(callback_due)
        yield tc
        demand_callback(
            actor=rng.choice(self.agents),
            demand_id=demand_id,
            resolved=resolved,
            satisfaction=rating,
            note=rng.choice(texts.CALLBACK_NOTES[rating]),
        )
        s.status = DemandStatus.CALLED_BACK
        if "reopen" in flags:
            t = on_duty(rng, tc + rng.randint(5, 60) * MINUTE)
            yield t
            d = demand_reopen(
                actor=rng.choice(self.dispatchers), demand_id=demand_id, reason=texts.REOPEN_REASON
            )
            s.status = DemandStatus.DISPATCHED
            tr2 = yield from self._handle(s, d, t, [], first=False)
            yield from self._after_reply(s, demand_id, tr2, first=False)
            return
        if s.plan == "stop_called_back":
            raise Ended
        yield on_duty(rng, tc + rng.randint(10, 20 * 60) * MINUTE)
        demand_close(
            actor=rng.choice(self.dispatchers + self.agents),
            demand_id=demand_id,
            note=rng.choice(texts.CLOSE_NOTES),
        )
        s.status = DemandStatus.CLOSED

    def _withdraw(self, s: Spec) -> None:
        demand_withdraw(
            actor=s.rng.choice(self.dispatchers),
            demand_id=s.demand_id,
            reason=s.rng.choice(texts.WITHDRAW_REASONS),
        )
        s.status = DemandStatus.WITHDRAWN
        raise Ended
