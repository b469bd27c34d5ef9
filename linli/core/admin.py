from django.contrib import admin

from linli.core.models import CalendarDay, JobProblem
from linli.core.services import calendar_day_delete, calendar_day_set


class NoWrites:
    """Shown, never written: services own these rows (events, decisions, records of work), the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    pass


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        saved = calendar_day_set(date=obj.date, is_workday=obj.is_workday, name=obj.name)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        calendar_day_delete(date=obj.date)


@admin.register(JobProblem)
class JobProblemAdmin(admin.ModelAdmin):
    """Read-only: a job writes these; an administrator repairs the data they name, then may delete the row."""

    list_display = ["job", "item", "code", "occurrences", "first_seen", "last_seen"]
    list_filter = ["job", "code"]
    readonly_fields = ["job", "item", "code", "message", "first_seen", "last_seen", "occurrences"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
