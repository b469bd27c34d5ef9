"""One taxonomy: the starter corpus reaches this installation's tree only through its crosswalk, and a
suggestion never stands in the way of an intake (given / when / then)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, override_settings

from linli.demands.models import Demand
from linli.dispatch import modelstore
from linli.dispatch.errors import BadCrosswalkFile
from linli.dispatch.selectors import crosswalk_table, dispatch_suggest
from linli.dispatch.services import (
    crosswalk_import,
    dispatch_model_build,
    dispatch_model_retrain_if_due,
    dispatch_model_train,
)
from linli.dispatch.types import DispatchSuggestion

CSV = (
    "reference_path,category,note\n"
    "城乡建设/城市管理,城乡建设/市政管理,\n"
    "交通运输,交通运输/道路交通秩序,本地只管交通秩序\n"
    "环境保护,C1,按编码\n"
)


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_crosswalk_loads_from_csv_or_xlsx_and_the_model_knows_only_local_categories(world):
    assert crosswalk_import(name="cw.csv", content=CSV.encode())["lines"] == 3
    assert crosswalk_table()["交通运输"] == "交通运输/道路交通秩序"
    xlsx = _xlsx([["参考分类", "本地分类", "说明"], ["城乡建设/物业管理", "城乡建设", ""]])
    assert crosswalk_import(name="cw.xlsx", content=xlsx)["total"] == 4

    model, counts = dispatch_model_build()
    local_tops = {"城乡建设", "交通运输"}
    assert set(model.classes) == local_tops and counts["corpus"] > 100
    # 教育文体, 卫生计生, 商贸旅游, 劳动和社会保障 have no line: they are not learned, never suggested
    for text in ["孩子上小学报名需要什么材料", "医院乱收费", "公司拖欠工资三个月", "景区门票涨价"]:
        assert model.predict_one("", text).level1 in local_tops
    assert model.meta["paths"] and all(p.split("/")[0] in local_tops for p in model.meta["paths"])


def test_a_bad_crosswalk_file_is_refused_whole_with_the_rows_named(world):
    bad = "reference_path,category\n城乡建设/城市管理,城乡建设/市政管理\n交通运输,没有这个分类\n"
    with pytest.raises(BadCrosswalkFile) as caught:
        crosswalk_import(name="cw.csv", content=bad.encode())
    assert caught.value.code == "crosswalk.bad_file"
    assert caught.value.details["errors"] == [
        {"row": 3, "reason": "unknown category", "category": "没有这个分类"}
    ]
    assert crosswalk_table() == {}
    with pytest.raises(BadCrosswalkFile):
        crosswalk_import(name="cw.csv", content=b"a,b\n1,2\n")


def test_the_crosswalk_command(world, tmp_path, capsys):
    path = tmp_path / "cw.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("crosswalk", "import", str(path))
    assert '"lines": 3' in capsys.readouterr().out
    call_command("crosswalk", "list")
    assert "交通运输/道路交通秩序" in capsys.readouterr().out


def _agent_intake(world, text="菜市场门口流动摊贩占道经营，垃圾满地，行人无法通过。"):
    client = Client()
    client.force_login(world.user("agent"))
    return client.post(
        "/intake/",
        {
            "demand_type": "complaint",
            "urgency": "normal",
            "text": text,
            "phone": "13812341234",
            "community": world.community.pk,
        },
    )


def test_without_any_model_intake_works_and_the_dispatcher_is_told(world):
    # no crosswalk, no trained file: nothing to suggest with
    response = _agent_intake(world)
    assert response.status_code == 302 and Demand.objects.count() == 1
    demand = Demand.objects.get()
    client = Client()
    client.force_login(world.user("dispatcher"))
    html = client.get(f"/demands/{demand.pk}/").content.decode()
    assert 'data-why="model_missing"' in html and "还没有训练好的分类模型" in html


def test_with_a_broken_model_file_intake_and_dispatch_work_and_say_so(world, settings, tmp_path):
    models = tmp_path / "models"
    models.mkdir(parents=True, exist_ok=True)
    (models / "dispatch-v1.npz").write_bytes(b"not a model")
    (models / "dispatch-current.json").write_text('{"version": "v1", "file": "dispatch-v1.npz"}')
    response = _agent_intake(world)
    assert response.status_code == 302
    demand = Demand.objects.get()
    dispatcher = Client()
    dispatcher.force_login(world.user("dispatcher"))
    html = dispatcher.get(f"/demands/{demand.pk}/").content.decode()
    assert 'data-why="model_broken"' in html and "分类模型文件无法读取" in html
    agent = Client()
    agent.force_login(world.user("agent"))
    panel = agent.get("/intake/suggest/", {"text": "小区电梯坏了半个月", "community": world.community.pk})
    assert panel.status_code == 200 and 'data-why="model_broken"' in panel.content.decode()
    suggestion = dispatch_suggest(text="小区电梯坏了半个月", jurisdiction_id=world.community.pk)
    assert suggestion.why == "model_broken" and suggestion.category_id is None
    from linli.demands import services as s

    s.demand_dispatch(
        actor=world.user("dispatcher"),
        demand_id=demand.pk,
        category_id=world.categories["vendors"].pk,
        lead_unit_id=world.cg.pk,
    )
    assert Demand.objects.get().status == "dispatched"


@pytest.mark.parametrize(
    ("suggestion", "shown", "not_shown"),
    [
        (
            DispatchSuggestion(
                top3=((1, "城乡建设", 0.97), (2, "交通运输", 0.03)),
                abstained=False,
                category_id=1,
                category_name="城乡建设/市政管理",
                confidence=0.97,
                why="",
                threshold=0.45,
            ),
            ["城乡建设/市政管理", "置信度 97%"],
            ["把握不足"],
        ),
        (
            DispatchSuggestion(
                top3=((1, "城乡建设", 0.38), (2, "交通运输", 0.33)),
                confidence=0.38,
                why="low_confidence",
                threshold=0.45,
            ),
            ["把握不足", "38%", "低于 45%"],
            ["建议分类", "建议主办单位"],
        ),
        (
            DispatchSuggestion(
                top3=((1, "城乡建设", 1.0),), confidence=1.0, why="little_text", threshold=0.45
            ),
            ["内容太少"],
            ["把握不足", "100%"],
        ),
    ],
)
def test_the_confidence_wording_never_contradicts_the_number(suggestion, shown, not_shown):
    html = render_to_string("dispatch/partials/suggestion.html", {"suggestion": suggestion})
    for text in shown:
        assert text in html
    for text in not_shown:
        assert text not in html


def test_the_model_retrains_by_itself_once_enough_demands_have_finished(world):
    crosswalk_import(name="cw.csv", content=CSV.encode())
    with override_settings(LINLI_DISPATCH_RETRAIN_MIN_NEW=1):
        # nothing finished yet: the starter model stays
        assert dispatch_model_retrain_if_due()["trained"] is False
        assert modelstore.current_model()[0] == "starter"

    class Row:
        demand_id, title, text, lead_unit_id, assisting_unit_ids = 1, "", "路灯坏了", None, ()
        category_path = "城乡建设/市政管理"

    first = dispatch_model_train(history=[Row()])
    assert first["version"] == "v1" and modelstore.current_model()[1].meta["history"] == 1
    from linli.demands import services as s
    from linli.dispatch.tests.test_smart_dispatch import register

    d = register(world)
    s.demand_dispatch(
        actor=world.user("dispatcher"),
        demand_id=d.pk,
        category_id=world.categories["mid"].pk,
        lead_unit_id=world.cg.pk,
    )
    from linli.demands.training_selectors import finished_demand_count

    Demand.objects.filter(pk=d.pk).update(status="closed")  # finished (the loop's steps are tested elsewhere)
    assert finished_demand_count() == 1
    assert dispatch_model_retrain_if_due(min_new=1)["trained"] is False  # 1 finished, the model has seen 1
    result = dispatch_model_retrain_if_due(min_new=0)
    assert result["trained"] is True and result["version"] == "v2"
