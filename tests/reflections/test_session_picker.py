"""The journal's and commitments' session picker, as the manager reads it: each session with
its date and training group (two with the same title can be told apart), no cancelled ones,
nothing from years ago; and a link once made is never dropped by saving."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services
from reflections.models import Entry
from sessions.models import TrainingSession
from tests.factories import InvitationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def _options(page: str, name: str = "session") -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no <select name={name}> on the page"
    return [
        unescape(label).strip()
        for label in re.findall(r"<option[^>]*>(.*?)</option>", select[1], re.S)
    ]


def _session(side, *, title, days, status=TrainingSession.Status.PLANNED, cohort=None):
    session = TrainingSessionFactory(
        cohort=cohort or side["cohort"],
        title=title,
        starts_at=timezone.now() + timedelta(days=days),
        status=status,
    )
    InvitationFactory(session=session, user=side["manager"])
    return session


def test_each_session_is_named_by_date_and_group_and_cancelled_or_old_ones_are_left_out(
    client, world
):
    side = world["sides"]["a"]
    other_group = world["sides"]["b"]["cohort"]
    _session(side, title="Tydlig återkoppling", days=-40)
    _session(side, title="Tydlig återkoppling", days=-12, cohort=other_group)
    _session(side, title="Inställd träff", days=-5, status=TrainingSession.Status.CANCELLED)
    _session(side, title="För länge sedan", days=-800)
    client.force_login(side["manager"])

    for url in (
        reverse("reflections:entry-create"),
        reverse("reflections:journal"),
        reverse("reflections:commitments"),
    ):
        options = _options(client.get(url).content.decode())
        feedback = [o for o in options if o.startswith("Tydlig återkoppling")]
        assert len(feedback) == 2 and feedback[0] != feedback[1], options
        assert any("Grupp B" in o for o in feedback) and any("Grupp A" in o for o in feedback)
        assert all(re.search(r"\d{1,2} \w+ 20\d\d", o) for o in feedback), feedback
        assert not any("Inställd träff" in o for o in options)
        assert not any("För länge sedan" in o for o in options)


def test_an_old_link_stays_chosen_and_is_kept_by_saving(client, world):
    side = world["sides"]["a"]
    old = _session(side, title="Vår första träff", days=-800)
    entry = side["private"]
    Entry.objects.filter(pk=entry.pk).update(session=old)
    old.status = TrainingSession.Status.CANCELLED
    old.save()
    client.force_login(side["manager"])
    url = reverse("reflections:entry-edit", args=[entry.pk])

    page = client.get(url).content.decode()
    chosen = re.search(r'<option value="(\d+)"[^>]*selected[^>]*>(.*?)</option>', page, re.S)
    assert chosen and int(chosen[1]) == old.pk
    assert unescape(chosen[2]).strip().endswith(", inställd)")

    entry.refresh_from_db()
    response = client.post(
        url,
        {
            "title": entry.title,
            "written_on": entry.written_on.isoformat(),
            "body": "Ny text",
            "session": old.pk,
            "version": entry.version,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.session_id == old.pk and entry.body == "Ny text"


def test_a_session_one_was_not_invited_to_is_refused(client, world):
    side = world["sides"]["a"]
    strangers = world["sides"]["b"]["held"]
    client.force_login(side["manager"])

    response = client.post(
        reverse("reflections:entry-create"),
        {
            "title": "X",
            "written_on": date.today().isoformat(),
            "body": "x",
            "session": strangers.pk,
        },
    )

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not side["manager"].journal_entries.filter(title="X").exists()


def test_commitments_offer_the_latest_entries_by_title_and_date(client, world):
    side = world["sides"]["a"]
    manager = side["manager"]
    for n in range(35):
        services.entry_create(
            author=manager,
            data=services.EntryData(
                title=f"Vecka {n}", body="", written_on=date(2026, 1, 1) + timedelta(days=n)
            ),
        )
    client.force_login(manager)

    options = _options(client.get(reverse("reflections:commitments")).content.decode(), "entry")

    assert "Vecka 34, 4 februari 2026" in options
    assert not any(o.startswith("Vecka 0,") for o in options)
    assert len(options) == 1 + 30  # the empty choice and the latest 30


def test_an_open_make_up_session_is_named_as_one(client, world):
    side = world["sides"]["a"]
    makeup = TrainingSessionFactory(
        cohort=None,
        programme=side["cohort"].programme,
        title="Uppsamling",
        starts_at=timezone.now() - timedelta(days=3),
    )
    InvitationFactory(session=makeup, user=side["manager"], is_makeup=True)
    client.force_login(side["manager"])

    response = client.get(reverse("reflections:entry-create"))

    assert response.status_code == 200
    [label] = [o for o in _options(response.content.decode()) if o.startswith("Uppsamling")]
    assert label.endswith(", öppet uppsamlingstillfälle)")
