"""What smart dispatch suggests, for the intake form and the dispatch form; never in the way of the work."""

from __future__ import annotations

import logging

from linli.core.errors import ApplicationError
from linli.dispatch.selectors import dispatch_suggest
from linli.dispatch.types import DispatchSuggestion

logger = logging.getLogger("linli.dispatch.suggest")

MIN_TEXT = 6


def suggestion_for(
    *, text: str, community_id: int | None, exclude_demand_id: int | None = None, title: str = ""
):
    """The suggestion for a text at a place, or None when the text is too short.

    A suggestion must never stop an intake or a dispatch: a missing or broken model comes back as a
    suggestion without a category whose ``why`` says so; any other failure is logged and comes back
    the same way (``why="failed"``), so the dispatcher knows to choose by hand.
    """
    if len((text or "").strip()) < MIN_TEXT:
        return None
    try:
        return dispatch_suggest(
            text=text[:4000],
            title=title[:200],
            jurisdiction_id=community_id,
            exclude_demand_id=exclude_demand_id,
        )
    except ApplicationError:
        return None
    except Exception:
        logger.exception("dispatch suggestion failed")
        return DispatchSuggestion(why="failed")
