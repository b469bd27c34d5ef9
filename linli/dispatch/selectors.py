"""Reads of the dispatch app: categories, the catalogue, suggestions, similar demands, quality, hotspots."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging

from django.db.models import QuerySet
from django.utils import timezone

from linli.core import clock
from linli.dispatch.duplicates import (
    MAX_CANDIDATES,
    NEARBY_THRESHOLD,
    SAME_PLACE_THRESHOLD,
    WINDOW_DAYS,
    Similar,
    minhash,
    similarities,
    since,
    text_hash,
)
from linli.dispatch.errors import UnknownCategory
from linli.dispatch.models import Category, CategoryCrosswalk, DemandSignature, DispatchDecision, DispatchRule
from linli.dispatch.modelstore import ModelUnavailable, current_model
from linli.dispatch.screening import screen_text
from linli.dispatch.sources import demand_source
from linli.dispatch.types import DispatchSuggestion
from linli.org.selectors import community_get, jurisdiction_ancestors, jurisdiction_list, units_by_id

logger = logging.getLogger("linli.dispatch")


def category_get(
    *, category_id: int | None = None, code: str | None = None, full_name: str | None = None
) -> Category:
    qs = Category.objects.select_related("top")
    if category_id is not None:
        row = qs.filter(pk=category_id).first()
    elif code:
        row = qs.filter(code=code).first()
    else:
        row = qs.filter(full_name=full_name).first() if full_name else None
    if row is None:
        raise UnknownCategory(details={"category": category_id or code or full_name})
    return row


def category_list(*, level: int | None = None) -> QuerySet[Category]:
    qs = Category.objects.all()
    return qs.filter(level=level) if level else qs


def crosswalk_table() -> dict[str, str]:
    """The crosswalk as ``reference path -> local category full path``."""
    return dict(CategoryCrosswalk.objects.values_list("reference_path", "category__full_name"))


def category_ancestor_ids(category: Category) -> list[int]:
    ids, node = [category.pk], category
    if node.parent_id is None:
        return ids
    parents = dict(
        Category.objects.filter(pk__in=_ancestor_candidates(category)).values_list("pk", "parent_id")
    )
    parent = category.parent_id
    while parent is not None and parent not in ids:
        ids.append(parent)
        parent = parents.get(parent)
    return ids


def _ancestor_candidates(category: Category) -> list[int]:
    # at most three levels: the parent and the top are all there can be
    return [i for i in (category.parent_id, category.top_id) if i is not None]


def route_unit(*, category: Category, community) -> int | None:
    """The unit the dispatch catalogue names for this category and place, or None.

    The deepest matching category wins; among its lines, the smallest area.
    """
    cat_ids = category_ancestor_ids(category)
    areas = [j.pk for j in jurisdiction_ancestors(jurisdiction=community)] if community else []
    rules = list(
        DispatchRule.objects.filter(category_id__in=cat_ids, unit__is_active=True).values_list(
            "category_id", "jurisdiction_id", "unit_id"
        )
    )
    best: tuple[int, int] | None = None
    unit_id = None
    for cat_id, area_id, rule_unit in rules:
        if area_id is not None and area_id not in areas:
            continue
        rank = (cat_ids.index(cat_id), areas.index(area_id) if area_id is not None else len(areas))
        if best is None or rank < best:
            best, unit_id = rank, rule_unit
    return unit_id if unit_id is not None else _route_below(category, areas)


def _route_below(category: Category, areas: list[int]) -> int | None:
    """A branch with no line of its own: the unit its sub-categories' lines all name here, if they agree."""
    if category.level >= 3:
        return None
    below = (
        Category.objects.filter(parent=category)
        if category.level == 2
        else Category.objects.filter(top=category)
    )
    rules = DispatchRule.objects.filter(category__in=below, unit__is_active=True).values_list(
        "category_id", "jurisdiction_id", "unit_id"
    )
    chosen: dict[int, tuple[int, int]] = {}
    for cat_id, area_id, rule_unit in rules:
        if area_id is not None and area_id not in areas:
            continue
        rank = areas.index(area_id) if area_id is not None else len(areas)
        if cat_id not in chosen or rank < chosen[cat_id][0]:
            chosen[cat_id] = (rank, rule_unit)
    units = {u for _, u in chosen.values()}
    return units.pop() if len(units) == 1 else None


