"""Writes of the dispatch app: the category tree and the dispatch catalogue."""

from __future__ import annotations

import csv
import io
from typing import IO

from django.db import transaction

from linli.dispatch.errors import BadCategoryFile
from linli.dispatch.models import Category, DispatchRule


@transaction.atomic
def category_create(*, code: str, name: str, parent: Category | None = None) -> Category:
    level = 1 if parent is None else parent.level + 1
    if level > 3:
        raise BadCategoryFile("分类最多三级", "Categories have at most three levels", details={"code": code})
    full = name if parent is None else f"{parent.full_name}/{name}"
    row = Category.objects.create(
        code=code, name=name, parent=parent, level=level, full_name=full, top=parent.top if parent else None
    )
    if parent is None:
        Category.objects.filter(pk=row.pk).update(top=row)
        row.top = row
    return row


@transaction.atomic
def category_import_csv(*, source: IO[str] | str) -> dict[str, int]:
    """Load a three-level tree from CSV with columns ``level1,level2,level3`` (optional ``code``).

    Names are matched within their parent, so loading the same file twice
    changes nothing. Returns how many categories were created.
    """
    stream = io.StringIO(source) if isinstance(source, str) else source
    reader = csv.DictReader(stream)
    names = {c.strip().lstrip("\ufeff") for c in (reader.fieldnames or [])}
    if not {"level1"} <= names:
        raise BadCategoryFile(details={"columns": sorted(names), "expected": ["level1", "level2", "level3"]})
    existing = {(c.parent_id, c.name): c for c in Category.objects.all()}
    counter = Category.objects.count()
    created = 0
    for line_no, raw in enumerate(reader, start=2):
        row = {k.strip().lstrip("\ufeff"): (v or "").strip() for k, v in raw.items() if k}
        parent = None
        for depth in (1, 2, 3):
            name = row.get(f"level{depth}", "")
            if not name:
                break
            key = (parent.pk if parent else None, name)
            node = existing.get(key)
            if node is None:
                counter += 1
                code = row.get("code") if depth == 3 and row.get("code") else f"C{counter:05d}"
                node = category_create(code=code, name=name, parent=parent)
                existing[key] = node
                created += 1
            parent = node
        if parent is None:
            raise BadCategoryFile(details={"row": line_no, "reason": "empty level1"})
    return {"created": created}


@transaction.atomic
def dispatch_rule_set(*, category: Category, unit, jurisdiction=None, note: str = "") -> DispatchRule:
    rule, _ = DispatchRule.objects.update_or_create(
        category=category, jurisdiction=jurisdiction, defaults={"unit": unit, "note": note}
    )
    return rule


@transaction.atomic
def category_rename(*, category: Category, name: str) -> Category:
    """Rename a node; the full names of its descendants follow."""
    category.name = name
    category.full_name = name if category.parent_id is None else f"{category.parent.full_name}/{name}"
    category.save(update_fields=["name", "full_name"])
    for child in Category.objects.filter(parent=category):
        category_rename(category=child, name=child.name)
    return category
