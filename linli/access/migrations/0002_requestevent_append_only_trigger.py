"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the RequestEvent table (the ORM refuses them everywhere)."""

from django.db import migrations

from linli.core.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [append_only_trigger("access", "RequestEvent")]
