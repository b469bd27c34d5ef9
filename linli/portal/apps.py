from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top of the house: the public portal, the staff site's navigation and its entry page."""

    name = "linli.portal"
    label = "portal"
    verbose_name = "门户"
