from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from linli.core.errors import ApplicationError
from linli.org.models import (
    ApiToken,
    CommunityGroup,
    CommunityGroupMember,
    Jurisdiction,
    Resident,
    Unit,
    User,
)
from linli.org.services import MAX_BOUNDARY_BYTES, boundaries_import, jurisdiction_create, jurisdiction_update


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(label="GeoJSON 文件")


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    """Boundaries come from a GeoJSON upload (the "导入边界" button), all or nothing."""

    change_list_template = "admin/org/jurisdiction_changelist.html"
    list_display = ["code", "name", "level", "parent", "population", "has_boundary"]

    @admin.display(boolean=True, description="边界")
    def has_boundary(self, obj) -> bool:
        return obj.boundary is not None

    def get_urls(self):
        upload = path("boundaries/", self.admin_site.admin_view(self.boundaries_view), name="org_boundaries")
        return [upload, *super().get_urls()]

    def boundaries_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = BoundaryUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = boundaries_import(data=form.cleaned_data["file"].read(MAX_BOUNDARY_BYTES + 1))
            except ApplicationError as exc:
                problems = "；".join(
                    f"#{p['feature']} {p['code']}: {p['error']}" for p in exc.details.get("problems", [])
                )
                form.add_error("file", f"{exc.message_zh}（{exc.code}）{problems}")
            else:
                self.message_user(
                    request,
                    f"已更新 {result['updated']} 个边界 / {result['updated']} updated",
                    messages.SUCCESS,
                )
                return redirect("admin:org_jurisdiction_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "导入边界 / Import boundaries",
        }
        return TemplateResponse(request, "admin/org/boundaries_upload.html", context)

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
