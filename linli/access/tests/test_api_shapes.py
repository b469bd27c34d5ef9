"""The answers of /api/v1/access/ keep their shape: every key, in order, with its JSON type.

Clients read these bodies; the schemas in ``access/schemas.py`` describe them in openapi.json.
A change of key, order or type here is a change of the API.
"""

import datetime as dt

import pytest

from linli.access import services as s
from linli.access.models import Task
from linli.access.tests import factories as f
from linli.core import clock
from linli.core.tests.shapes import assert_shape

pytestmark = pytest.mark.django_db
API = "/api/v1/access"

ITEM = {
    "code": "str",
    "name": "str",
    "kind": "str",
    "basis": "str",
    "department": "str",
    "method": "str",
    "funding": "str",
    "applies_to": "str",
    "effective_from": "null",
    "effective_to": "null",
}
BRIEF = {"code": "str", "name": "str", "kind": "str", "kind_label": "str"}
TASK = {"community": "str", "status": "str", "refusal_reason": "str"}
EVENT = {"kind": "str", "actor": "str", "office": "str", "at": "str", "reason": "str"}
REQUEST = {
    "id": "int",
    "kind": "str",
    "title": "str",
    "content": "str",
    "department": "str",
    "status": "str",
    "status_label": "str",
    "deadline": "str",
    "filed_at": "str",
    "approval_due": "str",
    "escalated": "bool",
    "working_days_left": "int",
    "match": {},  # the gate's explanation: its keys depend on the outcome (see below)
    "tasks": [TASK],
    "events": [EVENT],
}
LEDGER_ROW = {
    "id": "int",
    "code": "str",
    "name": "str",
    "level": "str",
    "population": "int",
    "cadres": "int",
    "residents_per_cadre": "int|null",
    "admitted": "int",
    "refused": "int",
    "pending": "int",
    "inspections": "int",
    "plaques": "int",
    "plaques_removed": "int",
    "certificates": "int",
    "demands": "int",
}
TOTALS = {
    "admitted": "int",
    "refused": "int",
    "pending": "int",
    "inspections": "int",
    "plaques": "int",
    "plaques_removed": "int",
    "certificates": "int",
    "demands": "int",
    "items_cut": "int",
    "items_in_force": "int",
    "certificates_cancelled": "int",
}


def _second_version(world, cat):
    """Version 2: one item renamed, one added, one removed, in force from today."""
    coord = world.user("coord")
    draft = s.catalogue_draft_create(actor=coord, note="第二版", copy_from=cat)
    s.catalogue_item_save(
        actor=coord,
        version_id=draft.pk,
        code="D-001",
        name="低保申请受理",
        kind="duty",
        department="区民政局",
    )
    s.catalogue_item_save(actor=coord, version_id=draft.pk, code="D-009", name="人口普查登记", kind="duty")
    s.catalogue_item_remove(actor=coord, version_id=draft.pk, code="A-003")
    return s.catalogue_version_publish(actor=coord, version_id=draft.pk, effective_from=clock.today())


def test_the_catalogue_answers_keep_their_shape(client, signed_in, world):
    signed_in("coord")
    assert_shape(client.get(f"{API}/catalogue").json(), {"version": "null", "items": []})
    cat = f.catalogue(world)
    new = _second_version(world, cat)
    assert_shape(client.get(f"{API}/catalogue").json(), {"version": "int", "items": [ITEM]})
    versions = client.get(f"{API}/catalogue/versions").json()
    assert [v["number"] for v in versions] == [new.number, cat.number]
    assert_shape(
        versions,
        [{"number": "int", "status": "str", "effective_from": "str", "items": "int", "note": "str"}],
    )
    diff = client.get(f"{API}/catalogue/diff", {"old": cat.number, "new": new.number}).json()
    assert [d["code"] for d in diff["added"] + diff["removed"]] == ["D-009", "A-003"]
    assert_shape(
        diff,
        {
            "old": "int",
            "new": "int",
            "added": [BRIEF],
            "removed": [BRIEF],
            "changed": [
                {
                    "code": "str",
                    "name": "str",
                    "fields": [{"field": "str", "label": "str", "old": "str", "new": "str"}],
                }
            ],
        },
    )


def test_the_request_answers_keep_their_shape(client, signed_in, world, cat):
    signed_in("cg_handler")
    deadline = (clock.today() + dt.timedelta(days=5)).isoformat()
    filed = client.post(
        f"{API}/requests",
        {
            "title": "垃圾分类督导员值守",
            "content": "请安排人员在投放点值守督导",
            "target_ids": [world.community.pk],
            "deadline": deadline,
        },
        content_type="application/json",
    )
    assert filed.status_code == 201
    body = filed.json()
    assert_shape(body["match"], {"reason": "str", "why": "str"})  # nothing alike in the catalogue
    assert_shape({**body, "match": {}}, {**REQUEST, "events": [EVENT]})
    got = client.get(f"{API}/requests/{body['id']}").json()
    assert got["id"] == body["id"]
    assert_shape({**got, "match": {}}, {**REQUEST, "events": [EVENT]})

    signed_in("coord")
    opinion = client.post(
        f"{API}/requests/{body['id']}/opinions",
        {"opinion": "同意，建议纳入清单", "office": "区民政局"},
        content_type="application/json",
    )
    assert opinion.status_code == 201
    assert_shape(opinion.json(), {"kind": "str", "office": "str", "reason": "str", "at": "str"})

    task = Task.objects.get(request_id=body["id"])
    signed_in("worker")
    refused = client.post(f"{API}/tasks/{task.pk}/refuse", {}, content_type="application/json")
    assert refused.status_code == 200
    assert_shape(refused.json(), {"id": "int", "status": "str", "refusal_reason": "str"})

    signed_in("coord")
    decided = client.post(
        f"{API}/requests/{body['id']}/decide", {"decision": "approve_list"}, content_type="application/json"
    ).json()
    assert decided["status"] == "approved" and decided["working_days_left"] is None
    assert_shape(
        {**decided, "match": {}},
        {**REQUEST, "working_days_left": "null", "approval_due": "str"},
    )
    assert [e["kind"] for e in decided["events"]] == [
        "filed",
        "pending",
        "opinion",
        "community_refused",
        "approve_list",
    ]


def test_the_public_lookup_and_the_ledger_keep_their_shape(client, signed_in, world, cat):
    f.certificates()
    f.admitted(world)
    body = client.get(f"{API}/public/certificates", {"q": "无犯罪证明"}).json()
    assert body["results"]
    assert_shape(
        body,
        {
            "query": "str",
            "results": [
                {"name": "str", "issuable": "bool", "where_to_go": "str", "basis": "str", "score": "float"}
            ],
        },
    )
    signed_in("leader")
    today = clock.today().isoformat()
    ledger = client.get(f"{API}/ledger", {"date_from": today, "date_to": today}).json()
    assert ledger["from"] == today
    assert_shape(
        ledger,
        {
            "from": "str",
            "to": "str",
            "area": {"id": "int", "name": "str"},
            "rows": [LEDGER_ROW],
            "totals": TOTALS,
        },
    )
