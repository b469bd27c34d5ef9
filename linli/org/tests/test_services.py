import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.core.errors import ApplicationError
from linli.core.text import mask_phone
from linli.org import selectors
from linli.org.models import User
from linli.org.permissions import can_see_full_phone
from linli.org.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    jurisdiction_create,
    resident_get_or_create,
)


def test_jurisdiction_create_keeps_the_tree_levels_in_order(world):
    with pytest.raises(ApplicationError) as e:
        jurisdiction_create(code="X1", name="错层社区", level="community", parent=world.district)
    assert e.value.code == "org.bad_jurisdiction"
    with pytest.raises(ApplicationError):
        jurisdiction_create(code="X2", name="第二个市", level="district", parent=None)
    assert set(selectors.jurisdiction_subtree_ids(jurisdiction=world.street)) == {
        world.street.pk,
        world.community.pk,
        world.other_community.pk,
    }
    assert [j.level for j in selectors.jurisdiction_ancestors(jurisdiction=world.community)] == [
        "community",
        "street",
        "district",
        "city",
    ]


def test_resident_phone_is_stored_once_normalised_and_a_later_name_fills_in(world):
    a = resident_get_or_create(phone="138 1234 5678")
    b = resident_get_or_create(phone="+86-13812345678", name="李先生")
    assert a.pk == b.pk and b.phone == "13812345678" and b.name == "李先生"
    with pytest.raises(ApplicationError) as e:
        resident_get_or_create(phone="call me")
    assert e.value.code == "resident.bad_phone"


@pytest.mark.parametrize(
    "phone, masked", [("13812341234", "138****1234"), ("0593123456", "059***3456"), ("", "")]
)
def test_mask_phone_keeps_only_prefix_and_last_four(phone, masked):
    assert mask_phone(phone) == masked


def test_only_roles_that_call_residents_see_full_phones(world):
    seeing = {name for name, u in world.users.items() if can_see_full_phone(u)}
    assert seeing == {"agent", "dispatcher", "admin"}


def test_api_token_works_until_revoked_and_only_its_hash_is_stored(world):
    token, secret = api_token_create(user=world.user("agent"), name="12345 接口")
    assert secret not in token.key_hash and api_token_authenticate(secret=secret) == world.user("agent")
    assert api_token_authenticate(secret=secret + "x") is None
    api_token_revoke(token=token)
    assert api_token_authenticate(secret=secret) is None


def test_api_token_notes_its_last_use_once_a_minute_and_a_deactivated_user_is_refused(world):
    token, secret = api_token_create(user=world.user("agent"), name="12345 接口")
    start = dt.datetime(2026, 12, 31, 23, 59, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False):
        assert api_token_authenticate(secret=secret).role == world.user("agent").role
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=50), tick=False):
        api_token_authenticate(secret=secret)
    token.refresh_from_db()
    assert token.last_used_at == start  # within the minute: not written again
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        api_token_authenticate(secret=secret)
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(seconds=61)
    User.objects.filter(pk=token.user_id).update(is_active=False)
    assert api_token_authenticate(secret=secret) is None


def test_unit_and_community_lookups_refuse_unknown_ids(world):
    with pytest.raises(ApplicationError) as e:
        selectors.unit_get(unit_id=123456)
    assert e.value.code == "org.unknown_unit"
    with pytest.raises(ApplicationError) as e:
        selectors.community_get(community_id=world.street.pk)  # a street is not a community
    assert e.value.code == "org.unknown_jurisdiction"
