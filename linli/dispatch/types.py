"""Plain values the dispatch app hands to other apps (pages, API, demands services)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DispatchSuggestion:
    """What the dispatcher is offered for one text at one place.

    ``top3`` is ``(category_id, full_name, confidence)`` best first; when the
    model is unsure (``abstained``) ``category_id`` is None and the choice is
    left to the dispatcher, but ``top3`` still lists the candidates.
    ``similar`` is ``(demand_id, code, text_excerpt, similarity)`` for open
    demands about the same issue at the same or a nearby place.

    ``why`` says why there is no category: ``low_confidence`` (the best
    candidate is below ``threshold``, the one threshold the model abstains
    at), ``little_text`` (too few known words), ``not_in_tree`` (a label this
    tree no longer has), ``model_missing`` / ``model_broken`` (no usable
    model: the intake goes on without a suggestion); empty when there is one.
    """

    top3: tuple[tuple[int | None, str, float], ...] = ()
    abstained: bool = True
    category_id: int | None = None
    category_name: str = ""
    confidence: float = 0.0
    lead_unit_id: int | None = None
    lead_unit_name: str = ""
    assisting: tuple[tuple[int, str], ...] = ()
    similar: tuple[tuple[int, str, str, float], ...] = ()
    junk: bool = False
    junk_reason: str = ""
    model_version: str = ""
    why: str = ""
    threshold: float = 0.0


@dataclass(frozen=True)
class TrainingDemand:
    """A demand the dispatch model learns from (handed over by the demands app, see ``sources``)."""

    demand_id: int
    title: str
    text: str
    category_path: str
    lead_unit_id: int | None
    assisting_unit_ids: tuple[int, ...]
    community_id: int | None = None
