"""Writes of the dispatch app: the category tree, the dispatch catalogue, the demand index, decisions, training."""

from __future__ import annotations

import csv
import io
import logging
from typing import IO

from django.db import transaction

from linli.dispatch.classifier import Sample, train
from linli.dispatch.corpus import crosswalked, starter_samples
from linli.dispatch.duplicates import excerpt, minhash, text_hash
from linli.dispatch.errors import BadCategoryFile, BadCrosswalkFile, DispatchTrainingEmpty
from linli.dispatch.models import Category, CategoryCrosswalk, DemandSignature, DispatchDecision, DispatchRule
from linli.dispatch.modelstore import ModelUnavailable, current_model, publish
from linli.dispatch.selectors import category_ancestor_ids, crosswalk_table
from linli.dispatch.sources import demand_source

logger = logging.getLogger("linli.dispatch")


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
                code = (row.get("code") or "") if depth == 3 else ""
                code = code or f"C{counter:05d}"
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
    category.full_name = name if category.parent is None else f"{category.parent.full_name}/{name}"
    category.save(update_fields=["name", "full_name"])
    for child in Category.objects.filter(parent=category):
        category_rename(category=child, name=child.name)
    return category


# --- the crosswalk from the reference taxonomy to this tree -----------------------------------------

CROSSWALK_COLUMNS = {
    "reference_path": "reference_path",
    "参考分类": "reference_path",
    "category": "category",
    "本地分类": "category",
    "note": "note",
    "说明": "note",
}


@transaction.atomic
def crosswalk_set(
    *, reference_path: str, category: Category, note: str = "", replacing_id: int | None = None
) -> CategoryCrosswalk:
    """Map a reference path to a local category (``replacing_id``: the line this one replaces, when renamed)."""
    path = "/".join(p.strip() for p in reference_path.split("/") if p.strip())
    if not path:
        raise BadCrosswalkFile(details={"reference_path": reference_path, "reason": "empty"})
    if replacing_id is not None:
        CategoryCrosswalk.objects.filter(pk=replacing_id).exclude(reference_path=path).delete()
    row, _ = CategoryCrosswalk.objects.update_or_create(
        reference_path=path, defaults={"category": category, "note": note[:200]}
    )
    return row


def _crosswalk_rows(name: str, content: bytes) -> list[dict]:
    if name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            table = [
                ["" if v is None else str(v).strip() for v in r] for r in sheet.iter_rows(values_only=True)
            ]
        except Exception as exc:
            raise BadCrosswalkFile(details={"reason": "not an XLSX workbook"}) from exc
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadCrosswalkFile(details={"reason": "not UTF-8 text"}) from exc
        table = [[v.strip() for v in r] for r in csv.reader(io.StringIO(text))]
    if not table:
        raise BadCrosswalkFile(details={"reason": "empty file"})
    header = [CROSSWALK_COLUMNS.get(h.strip().lower().lstrip("\ufeff"), "") for h in table[0]]
    if not {"reference_path", "category"} <= set(header):
        raise BadCrosswalkFile(
            details={"columns": table[0], "expected": ["reference_path", "category", "note"]}
        )
    return [
        {"row": n, **{k: v for k, v in zip(header, r, strict=False) if k}}
        for n, r in enumerate(table[1:], start=2)
        if any(r)
    ]


@transaction.atomic
def crosswalk_import(*, name: str, content: bytes, replace: bool = False) -> dict[str, int]:
    """Load crosswalk lines from CSV or XLSX: ``reference_path,category[,note]`` (or 参考分类,本地分类,说明).

    ``category`` is a local category's full path (``物业管理/物业服务``) or its code. Any bad row refuses
    the whole file; ``replace`` drops the lines the file does not name.
    """
    rows = _crosswalk_rows(name, content)
    by_name = {c.full_name: c for c in Category.objects.all()}
    by_code = {c.code: c for c in by_name.values()}
    errors, cleaned = [], []
    for r in rows:
        target = by_name.get(r.get("category", "")) or by_code.get(r.get("category", ""))
        if not r.get("reference_path"):
            errors.append({"row": r["row"], "reason": "empty reference_path"})
        elif target is None:
            errors.append({"row": r["row"], "reason": "unknown category", "category": r.get("category", "")})
        else:
            cleaned.append((r["reference_path"], target, r.get("note", "")))
    if errors:
        raise BadCrosswalkFile(details={"errors": errors[:20]})
    kept = {crosswalk_set(reference_path=p, category=c, note=n).pk for p, c, n in cleaned}
    removed = CategoryCrosswalk.objects.exclude(pk__in=kept).delete()[0] if replace else 0
    return {"lines": len(kept), "removed": removed, "total": CategoryCrosswalk.objects.count()}


def starter_samples_local() -> list[Sample]:
    """The starter corpus relabelled into this installation's tree through its crosswalk."""
    return crosswalked(starter_samples(), crosswalk_table())


