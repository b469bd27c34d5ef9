from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "linli.dispatch"
    label = "dispatch"
    verbose_name = "分类与派单目录"
