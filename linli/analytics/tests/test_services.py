"""The rollup job: idempotent, incremental by registration day, equal to a full rebuild."""

import contextlib
import datetime as dt

import pytest
from django.db.models import Sum

from linli.analytics.models import (
    STATE_NAME,
    AssignmentDayStat,
    AssignmentMonthStat,
    DemandDayStat,
    DemandMonthStat,
    RollupState,
)
from linli.analytics.selectors import metrics_compute
from linli.analytics.services import analytics_rollup_refresh, next_watermark, rows
from linli.analytics.tests.scenario import at, build
from linli.core import clock
from linli.demands import services as s
from linli.demands.fact_selectors import day_runs, event_ids_after, event_max_id

D = dt.date
MARCH = dict(date_from=D(2025, 3, 1), date_to=D(2025, 3, 31))
APRIL = dict(date_from=D(2025, 4, 1), date_to=D(2025, 4, 30))

_MODELS = (DemandDayStat, AssignmentDayStat, DemandMonthStat, AssignmentMonthStat)


def snapshot():
    """Every rollup row, without ids, in a stable order."""
    out = {}
    for model in _MODELS:
        fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
        out[model.__name__] = sorted(model.objects.values_list(*fields))
    return out


def state():
    return RollupState.objects.get(name=STATE_NAME)


def test_analytics_rollup_refresh_fills_day_and_month_rows(story):
    assert DemandDayStat.objects.aggregate(n=Sum("demands"))["n"] == 11
    assert set(DemandDayStat.objects.values_list("day", flat=True)) == {
        D(2025, 3, 10),
        D(2025, 3, 11),
        D(2025, 3, 31),
        D(2025, 4, 14),
    }
    assert set(DemandMonthStat.objects.values_list("month", flat=True)) == {D(2025, 3, 1), D(2025, 4, 1)}
    assert (
        DemandMonthStat.objects.filter(scope="community", dimension="all").aggregate(n=Sum("demands"))["n"]
        == 11
    )
    assert (
        DemandMonthStat.objects.filter(scope="unit", dimension="all").aggregate(n=Sum("demands"))["n"] == 11
    )
    # 11 assignments, but d9's first one was withdrawn before its sign deadline: 10 are due for a response.
    assert AssignmentMonthStat.objects.aggregate(n=Sum("dispatched"))["n"] == 10
    assert state().last_event_id == event_max_id()
    assert state().refreshed_at is not None


def test_analytics_rollup_refresh_twice_changes_nothing(story):
    before = snapshot()
    ids = {model.__name__: sorted(model.objects.values_list("id", flat=True)) for model in _MODELS}

    result = analytics_rollup_refresh()

    assert result["events"] == 0 and result["days"] == 0
    assert snapshot() == before
    assert {model.__name__: sorted(model.objects.values_list("id", flat=True)) for model in _MODELS} == ids


def test_analytics_rollup_refresh_a_late_callback_changes_the_old_registration_day(story):
    d8 = story.d["d8"]
    march_before = metrics_compute(**MARCH)
    april_before = metrics_compute(**APRIL)

    # d8 was registered on 31 March; it is finished and called back in May.
    with clock.at(at(5, 6, 10)):
        s.assignment_reply(
            actor=story.w.user("cg_handler"),
            demand_id=d8.pk,
            assignment_id=d8.assignments.get(status="signed").pk,
            result="已清理",
        )
    with clock.at(at(5, 9, 10)):
        s.demand_callback(
            actor=story.w.user("agent"), demand_id=d8.pk, resolved=False, satisfaction="unsatisfied"
        )
    result = analytics_rollup_refresh()

    assert result["days"] == 1
    march = metrics_compute(**MARCH)
    assert (
        march["rates"]["resolution_rate"]["numerator"],
        march["rates"]["resolution_rate"]["denominator"],
    ) == (5, 7)
    assert (
        march["rates"]["satisfaction_rate"]["numerator"],
        march["rates"]["satisfaction_rate"]["denominator"],
    ) == (3, 5)
    assert (march["rates"]["on_time_rate"]["numerator"], march["rates"]["on_time_rate"]["denominator"]) == (
        3,
        6,
    )  # late
    assert (
        march["counts"]["by_status"]["in_progress"] == 0 and march["counts"]["by_status"]["called_back"] == 2
    )
    # The day rows and the month rows agree.
    assert metrics_compute(date_from=D(2025, 3, 2), date_to=D(2025, 3, 31))["rates"] == march["rates"]
    assert metrics_compute(**APRIL) == {**april_before, "as_of": metrics_compute(**APRIL)["as_of"]}
    assert march_before["counts"]["total"] == march["counts"]["total"] == 8
    assert metrics_compute(date_from=D(2025, 5, 1), date_to=D(2025, 5, 31))["counts"]["total"] == 0


