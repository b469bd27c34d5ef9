"""Exports of a filtered demand list to CSV and XLSX, read back with csv and openpyxl (given / when / then)."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from linli.demands.exports import HEADERS, csv_chunks, export_csv, export_xlsx
from linli.demands.models import Demand
from linli.demands.selectors import DemandFilters, demand_list
from linli.demands.services.imports import demands_import
from linli.demands.tests import factories as f

TZ = timezone.get_default_timezone()
REGISTERED = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=TZ)


@pytest.fixture
def demands(world):
    """One demand taken through the whole loop and one just registered, whose text looks like a formula."""
    with time_machine.travel(REGISTERED, tick=False):
        done = f.called_back(world)
        fresh = f.registered(
            world,
            demand_type="consultation",
            urgency="urgent",
            community_id=world.other_community.pk,
            text='=HYPERLINK("http://example.com","点这里")',
            phone="13900001111",
            name="",
        )
    return done, fresh


def listing(user, **filters):
    return demand_list(user=user, filters=DemandFilters(**filters))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_export_csv_has_the_documented_columns_and_values(world, demands):
    done, fresh = demands

    rows = read_csv(export_csv(listing(world.user("agent"), sort="code"), user=world.user("agent")))

    assert rows[0] == HEADERS
    by_code = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    assert set(by_code) == {done.code, fresh.code}
    row = by_code[done.code]
    assert row["受理时间"] == "2026-03-02 09:30"
    assert (row["类型"], row["紧急程度"], row["渠道"], row["状态"]) == ("投诉", "一般", "12345热线", "已回访")
    assert (row["分类"], row["社区"], row["主办单位"]) == ("城乡建设/市政管理", "金榕社区", "区城管局")
    assert (row["是否超期"], row["是否解决"], row["满意度"], row["联系电话"]) == (
        "否",
        "是",
        "满意",
        "13812341234",
    )
    assert row["办结时间"] == "2026-03-02 09:30" and row["签收时限"] and row["办结时限"]
    other = by_code[fresh.code]
    assert other["诉求内容"].startswith("'=HYPERLINK")  # Excel must not run resident text as a formula
    assert (other["主办单位"], other["签收时限"], other["是否解决"], other["满意度"]) == ("", "", "", "")


def test_export_xlsx_has_a_bold_frozen_header_widths_and_real_local_datetimes(world, demands):
    done, fresh = demands

    sheet = read_xlsx(export_xlsx(listing(world.user("agent"), sort="code"), user=world.user("agent")))

    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width == 60 and sheet.column_dimensions["A"].width >= 14
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    registered = rows[done.code][HEADERS.index("受理时间")]
    assert registered.value == dt.datetime(2026, 3, 2, 9, 30, 15) and registered.is_date
    assert registered.number_format == "yyyy-mm-dd hh:mm"
    text = rows[fresh.code][HEADERS.index("诉求内容")]
    assert text.data_type == "s" and text.value.startswith("=HYPERLINK")
    assert rows[done.code][HEADERS.index("联系电话")].value == "13812341234"


def test_export_masks_the_phone_for_a_leader_and_shows_it_to_a_hotline_agent(world, demands):
    leader, agent = world.user("leader"), world.user("agent")

    leader_csv = read_csv(export_csv(listing(leader, sort="code"), user=leader))
    agent_csv = read_csv(export_csv(listing(agent, sort="code"), user=agent))
    leader_xlsx = read_xlsx(export_xlsx(listing(leader, sort="code"), user=leader))

    phone = HEADERS.index("联系电话")
    assert sorted(r[phone] for r in leader_csv[1:]) == ["138****1234", "139****1111"]
    assert sorted(r[phone] for r in agent_csv[1:]) == ["13812341234", "13900001111"]
    assert sorted(r[phone].value for r in leader_xlsx.iter_rows(min_row=2)) == ["138****1234", "139****1111"]


def test_export_follows_the_filters_and_what_the_user_may_see(world, demands):
    done, fresh = demands
    agent = world.user("agent")

    only_village = read_csv(export_csv(listing(agent, community_id=world.other_community.pk), user=agent))
    cg_handler = world.user("cg_handler")
    handler_view = read_csv(export_csv(listing(cg_handler), user=cg_handler))

    assert [r[0] for r in only_village[1:]] == [fresh.code]
    assert [r[0] for r in handler_view[1:]] == [done.code]


def test_export_reads_all_rows_in_one_query_and_streams_in_chunks(world, demands, django_assert_num_queries):
    agent = world.user("agent")
    for _ in range(3):
        f.registered(world)

    with django_assert_num_queries(1):
        chunks = list(csv_chunks(listing(agent), user=agent, rows_per_chunk=2))

    assert len(chunks) == 1 + 3  # header, then 5 rows two by two
    assert len(read_csv(b"".join(chunks))) == 6


@pytest.mark.parametrize("export", [export_csv, export_xlsx])
def test_an_export_imports_back_as_the_same_number_of_demands(world, demands, tmp_path, export):
    agent = world.user("agent")
    before = Demand.objects.count()
    path = tmp_path / ("list.xlsx" if export is export_xlsx else "list.csv")
    path.write_bytes(export(listing(agent), user=agent))

    report = demands_import(source_path=path)

    assert report.bad_rows == [] and len(report.imported) == before > 0
    originals = {d.code: d for d in Demand.objects.exclude(channel="import")}
    for copy in Demand.objects.filter(channel="import"):
        original = originals[copy.external_ref]
        assert (copy.text, copy.community_id, copy.category_id) == (
            original.text,
            original.community_id,
            original.category_id,
        )
        assert (copy.demand_type, copy.urgency, copy.complainant_id) == (
            original.demand_type,
            original.urgency,
            original.complainant_id,
        )
        assert copy.registered_at == original.registered_at.replace(second=0 if export is export_csv else 15)
    assert len(demands_import(source_path=path).duplicates) == before


# --- the command --------------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("export_demands", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_export_demands_command_writes_xlsx_and_csv_with_filters(world, demands, tmp_path):
    done, fresh = demands
    xlsx, csv_path = tmp_path / "out.xlsx", tmp_path / "out.csv"

    code, out, _ = run("--format", "xlsx", "--output", xlsx, "--user", "leader", "--status", "已回访")
    assert code == 0 and "已导出 1 条" in out
    sheet = read_xlsx(xlsx.read_bytes())
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == [done.code]
    assert sheet.cell(row=2, column=len(HEADERS)).value == "138****1234"

    code, out, _ = run(
        "--output",
        csv_path,
        "--user",
        "agent",
        "--community",
        world.other_community.code,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-02",
        "--channel",
        "hotline",
    )
    assert code == 0
    assert [r[0] for r in read_csv(csv_path.read_bytes())[1:]] == [fresh.code]

    code, out, _ = run("--output", csv_path, "--user", "agent", "--from", "2026-03-03")
    assert code == 0 and read_csv(csv_path.read_bytes())[1:] == []


@pytest.mark.parametrize(
    "args",
    [
        ["--user", "nobody"],
        ["--user", "agent", "--status", "lost"],
        ["--user", "agent", "--community", "000"],
    ],
)
def test_export_demands_command_exits_2_on_bad_arguments(world, tmp_path, args):
    code, _, err = run("--output", tmp_path / "x.csv", *args)

    assert code == 2 and err