def suggested_unit(prediction, category: Category | None, community) -> int | None:
    """The lead unit for a suggested category: the catalogue's line for it here, else (when the category
    stops at a branch whose lines disagree) the line for the likeliest path below it."""
    if category is None:
        return None
    unit = route_unit(category=category, community=community)
    if unit is None and prediction.likeliest_path.count("/") > prediction.path.count("/"):
        deeper = suggestion_category(prediction.likeliest_path)
        if deeper is not None and deeper.pk != category.pk:
            unit = route_unit(category=deeper, community=community)
    return unit


def junk_screen(*, text: str, title: str = ""):
    """Advertising, spam or abuse? (``junk``, ``reason``, ``kind``); see ``linli.dispatch.screening``."""
    return screen_text(text, title)


# --- suggestions ----------------------------------------------------------------------------------


def suggestion_category(path: str) -> Category | None:
    """The deepest category of this installation's tree on a model's path (``城乡建设/物业管理`` …), or None."""
    parts = [p for p in (path or "").split("/") if p]
    names = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    found = {c.full_name: c for c in Category.objects.filter(full_name__in=names)}
    for name in reversed(names):
        if name in found:
            return found[name]
    return None


def similar_open_demands(
    *,
    text: str,
    community_id: int | None,
    street_id: int | None = None,
    topic: str = "",
    exclude_demand_id: int | None = None,
    days: int = WINDOW_DAYS,
    limit: int = 5,
) -> list[Similar]:
    """Open demands registered in the last ``days`` about the same issue here, or nearby on the same topic.

    Without a community there is no place to compare, and nothing is offered.
    """
    if community_id is None:
        return []
    start = since(clock.now(), days)
    open_rows = DemandSignature.objects.filter(is_open=True, registered_at__gte=start)
    if exclude_demand_id is not None:
        open_rows = open_rows.exclude(demand_id=exclude_demand_id)
    rows = list(
        open_rows.filter(community_id=community_id).values_list("demand_id", "minhash")[:MAX_CANDIDATES]
    )
    nearby: list = []
    if street_id is not None and topic:
        nearby = list(
            open_rows.filter(street_id=street_id, topic=topic)
            .exclude(community_id=community_id)
            .values_list("demand_id", "minhash")[:MAX_CANDIDATES]
        )
    query = minhash(text)
    hits: list[tuple[float, int, bool]] = []
    for group, threshold, same in ((rows, SAME_PLACE_THRESHOLD, True), (nearby, NEARBY_THRESHOLD, False)):
        if not group:
            continue
        scores = similarities(query, [bytes(sig) for _, sig in group])
        for i in range(len(group)):
            if scores[i] >= threshold:
                hits.append((float(scores[i]), group[i][0], same))
    hits.sort(key=lambda h: (-h[0], not h[2], -h[1]))
    hits = hits[: limit * 2]
    if not hits:
        return []

    still_open = demand_source().open_demand_ids(ids=[h[1] for h in hits])
    info = {
        r[0]: r[1:]
        for r in DemandSignature.objects.filter(demand_id__in=list(still_open)).values_list(
            "demand_id", "code", "excerpt"
        )
    }
    return [
        Similar(demand_id, info[demand_id][0], info[demand_id][1], round(score, 3), same)
        for score, demand_id, same in hits
        if demand_id in info
    ][:limit]


def identical_open_demand(
    *, text: str, community_id: int | None, days: int = 7, exclude_demand_id: int | None = None
) -> int | None:
    """The earliest open demand in this community, registered in the last ``days``, with the same text."""
    if community_id is None:
        return None
    qs = DemandSignature.objects.filter(
        text_hash=text_hash(text),
        community_id=community_id,
        is_open=True,
        registered_at__gte=since(clock.now(), days),
    )
    if exclude_demand_id is not None:
        qs = qs.exclude(demand_id=exclude_demand_id)
    candidates = list(qs.order_by("registered_at", "demand_id").values_list("demand_id", flat=True)[:5])
    if not candidates:
        return None

    still_open = demand_source().open_demand_ids(ids=candidates)
    return next((c for c in candidates if c in still_open), None)


