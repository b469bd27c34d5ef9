from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "linli.demands"
    label = "demands"
    verbose_name = "诉求闭环"
