"""准入 JSON endpoints under /api/v1/access/."""

from ninja import Router

router = Router(tags=["准入 access"])
