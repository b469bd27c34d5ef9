from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from linli.org.models import (
    ApiToken,
    CommunityGroup,
    CommunityGroupMember,
    Jurisdiction,
    Resident,
    Unit,
    User,
)
from linli.org.services import jurisdiction_create, jurisdiction_update


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "population"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "level", "parent", "population"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "level", "parent"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            jurisdiction_update(jurisdiction=obj, name=obj.name, population=obj.population)
        else:
            obj.pk = jurisdiction_create(
                code=obj.code, name=obj.name, level=obj.level, parent=obj.parent, population=obj.population
            ).pk


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "jurisdiction", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["jurisdiction"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "unit", "jurisdiction", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = UserAdmin.fieldsets + (
        ("邻里角色", {"fields": ("display_name", "role", "unit", "jurisdiction")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("邻里角色", {"fields": ("display_name", "role", "unit", "jurisdiction")}),
    )


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "masked_phone", "created_at"]
    search_fields = ["name", "phone"]

    @admin.display(description="电话")
    def masked_phone(self, obj):
        from linli.core.text import mask_phone

        return mask_phone(obj.phone)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]


class CommunityGroupMemberInline(admin.TabularInline):
    model = CommunityGroupMember
    extra = 2
    autocomplete_fields = ["community"]


@admin.register(CommunityGroup)
class CommunityGroupAdmin(admin.ModelAdmin):
    """Joint committees of communities (片区联合党委); a community can be in one group only (a database rule)."""

    list_display = ["name", "kind", "created_at"]
    inlines = [CommunityGroupMemberInline]
