"""The empowerment part of the demo, in 金榕社区: the accounts and places the demo has, handed to
``linli.empower.demo`` (the 护学队 forms at the joint meeting on the school gate, ``Planner.meeting``)."""

from __future__ import annotations

import datetime as dt
import random

from linli.demo.plan import Planner
from linli.demo.world import JINRONG_CODE, World
from linli.empower.demo import empower_demo_load


def empower_part_load(*, world: World, planner: Planner, end: dt.datetime, seed: int) -> list[str]:
    jinrong = world.community(JINRONG_CODE)
    return empower_demo_load(
        worker=world.users["jinrong2"],
        coord=world.users["xietiao1"],
        instructor=world.users["zhidao1"],
        volunteer_account=world.users["zhiyuan1"],
        community_id=jinrong.j.pk,
        home_unit_id=world.units["JW-CG"].pk,
        school=jinrong.school,
        patrol_began_on=planner.meeting,
        end=end,
        rng=random.Random(seed + 14),
    )