# --- the demand index (duplicates, hotspots) -------------------------------------------------------


def signature_record(
    *,
    demand_id: int,
    code: str,
    text: str,
    title: str = "",
    community_id: int | None,
    street_id: int | None,
    registered_at,
    complainant_id: int | None = None,
    category_id: int | None = None,
) -> DemandSignature:
    """Index a newly registered demand (called by the demands app inside its registration transaction)."""
    prediction = predict_safely(title, text)[1]
    topic = "" if prediction is None or prediction.abstained else prediction.level1
    fields = {
        "code": code,
        "community_id": community_id,
        "street_id": street_id,
        "registered_at": registered_at,
        "is_open": True,
        "text_hash": text_hash(text),
        "minhash": minhash(text),
        "excerpt": excerpt(text, 120),
        "topic": topic,
        "category_id": category_id,
        "complainant_id": complainant_id,
    }
    # One statement (INSERT … ON CONFLICT DO UPDATE): a new demand has no row, but a stale one left by a
    # deleted demand whose id came round again is overwritten rather than refused.
    (row,) = DemandSignature.objects.bulk_create(
        [DemandSignature(demand_id=demand_id, **fields)],
        update_conflicts=True,
        unique_fields=["demand_id"],
        update_fields=list(fields),
    )
    return row


def signature_update(*, demand_id: int, is_open: bool | None = None, category_id: int | None = None) -> int:
    """Keep the index in step with a demand: closed (merged, invalid, withdrawn, finished) or re-categorised."""
    fields: dict = {}
    if is_open is not None:
        fields["is_open"] = is_open
    if category_id is not None:
        fields["category_id"] = category_id
    return DemandSignature.objects.filter(demand_id=demand_id).update(**fields) if fields else 0


def signature_close_many(*, demand_ids) -> int:
    return DemandSignature.objects.filter(demand_id__in=list(demand_ids), is_open=True).update(is_open=False)


# --- dispatchers' decisions ------------------------------------------------------------------------


def dispatch_decision_record(
    *,
    demand_id: int,
    kind: str,
    text: str,
    title: str = "",
    community=None,
    final_category: Category,
    final_unit_id: int,
    at,
) -> DispatchDecision:
    """Record what the model would have suggested and what the dispatcher chose.

    Called by the demands app's dispatch and re-dispatch services. When the
    model named a category and the dispatcher chose one outside it (neither
    the same node nor a node on the same branch; by top-level name when this
    tree lacks the model's label), the row is a correction.
    """
    from linli.dispatch.selectors import suggested_unit, suggestion_category

    version, prediction = predict_safely(title, text)
    if prediction is None:  # no model: the dispatch is recorded without a suggestion
        return DispatchDecision.objects.create(
            demand_id=demand_id,
            at=at,
            kind=kind,
            model_version=version,
            final_category_id=final_category.pk,
            final_path=final_category.full_name,
            final_unit_id=final_unit_id,
        )
    suggested = None if prediction.abstained else suggestion_category(prediction.path)
    unit = suggested_unit(prediction, suggested, community)
    matched = None
    if suggested is not None:
        final_ids = set(category_ancestor_ids(final_category))
        matched = suggested.pk in final_ids or final_category.pk in set(category_ancestor_ids(suggested))
    elif (
        not prediction.abstained
    ):  # a label this tree no longer has (renamed since training): by top-level name
        matched = final_category.full_name.split("/")[0] == prediction.level1
    return DispatchDecision.objects.create(
        demand_id=demand_id,
        at=at,
        kind=kind,
        model_version=version,
        suggested_path=prediction.path,
        suggested_category_id=suggested.pk if suggested is not None else None,
        suggested_unit_id=unit,
        confidence=prediction.confidence,
        abstained=prediction.abstained,
        final_category_id=final_category.pk,
        final_path=final_category.full_name,
        final_unit_id=final_unit_id,
        category_matched=matched,
        unit_matched=(unit == final_unit_id) if unit is not None else None,
        corrected=matched is False,
    )


_unavailable_logged: set[str] = set()


def predict_safely(title: str, text: str):
    """``(model version, prediction)``; the prediction is None when there is no usable model.

    A suggestion never stops a registration or a dispatch: a missing or broken model, or one that
    fails on this text, is logged and the work goes on without it.
    """
    try:
        version, model = current_model()
    except ModelUnavailable as exc:
        if exc.reason not in _unavailable_logged:  # once per process and reason, not on every registration
            _unavailable_logged.add(exc.reason)
            logger.info("dispatch model unavailable: %s", exc)
        return "", None
    try:
        return version, model.predict_one(title, text)
    except Exception:
        logger.exception("dispatch model %s failed on a text", version)
        return version, None


# --- training --------------------------------------------------------------------------------------


