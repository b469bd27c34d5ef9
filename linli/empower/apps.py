from django.apps import AppConfig


class EmpowerConfig(AppConfig):
    name = "linli.empower"
    label = "empower"
    verbose_name = "赋能：指导员、志愿者与护学岗"
