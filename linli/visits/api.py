"""夜访 JSON endpoints under /api/v1/visits/."""

from ninja import Router

router = Router(tags=["夜访 visits"])
