"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the EmpowerEvent table (the ORM refuses them everywhere)."""

from django.db import migrations

from linli.core.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("empower", "0001_initial")]

    operations = [append_only_trigger("empower", "EmpowerEvent")]
