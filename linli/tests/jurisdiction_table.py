"""The jurisdiction matrix's table: every API operation and every page, public, exempt with a reason, or
checked with probes (``test_jurisdiction_matrix`` runs them and checks the table covers the whole site)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linli.programs.tests import matrix as programs_matrix
from linli.workshop.tests import matrix as workshop_matrix

# Programs and workshop classify their own endpoints (their tests/matrix.py).
EMPOWER_PARTS = (programs_matrix, workshop_matrix)

# --- probes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One request an outsider makes. ``kind``: "detail" (must be 403/404), "list" (must not show the marker),
    "write" (must change nothing and not succeed)."""

    kind: str
    method: str
    url: str  # with {name} placeholders from Things.ids
    marker: str = ""  # a key of Things.markers
    insider: str = "coord"  # who may read it: the positive control of a read probe
    body: dict | None = None  # for API writes: overrides on the body built from the schema
    form: dict | None = None  # for page writes


def D(url, marker="", insider="coord"):  # noqa: N802
    return Probe("detail", "GET", url, marker, insider)


def L(url, marker, insider="coord"):  # noqa: N802
    return Probe("list", "GET", url, marker, insider)


def W(method, url, *, body=None, form=None):  # noqa: N802
    return Probe("write", method, url, body=body, form=form)


PUBLIC = "public"


def exempt(reason: str) -> str:
    assert len(reason) > 10
    return reason


