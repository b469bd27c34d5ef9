"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the ProgramsEvent table (the ORM refuses them everywhere)."""

from django.db import migrations

from linli.core.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_programs_sessions_signups_attendance")]

    operations = [append_only_trigger("programs", "ProgramsEvent")]
