from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = "基础设置"

    def ready(self):
        from linli.core import checks  # noqa: F401  (registers the system checks)
