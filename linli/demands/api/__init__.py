"""JSON endpoints of the demands app, mounted by ``linli.api`` at ``/api/v1/``.

Reads and actions share one router: Django matches a URL before the method,
so ``GET /demands`` and ``POST /demands`` must be one route.
"""

from ninja import Router

staff_router = Router(tags=["诉求 Demands"])

from linli.demands.api import actions, files, public, reads  # noqa: E402,F401  (registers the endpoints)

router = Router()
router.add_router("", files.router)  # first: /demands/export and /demands/import are not a {demand_id}
router.add_router("", staff_router)
router.add_router("", public.router)
