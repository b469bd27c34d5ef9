from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "linli.visits"
    label = "visits"
    verbose_name = "夜访与协调会"

    def ready(self) -> None:
        # The person who logged a visit registers its issues (channel night_visit) in their own name; a
        # planner of a meeting's area registers the demands its action items open (origin "meeting").
        from django.utils.translation import gettext_lazy as _

        from linli.demands.permissions import channel_registrar_set, origin_registrar_set
        from linli.demands.views.extensions import PageLink, demand_page_link_add
        from linli.visits.permissions import area_plannable, can_refer, may_log_visit_in

        channel_registrar_set("night_visit", may_log_visit_in)
        origin_registrar_set("meeting", area_plannable)
        # The demand page offers "提交协调会" to those who may refer a demand to a coordination meeting.
        demand_page_link_add(
            PageLink(
                key="refer-meeting",
                label=_("提交协调会"),
                note=_("需要多个单位共同解决"),
                url_name="visits:refer",
                allowed=lambda user, demand: can_refer(user),
            )
        )
