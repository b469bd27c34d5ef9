"""Joint committees of communities (片区联合党委) and the accounts of the empowerment side."""

import pytest

from linli.core.errors import ApplicationError
from linli.org import selectors
from linli.org.permissions import is_staff_member
from linli.org.services import community_group_set, jurisdiction_create, staff_create
from linli.org.states import Role


def test_a_group_shares_its_communities(world):
    jinxi = jurisdiction_create(code="350902101009", name="金溪社区", level="community", parent=world.street)
    group = community_group_set(name="金榕片区联合党委", community_ids=[world.community.pk, jinxi.pk])
    assert selectors.community_group_ids(community_id=jinxi.pk) == sorted([world.community.pk, jinxi.pk])
    assert selectors.community_group_of(community_id=world.community.pk) == group
    assert selectors.community_group_ids(community_id=world.other_community.pk) == [world.other_community.pk]


def test_a_community_is_in_one_group_only_and_a_group_needs_two(world):
    jinxi = jurisdiction_create(code="350902101009", name="金溪社区", level="community", parent=world.street)
    community_group_set(name="金榕片区联合党委", community_ids=[world.community.pk, jinxi.pk])
    with pytest.raises(ApplicationError) as taken:
        community_group_set(name="另一片区", community_ids=[world.community.pk, world.other_community.pk])
    assert taken.value.code == "org.bad_community_group"
    with pytest.raises(ApplicationError):
        community_group_set(name="单个社区", community_ids=[world.other_community.pk])
    with pytest.raises(ApplicationError):  # a street is not a community
        community_group_set(name="街道", community_ids=[world.street.pk, world.other_community.pk])
    assert selectors.community_group_ids(community_id=world.other_community.pk) == [world.other_community.pk]


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.VOLUNTEER, Role.PARTNER_FIRM])
def test_empowerment_accounts_are_not_staff_pages_or_staff_api(world, client, role):
    user = staff_create(
        username=f"x_{role}", password="pw-Linli-2026", role=role, jurisdiction=world.community
    )
    assert not is_staff_member(user)
    client.force_login(user)
    assert client.get("/demands/").status_code == 403
    response = client.get("/api/v1/demands")
    assert response.status_code == 401
    assert response.json()["code"].startswith("auth.")
