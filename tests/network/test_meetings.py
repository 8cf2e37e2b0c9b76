"""Network groups meet: a member proposes a meeting, the members get a calendar invitation
(REQUEST, an update with a higher SEQUENCE, CANCEL), answer yes or no, and note a takeaway in
their own journal afterwards; the coach sees counts only. Calendars are read back with
vobject and ical.js (tests/support/calendar_readers.py), never with the code's own writer."""

import base64
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from network import calendar, meeting_services
from network.models import Meeting, MeetingInvitation, MeetingTakeaway
from notifications.models import OutboxMessage
from privacy import erasure, retention
from programme import services as programme_services
from programme.models import NetworkGroup
from reflections.models import Entry
from sessions import services as session_services
from sessions.workdays import holiday_name, is_working_day
from tests.factories import ManagerFactory
from tests.support.calendar_readers import READERS, read_with_vobject
from tests.world import SENTINEL

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def working_day(after: date, *, month: int | None = None) -> date:
    """The first working day on or after `after` (in `month`, if given)."""
    day = after
    while not is_working_day(day) or (month and day.month != month):
        day += timedelta(days=1)
    return day


def soon() -> date:
    return working_day(timezone.localdate() + timedelta(days=7))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def form(day: date, start="08:30", end="09:30", place="Fikarummet, Kommunhuset", **more):
    return {"date": day.isoformat(), "start_time": start, "end_time": end, "place": place, **more}


def propose(group_world, day=None, *, by=None, note="Hur vi får tid för medarbetarsamtal", **more):
    day = day or soon()
    return meeting_services.meeting_propose(
        group=group_world["group"],
        by=by or group_world["asker"],
        data=meeting_services.MeetingData(
            starts_at=at(day, 8, 30),
            ends_at=at(day, 9, 30),
            place=more.get("place", "Fikarummet, Kommunhuset"),
            link=more.get("link", ""),
            note=note,
        ),
    )


def calendar_emails(user) -> list[tuple[str, bytes]]:
    """(METHOD, .ics) of each calendar email to `user`, oldest first."""
    found = []
    for message in OutboxMessage.objects.filter(to=[user.email]).order_by("pk"):
        for attachment in message.attachments:
            part = message_from_bytes(base64.b64decode(attachment["mime_b64"]))
            if part.get_content_type() == "text/calendar":
                found.append((part.get_param("method"), part.get_payload(decode=True)))
    return found


def test_a_member_proposes_a_meeting_and_everyone_gets_an_invitation(client, group_world):
    asker, olle = group_world["asker"], group_world["olle"]
    day = soon()
    client.force_login(asker)

    response = client.post(
        reverse("network:meeting-create", args=[group_world["group"].pk]),
        form(day, note="Hur vi får tid för medarbetarsamtal"),
        follow=True,
    )

    page = response.content.decode()
    assert "Träffen är föreslagen." in page
    assert "Fikarummet, Kommunhuset" in page and "08:30–09:30" in page
    assert "Maja Chef: <strong>kommer</strong>" in page
    assert "Olle Kollega: <span" in page and "inte svarat" in page
    meeting = Meeting.objects.get()
    assert meeting.proposed_by == asker
    for member in (asker, olle, group_world["pia"]):
        [(method, ics)] = calendar_emails(member)
        assert method == "REQUEST"
        read_method, [event] = read_with_vobject(ics)
        assert read_method == "REQUEST"
        assert event.start == at(day, 8, 30).astimezone(UTC)
        assert event.summary == "Nätverksträff, grupp 1"
        # What the group talks about stays in the portal.
        assert "medarbetarsamtal" not in ics.decode()
    subject = OutboxMessage.objects.get(to=[olle.email]).subject
    assert subject.startswith("Inbjudan: Nätverksträff, grupp 1")
    assert not calendar_emails(group_world["other_group_member"])
    # The proposer is told it is their own proposal, and that they are counted as coming.
    for member, intro, answer in (
        (
            asker,
            "Du har föreslagit den här träffen för din nätverksgrupp:",
            "Du räknas som att du kommer; du kan ändra ditt svar i portalen.",
        ),
        (
            olle,
            "En medlem i din nätverksgrupp föreslår en träff:",
            "Svara i portalen om du kommer: gruppen ser ditt svar.",
        ),
    ):
        email = OutboxMessage.objects.get(to=[member.email])
        for body in (email.body_text, email.body_html):
            assert intro in body and answer in body, member


