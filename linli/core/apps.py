from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = "基础设置"

    def ready(self) -> None:
        from django.contrib import admin

        # The admin index warns when a year within the next 60 days has no official holiday schedule.
        admin.site.index_template = "core/admin_index.html"
        from linli.core import checks  # noqa: F401  (registers the system checks)
