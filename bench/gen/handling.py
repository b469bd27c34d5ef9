"""Batch steps in a unit: sign, return, extension, reply (services/handling.py)."""

from __future__ import annotations

import datetime as dt

from .rows import A, D, X, _iso
from .texts import REPLIES, typed
from .timing import DAY, HOUR, MINUTE


class HandlingSteps:
    """Mixed into ``life.Batch``."""

    def sign_time(self, a: A, start) -> dt.datetime:
        if self.rnd.random() < 0.86 and a.sign_due > start:
            return start + (a.sign_due - start) * self.rnd.uniform(0.05, 0.95)
        return max(start, a.sign_due) + self.rnd.expovariate(1 / 5) * HOUR + 2 * MINUTE

    def reply_time(self, a: A, start) -> dt.datetime:
        if self.rnd.random() < 0.82 and a.finish_due > start:
            return start + (a.finish_due - start) * self.rnd.uniform(0.05, 0.97)
        return max(start, a.finish_due) + self.rnd.expovariate(1 / 2.5) * DAY + 5 * MINUTE

    def plan(self, d: D, a: A, at) -> None:
        """What a newly dispatched assignment's unit will do first: sign, return it, or nothing at all."""
        r = self.rnd.random()
        if a.role == "assisting":
            if r > 0.05:
                self.at(self.sign_time(a, at), self.sign, d, a)
        elif r < 0.055 and r >= 0.015:
            self.at(
                at + max(a.sign_due - at, 10 * MINUTE) * self.rnd.uniform(0.1, 1.5),
                self.return_,
                d,
                a,
                r < 0.039,
            )
        elif r >= 0.015:  # else never signed
            self.at(self.sign_time(a, at), self.sign, d, a)

    def sign(self, at, d: D, a: A) -> None:
        if (
            d.status not in (("dispatched",) if a.role == "lead" else ("dispatched", "in_progress"))
            or a.status != "pending_sign"
        ):
            return
        rnd, unit = self.rnd, self.city.units[a.unit_id]
        actor = unit.handler_id if rnd.random() < 0.85 else unit.supervisor_id
        a.status, a.signed_at, a.signed_by_id, a.signed_on_time = "signed", at, actor, at <= a.sign_due
        old = d.status
        if a.role == "lead":
            d.status = "in_progress"
        self.save(d)
        self.ev(
            d,
            "signed",
            at,
            actor=actor,
            a=a,
            old={"status": old},
            new={"status": d.status, "unit": unit.name, "role": a.role, "on_time": a.signed_on_time},
        )
        r = rnd.random()
        if a.role == "assisting":
            if r < 0.95:
                self.at(at + max(a.finish_due - at, HOUR) * rnd.uniform(0.05, 0.8), self.reply, d, a)
        elif 0.085 <= r < 0.125 and a.finish_due > at:
            self.at(at + (a.finish_due - at) * rnd.uniform(0.3, 0.9), self.extension_request, d, a)
        elif r >= 0.085:  # else stuck: never replied
            self.at(self.reply_time(a, at), self.reply, d, a)

    def return_(self, at, d: D, a: A, direct: bool) -> None:
        """assignment_return: a supervisor's return takes effect at once; a handler's waits for the supervisor."""
        if d.status not in ("dispatched", "in_progress") or a.status not in ("pending_sign", "signed"):
            return
        unit = self.city.units[a.unit_id]
        a.return_reason = typed("不属于本单位职责范围，请改派。")
        if direct:
            return self.apply_return(at, d, a, unit.supervisor_id, a.return_reason)
        old, a.status = a.status, "return_requested"
        self.save(d)
        self.ev(
            d,
            "return_requested",
            at,
            actor=unit.handler_id,
            a=a,
            old={"assignment_status": old},
            new={"assignment_status": "return_requested", "unit": unit.name},
            note=a.return_reason,
        )
        self.at(at + self.rnd.uniform(0.5, 20) * HOUR, self.return_decide, d, a, self.rnd.random() < 0.85)

    def return_decide(self, at, d: D, a: A, approve: bool) -> None:
        if d.status not in ("dispatched", "in_progress") or a.status != "return_requested":
            return
        unit = self.city.units[a.unit_id]
        if approve:
            return self.apply_return(at, d, a, unit.supervisor_id, a.return_reason + "（审核：同意退回）")
        a.status = "signed" if a.signed_at else "pending_sign"
        self.save(d)
        self.ev(
            d,
            "return_rejected",
            at,
            actor=unit.supervisor_id,
            a=a,
            old={"assignment_status": "return_requested"},
            new={"assignment_status": a.status},
            note=typed("属于本单位职责，请办理"),
        )
        if a.status == "pending_sign":
            self.at(at + self.rnd.uniform(5, 120) * MINUTE, self.sign, d, a)
        else:
            self.at(self.reply_time(a, at), self.reply, d, a)

    def apply_return(self, at, d: D, a: A, actor, note: str) -> None:
        old = {"status": d.status, "assignment_status": a.status}
        a.status = "returned"
        d.status, d.return_count = "returned", d.return_count + 1  # only lead assignments are returned here
        d.lead_unit_id = d.sign_due = d.finish_due = None
        self.save(d)
        self.ev(
            d,
            "returned",
            at,
            actor=actor,
            a=a,
            old=old,
            new={"status": d.status, "unit": self.city.units[a.unit_id].name, "role": a.role},
            note=note,
        )
        r = self.rnd.random()
        if r < 0.08:
            return  # waits for the dispatcher
        if r < 0.16:
            self.at(at + self.rnd.uniform(0.5, 8) * HOUR, self.end, d, "invalid", "经核实不属于受理范围")
        else:
            self.at(at + self.rnd.uniform(0.3, 10) * HOUR, self.dispatch, d, typed("原单位退回，改派"))

    def extension_request(self, at, d: D, a: A) -> None:
        if d.status != "in_progress" or a.status != "signed":
            return
        unit = self.city.units[a.unit_id]
        x = X()
        x.id, x.assignment, x.days, x.reason, x.status = (
            len(self.extensions) + 1,
            a,
            self.rnd.randint(3, 10),
            typed("需协调多个部门，申请延期"),
            "pending",
        )
        x.requested_by_id, x.requested_at, x.decided_by_id, x.decided_at, x.decision_note = (
            unit.handler_id,
            at,
            None,
            None,
            "",
        )
        x.old_due, x.new_due = a.finish_due, None
        self.extensions.append(x)
        self.save(d)
        self.ev(
            d,
            "extension_requested",
            at,
            actor=unit.handler_id,
            a=a,
            new={"extension": x, "days": x.days, "finish_due": _iso(a.finish_due)},
            note=x.reason,
        )
        self.at(at + self.rnd.uniform(1, 30) * HOUR, self.extension_decide, d, a, x, self.rnd.random() < 0.85)

    def extension_decide(self, at, d: D, a: A, x: X, approve: bool) -> None:
        if d.status != "in_progress" or a.status != "signed" or x.status != "pending":
            return
        x.decided_by_id, x.decided_at = self.city.units[a.unit_id].supervisor_id, at
        if approve:
            x.status, x.decision_note, x.new_due = (
                "approved",
                "同意延期",
                self.cal.add_working_days(a.finish_due, x.days),
            )
            a.finish_due = d.finish_due = x.new_due  # a lead assignment
            self.save(d)
            self.ev(
                d,
                "extension_approved",
                at,
                actor=x.decided_by_id,
                a=a,
                old={"finish_due": _iso(x.old_due)},
                new={"finish_due": _iso(x.new_due), "days": x.days},
                note=x.decision_note,
            )
        else:
            x.status, x.decision_note = "rejected", "请按原时限办结"
            self.save(d)
            self.ev(
                d,
                "extension_rejected",
                at,
                actor=x.decided_by_id,
                a=a,
                new={"extension": x},
                note=x.decision_note,
            )
        self.at(self.reply_time(a, at), self.reply, d, a)

    def reply(self, at, d: D, a: A) -> None:
        lead = a.role == "lead"
        if (
            d.status not in (("in_progress",) if lead else ("dispatched", "in_progress"))
            or a.status != "signed"
        ):
            return
        rnd, unit = self.rnd, self.city.units[a.unit_id]
        result = rnd.choice(REPLIES)
        a.status, a.replied_at, a.reply_text = "replied", at, result
        old = d.status
        if lead:
            d.status, d.replied_at, d.reply_text = "replied", at, result
            d.finished_on_time = at <= d.finish_due
            d.callback_due = self.cal.add_working_days(at, d.policy[4])
        self.save(d)
        self.ev(
            d,
            "replied",
            at,
            actor=unit.handler_id,
            a=a,
            old={"status": old},
            note=result,
            new={"status": d.status, "unit": unit.name, "role": a.role, "on_time": at <= a.finish_due},
        )
        if not lead:
            return
        r = rnd.random()
        if r < 0.065:
            return  # waits for the callback
        if r < 0.105:
            self.at(at + rnd.uniform(2, 6) * DAY, self.close, d, typed("多次联系诉求人未接通，按规定归档"))
        elif r < 0.91 and d.callback_due > at:
            self.at(at + (d.callback_due - at) * rnd.uniform(0.05, 0.95), self.callback, d)
        else:
            self.at(max(at, d.callback_due) + rnd.expovariate(1 / 1.5) * DAY, self.callback, d)