def dispatch_suggest(
    *, text: str, jurisdiction_id: int | None, exclude_demand_id: int | None = None, title: str = ""
) -> DispatchSuggestion:
    """Category, units, similar open demands and the junk flag for a text at a place (a community id).

    Stable signature for pages and the API; see ``linli.dispatch.types.DispatchSuggestion``.
    An unknown community raises ``org.unknown_jurisdiction``.
    """
    community = community_get(community_id=jurisdiction_id) if jurisdiction_id is not None else None
    junk = screen_text(text, title)
    try:
        version, model = current_model()
        prediction = model.predict_one(title, text)
    except ModelUnavailable as exc:
        return _without_model(text, community, exclude_demand_id, junk, f"model_{exc.reason}")
    except Exception:  # a model that fails on a text must not fail the page
        logger.exception("dispatch model failed on a text")
        return _without_model(text, community, exclude_demand_id, junk, "model_broken")
    names = [label for label, _ in prediction.top3]
    cats = {c.full_name: c for c in Category.objects.filter(full_name__in=names + [prediction.path])}
    top3 = tuple(
        (cats[label].pk if label in cats else None, label, round(p, 4)) for label, p in prediction.top3
    )
    category = None if prediction.abstained else (suggestion_category(prediction.path))
    lead_id = suggested_unit(prediction, category, community)
    assisting_ids = model.assisting_for(category.full_name, lead_id) if category is not None else []
    units = units_by_id([u for u in [lead_id, *assisting_ids] if u is not None]) if lead_id else {}
    similar = similar_open_demands(
        text=text,
        community_id=community.pk if community else None,
        street_id=community.parent_id if community else None,
        topic="" if prediction.abstained else prediction.level1,
        exclude_demand_id=exclude_demand_id,
    )
    why = ""
    if prediction.abstained:
        why = "low_confidence" if prediction.confidence < model.threshold else "little_text"
    elif category is None:
        why = "not_in_tree"
    return DispatchSuggestion(
        top3=top3,
        abstained=bool(why),
        category_id=category.pk if category is not None else None,
        category_name=category.full_name if category is not None else "",
        confidence=round(prediction.confidence, 4),
        lead_unit_id=lead_id,
        lead_unit_name=units[lead_id].name if lead_id in units else "",
        assisting=tuple((u, units[u].name) for u in assisting_ids if u in units),
        similar=tuple((s.demand_id, s.code, s.excerpt, s.similarity) for s in similar),
        junk=junk.junk,
        junk_reason=junk.reason,
        model_version=version,
        why=why,
        threshold=model.threshold,
    )


def _without_model(text, community, exclude_demand_id, junk, why: str) -> DispatchSuggestion:
    """No model: no category or unit, but similar open demands and the junk flag still help."""
    similar = similar_open_demands(
        text=text,
        community_id=community.pk if community else None,
        exclude_demand_id=exclude_demand_id,
    )
    return DispatchSuggestion(
        similar=tuple((s.demand_id, s.code, s.excerpt, s.similarity) for s in similar),
        junk=junk.junk,
        junk_reason=junk.reason,
        why=why,
    )


# --- the monthly dispatch-quality report -------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> dict:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": round(numerator / denominator, 4) if denominator else None,
    }


def dispatch_quality(*, year: int, month: int) -> dict:
    """How the suggestions did in a month: first dispatches of the month, by local time.

    category_match = dispatched into the suggested category's branch / dispatches with a suggestion;
    unit_match = dispatched to the suggested lead unit / dispatches with a suggested unit;
    abstained = dispatches without a suggestion / dispatches;
    returned = those demands returned at least once / dispatched demands.
    """
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = start + dt.timedelta(days=calendar.monthrange(year, month)[1])
    rows = list(
        DispatchDecision.objects.filter(kind="dispatch", at__gte=start, at__lt=end).values_list(
            "demand_id", "abstained", "category_matched", "unit_matched", "corrected"
        )
    )
    demand_ids = {r[0] for r in rows}

    returned = demand_source().returned_demand_ids(ids=demand_ids)
    suggested = [r for r in rows if r[2] is not None]
    with_unit = [r for r in rows if r[3] is not None]
    return {
        "month": f"{year:04d}-{month:02d}",
        "dispatches": len(rows),
        "category_match": _ratio(sum(1 for r in suggested if r[2]), len(suggested)),
        "unit_match": _ratio(sum(1 for r in with_unit if r[3]), len(with_unit)),
        "abstained": _ratio(sum(1 for r in rows if r[1]), len(rows)),
        "corrections": sum(1 for r in rows if r[4]),
        "returned": _ratio(len(returned), len(demand_ids)),
    }


