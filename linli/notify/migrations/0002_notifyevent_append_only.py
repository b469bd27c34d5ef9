from django.db import migrations

from linli.core.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_outbox")]

    operations = [append_only_trigger("notify", "NotifyEvent")]
