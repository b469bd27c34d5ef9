"""Writes of the catalogue: drafts, items, publishing, XLSX import."""

from __future__ import annotations

import datetime as dt
import io

from django.db import IntegrityError, transaction
from django.db.models import Max

from linli.access.errors import (
    DraftExists,
    ImportFailed,
    ItemNotFound,
    VersionNotFound,
    VersionPublished,
)
from linli.access.models import CatalogueItem, CatalogueVersion
from linli.access.states import AppliesTo, ItemKind, VersionStatus
from linli.core import clock
from linli.core.daterange import check_date
from linli.core.errors import ValidationFailed
from linli.org.selectors import unit_list

# Column order of the XLSX exchange format (export writes it, import reads it by header).
COLUMNS = [
    ("code", "事项编号"),
    ("name", "事项名称"),
    ("kind", "类型"),
    ("basis", "政策法规依据"),
    ("department", "责任部门"),
    ("method", "履职方式"),
    ("funding", "经费保障"),
    ("applies_to", "适用"),
    ("keywords", "关键词"),
    ("description", "事项说明"),
    ("effective_from", "起始日期"),
    ("effective_to", "截止日期"),
]
ITEM_FIELDS = [c for c, _ in COLUMNS if c != "department"] + ["department_text", "department_id"]
KIND_BY_LABEL = {label: value for value, label in ItemKind.choices} | {v: v for v in ItemKind.values}
APPLIES_BY_LABEL = {label: value for value, label in AppliesTo.choices} | {v: v for v in AppliesTo.values}


def _draft(version_id: int) -> CatalogueVersion:
    version = CatalogueVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise VersionNotFound(details={"version_id": version_id})
    if version.status != VersionStatus.DRAFT:
        raise VersionPublished(details={"version": version.number})
    return version


