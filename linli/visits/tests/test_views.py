"""The /visits/ pages: who sees what, forms that fail keep their input, query counts of the lists."""

import datetime as dt

import pytest
from django.test import Client

from linli.demands.models import Demand
from linli.demands.tests.factories import registered
from linli.visits import services as s
from linli.visits.models import Visit
from linli.visits.tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def setting(world):
    campaign, rounds = f.campaign(world)
    cadres = f.cadres(world, city=2, district=2, street=4)
    s.round_plan(actor=world.user("coord"), round_id=rounds[0].pk)
    for i in range(3):
        s.visit_record(
            actor=world.user("worker"),
            round_id=rounds[0].pk,
            community_id=world.community.pk,
            client_token=f.token(),
            arrived_at=f.evening(minute=10 * i),
            team_ids=[cadres[0].pk, cadres[4].pk],
            issues=[s.IssueInput(text=f"问题{i}")],
        )
    meeting = s.meeting_create(
        actor=world.user("coord"), topic="协调会", held_at=f.evening(), unit_ids=[world.cg.pk]
    )
    for i in range(3):
        s.action_item_add(
            actor=world.user("coord"),
            meeting_id=meeting.pk,
            text_=f"事项{i}",
            owner_unit_id=world.cg.pk,
            deadline=dt.date(2026, 6, 20),
        )
        s.designation_create(
            actor=world.user("coord"),
            compound=f"小区{i}",
            community_id=world.community.pk,
            title="骑手友好示范小区",
            designated_on=dt.date(2026, 7, 1),
            by_unit_id=world.street_office.pk,
            reason="示范",
            meeting_id=meeting.pk,
        )
    return campaign, rounds, meeting


@pytest.mark.parametrize(
    "url,most",
    [
        ("/visits/", 12),
        ("/visits/campaigns/{c}/", 10),
        ("/visits/rounds/{r}/", 16),
        ("/visits/cadres/", 12),
        ("/visits/meetings/", 12),
        ("/visits/meetings/{m}/", 16),
        ("/visits/actions/", 12),
        ("/visits/designations/", 12),
        ("/visits/campaigns/{c}/report/", 16),
    ],
)
def test_pages_render_for_the_coordination_office_in_a_bounded_number_of_queries(
    world, setting, django_assert_max_num_queries, url, most
):
    campaign, rounds, meeting = setting
    c = client_for(world.user("coord"))
    with django_assert_max_num_queries(most):
        response = c.get(url.format(c=campaign.pk, r=rounds[0].pk, m=meeting.pk))
    assert response.status_code == 200


def test_round_page_shows_each_community_with_its_team(world, setting):
    _campaign, rounds, _m = setting
    body = client_for(world.user("coord")).get(f"/visits/rounds/{rounds[0].pk}/").content.decode()
    assert "金榕社区" in body and "涵江村" in body and "city1" in body


def test_a_department_handler_cannot_open_the_plan_of_a_round(world, setting):
    _campaign, rounds, _m = setting
    assert client_for(world.user("jj_handler")).get(f"/visits/rounds/{rounds[0].pk}/").status_code == 404


def test_a_leader_reads_the_report_and_downloads_the_xlsx(world, setting):
    campaign, _r, _m = setting
    c = client_for(world.user("leader"))
    assert "收集问题" in c.get(f"/visits/campaigns/{campaign.pk}/report/").content.decode()
    response = c.get(f"/visits/campaigns/{campaign.pk}/report.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_owner_unit_sees_its_action_items_others_do_not(world, setting):
    assert "事项0" in client_for(world.user("cg_handler")).get("/visits/actions/").content.decode()
    assert "事项0" not in client_for(world.user("jj_handler")).get("/visits/actions/").content.decode()


def test_a_visit_form_before_the_evening_keeps_what_was_typed_and_saves_nothing(world, setting):
    _campaign, rounds, _m = setting
    before = Visit.objects.count()
    response = client_for(world.user("worker")).post(
        f"/visits/rounds/{rounds[0].pk}/visit/",
        {
            "client_token": f.token(),
            "community": world.community.pk,
            "arrived_at": "17:30",
            "met_notes": "在广场座谈",
            "issue_rows": "3",
            "issue-0-text": "楼道灯不亮",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "夜访须在" in body and "在广场座谈" in body
    assert Visit.objects.count() == before


def test_the_same_visit_form_posted_twice_saves_once(world, setting):
    _campaign, rounds, _m = setting
    data = {
        "client_token": f.token(),
        "community": world.community.pk,
        "arrived_at": "20:00",
        "issue_rows": "3",
        "issue-0-text": "停车难",
    }
    c = client_for(world.user("worker"))
    first = c.post(f"/visits/rounds/{rounds[0].pk}/visit/", data)
    second = c.post(f"/visits/rounds/{rounds[0].pk}/visit/", data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Demand.objects.filter(text="停车难").count() == 1


def test_the_demand_page_offers_referral_to_a_meeting_to_dispatchers_only(world):
    demand = registered(world)
    assert "提交协调会" in client_for(world.user("dispatcher")).get(f"/demands/{demand.pk}/").content.decode()
    assert "提交协调会" not in client_for(world.user("leader")).get(f"/demands/{demand.pk}/").content.decode()


def test_referring_from_the_demand_page_links_the_demand_to_the_meeting(world, setting):
    _c, _r, meeting = setting
    demand = registered(world)
    response = client_for(world.user("dispatcher")).post(
        f"/visits/refer/{demand.pk}/", {"meeting": meeting.pk}
    )
    assert response.status_code == 302
    assert meeting.referrals.filter(demand_id=demand.pk).exists()


def test_a_photo_from_the_visit_is_stored_and_shown_on_the_visit_page(world, setting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from linli.core.selectors import attachment_list
    from linli.core.tests.images import tiny_png

    _campaign, rounds, _m = setting
    c = client_for(world.user("worker"))
    response = c.post(
        f"/visits/rounds/{rounds[0].pk}/visit/",
        {
            "client_token": f.token(),
            "community": world.community.pk,
            "arrived_at": "20:30",
            "issue_rows": "3",
            "photos": SimpleUploadedFile("scene.png", tiny_png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.order_by("-pk").first()
    assert attachment_list(subject_type="visit", subject_id=visit.pk).count() == 1
    page = c.get(response["Location"]).content.decode()
    photo = attachment_list(subject_type="visit", subject_id=visit.pk).get()
    url = f"/visits/visits/{visit.pk}/photos/{photo.pk}/"
    assert url in page
    assert c.get(url).status_code == 200
    assert client_for(world.user("jj_handler")).get(url).status_code == 404
