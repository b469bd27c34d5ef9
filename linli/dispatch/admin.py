from django.contrib import admin

from linli.dispatch.models import Category, DispatchRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name", "full_name"]


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "jurisdiction", "unit", "note"]
    search_fields = ["category__full_name", "unit__name"]
    autocomplete_fields = ["category", "jurisdiction", "unit"]
