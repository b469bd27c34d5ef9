"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the WorkshopEvent table (the ORM refuses them everywhere)."""

from django.db import migrations

from linli.core.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("workshop", "0001_firms_orders_lots_deliveries_payments")]

    operations = [append_only_trigger("workshop", "WorkshopEvent")]