@transaction.atomic
def catalogue_draft_create(
    *, actor, note: str = "", copy_from: CatalogueVersion | None = None
) -> CatalogueVersion:
    """A new draft, holding a copy of the latest published version's items (or of ``copy_from``)."""
    if CatalogueVersion.objects.filter(status=VersionStatus.DRAFT).exists():
        raise DraftExists()
    number = (CatalogueVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            draft = CatalogueVersion.objects.create(number=number, note=note[:200], created_at=clock.now())
    except IntegrityError as exc:
        raise DraftExists() from exc
    source = (
        copy_from
        or CatalogueVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    )
    if source is not None:
        CatalogueItem.objects.bulk_create(
            [
                CatalogueItem(version=draft, **{f: getattr(it, f) for f in ITEM_FIELDS})
                for it in source.items.all()
            ]
        )
    return draft


def draft_get_or_create(*, actor) -> CatalogueVersion:
    existing = CatalogueVersion.objects.filter(status=VersionStatus.DRAFT).first()
    return existing or catalogue_draft_create(actor=actor, note="审批纳入清单自动生成")


def _clean_item(fields: dict) -> dict:
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if not data.get("code") or not data.get("name"):
        raise ValidationFailed("事项编号和名称不能为空", "Code and name are required")
    kind = KIND_BY_LABEL.get(data.get("kind") or "")
    if kind is None:
        raise ValidationFailed(f"类型应为：{'、'.join(ItemKind.labels)}", "Unknown item type")
    data["kind"] = kind
    applies = APPLIES_BY_LABEL.get(data.get("applies_to") or "both")
    if applies is None:
        raise ValidationFailed(f"适用应为：{'、'.join(AppliesTo.labels)}", "Unknown applicability")
    data["applies_to"] = applies
    for key in ("effective_from", "effective_to"):
        value = data.get(key)
        if isinstance(value, dt.datetime):
            data[key] = value.date()  # local-date: a spreadsheet cell, written as a local day
        elif isinstance(value, str) and value:
            try:
                data[key] = dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ValidationFailed(f"日期格式应为 2026-01-31：{value}", "Bad date") from exc
        elif not value:
            data[key] = None
        check_date(data[key], field=key)
    if data["effective_from"] and data["effective_to"] and data["effective_to"] < data["effective_from"]:
        raise ValidationFailed("截止日期早于起始日期", "The end date is before the start date")
    department = data.pop("department", None)
    if department is not None and not isinstance(department, str):
        data["department_id"], data["department_text"] = department.pk, ""
    elif department:
        unit = unit_list().filter(name=department).first() or unit_list().filter(code=department).first()
        data["department_id"] = unit.pk if unit else None
        data["department_text"] = "" if unit else department[:100]
    for key, limit in (
        ("code", 20),
        ("name", 120),
        ("basis", 300),
        ("method", 300),
        ("funding", 200),
        ("keywords", 300),
    ):
        if len(str(data.get(key) or "")) > limit:
            raise ValidationFailed(f"{key} 超过 {limit} 字", f"{key} is longer than {limit}")
    return {
        k: (
            ""
            if data.get(k) is None and k not in ("effective_from", "effective_to", "department_id")
            else data.get(k)
        )
        for k in ITEM_FIELDS
        if k in data
    }


@transaction.atomic
def catalogue_item_save(*, actor, version_id: int, **fields) -> CatalogueItem:
    """Add an item to a draft, or change the draft's item with the same code."""
    version = _draft(version_id)
    data = _clean_item(fields)
    item, _ = CatalogueItem.objects.update_or_create(version=version, code=data.pop("code"), defaults=data)
    return item


@transaction.atomic
def catalogue_item_remove(*, actor, version_id: int, code: str) -> None:
    version = _draft(version_id)
    deleted, _ = CatalogueItem.objects.filter(version=version, code=code).delete()
    if not deleted:
        raise ItemNotFound(details={"code": code})


@transaction.atomic
def catalogue_version_publish(
    *, actor, version_id: int, effective_from: dt.date, note: str = ""
) -> CatalogueVersion:
    """Publish a draft: from now on it cannot change, and from ``effective_from`` on it is the catalogue."""
    version = _draft(version_id)
    if not version.items.exists():
        raise ValidationFailed("空清单不能发布", "An empty catalogue cannot be published")
    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.published_at = clock.now()
    version.published_by = actor if getattr(actor, "pk", None) else None
    if note:
        version.note = note[:200]
    version.save(update_fields=["status", "effective_from", "published_at", "published_by", "note"])
    return version


@transaction.atomic
def catalogue_import_xlsx(*, actor, upload, note: str = "") -> tuple[CatalogueVersion, int]:
    """Read an XLSX catalogue into the draft (replacing its items); row errors refuse the whole file."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    except Exception as exc:
        raise ImportFailed("文件不是有效的 XLSX 表格", "The file is not a valid XLSX workbook") from exc
    if not rows:
        raise ImportFailed(details={"errors": [{"row": 1, "message": "表格为空"}]})
    header = [str(h or "").strip() for h in rows[0]]
    by_label = {label: key for key, label in COLUMNS}
    missing = [label for key, label in COLUMNS if key in ("code", "name", "kind") and label not in header]
    if missing:
        raise ImportFailed(details={"errors": [{"row": 1, "message": f"缺少列：{'、'.join(missing)}"}]})
    errors, cleaned, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in row):
            continue
        raw = {
            by_label[h]: ("" if v is None else v if isinstance(v, dt.date) else str(v))
            for h, v in zip(header, row, strict=False)
            if h in by_label
        }
        try:
            data = _clean_item(raw)
        except ValidationFailed as exc:
            errors.append({"row": number, "message": exc.message_zh})
            continue
        if data["code"] in seen:
            errors.append({"row": number, "message": f"事项编号重复：{data['code']}"})
            continue
        seen.add(data["code"])
        cleaned.append(data)
    if errors or not cleaned:
        raise ImportFailed(details={"errors": errors or [{"row": 2, "message": "没有数据行"}]})
    version = CatalogueVersion.objects.filter(status=VersionStatus.DRAFT).first() or catalogue_draft_create(
        actor=actor, note=note or "XLSX 导入"
    )
    version = _draft(version.pk)
    version.items.all().delete()
    CatalogueItem.objects.bulk_create([CatalogueItem(version=version, **d) for d in cleaned])
    return version, len(cleaned)