def test_analytics_rollup_refresh_moves_a_demand_between_units_and_statuses(story):
    with clock.at(at(4, 28, 11)):
        d = s.demand_register(
            actor=story.w.user("agent"),
            channel="hotline",
            demand_type="complaint",
            text="井盖缺失",
            community_id=story.w.community.pk,
            category_id=story.w.categories["mid"].pk,
        )
    with clock.at(at(4, 28, 11, 5)):
        s.demand_dispatch(actor=story.w.user("dispatcher"), demand_id=d.pk, lead_unit_id=story.w.cg.pk)
    with clock.at(at(4, 28, 11, 10)):
        s.demand_redispatch(
            actor=story.w.user("dispatcher"), demand_id=d.pk, lead_unit_id=story.w.jj.pk, reason="属交警"
        )
    analytics_rollup_refresh()

    cg = metrics_compute(unit_id=story.w.cg.pk, **APRIL)
    jj = metrics_compute(unit_id=story.w.jj.pk, **APRIL)
    assert cg["counts"]["total"] == 1  # d11 only: the new demand left CG
    # d11 only: d9's and the new demand's CG assignments were withdrawn before their sign deadlines.
    assert (cg["rates"]["response_rate"]["numerator"], cg["rates"]["response_rate"]["denominator"]) == (1, 1)
    assert jj["counts"]["total"] == 1 and jj["counts"]["by_status"]["dispatched"] == 1
    assert snapshot() == _rebuilt_snapshot()


def _rebuilt_snapshot():
    for model in _MODELS:
        model.objects.all().delete()
    analytics_rollup_refresh(full=True)
    return snapshot()


def test_analytics_rollup_refresh_full_equals_incremental(story):
    incremental = snapshot()

    result = analytics_rollup_refresh(full=True)

    assert result["days"] == (D(2025, 4, 14) - D(2025, 3, 10)).days + 1
    assert snapshot() == incremental
    assert state().rebuilt_at is not None


def test_analytics_rollup_refresh_full_from_empty_tables_and_a_stale_row(story):
    incremental = snapshot()
    for model in _MODELS:
        model.objects.all().delete()
    DemandDayStat.objects.create(
        day=D(2024, 1, 1), channel="web", demand_type="help", status="closed", demands=3
    )
    DemandMonthStat.objects.create(
        month=D(2024, 1, 1), scope="community", scope_id=0, dimension="all", demands=3
    )

    analytics_rollup_refresh(full=True)

    assert snapshot() == incremental


def test_analytics_rollup_refresh_in_small_batches_gives_the_same_rows(world):
    build(world)

    result = analytics_rollup_refresh(batch=7)
    small_batches = snapshot()

    assert result["events"] == len(event_ids_after(after_id=0))
    assert small_batches == _rebuilt_snapshot()


def test_analytics_rollup_refresh_step_by_step_gives_the_same_rows_as_at_the_end(world, monkeypatch):
    """Refreshing after every step of the story (as the scheduler would) ends where one refresh at the end ends."""
    step_at = clock.at

    @contextlib.contextmanager
    def at_then_refresh(moment):
        with step_at(moment):
            yield
        analytics_rollup_refresh()

    monkeypatch.setattr(clock, "at", at_then_refresh)
    build(world)
    monkeypatch.undo()
    step_by_step = snapshot()

    assert step_by_step == _rebuilt_snapshot()


def test_analytics_rollup_refresh_repairs_month_rows_that_disagree_with_their_days(story, monkeypatch):
    good = snapshot()
    DemandMonthStat.objects.filter(month=D(2025, 3, 1)).delete()  # broken by hand
    recomputed = []
    monkeypatch.setattr(
        rows,
        "recompute_month",
        lambda month, _real=rows.recompute_month: (recomputed.append(month), _real(month)),
    )

    d8 = story.d["d8"]
    with clock.at(at(5, 6, 10)):
        s.assignment_reply(
            actor=story.w.user("cg_handler"),
            demand_id=d8.pk,
            assignment_id=d8.assignments.get(status="signed").pk,
            result="已清理",
        )
    analytics_rollup_refresh()

    assert recomputed == [D(2025, 3, 1)]
    assert snapshot()["DemandMonthStat"] != good["DemandMonthStat"]
    assert snapshot() == _rebuilt_snapshot()


def test_analytics_rollup_refresh_picks_up_an_event_that_committed_late(story):
    # An event id below the watermark that was not visible last time (its transaction was still open).
    with clock.at(at(5, 6, 10)):
        s.demand_escalate(actor=story.w.user("dispatcher"), demand_id=story.d["d8"].pk, reason="群众再次来电")
    late_id = event_max_id()
    RollupState.objects.filter(name=STATE_NAME).update(
        last_event_id=late_id + 5, pending_event_ids={str(late_id): dt.datetime.now(dt.UTC).isoformat()}
    )

    result = analytics_rollup_refresh()

    assert result["events"] == 1 and result["days"] == 1
    assert state().pending_event_ids == {}
    assert state().last_event_id == late_id + 5


