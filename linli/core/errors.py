"""Typed application errors with stable codes.

Services raise these, never HTTP errors. One handler maps them to JSON
(``linli.api``), one to HTML. ``code`` is stable and documented; the messages
are for people, in Chinese and English.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    code = "app.error"
    status = 400
    message_zh = "请求无法处理"
    message_en = "The request cannot be processed"

    def __init__(
        self,
        message_zh: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        if code:
            self.code = code
        if status:
            self.status = status
        if message_zh:
            self.message_zh = message_zh
        if message_en:
            self.message_en = message_en
        self.details = details or {}
        super().__init__(f"{self.code}: {self.message_en}")

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message_zh, "message_en": self.message_en}
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(ApplicationError):
    code = "request.invalid"
    status = 422
    message_zh = "输入有误"
    message_en = "The input is not valid"


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    message_zh = "未找到，或无权查看"
    message_en = "Not found, or not visible to you"


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    message_zh = "无权执行此操作"
    message_en = "You may not do this"


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    message_zh = "数据已被他人修改，请刷新后重试"
    message_en = "Someone else changed this first; reload and try again"


class BadAttachment(ValidationFailed):
    code = "attachment.invalid"
    message_zh = "附件无法保存"
    message_en = "The attachment cannot be stored"


class AttachmentTypeNotAllowed(BadAttachment):
    code = "attachment.type_not_allowed"
    message_zh = "只能上传 JPEG、PNG 或 WebP 格式的照片"
    message_en = "Only JPEG, PNG or WebP photos can be uploaded"


class AttachmentTooLarge(BadAttachment):
    code = "attachment.too_large"
    message_zh = "照片太大"
    message_en = "The photo is too large"


class AttachmentNotFound(NotFound):
    code = "attachment.not_found"
    message_zh = "附件不存在，或无权查看"
    message_en = "No such attachment, or not visible to you"


class AppendOnly(PermissionDenied):
    """An event row was about to be changed or deleted: the audit trail only grows."""

    code = "event.append_only"
    message_zh = "操作记录只能追加，不能修改或删除"
    message_en = "Event records can only be added, never changed or deleted"
