from django.contrib import admin

from linli.core.models import CalendarDay
from linli.core.services import calendar_day_delete, calendar_day_set


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
