"""The outbox in the admin: templates edited, preferences set, every message and its attempts shown."""

from django import forms
from django.contrib import admin, messages

from linli.core.admin import NoWrites, ReadOnlyAdmin
from linli.core.errors import ApplicationError
from linli.notify.models import Message, NotifyEvent, Preference, Template
from linli.notify.services import message_retry_now, template_check


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = ["name", "body", "is_active"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            template_check(body)
        except ApplicationError as exc:
            raise forms.ValidationError(f"{exc.code}: {exc.message_zh} {exc.details}") from exc
        return body


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    """Texts only: the kinds of message are the product's; placeholders {code} {link} {unit} {due} {note} {kind}
    {decision}."""

    form = TemplateForm
    list_display = ["key", "name", "audience", "is_active", "updated_at"]
    list_filter = ["audience", "is_active"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "sms", "wechat", "email", "webhook"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user"]
    exclude = ["version"]


class NotifyEventInline(NoWrites, admin.TabularInline):
    model = NotifyEvent
    fields = ["at", "kind", "actor", "detail"]
    readonly_fields = fields
    extra = 0


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "template_key",
        "channel",
        "recipient",
        "demand_code",
        "state",
        "attempts",
        "last_error",
    ]
    list_filter = ["state", "channel", "template_key", "audience"]
    search_fields = ["demand_code", "recipient", "key"]
    date_hierarchy = "created_at"
    inlines = [NotifyEventInline]
    actions = ["retry_now"]

    @admin.action(description="立即重试所选消息 / Retry now")
    def retry_now(self, request, queryset):
        done = 0
        for message in queryset:
            try:
                message_retry_now(actor=request.user, message_id=message.pk)
                done += 1
            except ApplicationError:
                continue
        self.message_user(request, f"{done} 条消息将立即重试 / {done} queued again", messages.SUCCESS)