def test_the_list_and_the_start_page_show_the_coming_meeting(client, group_world):
    meeting = propose(group_world)
    client.force_login(group_world["olle"])

    listing = client.get(reverse("network:meeting-list", args=[meeting.group_id])).content.decode()
    start = client.get(reverse("start-manager")).content.decode()

    assert "Kommande träffar" in listing and "1 kommer" in listing
    assert "du har inte svarat" in listing
    assert "Nästa träff i din nätverksgrupp 1" in start
    assert "Fikarummet, Kommunhuset" in start
    assert reverse("network:meeting-detail", args=[meeting.pk]) in start


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "weekend"}, "är en helg. Välj en vardag (måndag till fredag)."),
        ({"date": "holiday"}, "är kristi himmelsfärdsdag, en röd dag. Välj en vardag."),
        ({"date": "past"}, "Träffen måste ligga framåt i tiden."),
        ({"end_time": "08:00"}, "Träffen måste sluta efter att den börjar."),
        ({"place": ""}, "Ange en plats eller en möteslänk, så att deltagarna vet vart de ska."),
        (
            {"link": "http://teams.example/mote"},
            "Möteslänken måste vara en hel webbadress som börjar med https://",
        ),
        ({"link": "javascript:alert(1)"}, "Möteslänken måste vara en hel webbadress"),
        ({"note": "x" * 1001}, "Texten får vara högst 1000 tecken."),
    ],
)
def test_bad_input_gets_a_swedish_message_and_stores_nothing(client, group_world, fields, message):
    today = timezone.localdate()
    days = {
        "weekend": working_day(today + timedelta(days=7)) + timedelta(days=7),
        # Always a Thursday.
        "holiday": next(
            date(today.year + 1, 4, 30) + timedelta(days=n)
            for n in range(60)
            if "himmelsfärd"
            in (holiday_name(date(today.year + 1, 4, 30) + timedelta(days=n)) or "")
        ),
        "past": working_day(today - timedelta(days=10)),
    }
    day = soon()
    data = form(day)
    if "date" in fields:
        chosen = days[fields["date"]]
        while fields["date"] == "weekend" and chosen.weekday() < 5:
            chosen += timedelta(days=1)
        data["date"] = chosen.isoformat()
    data.update({k: v for k, v in fields.items() if k != "date"})
    client.force_login(group_world["asker"])

    response = client.post(reverse("network:meeting-create", args=[group_world["group"].pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists() and not OutboxMessage.objects.exists()


def test_the_proposer_moves_the_meeting_members_get_an_update_and_answer_again(client, group_world):
    meeting = propose(group_world)
    olle = group_world["olle"]
    meeting_services.meeting_respond(meeting=meeting, user=olle, coming=True)
    later = working_day(soon() + timedelta(days=1))
    client.force_login(group_world["asker"])

    response = client.post(
        reverse("network:meeting-edit", args=[meeting.pk]),
        form(later, start="13:00", end="14:00", link="https://teams.microsoft.com/l/mote-1"),
        follow=True,
    )

    assert "Träffen är ändrad." in response.content.decode()
    [(_, first), (method, update)] = calendar_emails(olle)
    assert method == "REQUEST"
    _, [before] = read_with_vobject(first)
    _, [after] = read_with_vobject(update)
    assert after.uid == before.uid
    assert "SEQUENCE:1" in update.decode() and "SEQUENCE:0" in first.decode()
    assert after.start == at(later, 13).astimezone(UTC)
    assert "https://teams.microsoft.com/l/mote-1" in after.description
    assert MeetingInvitation.objects.get(meeting=meeting, user=olle).response == ""
    assert (
        OutboxMessage.objects.filter(to=[olle.email])
        .order_by("pk")
        .last()
        .subject.startswith("Ändrad:")
    )


def test_only_the_proposer_changes_or_cancels(client, group_world):
    meeting = propose(group_world)
    client.force_login(group_world["olle"])

    assert client.get(reverse("network:meeting-edit", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("network:meeting-cancel", args=[meeting.pk])).status_code == 403
    assert not Meeting.objects.get().is_cancelled


def test_cancelling_sends_a_cancel_with_a_higher_sequence(client, group_world):
    meeting = propose(group_world)
    client.force_login(group_world["asker"])

    page = client.post(
        reverse("network:meeting-cancel", args=[meeting.pk]), follow=True
    ).content.decode()

    assert "Träffen är inställd." in page
    [(_, invitation), (method, cancel)] = calendar_emails(group_world["pia"])
    assert method == "CANCEL"
    read_method, [event] = read_with_vobject(cancel)
    assert read_method == "CANCEL" and event.status == "CANCELLED"
    assert event.uid == read_with_vobject(invitation)[1][0].uid
    assert "SEQUENCE:1" in cancel.decode()
    # Cancelling twice sends nothing more.
    client.post(reverse("network:meeting-cancel", args=[meeting.pk]))
    assert len(calendar_emails(group_world["pia"])) == 2
    answer = client.post(reverse("network:meeting-respond", args=[meeting.pk]), {"response": "ja"})
    assert answer.status_code == 302
    assert (
        "Träffen är inställd, så ditt svar sparades inte."
        in client.get(answer["Location"]).content.decode()
    )


def test_a_member_answers_and_the_group_sees_it(client, group_world):
    meeting = propose(group_world)
    client.force_login(group_world["olle"])

    page = client.post(
        reverse("network:meeting-respond", args=[meeting.pk]), {"response": "nej"}, follow=True
    ).content.decode()
    assert "Du har svarat att du inte kan komma." in page
    client.force_login(group_world["pia"])
    page = client.get(reverse("network:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Olle Kollega: kan inte komma" in page

    client.force_login(group_world["olle"])
    client.post(reverse("network:meeting-respond", args=[meeting.pk]), {"response": "kanske"})
    assert MeetingInvitation.objects.get(meeting=meeting, user=group_world["olle"]).response == (
        "nej"
    )


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("month", [1, 7])
def test_invitations_and_the_feed_are_at_stockholm_time_in_winter_and_summer(
    client, group_world, reader, month
):
    day = working_day(date(timezone.localdate().year + 1, month, 10), month=month)
    meeting = propose(group_world, day)
    offset = 1 if month == 1 else 2
    expected = datetime.combine(day, time(8 - offset, 30), tzinfo=UTC)
    feed = session_services.calendar_feed_get(user=group_world["olle"])

    [(_, invitation)] = calendar_emails(group_world["olle"])
    from_feed = client.get(reverse("training_sessions:feed", args=[feed.token])).content

    for data in (invitation, from_feed):
        _, events = READERS[reader](data)
        [event] = [e for e in events if e.summary == "Nätverksträff, grupp 1"]
        assert (event.start, event.end) == (expected, expected + timedelta(hours=1))
    assert "BEGIN:VTIMEZONE" in from_feed.decode() and meeting.note not in from_feed.decode()


def test_the_feed_keeps_a_cancelled_meeting_as_cancelled_and_no_one_elses(client, group_world):
    meeting = propose(group_world)
    meeting_services.meeting_cancel(meeting=meeting, by=group_world["asker"])
    mine = session_services.calendar_feed_get(user=group_world["pia"])
    theirs = session_services.calendar_feed_get(user=group_world["other_group_member"])

    _, events = read_with_vobject(
        client.get(reverse("training_sessions:feed", args=[mine.token])).content
    )
    _, others = read_with_vobject(
        client.get(reverse("training_sessions:feed", args=[theirs.token])).content
    )

    assert [e.status for e in events if e.summary.startswith("Nätverksträff")] == ["CANCELLED"]
    assert not [e for e in others if e.summary.startswith("Nätverksträff")]


def _held(group_world, **kwargs) -> Meeting:
    meeting = propose(group_world, **kwargs)
    yesterday = timezone.now() - timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=yesterday, ends_at=yesterday + timedelta(hours=1)
    )
    return Meeting.objects.get(pk=meeting.pk)


def test_after_the_meeting_a_member_notes_a_private_takeaway_in_the_journal(client, group_world):
    meeting = _held(group_world)
    olle = group_world["olle"]
    client.force_login(olle)
    url = reverse("network:meeting-takeaway", args=[meeting.pk])

    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 400
    assert "Skriv vad du tar med dig från träffen." in empty.content.decode()
    page = client.post(url, {"text": "Boka fikat i förväg"}, follow=True).content.decode()

    assert "Det du tar med dig finns nu i din journal." in page
    entry = Entry.objects.get(author=olle)
    assert entry.body == "Boka fikat i förväg" and entry.shared_at is None
    assert entry.title.startswith("Nätverksträff ")
    assert MeetingTakeaway.objects.get().entry == entry
    assert "Läs det i din journal" in page
    # The other members do not see it.
    client.force_login(group_world["pia"])
    page = client.get(reverse("network:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Boka fikat" not in page
    assert "Vad tar du med dig från träffen?" in page


def test_no_takeaway_before_the_meeting(client, group_world):
    meeting = propose(group_world)
    client.force_login(group_world["olle"])

    response = client.post(
        reverse("network:meeting-takeaway", args=[meeting.pk]), {"text": "För tidigt"}
    )

    assert response.status_code == 400
    assert "när träffen har börjat" in response.content.decode()
    assert not Entry.objects.exists()


def test_the_coach_sees_counts_per_group_never_the_meeting(client, group_world):
    _held(group_world, note=SENTINEL)
    propose(group_world, note=SENTINEL)
    cancelled = _held(group_world)
    Meeting.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    round_pk = group_world["group"].round_id
    client.force_login(group_world["coach"])

    page = client.get(reverse("network:round-meetings", args=[round_pk])).content.decode()
    round_page = client.get(reverse("programme:round-detail", args=[round_pk])).content.decode()

    cells = [c.split("<")[0] for c in page.split('<td class="text-end">')[1:]]
    assert cells == ["1", "1"]  # held, planned
    assert '<th scope="col" class="text-end">Planerade träffar</th>' in page
    assert SENTINEL not in page and "Fikarummet" not in page
    assert reverse("network:round-meetings", args=[round_pk]) in round_page
    assert client.get(reverse("network:meeting-detail", args=[cancelled.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_group_member", "no_group", "coach", "hr", "admin"])
def test_no_one_outside_the_group_knows_the_meeting(client, group_world, who):
    meeting = propose(group_world, note=SENTINEL)
    client.force_login(group_world[who])

    for url in (
        reverse("network:meeting-detail", args=[meeting.pk]),
        reverse("network:meeting-list", args=[meeting.group_id]),
        reverse("network:meeting-create", args=[meeting.group_id]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SENTINEL not in response.content.decode()
    start = client.get(reverse("home"), follow=True).content.decode()
    assert SENTINEL not in start


def test_a_member_who_left_can_no_longer_see_or_answer(client, group_world):
    meeting = propose(group_world)
    group_world["group"].members.remove(group_world["olle"])
    client.force_login(group_world["olle"])

    assert client.get(reverse("network:meeting-detail", args=[meeting.pk])).status_code == 404
    response = client.post(
        reverse("network:meeting-respond", args=[meeting.pk]), {"response": "ja"}
    )
    assert response.status_code == 404
    assert MeetingInvitation.objects.get(user=group_world["olle"]).response == ""


def test_erasure_keeps_the_meeting_for_the_group_without_the_name(group_world, admin_user):
    meeting = propose(group_world)
    olle = group_world["olle"]
    olle.is_active = False
    olle.save()
    asker = group_world["asker"]
    meeting_services.meeting_respond(meeting=meeting, user=group_world["pia"], coming=True)
    asker.is_active = False
    asker.save()

    erasure.person_erase(person=asker, by=admin_user)
    erasure.person_erase(person=olle, by=admin_user)

    meeting.refresh_from_db()
    assert meeting.proposed_by is None and meeting.place == "Fikarummet, Kommunhuset"
    assert list(meeting.invitations.values_list("user", flat=True)) == [group_world["pia"].pk]


def test_gallring_deletes_meetings_two_years_after_they_ended(group_world):
    old = _held(group_world)
    Meeting.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - timedelta(days=800),
        ends_at=timezone.now() - timedelta(days=800) + timedelta(hours=1),
    )
    kept = propose(group_world)

    [rule] = [r for r in retention.RULES if r.name == "network_meetings"]
    overdue = rule.overdue(timezone.now() - timedelta(days=rule.days))

    assert list(overdue) == [Meeting.objects.get(pk=old.pk)]
    assert kept not in overdue


def test_a_member_moved_to_another_group_leaves_its_meetings_and_joins_the_new_ones(
    client, group_world
):
    """The coach moves Olle from group 1, which has a coming meeting and a held one, to
    group 2, which has a coming meeting of its own. Olle gets a CANCEL that takes group 1's
    coming meeting out of his calendar and an invitation to group 2's; nothing about the held
    one; nobody else hears of it. Moved back, he is invited to group 1's meeting again."""
    group1, olle = group_world["group"], group_world["olle"]
    held = _held(group_world)
    coming1 = propose(group_world)
    rolf, sara = ManagerFactory.create_batch(2)
    group2 = NetworkGroup.objects.create(round=group1.round, number=2)
    group2.members.set([rolf, sara])
    day2 = working_day(soon() + timedelta(days=1))
    coming2 = meeting_services.meeting_propose(
        group=group2,
        by=rolf,
        data=meeting_services.MeetingData(
            starts_at=at(day2, 13), ends_at=at(day2, 14), place="Biblioteket", link="", note=""
        ),
    )
    before = {p.pk: OutboxMessage.objects.filter(to=[p.email]).count() for p in (rolf, sara)}
    olles_before = calendar_emails(olle)
    client.force_login(group_world["coach"])
    move = reverse("programme:round-move", args=[group1.round_id])

    page = client.post(move, {"user": olle.pk, "group": group2.pk}, follow=True)

    assert (
        f"{olle.full_name} är flyttad till grupp 2 och får 2 e-postmeddelanden om gruppernas "
        "kommande träffar."
    ) in page.content.decode()
    new = calendar_emails(olle)[len(olles_before) :]
    assert [method for method, _ics in new] == ["CANCEL", "REQUEST"]
    for (method, ics), meeting in zip(new, (coming1, coming2), strict=True):
        read_method, [event] = read_with_vobject(ics)
        assert read_method == method and event.uid == calendar.meeting_uid(meeting)
    left, joined = OutboxMessage.objects.filter(to=[olle.email]).order_by("-pk")[:2][::-1]
    assert left.subject.startswith("Borttagen ur din kalender: Nätverksträff, grupp 1")
    assert "Du har flyttats till en annan nätverksgrupp" in left.body_text
    assert "tar bort träffen ur din kalender" in left.body_text
    assert "Du har flyttats till en nätverksgrupp som har den här träffen på gång" in (
        joined.body_text
    )
    assert not coming1.invitations.filter(user=olle).exists()
    assert held.invitations.filter(user=olle).exists()  # what was, stays
    assert coming2.invitations.get(user=olle).response == ""
    for person in (rolf, sara):
        assert OutboxMessage.objects.filter(to=[person.email]).count() == before[person.pk]

    client.post(move, {"user": olle.pk, "group": group1.pk})
    methods = [method for method, _ics in calendar_emails(olle)[len(olles_before) :]]
    assert methods == ["CANCEL", "REQUEST", "CANCEL", "REQUEST"]
    assert coming1.invitations.filter(user=olle).exists()
    assert not coming2.invitations.filter(user=olle).exists()


def test_moving_a_member_to_the_group_they_are_in_changes_nothing_and_sends_nothing(
    group_world,
):
    """Any caller of the service, not only the round page: a move to the person's own group
    says so (None) and neither touches the group nor emails about its coming meeting."""
    group, olle = group_world["group"], group_world["olle"]
    coming = propose(group_world)
    emails_before = OutboxMessage.objects.filter(to=[olle.email]).count()
    members_before = set(group.members.values_list("pk", flat=True))

    result = programme_services.network_round_move_member(
        network_round=group.round, user=olle, to_group=group
    )

    assert result is None
    assert set(group.members.values_list("pk", flat=True)) == members_before
    assert OutboxMessage.objects.filter(to=[olle.email]).count() == emails_before
    assert coming.invitations.filter(user=olle).exists()


def test_a_member_of_two_groups_moved_to_one_of_them_is_left_in_that_one_only(group_world):
    """Not a move to their own group: the other group is left, so it counts as a move (0
    emails here, since neither group has a coming meeting), not as "already in group"."""
    group, olle = group_world["group"], group_world["olle"]
    other = NetworkGroup.objects.create(round=group.round, number=2)
    other.members.add(olle)

    result = programme_services.network_round_move_member(
        network_round=group.round, user=olle, to_group=group
    )

    assert result == 0
    assert list(NetworkGroup.objects.filter(round=group.round, members=olle)) == [group]
