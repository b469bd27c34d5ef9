"""Batch steps after the reply: callback, reopen, close (services/closing.py)."""

from __future__ import annotations

from .rows import D, _iso
from .texts import typed
from .timing import HOUR


class ClosingSteps:
    """Mixed into ``life.Batch``."""

    def callback(self, at, d: D) -> None:
        if d.status != "replied":
            return
        rnd = self.rnd
        resolved, r = rnd.random() < 0.9, rnd.random()
        if resolved:
            satisfaction = (
                "satisfied" if r < 0.78 else "basically" if r < 0.94 else "unsatisfied" if r < 0.96 else ""
            )
        else:
            satisfaction = (
                "satisfied" if r < 0.05 else "basically" if r < 0.25 else "unsatisfied" if r < 0.9 else ""
            )
        actor = rnd.choice(self.city.agents)
        note = "诉求人表示问题已解决。" if resolved else "诉求人表示问题仍未解决。"
        self.callbacks.append((d.id, at, actor, resolved, satisfaction, note, at <= d.callback_due))
        d.status, d.called_back_at, d.resolved, d.satisfaction = "called_back", at, resolved, satisfaction
        self.save(d)
        self.ev(
            d,
            "called_back",
            at,
            actor=actor,
            old={"status": "replied"},
            new={"status": "called_back", "resolved": resolved, "satisfaction": satisfaction},
            note=note,
        )
        if (not resolved or satisfaction == "unsatisfied") and d.reopen_count < 2 and rnd.random() < 0.55:
            self.at(at + rnd.uniform(0.2, 24) * HOUR, self.reopen, d)
        elif rnd.random() >= 0.045:  # else waits to be archived
            self.at(at + rnd.uniform(0.1, 24) * HOUR, self.close, d, "")

    def reopen(self, at, d: D) -> None:
        if d.status not in ("replied", "called_back"):
            return
        actor = self.rnd.choice(self.city.agents)
        replied = [a for a in d.assignments if a.role == "lead" and a.status == "replied"]
        lead = max(replied, key=lambda a: a.replied_at).unit_id if replied else d.lead_unit_id
        reason = typed("回访不满意，重新办理")
        self.cancel_active(d, actor, at, reason)
        old = {"status": d.status, "resolved": d.resolved, "satisfaction": d.satisfaction}
        self.open_assignments(d, lead, [], actor, at, reason)
        d.status, d.reopen_count = "dispatched", d.reopen_count + 1
        d.resolved, d.satisfaction, d.finished_on_time, d.callback_due, d.callback_overdue_at = (
            None,
            "",
            None,
            None,
            None,
        )
        self.save(d)
        self.ev(
            d,
            "reopened",
            at,
            actor=actor,
            old=old,
            note=reason,
            new={
                "status": "dispatched",
                "lead_unit": self.city.units[lead].name,
                "reopen_count": d.reopen_count,
                "finish_due": _iso(d.finish_due),
            },
        )

    def close(self, at, d: D, note: str) -> None:
        if d.status not in ("replied", "called_back") or (d.status == "replied" and not note):
            return
        actor = self.rnd.choice(self.city.agents)
        self.cancel_active(d, actor, at, "归档")
        old = d.status
        d.status, d.closed_at = "closed", at
        d.resolved_by_grassroots = bool(
            d.resolved and d.lead_unit_id and self.city.units[d.lead_unit_id].grassroots
        )
        self.save(d)
        self.ev(
            d,
            "closed",
            at,
            actor=actor,
            old={"status": old},
            new={"status": "closed", "resolved": d.resolved, "reopen_count": d.reopen_count},
            note=note,
        )
