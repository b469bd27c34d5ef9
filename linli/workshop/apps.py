from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    name = "linli.workshop"
    label = "workshop"
    verbose_name = "社区工坊"
