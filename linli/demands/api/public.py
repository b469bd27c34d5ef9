"""The resident's side, without login: submit a demand, track it by code and the last four phone digits.

A submission is limited per phone number, under a generous ceiling per client
address, counted together with the portal's form (``core.ratelimit``); a look-up
per address, and wrong digits per tracking code. The tracking answer carries no
names, no phone number and no internal notes.
"""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Header, Query, Router, Status

from linli.core import ratelimit
from linli.core.idempotency import IDEMPOTENCY_HELP, request_fingerprint
from linli.core.ratelimit import PerAddressLimit, PhoneRateLimited, client_ip
from linli.demands import services as s
from linli.demands.api import present
from linli.demands.schemas import PUBLIC_ERRORS, PublicDemandIn, PublicReceiptOut, PublicTrackOut, TrackIn
from linli.demands.selectors import demand_track
from linli.demands.states import Channel

router = Router(tags=["群众 Public"])


@router.post(
    "/public/demands",
    auth=None,
    # the address ceiling counts every request, even one whose body is refused before the phone is known
    throttle=PerAddressLimit(ratelimit.SUBMIT_ADDRESS_SCOPE, ratelimit.SUBMIT_ADDRESS_LIMIT),
    response={201: PublicReceiptOut, **PUBLIC_ERRORS},
    summary="群众提交诉求 / Submit a demand (public)",
)
def public_submit(
    request,
    payload: PublicDemandIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description=IDEMPOTENCY_HELP,
    ),
):
    """无需登录；返回受理编号。同一手机号 10 分钟内最多 5 条（与网页共计），同一地址另有宽松上限；超出时 429 并带
    Retry-After。 / No login; answers with the tracking code. At most 5 submissions per phone number in 10
    minutes (counted with the portal's form), under a generous per-address ceiling; over it, 429 with
    Retry-After."""
    data = payload.model_dump(mode="json")
    wait = ratelimit.submit_phone_hit(data.get("phone") or "")
    if wait:
        raise PhoneRateLimited(details={"retry_after": wait})

    def receipt(demand, _photos):
        return PublicReceiptOut.model_validate(present.public_receipt(demand)).model_dump(mode="json")

    submitted = s.demand_submit(
        actor=None,
        once=s.Once(
            scope=f"public:{client_ip(request)}",
            key=idempotency_key,
            fingerprint=request_fingerprint(request.method, request.path, data),
        ),
        receipt=receipt,
        channel=Channel.WEB,
        **data,
    )
    if submitted.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, submitted.receipt)


@router.get(
    "/public/demands/track",
    auth=None,
    throttle=PerAddressLimit("public_track", 60),
    response={200: PublicTrackOut, **PUBLIC_ERRORS},
    summary="查询办理进度 / Track a demand (public)",
)
def public_track(request, query: Query[TrackIn]):
    """凭受理编号和手机号后四位。 / With the tracking code and the last four digits of the phone number."""
    return present.public_track(demand_track(code=query.code, phone_last4=query.phone_last4))