def dispatch_model_train(
    *, history=None, use_corpus: bool = True, correction_weight: float = 3.0, registered_before=None
) -> dict:
    """Train a new model (``dispatch_model_build``) and publish it as the current one."""
    model, counts = dispatch_model_build(
        history=history,
        use_corpus=use_corpus,
        correction_weight=correction_weight,
        registered_before=registered_before,
    )
    version, path = publish(model)
    return {"version": version, "path": str(path), **counts}


def dispatch_model_build(
    *, history=None, use_corpus: bool = True, correction_weight: float = 3.0, registered_before=None
):
    """A model from the crosswalked starter corpus, the finished demands and the corrections: ``(model, counts)``.

    ``history`` yields ``TrainingDemand`` rows (the demands app's
    ``training_demands``, read through ``sources.demand_source()``, limited to demands registered
    before ``registered_before`` when given); corrections found in
    ``DispatchDecision`` weigh ``correction_weight`` times. The starter corpus
    enters only through the crosswalk, so every label is a category of this
    tree. Runs outside any request; the published file is picked up by every
    process within ``modelstore.RECHECK_SECONDS``.
    """
    corrected = set(DispatchDecision.objects.filter(corrected=True).values_list("demand_id", flat=True))
    if history is None:
        history = demand_source().training_demands(include_ids=corrected, registered_before=registered_before)
    samples = starter_samples_local() if use_corpus else []
    counts = {"corpus": len(samples), "demands": 0, "corrections": 0}
    for row in history:
        if not row.category_path:
            continue
        weight = correction_weight if row.demand_id in corrected else 1.0
        counts["demands"] += 1
        counts["corrections"] += row.demand_id in corrected
        samples.append(
            Sample(
                text=row.text,
                title=row.title,
                path=row.category_path,
                weight=weight,
                lead_unit_id=row.lead_unit_id,
                assisting_unit_ids=tuple(row.assisting_unit_ids),
                source="correction" if row.demand_id in corrected else "demand",
            )
        )
    if len({s.path.split("/")[0] for s in samples}) < 2:
        raise DispatchTrainingEmpty(details=counts)
    model = train(samples)
    model.meta["history"] = counts["demands"]
    return model, counts


def dispatch_model_retrain_if_due(*, min_new: int | None = None) -> dict:
    """The periodic job: retrain when ``min_new`` finished demands (``LINLI_DISPATCH_RETRAIN_MIN_NEW``)
    have come since the current model was trained, or there is no trained model yet and that many exist."""
    from django.conf import settings

    threshold = min_new if min_new is not None else settings.LINLI_DISPATCH_RETRAIN_MIN_NEW
    finished = demand_source().finished_demand_count()
    try:
        version, model = current_model()
        seen = int(model.meta.get("history", 0)) if version != "starter" else 0
    except ModelUnavailable:
        seen = 0
    if finished - seen < threshold:
        return {"trained": False, "finished": finished, "in_model": seen, "threshold": threshold}
    try:
        return {"trained": True, **dispatch_model_train()}
    except DispatchTrainingEmpty:
        return {"trained": False, "finished": finished, "in_model": seen, "threshold": threshold}


def signature_from_row(row: tuple, *, topic: str) -> DemandSignature:
    """An unsaved index row for one row of ``training_selectors.index_rows``."""
    pk, code, _title, text, community, street, at, status, complainant, category = row
    return DemandSignature(
        demand_id=pk,
        code=code,
        community_id=community,
        street_id=street,
        registered_at=at,
        is_open=demand_source().is_open_status(status),
        text_hash=text_hash(text),
        minhash=minhash(text),
        excerpt=excerpt(text, 120),
        topic=topic,
        category_id=category,
        complainant_id=complainant,
    )


def signature_rebuild(*, batch: int = 5000) -> dict:
    """Index every demand again (after an import, or to start on an existing installation)."""

    try:
        _, model = current_model()
    except ModelUnavailable:
        model = None
    last, done = 0, 0
    while rows := demand_source().index_rows(after_id=last, batch=batch):
        topics = model.predict([(r[2], r[3]) for r in rows]) if model is not None else [None] * len(rows)
        DemandSignature.objects.filter(demand_id__in=[r[0] for r in rows]).delete()
        DemandSignature.objects.bulk_create(
            [
                signature_from_row(row, topic="" if p is None or p.abstained else p.level1)
                for row, p in zip(rows, topics, strict=True)
            ]
        )
        last, done = rows[-1][0], done + len(rows)
    return {"indexed": done}


def signature_sync(*, batch: int = 5000) -> dict:
    """Close index rows whose demands have been closed elsewhere (finished, archived)."""

    closed, last = 0, 0
    while True:
        ids = list(
            DemandSignature.objects.filter(is_open=True, demand_id__gt=last)
            .order_by("demand_id")
            .values_list("demand_id", flat=True)[:batch]
        )
        if not ids:
            return {"closed": closed}
        still = demand_source().open_demand_ids(ids=ids)
        closed += signature_close_many(demand_ids=[i for i in ids if i not in still])
        last = ids[-1]
