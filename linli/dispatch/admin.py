from django.contrib import admin

from linli.dispatch.models import Category, CategoryCrosswalk, DispatchRule
from linli.dispatch.services import category_create, category_rename, crosswalk_set, dispatch_rule_set


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name", "full_name"]
    fields = ["code", "name", "parent"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "parent"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            category_rename(category=obj, name=obj.name)
        else:
            obj.pk = category_create(code=obj.code, name=obj.name, parent=obj.parent).pk


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "jurisdiction", "unit", "note"]
    search_fields = ["category__full_name", "unit__name"]
    autocomplete_fields = ["category", "jurisdiction", "unit"]

    def save_model(self, request, obj, form, change):
        obj.pk = dispatch_rule_set(
            category=obj.category, unit=obj.unit, jurisdiction=obj.jurisdiction, note=obj.note
        ).pk


@admin.register(CategoryCrosswalk)
class CategoryCrosswalkAdmin(admin.ModelAdmin):
    """The starter corpus's reference labels -> this tree; also loaded with ``linli crosswalk import FILE``."""

    list_display = ["reference_path", "category", "note"]
    search_fields = ["reference_path", "category__full_name"]
    autocomplete_fields = ["category"]

    def save_model(self, request, obj, form, change):
        obj.pk = crosswalk_set(
            reference_path=obj.reference_path, category=obj.category, note=obj.note, replacing_id=obj.pk
        ).pk
