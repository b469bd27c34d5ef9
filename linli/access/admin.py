from django.contrib import admin

from linli.access.models import (
    AccessRequest,
    CadreCount,
    CatalogueItem,
    CatalogueVersion,
    Certificate,
    CertificateIssue,
    Plaque,
    PlaqueType,
    RequestEvent,
    Task,
)
from linli.core.admin import NoWrites, ReadOnlyAdmin


class ItemInline(NoWrites, admin.TabularInline):
    model = CatalogueItem
    fields = ["code", "name", "kind", "department_text", "applies_to"]
    extra = 0


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "status", "effective_from", "note", "published_at"]
    inlines = [ItemInline]


@admin.register(CatalogueItem)
class CatalogueItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "version", "applies_to"]
    list_filter = ["kind", "version"]
    search_fields = ["code", "name", "keywords"]


class EventInline(NoWrites, admin.TabularInline):
    model = RequestEvent
    fields = ["at", "kind", "actor", "office", "reason"]
    extra = 0


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "department", "kind", "status", "filed_at", "approval_due", "escalated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "content"]
    inlines = [EventInline]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["pk", "request", "community", "status", "created_at", "refused_at"]
    list_filter = ["status"]


@admin.register(Plaque)
class PlaqueAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "hung_by", "hung_at", "removed_at"]
    list_filter = ["removed_at"]


@admin.register(CertificateIssue)
class CertificateIssueAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "community", "issued_at", "count"]


@admin.register(PlaqueType)
class PlaqueTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "basis"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["name", "listed", "where_to_go", "cancelled_on"]
    list_filter = ["listed"]
    search_fields = ["name", "aliases"]


@admin.register(CadreCount)
class CadreCountAdmin(admin.ModelAdmin):
    list_display = ["community", "count", "as_of"]
