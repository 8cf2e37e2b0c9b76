from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network groups")

    def ready(self) -> None:
        # The calendar feed is the sessions app's, which comes before this one: it takes
        # the network meetings from the source registered here.
        from network import calendar
        from sessions.calendar import feed_source_register

        feed_source_register(calendar.feed_events)
