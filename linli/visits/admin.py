"""Admin: the records are visible; every write with a service (and so an event) goes through the pages.

Campaigns and rounds, plans, visits, meetings and their action items,
designations and the event log are read-only here: an edit in the admin would
change history without the ``VisitsEvent`` row every service writes. The
cadre pool is configuration (linking a cadre to a staff account, marking one
no longer in the pool) and stays editable.
"""

from django.contrib import admin

from linli.core.admin import NoWrites, ReadOnlyAdmin
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


class RoundInline(NoWrites, admin.TabularInline):
    model = Round
    extra = 0
    fields = ("number", "date", "planned_at")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "area", "starts_on", "ends_on")
    inlines = [RoundInline]


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
class PlanAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("round", "community", "cadre", "locked")
    list_filter = ("locked",)


class IssueInline(NoWrites, admin.TabularInline):
    model = VisitIssue
    extra = 0
    fields = ("demand", "solved_on_spot", "linked", "created_at")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("community", "round", "arrived_at", "residents_met", "riders_met")
    inlines = [IssueInline]


class ActionItemInline(NoWrites, admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ("text", "owner_unit", "deadline", "status", "done_at")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("topic", "kind", "held_at", "community")
    inlines = [ActionItemInline]


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ("compound", "community", "title", "designated_on", "by_unit")


@admin.register(VisitsEvent)
class VisitsEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "subject_type", "subject_id", "kind", "actor")
    list_filter = ("subject_type", "kind")
