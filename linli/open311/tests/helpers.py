"""Open311 test helpers: a key, an attribute, schema validation and a count of what was written."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from linli.open311.models import AttributeValue, ServiceAttribute, Submission
from linli.open311.services import open311_key_create

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
BASE = "/open311/v2/"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def conforms(body, name: str):
    jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker()).validate(body)
    return body


def new_key(name="测试客户端") -> str:
    return open311_key_create(name=name)[1]


def stall_attributes(world) -> ServiceAttribute:
    """占道经营 asks when it happens (a list) and how many stalls (a number, optional)."""
    when = ServiceAttribute.objects.create(
        category=world.categories["vendors"],
        code="when",
        description="什么时段",
        datatype="singlevaluelist",
        required=True,
        order=1,
    )
    AttributeValue.objects.create(attribute=when, key="morning", name="早高峰")
    AttributeValue.objects.create(attribute=when, key="night", name="夜间")
    ServiceAttribute.objects.create(
        category=world.categories["vendors"], code="stalls", description="摊位数", datatype="number", order=2
    )
    return when


def good_post(key: str, **extra) -> dict:
    data = {
        "api_key": key,
        "service_code": "C111",
        "lat": "25.012345",
        "long": "118.654321",
        "description": "金榕路小学门口早上有流动摊贩占道，学生只能走机动车道。",
        "first_name": "王",
        "last_name": "女士",
        "phone": "13812345678",
        "email": "wang@example.cn",
        "attribute[when]": "morning",
        "attribute[stalls]": "3",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def written() -> tuple[int, int]:
    from linli.demands.models import Demand

    return Demand.objects.count(), Submission.objects.count()
