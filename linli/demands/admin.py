from django.contrib import admin

from linli.demands.models import Assignment, DeadlinePolicy, Demand, DemandEvent


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "demand_type",
        "urgency",
        "sign_amount",
        "sign_unit",
        "finish_amount",
        "finish_unit",
        "max_extension_days",
        "callback_days",
    ]
    list_editable = [
        "sign_amount",
        "sign_unit",
        "finish_amount",
        "finish_unit",
        "max_extension_days",
        "callback_days",
    ]
    list_filter = ["urgency"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Demands change only through services: the admin shows them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["unit", "role", "status", "sign_due", "signed_at", "finish_due", "replied_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "demand_type",
        "channel",
        "status",
        "community",
        "lead_unit",
        "registered_at",
        "is_overdue",
    ]
    list_filter = ["status", "channel", "demand_type", "is_overdue"]
    search_fields = ["code", "text"]
    inlines = [AssignmentInline]
    exclude = ["complainant"]


@admin.register(DemandEvent)
class DemandEventAdmin(ReadOnlyAdmin):
    list_display = ["demand", "kind", "actor", "at"]
    list_filter = ["kind"]
