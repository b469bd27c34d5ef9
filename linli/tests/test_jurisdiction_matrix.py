"""Role × endpoint × jurisdiction: every URL of the site and every operation of the API is classified.

The list of endpoints is read from the URL conf (``get_resolver()``) and from
the ninja API's OpenAPI paths, so a new endpoint without an entry here fails
``test_every_endpoint_is_classified``. Each entry is public, exempt with a
reason, or checked with probes: the staff of another district (荔城区: its
coordination office, a leader, a street-office handler, a community worker
and a department supervisor) ask for what belongs to 榕城区 and get 403/404
and none of its data; their writes change nothing. Each read probe is first
made by someone who may see the thing, so a probe that could never fail is
caught too.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver

from linli.access import services as acs
from linli.access.models import AccessRequest, Plaque, RequestEvent, Task
from linli.access.tests import factories as af
from linli.analytics.models import MonthlyTopic
from linli.analytics.topic_services import topic_mark
from linli.api import api
from linli.core.selectors import attachment_list
from linli.demands import services as ds
from linli.demands.models import Demand, DemandEvent
from linli.demands.tests import factories as df
from linli.empower.tests.matrix import empower_snapshot, empower_things
from linli.org.services import jurisdiction_create, staff_create, unit_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD
from linli.tests.jurisdiction_table import ADMIN_PREFIX, API, EMPOWER_PARTS, PAGES, Probe
from linli.visits import services as vs
from linli.visits.models import (
    ActionItem,
    CadreUnavailable,
    Campaign,
    Designation,
    Meeting,
    PlanAssignment,
    Round,
    Visit,
)
from linli.visits.tests import factories as vf

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 3, 21, 30, tzinfo=TZ)  # after the first round's evening
# Another district's staff, and the accounts of the empowerment side inside this one (an instructor, a
# volunteer and a partner firm in 金榕社区 itself): none of them may see or change governance records.
OUTSIDERS = ("o_coord", "o_leader", "o_street", "o_worker", "o_dept", "x_instructor", "x_volunteer", "x_firm")
API_PREFIX = "/api/v1"


# --- the world: 榕城区 (the test world) and 荔城区 next to it -------------------------------------------


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00\xff\x00\x00")
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@dataclass
class Things:
    """What belongs to 榕城区, and the words of it that must not show up for an outsider."""

    ids: dict[str, int] = field(default_factory=dict)
    markers: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def things(world, frozen) -> Things:
    w = world
    other = jurisdiction_create(code="350903", name="荔城区", level="district", parent=w.city)
    o_street = jurisdiction_create(code="350903101", name="黄石镇", level="street", parent=other)
    o_comm = jurisdiction_create(code="350903101001", name="黄石社区", level="community", parent=o_street)
    o_office = unit_create(code="HS", name="黄石镇政府", kind="street_office", jurisdiction=o_street)
    o_committee = unit_create(
        code="HSJ", name="黄石社区居委会", kind="community_committee", jurisdiction=o_comm
    )
    o_dept = unit_create(code="LCG", name="荔城区城管局", kind="department", jurisdiction=other)
    for name, kw in {
        "o_coord": dict(role=Role.COORDINATION_OFFICE, jurisdiction=other),
        "o_leader": dict(role=Role.LEADER, jurisdiction=other),
        "o_street": dict(role=Role.UNIT_HANDLER, unit=o_office),
        "o_worker": dict(role=Role.COMMUNITY_WORKER, unit=o_committee),
        "o_dept": dict(role=Role.UNIT_SUPERVISOR, unit=o_dept),
        "x_instructor": dict(role=Role.INSTRUCTOR, jurisdiction=w.community),
        "x_volunteer": dict(role=Role.VOLUNTEER, jurisdiction=w.community),
        "x_firm": dict(role=Role.PARTNER_FIRM, jurisdiction=w.community),
    }.items():
        w.users[name] = staff_create(username=name, password=PASSWORD, **kw)
    w.users["street"] = staff_create(
        username="street", password=PASSWORD, role=Role.UNIT_HANDLER, unit=w.street_office
    )

    t = Things()
    # demands: one in progress with a pending extension, one just registered
    demand = df.in_progress(w, text="金榕路夜市油烟扰民，居民多次反映", latitude=26.6412, longitude=119.5031)
    lead = df.lead_of(demand)
    ext = ds.extension_request(
        actor=w.user("cg_handler"), demand_id=demand.pk, assignment_id=lead.pk, days=3, reason="需协调多部门"
    )
    fresh = df.registered(w, text="涵江村路灯不亮")
    t.ids.update(demand=demand.pk, assignment=lead.pk, extension=ext.pk, fresh=fresh.pk)
    t.markers["demand"] = demand.code
    t.markers["fresh"] = fresh.code
    # the desk (#15): a progress note with a photo on the demand in progress, and a demand waiting for its callback
    ds.assignment_progress(
        actor=w.user("cg_handler"),
        demand_id=demand.pk,
        assignment_id=lead.pk,
        note="已约谈摊主",
        files=[SimpleUploadedFile("进展.png", _png(), content_type="image/png")],
    )
    replied = df.replied(w, text="金榕小区路灯已修复，待回访")
    t.ids.update(progress_file=attachment_list_of("demand_progress", lead.pk))
    t.markers["replied"] = replied.code
    # access: a request awaiting the coordination office, aimed at 金榕社区, with a task report file
    af.catalogue(w)
    req = af.file(w, "金榕社区夜间巡逻排班", "请社区每晚安排两名干部巡逻至二十二时并拍照上报")
    task = Task.objects.get(request=req)
    admitted = af.admitted(w)
    done = Task.objects.get(request=admitted)
    upload = SimpleUploadedFile("report.png", _png(), content_type="image/png")
    acs.task_report(actor=w.user("worker"), task_id=done.pk, note="已完成年审", uploads=[upload])
    report_file = attachment_list_of("access_task", done.pk)
    plaque = acs.plaque_hang(
        actor=w.user("worker"),
        community_id=w.community.pk,
        name="金榕平安志愿岗",
        hung_by="区城管局",
        hung_at=NOW.date(),
    )
    t.ids.update(request=req.pk, task=task.pk, done_task=done.pk, task_file=report_file, plaque=plaque.pk)
    t.markers["request"] = req.title
    # visits: a campaign on 金涵乡, a visit with a photo, a meeting with an action item, a designation
    campaign, (first, _second) = vf.campaign(w)
    vf.cadres(w)
    cadre = vs.cadre_create(actor=w.user("coord"), name="郑金涵", level="street", unit_id=w.street_office.pk)
    visit, _ = vs.visit_record(
        actor=w.user("worker"),
        round_id=first.pk,
        community_id=w.community.pk,
        client_token=vf.token(),
        arrived_at=vf.evening(),
        residents_met=7,
        met_notes="金榕花园物业交接问题",
        photos=[SimpleUploadedFile("night.png", _png(), content_type="image/png")],
    )
    photo = attachment_list_of("visit", visit.pk)
    meeting = vs.meeting_create(
        actor=w.user("coord"),
        topic="金榕夜市联合整治协调会",
        held_at=vf.evening(),
        community_id=w.community.pk,
        convened_by_id=w.street_office.pk,
        unit_ids=[w.cg.pk],
        representatives="居民代表王阿姨",
        decisions="城管每晚巡查",
    )
    item = vs.action_item_add(
        actor=w.user("coord"),
        meeting_id=meeting.pk,
        text_="设置夜市临时摊位区",
        owner_unit_id=w.cg.pk,
        deadline=dt.date(2026, 6, 30),
    )
    vs.meeting_refer_demand(actor=w.user("coord"), meeting_id=meeting.pk, demand_id=demand.pk)
    vs.designation_create(
        actor=w.user("coord"),
        compound="金榕花园",
        community_id=w.community.pk,
        title="平安小区",
        designated_on=NOW.date(),
        by_unit_id=w.street_office.pk,
        reason="夜访后整改到位",
        meeting_id=meeting.pk,
    )
    topic = topic_mark(
        actor=w.user("coord"),
        title="金榕夜市油烟扰民（每月一题）",
        lead_unit_id=w.cg.pk,
        area_id=w.district.pk,
        demand_ids=[demand.pk],
    )
    t.ids.update(
        topic=topic.pk,
        campaign=campaign.pk,
        round=first.pk,
        visit=visit.pk,
        photo=photo,
        meeting=meeting.pk,
        item=item.pk,
        cadre=cadre.pk,
    )
    t.markers.update(
        campaign=campaign.name,
        meeting=meeting.topic,
        item=item.text,
        visit="金榕花园物业交接问题",
        designation="夜访后整改到位",
        cadre=cadre.name,
        community=w.community.name,
        topic=topic.title,
    )
    for part in EMPOWER_PARTS:  # programs and workshop classify their own endpoints (their tests/matrix.py)
        ids, markers = part.build(w)
        t.ids.update(ids)
        t.markers.update(markers)
    empower_things(w, t)
    return t


def attachment_list_of(subject_type: str, subject_id: int) -> int:
    row = attachment_list(subject_type=subject_type, subject_id=subject_id).first()
    assert row is not None
    return row.pk


# --- what a write may not change ----------------------------------------------------------------------


def snapshot() -> tuple:
    """Every row a probe could write, as values: a refused write leaves all of it as it was."""
    return (
        list(
            Demand.objects.order_by("pk").values_list(
                "pk", "status", "version", "category_id", "lead_unit_id"
            )
        ),
        DemandEvent.objects.count(),
        list(AccessRequest.objects.order_by("pk").values_list("pk", "status")),
        list(Task.objects.order_by("pk").values_list("pk", "status")),
        RequestEvent.objects.count(),
        list(Plaque.objects.order_by("pk").values_list("pk", "removed_at")),
        list(Campaign.objects.order_by("pk").values_list("pk", "name")),
        list(Round.objects.order_by("pk").values_list("pk", "planned_at")),
        PlanAssignment.objects.count(),
        Visit.objects.count(),
        list(Meeting.objects.order_by("pk").values_list("pk", "decisions", "representatives")),
        list(ActionItem.objects.order_by("pk").values_list("pk", "status")),
        Designation.objects.count(),
        CadreUnavailable.objects.count(),
        list(MonthlyTopic.objects.order_by("pk").values_list("pk", "status", "version")),
        *(part.snapshot() for part in EMPOWER_PARTS),
        empower_snapshot(),
    )


# --- the endpoint list, generated ---------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def page_routes() -> set[str]:
    """Every route of the URL conf but the admin's and the API operations (those come from the API itself)."""
    operations = {
        path.lstrip("/").replace("{", "<").replace("}", ">") for path in api.get_openapi_schema()["paths"]
    }
    return {
        r
        for r in _walk(get_resolver().url_patterns)
        if not r.startswith(ADMIN_PREFIX) and r not in operations
    }


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_endpoint_is_classified():
    ops, routes = api_operations(), page_routes()
    assert len(ops) > 40 and len(routes) > 50  # the generator sees the real site
    assert sorted(ops - set(API)) == [], "API operations without a jurisdiction entry"
    assert sorted(routes - set(PAGES)) == [], "pages without a jurisdiction entry"
    assert sorted(set(API) - ops) == [] and sorted(set(PAGES) - routes) == [], (
        "entries for endpoints that are gone"
    )


