from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "linli.programs"
    label = "programs"
    verbose_name = "社区公益活动"