# API operations, by "METHOD /path" as the OpenAPI document names them.
API: dict[str, Any] = {
    "GET /api/v1/me": exempt("the caller's own account"),
    "GET /api/v1/units": exempt("reference data: the city's units, names only, for pickers"),
    "GET /api/v1/jurisdictions": exempt("reference data: the administrative tree, public knowledge"),
    "GET /api/v1/categories": exempt("reference data: the category tree"),
    "GET /api/v1/route": exempt("the routing catalogue lookup for a category: reference data, no demand"),
    "POST /api/v1/dispatch/suggest": exempt("classifies text the caller sends; reads no stored demand"),
    "GET /api/v1/demands/export": [L("/api/v1/demands/export", "demand")],
    "POST /api/v1/demands/import": exempt("registers new demands by the intake roles (city-level hotline)"),
    "POST /api/v1/demands": exempt(
        "registers a new demand; intake roles only (demands.permissions.may_register)"
    ),
    "GET /api/v1/demands": [L("/api/v1/demands", "demand")],
    "POST /api/v1/demands/{demand_id}/resolve-at-intake": [
        W("POST", "/api/v1/demands/{fresh}/resolve-at-intake")
    ],
    "POST /api/v1/demands/{demand_id}/dispatch": [W("POST", "/api/v1/demands/{fresh}/dispatch")],
    "POST /api/v1/demands/{demand_id}/redispatch": [W("POST", "/api/v1/demands/{demand}/redispatch")],
    "POST /api/v1/demands/{demand_id}/category": [W("POST", "/api/v1/demands/{demand}/category")],
    "POST /api/v1/demands/{demand_id}/assignments/{assignment_id}/sign": [
        W("POST", "/api/v1/demands/{demand}/assignments/{assignment}/sign")
    ],
    "POST /api/v1/demands/{demand_id}/assignments/{assignment_id}/return": [
        W("POST", "/api/v1/demands/{demand}/assignments/{assignment}/return")
    ],
    "POST /api/v1/demands/{demand_id}/assignments/{assignment_id}/return/decide": [
        W("POST", "/api/v1/demands/{demand}/assignments/{assignment}/return/decide")
    ],
    "POST /api/v1/demands/{demand_id}/assignments/{assignment_id}/extensions": [
        W("POST", "/api/v1/demands/{demand}/assignments/{assignment}/extensions")
    ],
    "POST /api/v1/extensions/{extension_id}/decide": [W("POST", "/api/v1/extensions/{extension}/decide")],
    "POST /api/v1/demands/{demand_id}/assignments/{assignment_id}/reply": [
        W("POST", "/api/v1/demands/{demand}/assignments/{assignment}/reply")
    ],
    "POST /api/v1/demands/{demand_id}/callback": [W("POST", "/api/v1/demands/{demand}/callback")],
    "POST /api/v1/demands/{demand_id}/reopen": [W("POST", "/api/v1/demands/{demand}/reopen")],
    "POST /api/v1/demands/{demand_id}/close": [W("POST", "/api/v1/demands/{demand}/close")],
    "POST /api/v1/demands/{demand_id}/merge": [
        W("POST", "/api/v1/demands/{fresh}/merge", body={"master_id": "{demand}"})
    ],
    "POST /api/v1/demands/{demand_id}/invalid": [W("POST", "/api/v1/demands/{fresh}/invalid")],
    "POST /api/v1/demands/{demand_id}/withdraw": [W("POST", "/api/v1/demands/{fresh}/withdraw")],
    "POST /api/v1/demands/{demand_id}/escalate": [W("POST", "/api/v1/demands/{demand}/escalate")],
    "GET /api/v1/demands/{demand_id}": [D("/api/v1/demands/{demand}", "demand")],
    "GET /api/v1/inbox": [L("/api/v1/inbox?tab=in_progress", "demand", insider="cg_handler")],
    "POST /api/v1/public/demands": PUBLIC,
    "GET /api/v1/public/demands/track": PUBLIC,
    "GET /api/v1/metrics": [
        D("/api/v1/metrics?area={district}&date_from=2026-06-01&date_to=2026-06-30"),
        D("/api/v1/metrics?area={community}&date_from=2026-06-01&date_to=2026-06-30"),
        D("/api/v1/metrics?unit={cg}&date_from=2026-06-01&date_to=2026-06-30"),
    ],
    "GET /api/v1/access/catalogue": exempt("the city's one catalogue of work items, published to everyone"),
    "GET /api/v1/access/catalogue/versions": exempt("the city's catalogue versions, published"),
    "GET /api/v1/access/catalogue/diff": exempt("the difference of two published catalogue versions"),
    "POST /api/v1/access/requests": exempt("files a request of the caller's own department (department_of)"),
    "GET /api/v1/access/requests/{request_id}": [D("/api/v1/access/requests/{request}", "request")],
    "POST /api/v1/access/requests/{request_id}/decide": [
        W("POST", "/api/v1/access/requests/{request}/decide", body={"decision": "reject", "reason": "不同意"})
    ],
    "POST /api/v1/access/requests/{request_id}/opinions": [
        W("POST", "/api/v1/access/requests/{request}/opinions", body={"opinion": "建议不予准入"})
    ],
    "POST /api/v1/access/tasks/{task_id}/refuse": [W("POST", "/api/v1/access/tasks/{task}/refuse")],
    "GET /api/v1/access/public/certificates": PUBLIC,
    "GET /api/v1/access/ledger": [
        L("/api/v1/access/ledger?date_from=2026-06-01&date_to=2026-06-30", "community", insider="leader")
    ],
    "GET /api/v1/visits/campaigns": [L("/api/v1/visits/campaigns", "campaign")],
    "GET /api/v1/visits/campaigns/{campaign_id}": [D("/api/v1/visits/campaigns/{campaign}", "campaign")],
    "GET /api/v1/visits/rounds/{round_id}": [D("/api/v1/visits/rounds/{round}")],
    "POST /api/v1/visits/rounds/{round_id}/plan": [W("POST", "/api/v1/visits/rounds/{round}/plan")],
    "POST /api/v1/visits/visits": [
        W(
            "POST",
            "/api/v1/visits/visits",
            body={
                "round_id": "{round}",
                "community_id": "{community}",
                "arrived_at": "2026-06-03T20:00:00+08:00",
            },
        )
    ],
    "GET /api/v1/visits/meetings": [L("/api/v1/visits/meetings", "meeting")],
    "GET /api/v1/visits/meetings/{meeting_id}": [D("/api/v1/visits/meetings/{meeting}", "meeting")],
    "POST /api/v1/visits/action-items/{item_id}/done": [
        W("POST", "/api/v1/visits/action-items/{item}/done", body={"note": "已完成"})
    ],
    "GET /api/v1/visits/campaigns/{campaign_id}/report": [D("/api/v1/visits/campaigns/{campaign}/report")],
    "GET /api/v1/empower/postings": [L("/api/v1/empower/postings", "posting")],
    "GET /api/v1/empower/postings/{posting_id}": [
        D("/api/v1/empower/postings/{posting}", "posting"),
        D("/api/v1/empower/postings/{posting}", "posting", insider="e_instructor"),
    ],
    "GET /api/v1/empower/volunteers": [L("/api/v1/empower/volunteers", "volunteer", insider="worker")],
    "POST /api/v1/empower/volunteers": [
        W("POST", "/api/v1/empower/volunteers", body={"phone": "13912345678", "community_id": "{community}"})
    ],
    "GET /api/v1/empower/teams/{team_id}": [D("/api/v1/empower/teams/{team}", "team", insider="worker")],
    "POST /api/v1/empower/terms/{term_id}/plan": [W("POST", "/api/v1/empower/terms/{term}/plan")],
    "GET /api/v1/empower/terms/{term_id}/unfilled": [
        D("/api/v1/empower/terms/{term}/unfilled", insider="worker")
    ],
    "POST /api/v1/empower/shifts/{shift_id}/assignments": [
        W("POST", "/api/v1/empower/shifts/{shift}/assignments", body={"volunteer_id": "{volunteer}"})
    ],
    "POST /api/v1/empower/assignments/{assignment_id}/check-in": [
        W("POST", "/api/v1/empower/assignments/{assignment}/check-in")
    ],
    "POST /api/v1/empower/assignments/{assignment_id}/check-out": [
        W("POST", "/api/v1/empower/assignments/{assignment}/check-out")
    ],
    "POST /api/v1/empower/assignments/{assignment_id}/swap-request": [
        W("POST", "/api/v1/empower/assignments/{assignment}/swap-request")
    ],
    "POST /api/v1/empower/assignments/{assignment_id}/swap": [
        W("POST", "/api/v1/empower/assignments/{assignment}/swap", body={"to_volunteer_id": "{volunteer}"})
    ],
    "POST /api/v1/empower/assignments/{assignment_id}/no-show": [
        W("POST", "/api/v1/empower/assignments/{assignment}/no-show")
    ],
    "GET /api/v1/empower/me": [D("/api/v1/empower/me", "volunteer", insider="e_volunteer")],
}

