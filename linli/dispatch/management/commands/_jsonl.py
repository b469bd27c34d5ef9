"""Shared by the evaluation commands: one JSON object per line, Chinese as written."""

from __future__ import annotations

import json


def line(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
