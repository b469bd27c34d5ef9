from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "linli.visits"
    label = "visits"
    verbose_name = "夜访与协调会"

    def ready(self) -> None:
        # The person who logged a visit registers its issues (channel night_visit) in their own name; a
        # planner of a meeting's area registers the demands its action items open (origin "meeting").
        from linli.demands.permissions import channel_registrar_set, origin_registrar_set
        from linli.visits.permissions import area_plannable, may_log_visit_in

        channel_registrar_set("night_visit", may_log_visit_in)
        origin_registrar_set("meeting", area_plannable)
