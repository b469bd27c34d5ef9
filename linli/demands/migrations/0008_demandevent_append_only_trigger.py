"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the DemandEvent table (the ORM refuses them everywhere)."""

from django.db import migrations

from linli.core.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("demands", "0007_text_search_trigram")]

    operations = [append_only_trigger("demands", "DemandEvent")]
