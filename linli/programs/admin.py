"""Admin: programs, sessions, sign-ups and the event log are read-only here; every write goes through a service
(and leaves a ``ProgramsEvent``) on the pages. Phones are shown masked."""

from django.contrib import admin

from linli.core.admin import NoWrites, ReadOnlyAdmin
from linli.core.text import mask_phone
from linli.programs.models import Program, ProgramsEvent, Session, SignUp


class SessionInline(NoWrites, admin.TabularInline):
    model = Session
    extra = 0
    fields = ("date", "starts_at", "ends_at", "place")


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "kind", "status", "capacity")
    list_filter = ("status", "kind")
    inlines = [SessionInline]


@admin.register(SignUp)
class SignUpAdmin(ReadOnlyAdmin):
    list_display = ("code", "program", "name", "masked_phone", "status", "queue")
    list_filter = ("status",)
    exclude = ("phone",)

    @admin.display(description="电话")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(ProgramsEvent)
class ProgramsEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "subject_type", "subject_id", "kind", "actor")
    list_filter = ("subject_type", "kind")