def test_analytics_rollup_refresh_on_an_empty_database(db):
    assert analytics_rollup_refresh() == {"events": 0, "days": 0, "last_event_id": 0}
    assert analytics_rollup_refresh(full=True)["days"] == 0
    assert metrics_compute(**MARCH)["counts"]["total"] == 0
    assert DemandDayStat.objects.count() == 0


# --- pure helpers -----------------------------------------------------------------------------------

NOW = dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC)


def test_next_watermark_moves_to_the_highest_seen_id_and_remembers_holes():
    last, pending = next_watermark(last_id=10, pending={}, seen_ids=[11, 12, 15], now=NOW)

    assert last == 15
    assert pending == {"13": NOW.isoformat(), "14": NOW.isoformat()}


def test_next_watermark_forgets_a_hole_once_seen_or_too_old():
    old = (NOW - dt.timedelta(hours=1)).isoformat()
    recent = (NOW - dt.timedelta(minutes=1)).isoformat()

    last, pending = next_watermark(
        last_id=15, pending={"13": recent, "14": recent, "7": old}, seen_ids=[13], now=NOW
    )

    assert last == 15
    assert pending == {"14": recent}


def test_next_watermark_with_nothing_new():
    assert next_watermark(last_id=15, pending={}, seen_ids=[], now=NOW) == (15, {})


def test_next_watermark_only_waits_for_recent_holes():
    last, pending = next_watermark(last_id=0, pending={}, seen_ids=[5000], now=NOW, window=3)

    assert last == 5000
    assert sorted(pending) == ["4998", "4999"]


@pytest.mark.parametrize(
    "days, runs",
    [
        ([], []),
        ([D(2025, 3, 3)], [(D(2025, 3, 3), D(2025, 3, 3))]),
        (
            [D(2025, 3, 4), D(2025, 3, 3), D(2025, 3, 5), D(2025, 3, 9), D(2025, 3, 4)],
            [(D(2025, 3, 3), D(2025, 3, 5)), (D(2025, 3, 9), D(2025, 3, 9))],
        ),
        ([D(2025, 3, 31), D(2025, 4, 1)], [(D(2025, 3, 31), D(2025, 4, 1))]),
    ],
)
def test_day_runs(days, runs):
    assert day_runs(days) == runs


MAY = dict(date_from=D(2025, 5, 1), date_to=D(2025, 5, 31))


def _on_time(period) -> tuple[int, int]:
    rate = metrics_compute(**period)["rates"]["on_time_rate"]
    return rate["numerator"], rate["denominator"]


def test_a_reopen_does_not_take_a_late_demand_out_of_the_on_time_rate(story):
    st, w = story, story.w
    st.register("late", at(5, 6, 9), category_id=w.categories["mid"].pk)
    st.dispatch("late", at(5, 6, 9, 5), w.cg, w.categories["mid"])  # finish due 7 working days later (05-15)
    st.sign("late", at(5, 6, 9, 30), w.cg, "cg_handler")
    st.reply("late", at(5, 29, 10), w.cg, "cg_handler")  # late
    analytics_rollup_refresh()
    assert _on_time(MAY) == (0, 1)

    st.callback("late", at(5, 29, 15), resolved=False, satisfaction="unsatisfied")
    with clock.at(at(5, 29, 16)):
        s.demand_reopen(actor=w.user("dispatcher"), demand_id=st.d["late"].pk, reason="路面仍有摊贩")
    analytics_rollup_refresh()
    assert _on_time(MAY) == (0, 1)  # still counted, still late, while it is redone

    st.sign("late", at(5, 30, 9), w.cg, "cg_handler")
    st.reply("late", at(5, 30, 11), w.cg, "cg_handler")  # the redo is on time, the first reply stays late
    analytics_rollup_refresh()
    assert _on_time(MAY) == (0, 1)
    assert snapshot() == _rebuilt_snapshot()


def test_a_demand_answered_at_intake_counts_for_the_answering_workers_unit(story):
    w = story.w
    with clock.at(at(5, 7, 19, 30)):
        d = s.demand_register(
            actor=w.user("worker"),
            channel="walk_in",
            demand_type="consultation",
            text="社区食堂几点开门？",
            community_id=w.community.pk,
        )
        s.demand_resolve_at_intake(actor=w.user("worker"), demand_id=d.pk, answer="每天 11 点到 13 点。")
    analytics_rollup_refresh()

    city = metrics_compute(**MAY)["rates"]["community_level_resolution_rate"]
    committee = metrics_compute(unit_id=w.user("worker").unit_id, **MAY)
    assert (city["numerator"], city["denominator"]) == (1, 1)
    assert committee["counts"]["total"] == 1 and committee["counts"]["resolved_at_intake"] == 1
    rate = committee["rates"]["community_level_resolution_rate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 1)
    assert "答复人员所在单位" in rate["formula"]
