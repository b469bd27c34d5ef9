"""The catalogue: drafts, publishing, immutability, diff, XLSX import (row errors, nothing half-imported) and export."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from linli.access import selectors
from linli.access import services as s
from linli.access.exports import catalogue_xlsx
from linli.access.services.catalogue import COLUMNS
from linli.access.tests import factories as f
from linli.core import clock

pytestmark = pytest.mark.django_db


def xlsx(rows, header=None):
    book = Workbook()
    sheet = book.active
    sheet.append(header or [label for _, label in COLUMNS])
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("c.xlsx", out.getvalue())


def test_published_version_cannot_change(world):
    v1 = f.catalogue(world)
    with pytest.raises(Exception) as exc:
        s.catalogue_item_save(actor=world.user("coord"), version_id=v1.pk, code="X-1", name="新", kind="duty")
    assert exc.value.code == "access.version_published"
    with pytest.raises(Exception) as exc:
        s.catalogue_item_remove(actor=world.user("coord"), version_id=v1.pk, code="D-001")
    assert exc.value.code == "access.version_published"


def test_second_version_diff_shows_added_removed_and_changed_fields(world):
    v1 = f.catalogue(world)
    draft = s.catalogue_draft_create(actor=world.user("coord"), note="第二版")
    with pytest.raises(Exception) as exc:
        s.catalogue_draft_create(actor=world.user("coord"))
    assert exc.value.code == "access.draft_exists"
    s.catalogue_item_remove(actor=world.user("coord"), version_id=draft.pk, code="A-002")
    s.catalogue_item_save(
        actor=world.user("coord"),
        version_id=draft.pk,
        code="A-001",
        name="老年人高龄津贴资格认证",
        kind="协助",
        funding="按人数拨付工作经费",
    )
    s.catalogue_item_save(
        actor=world.user("coord"), version_id=draft.pk, code="A-009", name="无障碍设施摸排", kind="assist"
    )
    v2 = s.catalogue_version_publish(
        actor=world.user("coord"), version_id=draft.pk, effective_from=clock.today()
    )
    diff = selectors.catalogue_diff(old=v1, new=v2)
    assert [i["code"] for i in diff["added"]] == ["A-009"]
    assert [i["code"] for i in diff["removed"]] == ["A-002"]
    changed = {c["code"]: {x["label"]: (x["old"], x["new"]) for x in c["fields"]} for c in diff["changed"]}
    assert changed["A-001"]["经费保障（费随事转）"] == ("", "按人数拨付工作经费")
    assert selectors.catalogue_current().pk == v2.pk
    assert selectors.catalogue_current(on=clock.today() - dt.timedelta(days=1)).pk == v1.pk


def test_import_reports_every_bad_row_and_imports_nothing(world):
    bad = xlsx(
        [
            ["D-1", "低保受理", "依法履职", "", "区城管局", "", "", "村和社区", "", "", "", ""],
            ["D-2", "", "依法履职", "", "", "", "", "", "", "", "", ""],
            ["D-3", "入户调查", "随便", "", "", "", "", "", "", "", "", ""],
            ["D-1", "重复", "协助", "", "", "", "", "", "", "", "", ""],
            ["D-4", "日期错", "协助", "", "", "", "", "", "", "", "2026-13-01", ""],
        ]
    )
    with pytest.raises(Exception) as exc:
        s.catalogue_import_xlsx(actor=world.user("coord"), upload=bad)
    assert exc.value.code == "access.import_failed"
    assert [e["row"] for e in exc.value.details["errors"]] == [3, 4, 5, 6]
    assert not selectors.version_list().exists()


def test_import_rejects_a_file_that_is_not_xlsx_or_lacks_columns(world):
    with pytest.raises(Exception) as exc:
        s.catalogue_import_xlsx(
            actor=world.user("coord"), upload=SimpleUploadedFile("x.xlsx", b"not a workbook")
        )
    assert exc.value.code == "access.import_failed"
    with pytest.raises(Exception) as exc:
        s.catalogue_import_xlsx(actor=world.user("coord"), upload=xlsx([["1"]], header=["编号"]))
    assert "缺少列" in exc.value.details["errors"][0]["message"]


def test_export_then_import_gives_the_same_items(world):
    v1 = f.catalogue(world)
    data = catalogue_xlsx(version=v1)
    header = [c.value for c in next(load_workbook(io.BytesIO(data)).active.iter_rows(max_row=1))]
    assert header[:3] == ["事项编号", "事项名称", "类型"]
    draft, count = s.catalogue_import_xlsx(
        actor=world.user("coord"), upload=SimpleUploadedFile("c.xlsx", data)
    )
    assert count == len(f.ITEMS) and draft.status == "draft"
    diff = selectors.catalogue_diff(old=v1, new=draft)
    assert diff == {"old": v1.number, "new": draft.number, "added": [], "removed": [], "changed": []}
    assert draft.items.get(code="D-001").department == world.cg


def test_empty_draft_cannot_be_published(world):
    draft = s.catalogue_draft_create(actor=world.user("coord"))
    with pytest.raises(Exception) as exc:
        s.catalogue_version_publish(
            actor=world.user("coord"), version_id=draft.pk, effective_from=clock.today()
        )
    assert exc.value.code == "request.invalid"


def test_export_keeps_text_that_looks_like_a_formula_as_text(world):
    item = f.ITEMS[0]
    description = '=HYPERLINK("http://example.invalid","点此领取补贴")'
    v1 = f.catalogue(world, items=[(*item[:4], description)])
    sheet = load_workbook(io.BytesIO(catalogue_xlsx(version=v1))).active
    cell = next(c for c in sheet[2] if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.value == description
