"""Typed errors of the workshop app; codes are stable (``workshop.*``)."""

from linli.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed


class BadInput(ValidationFailed):
    code = "workshop.invalid"
    message_zh = "输入有误"
    message_en = "The input is not valid"


class NotAllowed(ApplicationError):
    code = "workshop.not_allowed"
    status = 403
    message_zh = "无权执行此操作"
    message_en = "You may not do this"


class FirmNotFound(NotFound):
    code = "workshop.firm_not_found"
    message_zh = "合作企业不存在，或无权查看"
    message_en = "No such partner firm, or not visible to you"


class OrderNotFound(NotFound):
    code = "workshop.order_not_found"
    message_zh = "订单不存在，或无权查看"
    message_en = "No such order, or not visible to you"


class LotNotFound(NotFound):
    code = "workshop.lot_not_found"
    message_zh = "领料记录不存在，或无权查看"
    message_en = "No such lot, or not visible to you"


class ParticipantNotFound(NotFound):
    code = "workshop.participant_not_found"
    message_zh = "参与群众不存在，或无权查看"
    message_en = "No such participant, or not visible to you"


class BadPhone(BadInput):
    code = "workshop.bad_phone"
    message_zh = "请填写正确的手机号"
    message_en = "Give a valid phone number"


class OverOrder(BadInput):
    code = "workshop.over_order"
    message_zh = "领取数量超过了订单尚未分出的数量"
    message_en = "The lot is larger than what is left of the order"


class OverLot(BadInput):
    code = "workshop.over_lot"
    message_zh = "交货数量超过了该批次尚未验收的数量"
    message_en = "The delivery is larger than what is left of the lot"


class OverBalance(BadInput):
    code = "workshop.over_balance"
    message_zh = "付款金额超过了应付未付的金额"
    message_en = "The payment is more than what is owed"


class OrderNotOpen(Conflict):
    code = "workshop.order_not_open"
    message_zh = "订单已完结或取消，不能再领料或交货"
    message_en = "The order is closed or cancelled: no more lots or deliveries"


class TransitionNotAllowed(Conflict):
    code = "workshop.transition_not_allowed"
    message_zh = "当前状态下不能执行此操作"
    message_en = "This action is not allowed in the current state"
