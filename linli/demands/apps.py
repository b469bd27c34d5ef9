from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "linli.demands"
    label = "demands"
    verbose_name = "诉求闭环"

    def ready(self):
        # Dispatch sits below demands and never imports it: it reads the demands it learns from, indexes and
        # reports on through the source handed over here.
        from linli.demands import training_selectors
        from linli.dispatch.sources import demand_source_register

        demand_source_register(training_selectors)
