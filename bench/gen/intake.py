"""Batch steps at intake: resolved on the phone, merged, ended, dispatched (services/intake.py and services/routing.py)."""

from __future__ import annotations

from .rows import ACTIVE, HANDLING, A, D, _iso
from .texts import typed
from .timing import HOUR, MINUTE


class IntakeSteps:
    """Mixed into ``life.Batch``."""

    def resolve_at_intake(self, at, d: D) -> None:
        answer = typed("已当场解答相关政策，来电人表示清楚。")
        d.status, d.reply_text, d.replied_at, d.closed_at = "closed", answer, at, at
        d.resolved, d.resolved_at_intake, d.finished_on_time, d.resolved_by_grassroots = (
            True,
            True,
            True,
            False,
        )
        self.save(d)
        self.ev(
            d,
            "resolved_at_intake",
            at,
            actor=d.registered_by_id or self.rnd.choice(self.city.agents),
            old={"status": "registered"},
            new={"status": "closed"},
            note=answer,
        )

    def master_for(self, d: D) -> D | None:
        """The latest earlier demand of this batch in the same community and top category that was never merged."""
        for m in reversed(self.recent.get(d.community_id, ())):
            if m.category_top_id == d.category_top_id and m.master_id is None:
                return m
        return None

    def merge(self, at, d: D, m: D) -> None:
        if not (
            m.registered_at < at and (m.closed_at is None or m.closed_at > at)
        ):  # the master must be open then
            return self.dispatch(at, d)
        actor = self.rnd.choice(self.city.dispatchers)
        old = d.status
        d.status, d.master_id, d.closed_at = "merged", m.id, at
        self.save(d)
        self.ev(d, "merged", at, actor=actor, old={"status": old}, new={"status": "merged", "master": m.code})
        self.ev(m, "merged_in", at, actor=actor, new={"duplicate": d.code})
        self.save(m)

    def end(self, at, d: D, status: str, reason: str) -> None:
        if d.status not in (("registered", "dispatched", "returned") if status == "invalid" else HANDLING):
            return
        actor = self.rnd.choice(self.city.dispatchers)
        self.cancel_active(d, actor, at, reason)
        old = d.status
        d.status, d.closed_at = status, at
        self.save(d)
        self.ev(d, status, at, actor=actor, old={"status": old}, new={"status": status}, note=reason)

    def cancel_active(self, d: D, actor, at, reason: str) -> None:
        for a in d.assignments:
            if a.status in ACTIVE:
                old, a.status = a.status, "cancelled"
                self.ev(
                    d,
                    "assignment_cancelled",
                    at,
                    actor=actor,
                    a=a,
                    old={"status": old},
                    new={"status": "cancelled", "unit": self.city.units[a.unit_id].name},
                    note=reason,
                )

    def open_assignments(
        self, d: D, lead_id: int, assisting: list[int], actor, at, instructions: str
    ) -> None:
        sign_amount, sign_unit, finish_amount, finish_unit, _ = d.policy
        sign_due = self.cal.add_duration(at, sign_amount, sign_unit)
        finish_due = max(sign_due, self.cal.add_duration(at, finish_amount, finish_unit))
        created = []
        for unit_id, role in [(lead_id, "lead")] + [(u, "assisting") for u in assisting]:
            a = A()
            a.id, a.demand_id, a.unit_id, a.role, a.status = (
                len(self.assignments) + 1,
                d.id,
                unit_id,
                role,
                "pending_sign",
            )
            a.dispatched_at, a.dispatched_by_id, a.sign_due, a.finish_due = at, actor, sign_due, finish_due
            a.signed_at = a.signed_by_id = a.signed_on_time = a.replied_at = a.sign_overdue_at = (
                a.finish_overdue_at
            ) = None
            a.reply_text, a.return_reason, a.instructions = "", "", instructions
            d.assignments.append(a)
            self.assignments.append(a)
            created.append(a)
        d.lead_unit_id, d.dispatched_at, d.sign_due, d.finish_due, d.is_overdue = (
            lead_id,
            at,
            sign_due,
            finish_due,
            False,
        )
        for a in created:
            self.plan(d, a, at)

    def dispatch(self, at, d: D, reason: str = "") -> None:
        """demand_dispatch, or demand_redispatch when a reason is given (after a return)."""
        rnd, city = self.rnd, self.city
        if d.status not in (("returned", "dispatched", "in_progress") if reason else ("registered",)):
            return
        actor = rnd.choice(city.dispatchers)
        if reason and rnd.random() < 0.5:  # the return showed the category was wrong
            cat = rnd.choice(city.cats)
            if cat.id != d.category_id:
                self.ev(
                    d,
                    "category_changed",
                    at,
                    actor=actor,
                    old={"category": d.cat.full_name},
                    new={"category": cat.full_name},
                )
                d.category_id, d.category_top_id, d.cat = cat.id, cat.top_id, cat
        lead = city.route[(d.category_id, d.community_id)]
        assisting = []
        if reason:
            returned = next(a.unit_id for a in reversed(d.assignments) if a.role == "lead")
            if lead == returned:
                lead = rnd.choice([u for u in [*city.departments, d.place.street_office_id] if u != returned])
        elif rnd.random() < 0.08:
            helper = (
                d.place.street_office_id if lead != d.place.street_office_id else rnd.choice(city.departments)
            )
            assisting = [helper] if helper != lead else []
        self.cancel_active(d, actor, at, reason or "改派")
        old = {"status": d.status, "lead_unit": city.units[d.lead_unit_id].name if d.lead_unit_id else ""}
        instructions = reason or rnd.choice(["请按时限办理。", ""])
        self.open_assignments(d, lead, assisting, actor, at, instructions)
        d.status = "dispatched"
        self.save(d)
        self.ev(
            d,
            "redispatched" if reason else "dispatched",
            at,
            actor=actor,
            old=old,
            note=instructions,
            new={
                "status": "dispatched",
                "lead_unit": city.units[lead].name,
                "assisting_units": [city.units[u].name for u in assisting],
                "sign_due": _iso(d.sign_due),
                "finish_due": _iso(d.finish_due),
            },
        )
        r = rnd.random()
        if not reason and r < 0.004:
            self.at(
                at + rnd.uniform(1, 72) * HOUR, self.end, d, "withdrawn", typed("诉求人已自行解决，申请撤销")
            )
        elif not reason and r < 0.007:
            self.at(at + rnd.uniform(10, 240) * MINUTE, self.end, d, "invalid", "经核实为无效诉求")
