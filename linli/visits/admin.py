"""Admin: the pool and the records are visible; writes with a state (action items) go through the pages and services."""

from django.contrib import admin

from linli.visits.models import (
    ActionItem,
    Cadre,
    CadreUnavailable,
    Campaign,
    Designation,
    Meeting,
    PlanAssignment,
    Round,
    Visit,
    VisitIssue,
    VisitsEvent,
)


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ("number", "date", "planned_at")
    readonly_fields = ("planned_at",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "starts_on", "ends_on")
    inlines = [RoundInline]
    autocomplete_fields = ()


class UnavailableInline(admin.TabularInline):
    model = CadreUnavailable
    extra = 0


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "unit", "home_area", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name",)
    inlines = [UnavailableInline]
    raw_id_fields = ("user",)


@admin.register(PlanAssignment)
class PlanAssignmentAdmin(admin.ModelAdmin):
    list_display = ("round", "community", "cadre", "locked")
    list_filter = ("locked",)
    raw_id_fields = ("cadre",)


class IssueInline(admin.TabularInline):
    model = VisitIssue
    extra = 0
    raw_id_fields = ("demand",)
    readonly_fields = ("solved_on_spot", "linked", "created_at")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("community", "round", "arrived_at", "residents_met", "riders_met")
    readonly_fields = ("client_token", "recorded_by", "recorded_at")
    inlines = [IssueInline]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ("text", "owner_unit", "deadline", "status", "done_at")
    readonly_fields = ("status", "done_at")  # status changes go through action_item_complete / _reopen


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("topic", "kind", "held_at", "community")
    inlines = [ActionItemInline]


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    list_display = ("compound", "community", "title", "designated_on", "by_unit")


@admin.register(VisitsEvent)
class VisitsEventAdmin(admin.ModelAdmin):
    list_display = ("at", "subject_type", "subject_id", "kind", "actor")
    list_filter = ("subject_type", "kind")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