# --- hotspots from the index ---------------------------------------------------------------------------


HOTSPOT_CACHE_SECONDS = 600


def hotspot_issues(
    *, community_ids=None, start: dt.datetime, end: dt.datetime, top: int = 10, city_wide: bool = False
) -> tuple[list, dict[str, dict]]:
    """The hot issues among demands registered in [start, end) in these communities (all with ``city_wide``).

    Returns the ranked issues (``linli.dispatch.hotspots.Hotspot``, ids are
    demand ids as text) and, per demand id, what a page shows of it: code,
    excerpt, community id, registration time. Reads the signature table only.
    """
    from django.core.cache import cache
    from django.db.models import Count, Max, OuterRef, Subquery

    from linli.dispatch.hotspots import Item, find_hotspots

    qs = DemandSignature.objects.filter(registered_at__gte=start, registered_at__lt=end)
    if not city_wide:
        qs = qs.filter(community_id__in=list(community_ids or []))
    # The clustering costs seconds at city scale; the same window with the same demands (count and
    # newest id unchanged) gives the same answer, so pages reuse it until a demand comes or goes.
    stamp = qs.aggregate(n=Count("pk"), last=Max("demand_id"))
    scope_key = (
        "city"
        if city_wide
        else hashlib.sha1(",".join(map(str, sorted(community_ids or []))).encode()).hexdigest()
    )
    key = f"hot:{scope_key}:{start.isoformat()}:{end.isoformat()}:{top}:{stamp['n']}:{stamp['last']}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    # each demand's category path (the landmark pass joins groups that share one), in the same query
    category = Category.objects.filter(pk=OuterRef("category_id")).values("full_name")[:1]
    rows = list(
        qs.annotate(category_path=Subquery(category))
        .order_by("registered_at", "demand_id")
        .values_list(
            "demand_id", "code", "excerpt", "registered_at", "community_id", "complainant_id", "category_path"
        )
    )
    names: dict[int | None, str] = dict(
        jurisdiction_list().filter(pk__in={r[4] for r in rows if r[4]}).values_list("pk", "name")
    )
    items = [
        Item(
            id=str(r[0]),
            text=r[2],
            at=r[3],
            place=names.get(r[4], ""),
            area="area",
            caller=str(r[5] or ""),
            topic=r[6] or "",
        )
        for r in rows
    ]
    about = {
        str(r[0]): {
            "code": r[1],
            "excerpt": r[2],
            "community_id": r[4],
            "at": r[3],
            "community": names.get(r[4], ""),
        }
        for r in rows
    }
    answer = (find_hotspots(items, top=top, area_totals={"area": len(items)}), about)
    cache.set(key, answer, HOTSPOT_CACHE_SECONDS)
    return answer


def area_hotspots(*, jurisdiction_id: int | None = None, days: int = 90, top: int = 10) -> list:
    """Hotspots among the demands registered in the last ``days`` in an area (a jurisdiction and below)."""
    from linli.dispatch.hotspots import Item, find_hotspots
    from linli.org.selectors import jurisdiction_get, jurisdiction_subtree_ids

    start = since(clock.now(), days)
    qs = DemandSignature.objects.filter(registered_at__gte=start, community_id__isnull=False)
    if jurisdiction_id is not None:
        area = jurisdiction_get(jurisdiction_id=jurisdiction_id)
        qs = qs.filter(community_id__in=jurisdiction_subtree_ids(jurisdiction=area))
    rows = list(qs.values_list("demand_id", "excerpt", "registered_at", "community_id", "complainant_id"))
    names: dict[int | None, str] = dict(
        jurisdiction_list().filter(pk__in={r[3] for r in rows}).values_list("pk", "name")
    )
    items = [
        Item(
            id=str(r[0]),
            text=r[1],
            at=r[2],
            place=names.get(r[3], ""),
            area="area",
            caller=str(r[4] or ""),
        )
        for r in rows
    ]
    return find_hotspots(items, top=top, area_totals={"area": len(items)})
