"""The demo's work-item access (准入): catalogue, certificates, plaques and a year of assignment requests.

The year is split in two. In the first half catalogue version 1 is in force
and departments still send plenty of unlisted work and negative-list asks;
mid-year version 2 cuts twelve items, puts the money-follows-the-task clause
on every assisting item, plaques outside the standard list come down and
several certificates are cancelled. The second half has fewer refusals and
fewer unlisted tasks, so the ledger's before/after shows the burden fall.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from linli.access import selectors
from linli.access import services as s
from linli.core import clock
from linli.demo.data import read_rows
from linli.demo.world import World
from linli.org.states import Role

Step = tuple[dt.datetime, Callable[[], object]]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_default_timezone())


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _catalogue(world: World, start: dt.date, mid: dt.date) -> None:
    coord = world.users["xietiao1"]
    rows = read_rows("access_catalogue.csv")
    with clock.at(_at(start - dt.timedelta(days=7), 10)):
        draft = s.catalogue_draft_create(actor=coord, note="首版村（社区）工作事项清单")
        for r in rows:
            _item(coord, draft.pk, r, funding=r["funding"])
        s.catalogue_version_publish(actor=coord, version_id=draft.pk, effective_from=start)
    with clock.at(_at(mid - dt.timedelta(days=5), 10)):
        draft = s.draft_get_or_create(actor=coord)
        for r in rows:
            if r["cut_in_v2"]:
                s.catalogue_item_remove(actor=coord, version_id=draft.pk, code=r["code"])
            elif r["kind"] == "assist":
                _item(coord, draft.pk, r, funding="工作经费由责任部门按件拨付（费随事转）")
        s.catalogue_version_publish(
            actor=coord, version_id=draft.pk, effective_from=mid, note="减负瘦身：削减事项、落实费随事转"
        )


def _item(actor, version_id: int, r: dict, *, funding: str) -> None:
    s.catalogue_item_save(
        actor=actor,
        version_id=version_id,
        code=r["code"],
        name=r["name"],
        kind=r["kind"],
        keywords=r["keywords"],
        department=r["department"] or "区委社会工作部",
        applies_to=r["applies_to"],
        method=r["method"],
        description=r["method"],
        basis=r["basis"],
        funding=funding,
    )


def _certificates(world: World, start: dt.date, mid: dt.date, rng: random.Random) -> int:
    rows = read_rows("access_certificates.csv")
    # Three of the negative list were still issued by communities until mid-year, then cancelled.
    late = {"健在证明", "收入证明", "婚姻状况证明"}
    for r in rows:
        listed = "positive" if r["name"] in late else r["listed"]
        s.certificate_save(
            name=r["name"],
            listed=listed,
            aliases=r["aliases"],
            where_to_go=r["where_to_go"],
            basis=r["basis"],
        )
    issued = 0
    certs = {c.name: c for c in selectors.certificate_list()}
    for c in world.communities:
        workers = [w for w in c.workers if w.role == Role.COMMUNITY_WORKER]
        if not workers:
            continue
        for month in range(12):
            day = _workday(start + dt.timedelta(days=30 * month + rng.randrange(25)))
            names = [r["name"] for r in rows if r["listed"] == "positive"] + (
                sorted(late) if day < mid else []
            )
            for name in rng.sample(names, k=min(len(names), 2 + rng.randrange(3))):
                with clock.at(_at(day, 10 + rng.randrange(6))):
                    s.certificate_issue_record(
                        actor=rng.choice(workers), certificate_id=certs[name].pk, count=1 + rng.randrange(3)
                    )
                    issued += 1
    for r in rows:
        if r["name"] in late:
            s.certificate_save(
                name=r["name"],
                listed="negative",
                aliases=r["aliases"],
                where_to_go=r["where_to_go"],
                basis=r["basis"],
                cancelled_on=mid,
            )
    return issued


def _plaques(world: World, mid: dt.date) -> tuple[int, int]:
    for r in read_rows("access_plaque_types.csv"):
        s.plaque_type_save(name=r["name"], basis=r["basis"])
    hung = removed = 0
    for r in read_rows("access_plaques.csv"):
        targets = world.communities if r["community"] == "*" else [world.community(r["community"])]
        for c in targets:
            name = r["name"]
            if c.is_village and name == "居民委员会":
                name = "村民委员会"
            p = s.plaque_hang(
                actor=None,
                community_id=c.j.pk,
                name=name,
                hung_by=r["hung_by"],
                hung_at=dt.date.fromisoformat(r["hung_at"]),
            )
            hung += 1
            workers = [w for w in c.workers if w.role == Role.COMMUNITY_WORKER]
            if r["removed_at"] == "mid" and workers:
                with clock.at(_at(_workday(mid + dt.timedelta(days=3)), 15)):
                    s.plaque_remove(actor=workers[0], plaque_id=p.pk, reason=r["reason"])
                    removed += 1
    return hung, removed


def _requests(world: World, start: dt.date, mid: dt.date, end: dt.date, rng: random.Random) -> list[Step]:
    templates = read_rows("access_requests.csv")
    streets = {c.street.pk: c.street for c in world.communities}
    steps: list[Step] = []
    # The last few (old habits) are filed in the final fortnight, so the office's queue is not empty.
    plan = [
        ("before", start, mid, 56),
        ("after", mid, end, 42),
        ("before", end - dt.timedelta(days=14), end, 5),
    ]
    for phase, first, last, count in plan:
        pool = [t for t in templates if t["phase"] in (phase, "any")]
        weights = [int(t["weight"]) for t in pool]
        span = (last - first).days - 2
        for _ in range(count):
            t = rng.choices(pool, weights)[0]
            day = _workday(first + dt.timedelta(days=rng.randrange(span)))
            if rng.random() < 0.2:
                targets = [rng.choice(list(streets))]
            else:
                targets = [c.j.pk for c in rng.sample(world.communities, k=1 + rng.randrange(3))]
            steps.append(
                (_at(day, 9 + rng.randrange(8), rng.randrange(60)), _filer(world, t, targets, day, rng, end))
            )
    return steps


def _filer(world: World, t: dict, targets: list[int], day: dt.date, rng: random.Random, end: dt.date):
    def file():
        actor = world.handlers[world.units[t["department"]].pk][0]
        req = s.request_file(
            actor=actor,
            kind=t["kind"],
            title=t["title"],
            content=t["content"],
            target_ids=targets,
            deadline=day + dt.timedelta(days=10 + rng.randrange(20)),
            reports_required="工作台账、照片" if rng.random() < 0.5 else "",
            inspections_planned=int(t["inspections"]),
            funded=rng.random() < 0.4,
            plaque_name=t["plaque_name"],
        )
        return req

    return file


def _follow_up(world: World, req, rng: random.Random, end: dt.datetime) -> list[Step]:
    """What happens after filing: opinions, the office's decision (or none yet), community refusals and reports."""
    steps: list[Step] = []
    base = req.filed_at
    if req.status == "pending":
        coord = world.users["xietiao1"]
        late = rng.random() < 0.15
        wait = dt.timedelta(days=(24 if late else 3 + rng.randrange(14)))
        decide_at = base + wait
        supervisor = world.supervisors.get(req.department_id)
        if supervisor is not None:
            steps.append(
                (
                    base + dt.timedelta(days=1, hours=2),
                    lambda: s.request_opinion_add(
                        actor=supervisor, request_id=req.pk, opinion="本部门确需社区协助，经费可随事拨付"
                    ),
                )
            )
        for task in req.tasks.all():
            c = next((c for c in world.communities if c.j.pk == task.community_id), None)
            workers = [w for w in (c.workers if c else []) if w.role == Role.COMMUNITY_WORKER]
            if workers and rng.random() < 0.4:
                steps.append((base + dt.timedelta(hours=20), _refuser(workers[0], task.pk)))
        if decide_at < end - dt.timedelta(days=2) and base < end - dt.timedelta(days=20):
            decision = rng.choices(["approve_once", "approve_list", "reject"], [3, 1, 4])[0]
            reason = {
                "approve_once": "临时性工作，仅限本次",
                "approve_list": "属常态化协助事项，纳入下一版清单",
                "reject": "属部门自身职责，不得转嫁社区",
            }[decision]
            steps.append(
                (
                    decide_at,
                    lambda: s.request_decide(
                        actor=coord, request_id=req.pk, decision=decision, reason=reason
                    ),
                )
            )
    elif req.status == "admitted":
        for task in req.tasks.all():
            c = next((c for c in world.communities if c.j.pk == task.community_id), None)
            workers = [w for w in (c.workers if c else []) if w.role == Role.COMMUNITY_WORKER]
            if workers and rng.random() < 0.6:
                steps.append((base + dt.timedelta(days=3 + rng.randrange(7)), _reporter(workers[0], task.pk)))
    return steps


