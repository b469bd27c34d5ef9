from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from linli.core.admin import ReadOnlyAdmin
from linli.core.errors import ApplicationError
from linli.demands.selectors import demand_id_for_code
from linli.open311.models import (
    ApiKey,
    AttributeValue,
    OutboundEvent,
    OutboundLink,
    RemoteEndpoint,
    ServiceAttribute,
    Submission,
)
from linli.open311.services import open311_key_revoke, open311_link_retry, open311_send


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
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
class SubmissionAdmin(ReadOnlyAdmin):
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


class SendForm(forms.Form):
    endpoint = forms.ModelChoiceField(
        label="外部接口 / Endpoint", queryset=RemoteEndpoint.objects.filter(active=True)
    )
    codes = forms.CharField(label="受理编号 / Tracking codes", widget=forms.Textarea(attrs={"rows": 5}))

    def clean_codes(self):
        codes = [c.strip().upper() for c in self.cleaned_data["codes"].split() if c.strip()]
        if not codes or len(codes) > 200:
            raise forms.ValidationError("请填写 1–200 个受理编号 / 1 to 200 tracking codes")
        return codes


@admin.register(OutboundLink)
class OutboundLinkAdmin(ReadOnlyAdmin):
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

    def get_urls(self):
        send = path("send/", self.admin_site.admin_view(self.send_view), name="open311_outboundlink_send")
        return [send, *super().get_urls()]

    def send_view(self, request):
        """Choose demands by tracking code and an endpoint; each goes through ``open311_send`` as this user."""
        form = SendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            endpoint = form.cleaned_data["endpoint"]
            for code in form.cleaned_data["codes"]:
                demand_id = demand_id_for_code(user=request.user, code=code)
                if demand_id is None:
                    self.message_user(request, f"{code}：找不到诉求 / no such demand", messages.ERROR)
                    continue
                try:
                    open311_send(actor=request.user, demand_id=demand_id, endpoint_name=endpoint.name)
                except ApplicationError as exc:
                    self.message_user(request, f"{code}：{exc.message_zh} / {exc.message_en}", messages.ERROR)
                else:
                    self.message_user(request, f"{code} 已加入发送 / queued", messages.SUCCESS)
            return redirect("admin:open311_outboundlink_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "title": "转出诉求 / Send demands"}
        return TemplateResponse(request, "open311/send.html", context)

    @admin.action(description="立即重试所选失败转出 / Retry now")
    def retry_now(self, request, queryset):
        count = open311_link_retry(link_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, f"{count} 条将在下次同步时重试 / {count} will be retried", messages.SUCCESS
        )
