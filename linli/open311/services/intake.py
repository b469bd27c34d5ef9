"""POST requests: a GeoReport submission becomes a demand through the same registration as every channel.

Screening, duplicate detection and the demand's rules belong to the demands
and dispatch apps; this module only checks what the GeoReport spec asks for
(service, location, attributes) and keeps what only the integration knows.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.dateparse import parse_datetime

from linli.demands.services import demand_register
from linli.demands.states import Channel, DemandType
from linli.open311.errors import BadAttribute, BadDateRange, LocationRequired, Open311BadRequest
from linli.open311.models import ApiKey, Submission
from linli.open311.selectors import service_attributes, service_get
from linli.open311.states import Datatype

FIELD_MAX = 100
SCREENED_NOTICE = "已收到，人工审核后受理 / Received; it will be registered after a review"
ACCEPTED_NOTICE = "已受理 / Registered"


@dataclass
class Open311Post:
    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)


def _number(value: str, name: str) -> Decimal:
    try:
        return Decimal(value)
    except (InvalidOperation, ValueError):
        raise Open311BadRequest(
            f"{name} 须为数字", f"{name} must be a number", details={name: value}
        ) from None


def _location(post: Open311Post) -> tuple[Decimal | None, Decimal | None, str]:
    lat, lon = post.lat.strip(), post.long.strip()
    if bool(lat) != bool(lon):
        raise LocationRequired(details={"lat_long": "both or neither"})
    address = post.address_string.strip() or (
        f"地址编号 {post.address_id.strip()}" if post.address_id.strip() else ""
    )
    if not lat and not address:
        raise LocationRequired()
    if len(address) > 200:
        raise Open311BadRequest(details={"address_string": "too long"})
    if not lat:
        return None, None, address
    return _number(lat, "lat"), _number(lon, "long"), address


def _attribute_lines(category, given: dict[str, list[str]]) -> tuple[dict, list[str]]:
    """Check the answers against the service definition; unknown attribute codes are refused."""
    attributes = {a.code: a for a in service_attributes(category)}
    unknown = sorted(set(given) - set(attributes))
    if unknown:
        raise BadAttribute(details={"unknown": unknown})
    clean: dict[str, object] = {}
    lines = []
    for code, attr in attributes.items():
        values = [v.strip() for v in given.get(code, []) if v.strip()]
        if not values:
            if attr.required:
                raise BadAttribute(details={code: "required"})
            continue
        if attr.datatype != Datatype.MULTIVALUELIST and len(values) > 1:
            raise BadAttribute(details={code: "one value"})
        if any(len(v) > 1000 for v in values):
            raise BadAttribute(details={code: "too long"})
        shown = values
        if attr.datatype == Datatype.NUMBER:
            _number(values[0], f"attribute[{code}]")
        elif attr.datatype == Datatype.DATETIME:
            parsed = parse_datetime(values[0])
            if parsed is None or parsed.tzinfo is None:
                raise BadAttribute(details={code: "W3C datetime with timezone"})
        elif attr.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST):
            names = {v.key: v.name for v in attr.values.all()}
            if any(v not in names for v in values):
                raise BadAttribute(details={code: values, "allowed": list(names)})
            shown = [names[v] for v in values]
        clean[code] = values if attr.datatype == Datatype.MULTIVALUELIST else values[0]
        lines.append(f"{attr.description}：{'、'.join(shown)}")
    return clean, lines


def _check_contact(post: Open311Post) -> None:
    if post.email:
        try:
            validate_email(post.email)
        except ValidationError:
            raise Open311BadRequest(details={"email": "not valid"}) from None
    if post.media_url:
        try:
            URLValidator(schemes=["http", "https"])(post.media_url)
        except ValidationError:
            raise Open311BadRequest(details={"media_url": "http(s) URL"}) from None
        if len(post.media_url) > 500:
            raise Open311BadRequest(details={"media_url": "too long"})
    for name in ("first_name", "last_name", "device_id", "account_id"):
        if len(getattr(post, name)) > FIELD_MAX:
            raise Open311BadRequest(details={name: "too long"})


@transaction.atomic
def open311_request_submit(*, key: ApiKey, post: Open311Post) -> dict:
    """Register the request as a demand (channel ``open311``); answer the spec's POST body.

    A request that the junk screening flags waits for a person: the client gets a token instead of an id.
    """
    category = service_get(post.service_code.strip())
    latitude, longitude, address = _location(post)
    attributes, lines = _attribute_lines(category, post.attributes)
    _check_contact(post)
    text = "\n".join([post.description.strip(), *lines]).strip()
    if not text:
        raise Open311BadRequest(
            "请填写 description", "description is required", details={"description": "required"}
        )
    name = " ".join(p for p in (post.first_name.strip(), post.last_name.strip()) if p)
    demand = demand_register(
        channel=Channel.OPEN311,
        demand_type=DemandType.COMPLAINT,
        text=text,
        address=address,
        latitude=latitude,
        longitude=longitude,
        category_id=category.pk,
        phone=post.phone.strip() or None,
        name=name[:40],
        actor=None,
    )
    submission = Submission.objects.create(
        api_key=key,
        demand_id=demand.pk,
        token=secrets.token_urlsafe(16),
        service_code=category.code,
        attributes=attributes,
        media_url=post.media_url,
        email=post.email,
        device_id=post.device_id,
        account_id=post.account_id,
    )
    answer: dict[str, object] = (
        {"token": submission.token, "service_notice": SCREENED_NOTICE}
        if demand.junk
        else {"service_request_id": demand.code, "service_notice": ACCEPTED_NOTICE}
    )
    answer["account_id"] = post.account_id or None
    return answer


def parse_w3c(value: str, name: str) -> dt.datetime:
    parsed = parse_datetime(value.strip().replace(" ", "+")) if value else None
    if parsed is None or parsed.tzinfo is None:
        raise BadDateRange(details={name: value})
    return parsed
