import pytest

from linli.core.errors import ApplicationError
from linli.dispatch.models import Category
from linli.dispatch.selectors import route_unit
from linli.dispatch.services import category_import_csv, dispatch_rule_set

TREE = """level1,level2,level3
城乡建设,市政管理,路灯照明
城乡建设,市政管理,井盖破损
城乡建设,园林绿化,
交通运输,公共交通,公交线路
"""


@pytest.mark.django_db
def test_category_import_csv_builds_a_three_level_tree_and_is_repeatable():
    assert category_import_csv(source=TREE) == {"created": 8}
    assert category_import_csv(source=TREE) == {"created": 0}
    lamp = Category.objects.get(name="路灯照明")
    assert (lamp.level, lamp.full_name, lamp.top.name) == (3, "城乡建设/市政管理/路灯照明", "城乡建设")


@pytest.mark.django_db
def test_category_import_csv_refuses_a_file_without_the_columns():
    with pytest.raises(ApplicationError) as e:
        category_import_csv(source="name,parent\n路灯,市政\n")
    assert e.value.code == "category.bad_file"


def test_route_unit_prefers_deeper_category_then_smaller_area(world):
    cats = world.categories
    assert route_unit(category=cats["vendors"], community=world.community) == world.committee.pk
    assert route_unit(category=cats["vendors"], community=world.other_community) == world.cg.pk
    assert route_unit(category=cats["traffic"], community=world.community) == world.jj.pk
    dispatch_rule_set(category=cats["traffic_top"], unit=world.street_office, jurisdiction=world.street)
    assert route_unit(category=cats["traffic"], community=world.community) == world.street_office.pk
    # a branch without a line of its own: the unit its sub-categories' lines agree on here, else none
    assert route_unit(category=cats["top"], community=None) == world.cg.pk
    assert route_unit(category=cats["top"], community=world.community) is None  # 城管 and the committee
