"""Seed the deadline policy with the defaults of the brief (section 3)."""

from django.db import migrations

# type -> (finish amount, finish unit) for normal urgency
NORMAL = {
    "consultation": (3, "working_days"),
    "help": (7, "working_days"),
    "complaint": (7, "working_days"),
    "report": (7, "working_days"),
    "suggestion": (15, "working_days"),
    "praise": (15, "working_days"),
}


def seed(apps, schema_editor):
    Policy = apps.get_model("demands", "DeadlinePolicy")
    for demand_type, (amount, unit) in NORMAL.items():
        Policy.objects.get_or_create(
            demand_type=demand_type, urgency="normal",
            defaults=dict(sign_amount=2, sign_unit="working_hours", finish_amount=amount, finish_unit=unit,
                          max_extension_days=15, callback_days=2),
        )
        Policy.objects.get_or_create(
            demand_type=demand_type, urgency="urgent",
            defaults=dict(sign_amount=30, sign_unit="minutes", finish_amount=24, finish_unit="hours",
                          max_extension_days=15, callback_days=2),
        )


def unseed(apps, schema_editor):
    apps.get_model("demands", "DeadlinePolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("demands", "0002_demand_links")]
    operations = [migrations.RunPython(seed, unseed)]
