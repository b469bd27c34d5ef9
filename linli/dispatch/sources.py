"""What dispatch reads of the demands, handed over by the demands app.

Dispatch sits below demands in the layer order (pyproject.toml, docs/decisions.md): it never imports the
demands app. The demands app registers its training selectors here in ``DemandsConfig.ready``
(``demand_source_register``); dispatch's training, index upkeep and quality report read through
``demand_source()``, as plain values (``TrainingDemand``, ids, tuples).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from linli.dispatch.types import TrainingDemand


class DemandSource(Protocol):
    def training_demands(
        self,
        *,
        include_ids: Iterable[int] = (),
        batch: int = 2000,
        registered_before: Any = None,
        registered_from: Any = None,
        finished_only: bool = True,
    ) -> Iterator[TrainingDemand]: ...

    def finished_demand_count(self) -> int: ...

    def open_demand_ids(self, *, ids: Iterable[int]) -> set[int]: ...

    def returned_demand_ids(self, *, ids: Iterable[int]) -> set[int]: ...

    def index_rows(self, *, after_id: int = 0, batch: int = 5000) -> list[tuple]: ...

    def is_open_status(self, status: str) -> bool: ...


_source: DemandSource | None = None


def demand_source_register(source: DemandSource) -> None:
    """Called once by the demands app when Django starts."""
    global _source
    _source = source


def demand_source() -> DemandSource:
    if _source is None:
        raise ImproperlyConfigured("No demand source registered: linli.demands must be in INSTALLED_APPS")
    return _source
