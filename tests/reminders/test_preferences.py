"""The manager's reminder settings: kinds, pauses, stopping; and the one-click unsubscribe."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Pause, Preference
from notifications.unsubscribe import unsubscribe_token
from reminders import services
from reminders.models import Reminder
from tests.reminders.conftest import at, run_at

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


def steps(user):
    return {
        r.step: r.due_at
        for r in Reminder.objects.filter(user=user, kind=Kind.REPETITION).order_by("step")
    }


def test_the_settings_page_is_the_managers_own(client, manager, coach, hr_user):
    client.force_login(manager)
    page = client.get(reverse("reminders:settings")).content.decode()
    assert "Skicka mig de här påminnelserna" in page
    assert "Pausa under en period" in page
    for other in (coach, hr_user):
        client.force_login(other)
        assert client.get(reverse("reminders:settings")).status_code == 403
        assert client.post(reverse("reminders:pause-add"), {}).status_code == 403


def test_turning_a_kind_off_means_those_reminders_are_not_sent(client, ascension, manager):
    client.force_login(manager)
    response = client.post(
        reverse("reminders:settings"),
        {"kinds": ["traff", "atagande", "skrivpuff", "natverk"], "language": "sv"},
    )
    assert response.status_code == 302
    assert Preference.objects.get(user=manager).disabled_kinds == ["repetition"]

    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))

    step_1 = Reminder.objects.get(user=manager, kind=Kind.REPETITION, step=1)
    assert (step_1.status, step_1.skip_reason) == (Reminder.Status.SKIPPED, "turned_off")
    # The commitment follow-up is still wanted, and went out alone.
    assert Reminder.objects.get(user=manager, kind=Kind.COMMITMENT).status == "skickad"


def test_pausing_shifts_pending_steps_and_resuming_continues_them(client, ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))  # step 1 goes out
    before = steps(manager)

    with time_machine.travel(at(2026, 5, 15, 12, 0), tick=False):
        client.force_login(manager)
        response = client.post(
            reverse("reminders:pause-add"),
            {"starts_on": "2026-05-16", "ends_on": "2026-05-29"},  # two weeks
        )
        assert response.status_code == 302
        page = client.get(reverse("reminders:settings")).content.decode()
    assert "Pausat 16 maj 2026 – 29 maj 2026" in page

    paused = steps(manager)
    assert paused[1] == before[1]  # already sent
    assert paused[2] == at(2026, 6, 1, 8, 30)  # 16 May + 14 days = 30 May, a Saturday
    assert paused[3] == at(2026, 6, 3, 8, 30)  # 20 May + 14 days
    assert paused[4] == at(2026, 6, 10, 8, 30)  # 27 May + 14 days
    assert paused[5] == at(2026, 6, 26, 8, 30)  # 12 June + 14 = 26 June

    for day in (18, 20, 27):  # nothing comes during the pause
        run_at(at(2026, 5, day, 8, 30))
    assert not Reminder.objects.filter(
        user=manager, kind=Kind.REPETITION, status=Reminder.Status.SENT, step__gt=1
    ).exists()

    # Back early, on Wednesday 20 May: the pause ends yesterday, the steps move back.
    pause = Pause.objects.get(user=manager)
    with time_machine.travel(at(2026, 5, 20, 12, 0), tick=False):
        client.force_login(manager)  # five days later: a new session
        response = client.post(reverse("reminders:pause-end", args=[pause.pk]))
    assert response.status_code == 302
    pause.refresh_from_db()
    assert (pause.starts_on, pause.ends_on) == (date(2026, 5, 16), date(2026, 5, 19))
    resumed = steps(manager)
    assert resumed[2] == at(2026, 5, 20, 8, 30)  # 16 May + 4 days: today, so at once
    assert resumed[3] == at(2026, 5, 25, 8, 30)  # 20 May + 4 days = Sunday: Monday
    assert resumed[5] == at(2026, 6, 16, 8, 30)

    run_at(at(2026, 5, 20, 12, 1))
    step_2 = Reminder.objects.get(user=manager, kind=Kind.REPETITION, step=2)
    assert step_2.status == Reminder.Status.SENT


def test_a_pause_not_yet_begun_can_be_removed(client, ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))
    before = steps(manager)
    with time_machine.travel(at(2026, 5, 14, 12, 0), tick=False):
        services.pause_add(user=manager, starts_on=date(2026, 5, 18), ends_on=date(2026, 5, 22))
        assert steps(manager) != before
        client.force_login(manager)
        client.post(reverse("reminders:pause-end", args=[Pause.objects.get().pk]))
    assert not Pause.objects.exists()
    assert steps(manager) == before


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        ("2026-05-10", "2026-05-20", "En paus kan inte börja bakåt i tiden."),
        ("2026-05-20", "2026-05-18", "Pausen måste sluta samma dag som den börjar eller senare."),
        ("2026-05-20", "2027-06-01", "En paus kan vara högst ett år lång."),
        ("2026-05-20", "", "Detta fält måste fyllas i."),
        ("2026-05-25", "2026-06-02", "Du har redan en paus under den perioden."),
    ],
)
def test_a_bad_pause_gets_a_clear_message_and_changes_nothing(
    client, manager, starts_on, ends_on, message
):
    Pause.objects.create(user=manager, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 5))
    client.force_login(manager)
    with time_machine.travel(at(2026, 5, 15, 12, 0), tick=False):
        response = client.post(
            reverse("reminders:pause-add"), {"starts_on": starts_on, "ends_on": ends_on}
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Pause.objects.count() == 1


def test_nobody_else_can_end_my_pause(client, manager, other_manager):
    pause = Pause.objects.create(
        user=manager, starts_on=date.today(), ends_on=date.today() + timedelta(days=5)
    )
    client.force_login(other_manager)
    assert client.post(reverse("reminders:pause-end", args=[pause.pk])).status_code == 404
    assert Pause.objects.filter(pk=pause.pk, ends_on=pause.ends_on).exists()


def test_unsubscribe_link_works_without_signing_in(client, manager):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(manager)])

    page = client.get(url)
    assert page.status_code == 200
    assert f"Vill du avsluta alla påminnelser till {manager.email}?" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    assert not Preference.objects.filter(user=manager, unsubscribed_at__isnull=False).exists()

    done = client.post(url)
    assert done.status_code == 200
    assert "Inga fler påminnelser skickas till" in done.content.decode()
    assert Preference.objects.get(user=manager).unsubscribed_at is not None


def test_one_click_unsubscribe_post_from_a_mail_program(client, manager):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(manager)])
    response = client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
        enforce_csrf_checks=True,
    )
    assert response.status_code == 200
    assert Preference.objects.get(user=manager).unsubscribed_at is not None


def test_a_forged_or_tampered_unsubscribe_token_is_refused(client, manager, other_manager):
    token = unsubscribe_token(manager)
    for bad in (token[:-2] + "xx", "abc", unsubscribe_token(other_manager) + "a"):
        assert client.post(reverse("notifications:unsubscribe", args=[bad])).status_code == 404
    assert not Preference.objects.filter(unsubscribed_at__isnull=False).exists()


def test_after_unsubscribing_nothing_is_sent_and_turning_on_again_works(client, ascension, manager):
    client.post(reverse("notifications:unsubscribe", args=[unsubscribe_token(manager)]))
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))
    assert set(
        Reminder.objects.filter(user=manager, status=Reminder.Status.SKIPPED).values_list(
            "skip_reason", flat=True
        )
    ) == {"unsubscribed"}

    client.force_login(manager)
    page = client.get(reverse("reminders:settings")).content.decode()
    assert "Du avslutade alla påminnelser den" in page
    client.post(reverse("reminders:resubscribe"))
    run_at(at(2026, 5, 18, 8, 30))
    assert Reminder.objects.get(user=manager, kind=Kind.REPETITION, step=2).status == "skickad"


def _programme_post(programme, coach, **changes):
    data = {
        "name": programme.name,
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "description": "",
        "coaches": [coach.pk],
        "repetition_offsets": "1, 3, 7, 14, 30",
    }
    return data | changes


def test_the_coach_edits_the_programmes_repetition_days_and_nudge(client, ascension, coach):
    programme = ascension["session"].programme
    client.force_login(coach)
    url = reverse("programme:programme-update", args=[programme.pk])
    page = client.get(url).content.decode()
    assert 'value="1, 3, 7, 14, 30"' in page

    response = client.post(
        url, _programme_post(programme, coach, repetition_offsets="2; 5, 12", inactivity_nudge="on")
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.repetition_offsets == [2, 5, 12]
    assert programme.inactivity_nudge is True


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("1, tre, 7", "Skriv hela antal dagar åtskilda med kommatecken"),
        ("3, 1", "Dagarna måste växa: var och en senare än den före."),
        ("0, 400", "Varje dag måste vara mellan 1 och 365."),
        (", ".join(str(n) for n in range(1, 12)), "Högst 10 repetitionssteg."),
    ],
)
def test_bad_repetition_days_get_a_clear_message(client, ascension, coach, days, message):
    programme = ascension["session"].programme
    client.force_login(coach)
    response = client.post(
        reverse("programme:programme-update", args=[programme.pk]),
        _programme_post(programme, coach, repetition_offsets=days),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    programme.refresh_from_db()
    assert programme.repetition_offsets == [1, 3, 7, 14, 30]
