"""Rollup rows are the job's output: visible for checking, never edited by hand."""

from django.contrib import admin

from linli.analytics.models import (
    AssignmentDayStat,
    AssignmentMonthStat,
    DemandDayStat,
    DemandMonthStat,
    MonthlyTopic,
    MonthlyTopicEvent,
    RollupState,
)
from linli.core.admin import ReadOnlyAdmin


@admin.register(DemandDayStat)
class DemandDayStatAdmin(ReadOnlyAdmin):
    list_display = (
        "day",
        "community_id",
        "lead_unit_id",
        "category_top_id",
        "channel",
        "demand_type",
        "status",
        "demands",
        "resolved",
    )
    list_filter = ("channel", "demand_type", "status")
    date_hierarchy = "day"


@admin.register(AssignmentDayStat)
class AssignmentDayStatAdmin(ReadOnlyAdmin):
    list_display = ("day", "community_id", "unit_id", "dispatched", "signed", "signed_on_time")
    date_hierarchy = "day"


@admin.register(DemandMonthStat)
class DemandMonthStatAdmin(ReadOnlyAdmin):
    list_display = ("month", "scope", "scope_id", "dimension", "value", "demands", "resolved", "callbacks")
    list_filter = ("scope", "dimension")
    date_hierarchy = "month"


@admin.register(AssignmentMonthStat)
class AssignmentMonthStatAdmin(ReadOnlyAdmin):
    list_display = ("month", "community_id", "unit_id", "dispatched", "signed", "signed_on_time")
    date_hierarchy = "month"


@admin.register(RollupState)
class RollupStateAdmin(ReadOnlyAdmin):
    list_display = ("name", "last_event_id", "refreshed_at", "rebuilt_at")


# 每月一题 is worked on in its pages (services with events); the admin only shows it.
class MonthlyTopicEventInline(admin.TabularInline):
    model = MonthlyTopicEvent
    fields = ("at", "kind", "actor", "old", "new", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonthlyTopic)
class MonthlyTopicAdmin(ReadOnlyAdmin):
    list_display = ("month", "title", "area", "lead_unit", "status", "marked_at")
    list_filter = ("status", "month")
    search_fields = ("title", "place")
    inlines = [MonthlyTopicEventInline]
