"""Admin: every record is visible and read-only; writes go through the services (and so leave an event).

Volunteers' phones are shown masked here like everywhere outside their community's workers.
"""

from django.contrib import admin

from linli.core.admin import ReadOnlyAdmin
from linli.core.text import mask_phone
from linli.empower.models import (
    Assignment,
    EmpowerEvent,
    Posting,
    Shift,
    ShiftTemplate,
    SwapRequest,
    Team,
    TeamMember,
    Term,
    TermBreak,
    Volunteer,
)


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("cadre_name", "kind", "rank", "home_unit", "community", "starts_on", "ends_on")
    list_filter = ("kind",)


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ("name", "masked_phone", "community", "consent_on", "is_active")
    search_fields = ("name",)
    exclude = ("phone",)

    @admin.display(description="电话")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


for model, columns in (
    (Team, ("name", "community", "school", "patrol_began_on")),
    (TeamMember, ("team", "volunteer", "partner")),
    (Term, ("name", "team", "starts_on", "ends_on", "planned_at")),
    (TermBreak, ("name", "term", "starts_on", "ends_on")),
    (ShiftTemplate, ("team", "gate", "start", "end", "size")),
    (Shift, ("term", "template", "date")),
    (Assignment, ("shift", "volunteer", "partner", "status", "locked", "minutes")),
    (SwapRequest, ("assignment", "status", "created_at")),
    (EmpowerEvent, ("at", "subject_type", "subject_id", "kind", "actor")),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": columns}))
