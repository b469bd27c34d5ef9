from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "linli.ui"
    label = "ui"
    verbose_name = "界面"
