"""A small catalogue, certificates and plaques for the access tests."""

from __future__ import annotations

import datetime as dt

from linli.access import services as s
from linli.core import clock

ITEMS = [
    (
        "D-001",
        "居民最低生活保障申请受理初审",
        "duty",
        "低保、最低生活保障、困难群众、入户调查",
        "受理低保申请，入户调查核实家庭收入和财产，张榜公示后报街道审核",
    ),
    (
        "D-002",
        "城乡居民基本医疗保险参保登记",
        "duty",
        "医保、参保登记、城乡居民医保、缴费",
        "组织未参保居民办理城乡居民基本医疗保险参保登记和缴费",
    ),
    (
        "A-001",
        "老年人高龄津贴资格认证",
        "assist",
        "高龄津贴、老年人、资格认证、生存认证",
        "协助民政部门对八十周岁以上老人开展高龄津贴资格年审认证",
    ),
    (
        "A-002",
        "征兵宣传与适龄青年兵役登记",
        "assist",
        "征兵、兵役登记、适龄青年",
        "协助人武部开展征兵宣传，动员适龄男青年完成兵役登记",
    ),
    ("A-003", "森林防火巡查", "assist", "森林防火、山林、火灾隐患", "协助开展林区防火巡查和野外用火劝阻"),
    (
        "N-001",
        "要求社区开具无犯罪记录证明",
        "negative",
        "无犯罪记录、犯罪记录证明",
        "无犯罪记录证明由公安机关出具，不得要求社区开具",
    ),
    (
        "N-002",
        "要求社区参与招商引资任务",
        "negative",
        "招商引资、招商任务、引进项目",
        "不得向村（社区）下达招商引资、协税护税等经济指标",
    ),
    (
        "N-003",
        "要求社区在工作群每日打卡上报",
        "negative",
        "打卡、工作群、每日上报、截图留痕",
        "不得要求村（社区）通过政务APP或工作群打卡、截图留痕",
    ),
]
VILLAGE_ONLY = {"A-003": "village"}


def catalogue(world, *, effective: dt.date | None = None, items=ITEMS):
    """Publish a catalogue with the items above, in force from ``effective`` (a year ago by default)."""
    draft = s.catalogue_draft_create(actor=world.user("coord"), note="测试清单")
    for code, name, kind, keywords, description in items:
        s.catalogue_item_save(
            actor=world.user("coord"),
            version_id=draft.pk,
            code=code,
            name=name,
            kind=kind,
            keywords=keywords,
            description=description,
            basis="《村（社区）工作事项清单》",
            department="区城管局",
            applies_to=VILLAGE_ONLY.get(code, "both"),
        )
    day = effective or (clock.today() - dt.timedelta(days=365))
    return s.catalogue_version_publish(actor=world.user("coord"), version_id=draft.pk, effective_from=day)


def file(world, title, content, *, user="cg_handler", targets=None, days=10, **extra):
    return s.request_file(
        actor=world.user(user),
        title=title,
        content=content,
        target_ids=targets or [world.community.pk],
        deadline=clock.today() + dt.timedelta(days=days),
        **extra,
    )


def admitted(world):
    return file(world, "开展高龄津贴年审", "请协助民政部门完成辖区八十周岁以上老年人高龄津贴资格认证")


def pending(world):
    return file(world, "垃圾分类督导员值守", "请每个小区安排人员在投放点值守，督导居民分类投放生活垃圾")


def refused(world):
    return file(world, "下达招商引资任务", "请各社区完成本年度招商引资引进项目两个的任务指标")


def certificates():
    s.certificate_save(name="居住证明", listed="positive", aliases="住址证明、居住地证明")
    s.certificate_save(
        name="无犯罪记录证明",
        listed="negative",
        aliases="无犯罪证明、良民证",
        where_to_go="户籍地或居住地派出所",
        basis="公安部门职责",
        cancelled_on=clock.today() - dt.timedelta(days=100),
    )
    s.certificate_save(
        name="婚姻状况证明",
        listed="negative",
        aliases="单身证明、未婚证明",
        where_to_go="民政局婚姻登记处（可查询本人婚姻登记记录）",
    )