def _refuser(worker, task_id: int):
    return lambda: s.task_refuse(actor=worker, task_id=task_id)


def _reporter(worker, task_id: int):
    return lambda: s.task_report(actor=worker, task_id=task_id, note="已按要求完成，台账已整理")


def _run(steps: list[Step]) -> list:
    out = []
    for moment, call in sorted(steps, key=lambda st: st[0]):
        with clock.at(moment):
            out.append(call())
    return out


def access_demo_load(*, world: World, end: dt.datetime) -> list[str]:
    """Load the access demo through the access services; returns the summary lines `linli demo` prints."""
    rng = random.Random(5)
    end_day = clock.local_date(end)
    start = end_day - dt.timedelta(days=364)
    mid = start + dt.timedelta(days=182)
    _catalogue(world, start, mid)
    hung, removed = _plaques(world, mid)
    issued = _certificates(world, start, mid, rng)
    for c in world.communities:
        s.cadre_count_set(community_id=c.j.pk, count=max(3, round(c.j.population / 1500)), as_of=start)
    requests = [r for r in _run(_requests(world, start, mid, end_day, rng))]
    follow = [step for req in requests for step in _follow_up(world, req, rng, end)]
    sweeps: list[Step] = [(_at(start + dt.timedelta(days=d), 18), s.approval_sweep) for d in range(0, 365, 7)]
    _run([st for st in follow + sweeps if st[0] <= end])
    statuses: dict[str, int] = {}
    for req in requests:
        req.refresh_from_db()
        statuses[req.get_status_display()] = statuses.get(req.get_status_display(), 0) + 1
    return [
        "准入：事项清单 2 个版本（第2版削减 "
        + str(sum(1 for r in read_rows("access_catalogue.csv") if r["cut_in_v2"]))
        + " 项），派发申请 "
        + str(len(requests))
        + " 件（"
        + "、".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + "）",
        f"准入：牌子 {hung} 块（摘除 {removed} 块），证明开具登记 {issued} 次，现有牌子 {selectors.plaque_list(current=True).count()} 块",
    ]
