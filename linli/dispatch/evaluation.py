"""How well the suggestions would have done here: train on the demands before a cut-off, score those after.

The model is built exactly as the scheduled retraining builds it (the
crosswalked starter corpus plus the finished demands and corrections), but
only from demands registered before ``cutoff``, and it is not published.
Every demand registered from ``cutoff`` on that has a category and a lead
unit is scored:

- ``category_hit``: the suggested top-level category is the demand's final one
  (an abstention counts as a miss);
- ``confident``: the share of scored demands the model did not abstain on;
- ``unit_suggested``: among confident ones, a lead unit came out of the
  dispatch catalogue for the suggested category at the demand's community;
- ``unit_hit``: among those, it is the demand's lead unit.
"""

from __future__ import annotations

import time

from linli.dispatch.selectors import suggested_unit, suggestion_category
from linli.dispatch.services import dispatch_model_build
from linli.dispatch.sources import demand_source


def holdout_check(*, cutoff, batch: int = 500) -> dict:
    from linli.org.selectors import jurisdiction_list

    started = time.monotonic()
    model, counts = dispatch_model_build(registered_before=cutoff)
    rows = list(demand_source().training_demands(registered_from=cutoff, finished_only=False))
    communities = {j.pk: j for j in jurisdiction_list().filter(pk__in={r.community_id for r in rows})}
    categories: dict = {}
    routes: dict = {}
    scored = hits = confident = with_unit = unit_hits = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        for row, p in zip(chunk, model.predict([(r.title, r.text) for r in chunk]), strict=True):
            scored += 1
            if p.abstained:
                continue
            confident += 1
            hits += p.level1 == row.category_path.split("/")[0]
            if p.path not in categories:
                categories[p.path] = suggestion_category(p.path)
            category = categories[p.path]
            key = (p.path, p.likeliest_path, row.community_id)
            if key not in routes:
                routes[key] = suggested_unit(p, category, communities.get(row.community_id))
            unit = routes[key]
            with_unit += unit is not None
            unit_hits += unit is not None and unit == row.lead_unit_id
    return {
        "cutoff": cutoff.isoformat(),
        "trained_on": counts,
        "scored": scored,
        "category_hit": round(hits / scored, 4) if scored else None,
        "confident": round(confident / scored, 4) if scored else None,
        "unit_suggested": round(with_unit / confident, 4) if confident else None,
        "unit_hit": round(unit_hits / with_unit, 4) if with_unit else None,
        "seconds": round(time.monotonic() - started, 1),
    }