def _probes() -> list[tuple[str, Probe]]:
    out = []
    for table in (API, PAGES):
        for key, entry in table.items():
            if isinstance(entry, list):
                out += [(f"{key} #{i}", p) for i, p in enumerate(entry)]
    return out


PROBES = _probes()


# --- running a probe ----------------------------------------------------------------------------------


def _ids(world, things: Things) -> dict[str, Any]:
    return {
        **things.ids,
        "district": world.district.pk,
        "street": world.street.pk,
        "community": world.community.pk,
        "cg": world.cg.pk,
        "street_office": world.street_office.pk,
        "mid": world.categories["mid"].pk,
    }


def _fill(value, ids):
    if isinstance(value, str):
        try:
            filled = value.format(**ids)
        except (KeyError, IndexError):
            return value
        return int(filled) if value.startswith("{") and value.endswith("}") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _example(schema: dict, components: dict) -> Any:
    """A value that satisfies a JSON schema's required fields (types only: the services judge the rest)."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _example(props[k], components) for k in schema.get("required", []) if k in props}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-06-10"
    if fmt == "date-time":
        return "2026-06-03T20:00:00+08:00"
    if fmt == "uuid":
        return str(uuid.uuid4())
    return "越界操作的理由"


def _api_body(method: str, url: str) -> dict:
    schema = api.get_openapi_schema()
    path = url.split("?")[0]
    for template, ops in schema["paths"].items():
        parts, mine = template.strip("/").split("/"), path.strip("/").split("/")
        if len(parts) == len(mine) and all(
            a == b or a.startswith("{") for a, b in zip(parts, mine, strict=True)
        ):
            body = ops[method.lower()].get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                return _example(body["schema"], schema.get("components", {}).get("schemas", {}))
    return {}


def _call(user, probe: Probe, ids) -> Any:
    client = Client()
    client.force_login(user)
    url = _fill(probe.url, ids)
    if probe.method == "GET":
        return client.get(url)
    if url.startswith(API_PREFIX):
        body = {**_api_body(probe.method, url), **_fill(probe.body or {}, ids)}
        return client.generic(probe.method, url, json.dumps(body), content_type="application/json")
    return client.post(url, _fill(probe.form or {}, ids))


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    if "spreadsheetml" in response.get("Content-Type", ""):  # an XLSX: the text of its sheets
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("name, probe", PROBES, ids=[n for n, _ in PROBES])
def test_another_district_gets_nothing(world, things, name, probe):
    ids = _ids(world, things)
    marker = things.markers.get(probe.marker, "")
    if probe.kind in ("detail", "list"):  # the positive control: someone who may see it does
        seen = _call(world.user(probe.insider), probe, ids)
        assert seen.status_code == 200, (probe.insider, seen.status_code)
        assert marker in _text(seen)
    before = snapshot()
    for role in OUTSIDERS:
        response = _call(world.user(role), probe, ids)
        status = response.status_code
        assert status < 500, (role, status)
        if probe.kind == "detail":
            assert status in (401, 403, 404), (role, status)  # 401: an account the staff API does not admit
        if probe.kind == "write":
            assert status not in (200, 201, 204) or response.get("Content-Type", "").startswith(
                "text/html"
            ), (
                role,
                status,
            )
            assert snapshot() == before, role
        if marker:
            assert marker not in _text(response), role
    assert snapshot() == before


def test_the_matrix_size():
    """Endpoints × outsider roles, so the report can say how much was probed."""
    checked = sum(1 for _, p in PROBES)
    classified = len(API) + len(PAGES)
    assert classified == len(api_operations()) + len(page_routes())
    assert checked * len(OUTSIDERS) >= 300


def test_a_street_office_of_the_same_district_cannot_touch_another_streets_meeting(world, things):
    """The issue's case one level down: 金涵乡's meeting, and a handler of the next street of 榕城区."""
    street = jurisdiction_create(code="350902102", name="榕东街道", level="street", parent=world.district)
    office = unit_create(code="RD", name="榕东街道办事处", kind="street_office", jurisdiction=street)
    handler = staff_create(username="rd_handler", password=PASSWORD, role=Role.UNIT_HANDLER, unit=office)
    client = Client()
    client.force_login(handler)
    before = snapshot()
    meeting, item = things.ids["meeting"], things.ids["item"]
    assert client.get(f"/api/v1/visits/meetings/{meeting}").status_code == 404
    client.post(f"/visits/meetings/{meeting}/edit/", {"decisions": "改写", "representatives": "无"})
    done = client.post(
        f"/api/v1/visits/action-items/{item}/done",
        json.dumps({"note": "已完成"}),
        content_type="application/json",
    )
    assert done.status_code == 404
    assert snapshot() == before
    # while the street that owns it may
    own = Client()
    own.force_login(world.user("street"))
    assert own.get(f"/api/v1/visits/meetings/{meeting}").status_code == 200
    own.post(
        f"/visits/meetings/{meeting}/edit/",
        {"decisions": "城管每晚巡查，街道每周复查", "representatives": "居民代表王阿姨"},
    )
    assert Meeting.objects.get(pk=meeting).decisions == "城管每晚巡查，街道每周复查"
