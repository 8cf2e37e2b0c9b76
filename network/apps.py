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
        # Moving a person between network groups is the programme app's; the meetings of
        # the groups they leave and join are this app's.
        from network.meeting_services import member_moved
        from programme.services import network_move_hook_register

        network_move_hook_register(member_moved)
