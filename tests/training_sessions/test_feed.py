"""The personal calendar feed: secret, revocable, and holding only one's own sessions."""

from django.urls import reverse
from icalendar import Calendar

from sessions import services


def _feed(client, user):
    token = services.calendar_feed_get(user=user).token
    return client.get(reverse("training_sessions:feed", args=[token]))


def _titles(response) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_manager_subscribes_to_their_sessions_without_signing_in(client, schedule_world, manager):
    response = _feed(client, manager)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert _titles(response) == ["Leda sig själv, del 1"]


def test_the_coach_feed_has_the_sessions_they_run(client, schedule_world, coach):
    assert _titles(_feed(client, coach)) == ["Leda sig själv, del 1"]
    assert _titles(_feed(client, schedule_world["other_coach"])) == ["Annan träff"]


def test_a_new_address_revokes_the_old_one(client, schedule_world, manager):
    old = services.calendar_feed_get(user=manager).token
    client.force_login(manager)

    client.post(reverse("training_sessions:feed-regenerate"))
    client.logout()

    assert client.get(reverse("training_sessions:feed", args=[old])).status_code == 404
    assert _feed(client, manager).status_code == 200


def test_an_unknown_or_deactivated_feed_is_not_found(client, schedule_world, manager):
    assert client.get(reverse("training_sessions:feed", args=["gissat"])).status_code == 404
    token = services.calendar_feed_get(user=manager).token
    manager.is_active = False
    manager.save()

    assert client.get(reverse("training_sessions:feed", args=[token])).status_code == 404


def test_the_settings_page_shows_the_personal_address(client, schedule_world, manager):
    client.force_login(manager)

    page = client.get(reverse("training_sessions:feed-settings")).content.decode()

    assert services.calendar_feed_get(user=manager).token in page
    assert "webcal://" in page


def test_a_calendar_client_may_ask_for_the_feed_with_head_first(client, schedule_world, manager):
    """Calendar clients probe a subscription address with HEAD before they read it."""
    token = services.calendar_feed_get(user=manager).token
    url = reverse("training_sessions:feed", args=[token])

    head = client.head(url)

    assert head.status_code == 200
    assert head["Content-Type"] == "text/calendar; charset=utf-8"
    assert head.content == b""
    assert client.head(reverse("training_sessions:feed", args=["gissat"])).status_code == 404
    assert client.post(url).status_code == 405
