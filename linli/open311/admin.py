from django.contrib import admin, messages

from linli.open311.models import (
    ApiKey,
    AttributeValue,
    OutboundEvent,
    OutboundLink,
    RemoteEndpoint,
    ServiceAttribute,
    Submission,
)
from linli.open311.services import open311_key_revoke, open311_link_retry


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnly):
    """Keys are created with ``linli open311-key create NAME`` (the secret is shown once there)."""

    list_display = ["prefix", "name", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["prefix", "name"]
    actions = ["revoke"]

    @admin.action(description="吊销所选密钥 / Revoke")
    def revoke(self, request, queryset):
        count = sum(open311_key_revoke(key=key) for key in queryset)
        self.message_user(request, f"已吊销 {count} 个密钥 / {count} revoked", messages.SUCCESS)


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 2


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    """Extra fields a 311 client asks for one category (``GET services/<code>``)."""

    list_display = ["category", "order", "code", "description", "datatype", "required"]
    list_filter = ["datatype", "required"]
    search_fields = ["code", "description", "category__full_name"]
    autocomplete_fields = ["category"]
    inlines = [AttributeValueInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnly):
    list_display = ["created_at", "demand", "service_code", "api_key", "account_id"]
    search_fields = ["demand__code", "token", "account_id"]
    list_select_related = ["demand", "api_key"]


@admin.register(RemoteEndpoint)
class RemoteEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "base_url", "jurisdiction_id", "active"]


class OutboundEventInline(admin.TabularInline):
    model = OutboundEvent
    fields = ["at", "kind", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboundLink)
class OutboundLinkAdmin(ReadOnly):
    """Transfers: state, attempts and the last error show what failed; the events show every step."""

    list_display = [
        "demand",
        "endpoint",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "remote_request_id",
        "remote_status",
        "polled_at",
    ]
    list_filter = ["state", "endpoint"]
    search_fields = ["demand__code", "remote_request_id"]
    list_select_related = ["demand", "endpoint"]
    inlines = [OutboundEventInline]
    actions = ["retry_now"]

    @admin.action(description="立即重试所选失败转出 / Retry now")
    def retry_now(self, request, queryset):
        count = open311_link_retry(link_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, f"{count} 条将在下次同步时重试 / {count} will be retried", messages.SUCCESS
        )
