"""A known organisation and a known month of training, with every figure counted by hand.

Managers per enhet (26 in all):
  Barn och utbildning: Skola A 6, Skola B 5, Förskola C 2, Förskola D 1
  Vård och omsorg:     Hemtjänst 7
  Kultur:              Bibliotek 2
  Teknik:              Gata 3
Safe cells (at least 5): {Skola A}, {Skola B, Förskola C, Förskola D}, {Hemtjänst},
{Bibliotek, Gata}.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from programme.models import Theme
from reflections.models import Commitment, Entry
from reminders.models import Reminder
from sessions.models import Invitation, TrainingSession
from tests.factories import CohortFactory, EnhetFactory, ForvaltningFactory, ManagerFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SENTINEL = "HEMLIG-TEXT-HR-9d2e"


def at(year, month, day, hour=13) -> datetime:
    return datetime(year, month, day, hour, tzinfo=STOCKHOLM)


def _session(programme, cohort, start, *, theme=None, status=TrainingSession.Status.HELD, **kw):
    return TrainingSession.objects.create(
        programme=programme,
        cohort=cohort,
        theme=theme,
        format=TrainingSession.Format.THEORY,
        title=kw.pop("title", "Träff"),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status=status,
        **kw,
    )


@pytest.fixture
def known(db):
    bou = ForvaltningFactory(name="Barn och utbildning")
    voo = ForvaltningFactory(name="Vård och omsorg")
    kultur = ForvaltningFactory(name="Kultur")
    teknik = ForvaltningFactory(name="Teknik")
    units = {
        "Skola A": (bou, 6),
        "Skola B": (bou, 5),
        "Förskola C": (bou, 2),
        "Förskola D": (bou, 1),
        "Hemtjänst": (voo, 7),
        "Bibliotek": (kultur, 2),
        "Gata": (teknik, 3),
    }
    people, enheter = {}, {}
    for name, (parent, count) in units.items():
        enheter[name] = EnhetFactory(name=name, parent=parent)
        people[name] = ManagerFactory.create_batch(count, department=enheter[name])

    leda_sig_sjalv = Theme.objects.get(slug="leda-sig-sjalv")
    leda_andra = Theme.objects.get(slug="leda-andra")
    cohort_x = CohortFactory(name="Grupp X", members=people["Skola A"])
    programme = cohort_x.programme
    cohort_y = CohortFactory(name="Grupp Y", programme=programme, members=people["Hemtjänst"])

    s1 = _session(programme, cohort_x, at(2027, 2, 10), theme=leda_sig_sjalv)
    for index, manager in enumerate(people["Skola A"]):
        Invitation.objects.create(
            session=s1,
            user=manager,
            attendance=Invitation.Attendance.PRESENT if index < 5 else "franvarande",
        )
    s2 = _session(programme, cohort_y, at(2027, 3, 10), theme=leda_andra)
    for index, manager in enumerate(people["Hemtjänst"]):
        excused = index == 6
        Invitation.objects.create(
            session=s2,
            user=manager,
            attendance=Invitation.Attendance.EXCUSED if excused else "narvarande",
            excused_at=at(2027, 3, 9) if excused else None,
        )
    cancelled = _session(
        programme, cohort_x, at(2027, 3, 1), status=TrainingSession.Status.CANCELLED
    )
    Invitation.objects.create(session=cancelled, user=people["Skola A"][0])
    s4 = _session(programme, None, at(2027, 3, 15), capacity=5)
    Invitation.objects.create(
        session=s4, user=people["Skola B"][0], is_makeup=True, attendance="narvarande"
    )

    for manager in people["Skola A"]:
        for day in (12, 20):
            Entry.objects.create(
                author=manager,
                title="Efter träffen",
                body=SENTINEL,
                written_on=date(2027, 2, day),
                theme=leda_sig_sjalv,
            )
    lonely = people["Förskola D"][0]
    for day in (3, 4, 5):
        Entry.objects.create(
            author=lonely, title="Ensam", body=SENTINEL, written_on=date(2027, 2, day)
        )
    for index, manager in enumerate(people["Hemtjänst"][:4]):
        commitment = Commitment.objects.create(
            author=manager, text=SENTINEL, due_on=date(2027, 3, 20)
        )
        Commitment.objects.filter(pk=commitment.pk).update(
            created_at=at(2027, 3, 11),
            followed_up_at=at(2027, 3, 21) if index < 2 else None,
        )
    for index, manager in enumerate(people["Skola A"][:5]):
        Reminder.objects.create(
            key=f"repetition:{s1.pk}:1:{manager.pk}",
            user=manager,
            kind=Reminder.Kind.REPETITION,
            session=s1,
            step=1,
            offset_days=1,
            base_on=date(2027, 2, 11),
            due_at=at(2027, 2, 11, 8),
            status=Reminder.Status.SENT,
            sent_at=at(2027, 2, 11, 8),
            responded_at=at(2027, 2, 11, 12) if index < 3 else None,
            response="repeterat" if index < 3 else "",
        )
    return {
        "people": people,
        "enheter": enheter,
        "forvaltningar": {"bou": bou, "voo": voo, "kultur": kultur, "teknik": teknik},
        "programme": programme,
        "cohorts": {"x": cohort_x, "y": cohort_y},
        "themes": {"leda-sig-sjalv": leda_sig_sjalv, "leda-andra": leda_andra},
        "sessions": {"s1": s1, "s2": s2, "s4": s4},
    }