# Pages, by their route in the URL conf.
PAGES: dict[str, Any] = {
    "api/v1/openapi.json": PUBLIC,
    "api/v1/": exempt("the API's root: a JSON 404 naming the documentation"),
    "api/v1/<path:rest>": exempt("any unknown API path: a JSON 404"),
    "i18n/setlang/": PUBLIC,
    "portal/": PUBLIC,
    "portal/submit/": PUBLIC,
    "portal/track/": PUBLIC,
    "portal/track/rate/": PUBLIC,
    "portal/map/boundaries.geojson": PUBLIC,
    "portal/map/nearby/": PUBLIC,
    "portal/map/me-too/<int:pk>/": PUBLIC,
    "map/": exempt("the page shell: its points come from map/points.json, probed"),
    "map/points.json": [L("/map/points.json", "demand")],
    "notifications/preferences/": exempt("the caller's own notification settings"),
    "portal/attachments/<int:pk>/": exempt("a resident's own attachment, behind the tracking code check"),
    "login/": PUBLIC,
    "healthz": PUBLIC,  # {"status": "ok"}, nothing else
    "readyz": PUBLIC,  # which dependencies are up; no data
    "metrics": exempt("operators only: a bearer token or a staff account, 404 otherwise (ops tests)"),
    "logout/": PUBLIC,
    "access/": exempt("redirects each role to its own access page, each probed here"),
    "access/requests/": [L("/access/requests/", "request", insider="cg_handler")],
    "access/requests/new/": exempt("the form of the caller's own department"),
    "access/requests/<int:request_id>/": [D("/access/requests/{request}/", "request")],
    "access/requests/<int:request_id>/decide/": [
        W("POST", "/access/requests/{request}/decide/", form={"decision": "reject", "reason": "不同意"})
    ],
    "access/requests/<int:request_id>/opinion/": [
        W("POST", "/access/requests/{request}/opinion/", form={"opinion": "建议不予准入"})
    ],
    "access/approvals/": [L("/access/approvals/", "request")],
    "access/catalogue/": exempt("the city's one published catalogue"),
    "access/catalogue/v<int:number>/": exempt("a published version of the city's catalogue"),
    "access/catalogue/v<int:number>/export/": exempt(
        "a published version of the city's catalogue, as a file"
    ),
    "access/catalogue/v<int:number>/publish/": exempt("the city's catalogue: coordination office role only"),
    "access/catalogue/diff/": exempt("the difference of two published catalogue versions"),
    "access/catalogue/import/": exempt("the city's catalogue draft: coordination office role only"),
    "access/catalogue/draft/": exempt("the city's catalogue draft: coordination office role only"),
    "access/inbox/": [L("/access/inbox/", "request", insider="worker")],
    "access/inbox/outside/": exempt("records work outside the list for the caller's own community"),
    "access/tasks/<int:task_id>/": [D("/access/tasks/{task}/", "request", insider="worker")],
    "access/tasks/<int:task_id>/files/<int:file_id>/": [D("/access/tasks/{done_task}/files/{task_file}/")],
    "access/tasks/<int:task_id>/refuse/": [W("POST", "/access/tasks/{task}/refuse/")],
    "access/tasks/<int:task_id>/report/": [
        W("POST", "/access/tasks/{task}/report/", form={"note": "已完成"})
    ],
    "access/plaques/": [W("POST", "/access/plaques/", form={"plaque": "{plaque}", "reason": "摘牌"})],
    "access/certificates/": exempt("the caller's own community's certificate counts; the list is city-wide"),
    "access/ledger/": [
        L("/access/ledger/", "community", insider="leader"),
        L("/access/ledger/?format=xlsx", "community", insider="leader"),
    ],
    "access/lookup/": PUBLIC,
    "visits/": [L("/visits/", "campaign")],
    "visits/campaigns/new/": [
        W(
            "POST",
            "/visits/campaigns/new/",
            form={
                "name": "越界夜访",
                "area": "{street}",
                "starts_on": "2026-06-01",
                "ends_on": "2026-06-30",
            },
        )
    ],
    "visits/campaigns/<int:pk>/": [D("/visits/campaigns/{campaign}/", "campaign")],
    "visits/campaigns/<int:pk>/rounds/": [
        W("POST", "/visits/campaigns/{campaign}/rounds/", form={"date": "2026-06-17"})
    ],
    "visits/campaigns/<int:pk>/report/": [D("/visits/campaigns/{campaign}/report/", "campaign")],
    "visits/campaigns/<int:pk>/report.xlsx": [D("/visits/campaigns/{campaign}/report.xlsx")],
    "visits/rounds/<int:pk>/": [D("/visits/rounds/{round}/", "campaign")],
    "visits/rounds/<int:pk>/plan/": [W("POST", "/visits/rounds/{round}/plan/")],
    "visits/rounds/<int:pk>/lock/": [
        W("POST", "/visits/rounds/{round}/lock/", form={"community": "{community}"})
    ],
    "visits/rounds/<int:pk>/visit/": [D("/visits/rounds/{round}/visit/", "campaign", insider="worker")],
    "visits/visits/<int:pk>/": [D("/visits/visits/{visit}/", "visit")],
    "visits/visits/<int:pk>/photos/<int:photo_id>/": [D("/visits/visits/{visit}/photos/{photo}/")],
    "visits/cadres/": [
        L("/visits/cadres/", "cadre"),
        W("POST", "/visits/cadres/", form={"cadre": "{cadre}", "date": "2026-06-10", "reason": "越界"}),
    ],
    "visits/meetings/": [
        L("/visits/meetings/", "meeting"),
        W(
            "POST",
            "/visits/meetings/",
            form={
                "topic": "越界协调会",
                "date": "2026-06-03",
                "time": "15:00",
                "community": "{community}",
            },
        ),
    ],
    "visits/meetings/<int:pk>/": [D("/visits/meetings/{meeting}/", "meeting")],
    "visits/meetings/<int:pk>/edit/": [
        W("POST", "/visits/meetings/{meeting}/edit/", form={"decisions": "改写", "representatives": "无"})
    ],
    "visits/refer/<int:demand_id>/": [
        D("/visits/refer/{demand}/", "demand"),
        W("POST", "/visits/refer/{fresh}/", form={"meeting": "{meeting}"}),
    ],
    "visits/actions/": [
        L("/visits/actions/", "item"),
        W("POST", "/visits/actions/", form={"item": "{item}", "note": "已完成"}),
    ],
    "visits/designations/": [
        L("/visits/designations/", "designation"),
        W(
            "POST",
            "/visits/designations/",
            form={
                "compound": "金榕新村",
                "community": "{community}",
                "title": "示范小区",
                "designated_on": "2026-06-03",
                "by_unit": "{street_office}",
                "reason": "越界命名",
            },
        ),
    ],
    "": exempt("redirects each role to its workbench page, each probed here"),
    "intake/": exempt("registers a new demand; intake roles only"),
    "intake/suggest/": exempt("classifies text the caller types; reads no stored demand"),
    "queue/": [L("/queue/", "fresh", insider="dispatcher")],
    "inbox/": [L("/inbox/?tab=in_progress", "demand", insider="cg_handler")],
    "approvals/": [L("/approvals/", "demand", insider="cg_boss")],
    "demands/": [L("/demands/", "demand")],
    "demands/export.<str:fmt>": [L("/demands/export.csv", "demand")],
    "demands/<int:pk>/": [D("/demands/{demand}/", "demand")],
    "demands/<int:pk>/do/<str:action>/": [
        W("POST", "/demands/{fresh}/do/dispatch/", form={"category": "{mid}", "lead_unit": "{cg}"}),
        W("POST", "/demands/{demand}/do/escalate/", form={"reason": "越界督办"}),
    ],
    "demands/<int:pk>/print/": [D("/demands/{demand}/print/", "demand")],
    "demands/print/": [L("/demands/print/?id={demand}&id={fresh}", "demand")],
    "demands/batch/<str:action>/": [
        W("POST", "/demands/batch/close/", form={"id": "{demand}", "note": "越界归档"}),
        W("POST", "/demands/batch/sign/", form={"id": "{demand}"}),
        W(
            "POST",
            "/demands/batch/dispatch/",
            form={"id": "{fresh}", "lead_unit": "{cg}", "category": "{mid}"},
        ),
    ],
    "demands/<int:pk>/assignments/<int:assignment_id>/progress/": [
        W("POST", "/demands/{demand}/assignments/{assignment}/progress/", form={"note": "越界进展"})
    ],
    "demands/<int:pk>/progress-files/<int:attachment_id>/": [
        D("/demands/{demand}/progress-files/{progress_file}/")
    ],
    "demands/filters/": exempt("saves a filter of the caller's own; it holds a query string, no demand"),
    "demands/filters/<int:filter_id>/delete/": exempt(
        "deletes the caller's own saved filter only (404 otherwise)"
    ),
    "callbacks/": [L("/callbacks/", "replied", insider="dispatcher")],
    "exports/": exempt("the caller's own background exports only (export_job_list filters by owner)"),
    "exports/<int:job_id>/download/": exempt(
        "the owner's file only: export_job_get answers 404 for another person's job (demands/tests/test_desk_pages)"
    ),
    "dashboard/": [D("/dashboard/?area={district}"), D("/dashboard/?area={community}")],
    "hotspots/": [D("/hotspots/?area={district}"), D("/hotspots/?area={community}")],
    "topics/": [L("/topics/", "topic")],
    "topics/new/": [
        W("POST", "/topics/new/", form={"title": "越界题目", "lead_unit": "{cg}", "area": "{district}"})
    ],
    "topics/<int:pk>/": [D("/topics/{topic}/", "topic")],
    "topics/<int:pk>/do/<str:action>/": [
        W("POST", "/topics/{topic}/do/close/", form={"outcome": "越界办结"}),
        W("POST", "/topics/{topic}/do/meeting/", form={"meeting": "越界会议"}),
    ],
    "empower/": [L("/empower/", "posting"), L("/empower/", "team", insider="worker")],
    "empower/dashboard/": [
        L("/empower/dashboard/?date_from=2026-05-01&date_to=2026-06-03", "community", insider="worker"),
        L(
            "/empower/dashboard/?date_from=2026-05-01&date_to=2026-06-03&format=xlsx",
            "community",
            insider="leader",
        ),
    ],
    "empower/volunteers/": [
        L("/empower/volunteers/", "volunteer", insider="worker"),
        W(
            "POST",
            "/empower/volunteers/",
            form={"name": "越界", "phone": "13912345678", "community": "{community}"},
        ),
    ],
    "empower/postings/<int:pk>/": [D("/empower/postings/{posting}/", "posting")],
    "empower/teams/<int:pk>/": [D("/empower/teams/{team}/", "team", insider="worker")],
    "empower/terms/<int:pk>/plan/": [W("POST", "/empower/terms/{term}/plan/")],
    "empower/shifts/<int:pk>/": [D("/empower/shifts/{shift}/", "volunteer", insider="worker")],
    "empower/shifts/<int:pk>/assign/": [
        W("POST", "/empower/shifts/{shift}/assign/", form={"volunteer": "{volunteer}"})
    ],
    "empower/assignments/<int:pk>/<str:action>/": [
        W("POST", "/empower/assignments/{assignment}/swap/", form={"volunteer": "{volunteer}"}),
        W("POST", "/empower/assignments/{assignment}/no-show/"),
    ],
    "empower/me/": [D("/empower/me/", "volunteer", insider="e_volunteer")],
    "empower/me/<int:pk>/<str:action>/": [
        W("POST", "/empower/me/{assignment}/check-in/"),
        W("POST", "/empower/me/{assignment}/swap/"),
    ],
    "empower/me/hours/": [D("/empower/me/hours/", "volunteer", insider="e_volunteer")],
    "empower/me/certificate.xlsx": [D("/empower/me/certificate.xlsx", "volunteer", insider="e_volunteer")],
    "dispatch-quality/": exempt("the city's dispatch model quality: counts per month, no demand content"),
}
for _part in EMPOWER_PARTS:
    API.update(_part.api(D, L, W, exempt, PUBLIC))
    PAGES.update(_part.pages(D, L, W, exempt, PUBLIC))
for _route in (
    "^$",
    "^discovery(?:\\.(?P<fmt>json|xml))?$",
    "^services(?:\\.(?P<fmt>json|xml))?$",
    "^services/(?P<code>[^/]+?)(?:\\.(?P<fmt>json|xml))?$",
    "^requests(?:\\.(?P<fmt>json|xml))?$",
    "^requests/(?P<request_id>[^/]+?)(?:\\.(?P<fmt>json|xml))?$",
    "^tokens/(?P<token>[^/]+?)(?:\\.(?P<fmt>json|xml))?$",
):  # Open311 GeoReport v2: public by the standard (posting needs an API key); see linli/open311/tests
    PAGES["open311/v2/" + _route] = PUBLIC
ADMIN_PREFIX = "admin/"  # Django admin: staff accounts only; see test_audit_trail for what it may write
