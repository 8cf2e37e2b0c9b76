"""Session evaluations as the people who meet them: the manager who attended answers and may
change the answer until it closes; the coach sees figures and unnamed texts only once five
have answered; nobody else sees anything, and nothing a person wrote appears with a name."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import selectors
from evaluations.models import Answer, AnswerText, Question
from tests.factories import (
    CoachFactory,
    CohortFactory,
    HRFactory,
    InvitationFactory,
    ManagerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

SENTINEL = "Utvärderingstext-Sentinel"


@pytest.fixture
def coach():
    return CoachFactory(full_name="Karin Tränare")


@pytest.fixture
def held(coach):
    """A session that ended yesterday evening, run by `coach`."""
    ends = timezone.now() - timedelta(hours=20)
    cohort = CohortFactory(coaches=[coach], name="Grupp Norr")
    return TrainingSessionFactory(
        cohort=cohort, title="Modigt ledarskap", starts_at=ends - timedelta(hours=3), ends_at=ends
    )


def attendee(session, **fields):
    manager = ManagerFactory(**fields)
    InvitationFactory(session=session, user=manager, attendance="narvarande")
    return manager


def text(response) -> str:
    return response.content.decode()


def test_an_attendee_finds_the_evaluation_on_the_session_page_and_answers(client, held):
    manager = attendee(held)
    client.force_login(manager)

    session_page = text(client.get(reverse("training_sessions:session-detail", args=[held.pk])))
    assert "Utvärdera träffen" in session_page

    page = client.get(reverse("evaluations:evaluate", args=[held.pk]))
    assert "Hur användbar var träffen för dig?" in text(page)
    assert "5 – mycket användbar" in text(page)
    closes = timezone.localdate(held.ends_at + timedelta(days=14))
    assert f"Öppen till och med {closes.day} " in text(page)

    answered = client.post(
        reverse("evaluations:evaluate", args=[held.pk]),
        {"usefulness": "4", "will_try": "Fråga teamet först"},
        follow=True,
    )
    assert "Tack! Din utvärdering är sparad." in text(answered)
    assert "Du har svarat. Du kan ändra ditt svar till och med" in text(answered)
    answer = Answer.objects.get(session=held, respondent=manager)
    assert answer.usefulness == 4
    assert answer.text.will_try == "Fråga teamet först"

    # Changed while open: the same answer, new values; an emptied text is removed.
    client.post(reverse("evaluations:evaluate", args=[held.pk]), {"usefulness": "5"})
    answer.refresh_from_db()
    assert answer.usefulness == 5
    assert not AnswerText.objects.filter(answer=answer).exists()
    assert Answer.objects.filter(session=held).count() == 1


def test_a_missing_or_bad_rating_is_explained_and_nothing_is_stored(client, held):
    client.force_login(attendee(held))

    for data in (
        {"will_try": "x"},
        {"usefulness": "7"},
        {"usefulness": "3", "will_try": "x" * 2001},
    ):
        response = client.post(reverse("evaluations:evaluate", args=[held.pk]), data)
        assert response.status_code == 400
    assert "Välj hur användbar träffen var, från 1 till 5." in text(
        client.post(reverse("evaluations:evaluate", args=[held.pk]), {"will_try": "x"})
    )
    assert Answer.objects.count() == 0


def test_only_those_present_can_answer(client, held):
    absent = ManagerFactory()
    InvitationFactory(session=held, user=absent, attendance="franvarande")
    client.force_login(absent)

    page = client.get(reverse("evaluations:evaluate", args=[held.pk]))
    assert "Bara de som var med på träffen kan utvärdera den." in text(page)
    assert "Spara min utvärdering" not in text(page)
    session_page = client.get(reverse("training_sessions:session-detail", args=[held.pk]))
    assert "Utvärdera träffen" not in text(session_page)

    refused = client.post(reverse("evaluations:evaluate", args=[held.pk]), {"usefulness": "5"})
    assert refused.status_code == 400
    assert Answer.objects.count() == 0


def test_the_evaluation_opens_at_the_end_and_closes_after_fourteen_days(client, held, time_machine):
    manager = attendee(held)
    client.force_login(manager)
    coming = TrainingSessionFactory(cohort=held.cohort)
    InvitationFactory(session=coming, user=manager, attendance="narvarande")
    assert "Utvärderingen öppnar när träffen är slut." in text(
        client.get(reverse("evaluations:evaluate", args=[coming.pk]))
    )

    client.post(reverse("evaluations:evaluate", args=[held.pk]), {"usefulness": "3"})
    time_machine.move_to(held.ends_at + timedelta(days=14, minutes=1))
    client.force_login(manager)  # two weeks later: a new sign-in

    closed = client.get(reverse("evaluations:evaluate", args=[held.pk]))
    assert "Utvärderingen stängde" in text(closed)
    assert "3 av 5" in text(closed)  # their answer, to read
    assert "Spara min utvärdering" not in text(closed)
    refused = client.post(reverse("evaluations:evaluate", args=[held.pk]), {"usefulness": "5"})
    assert refused.status_code == 400
    assert Answer.objects.get().usefulness == 3


def test_the_coach_sees_nothing_until_five_have_answered(client, held, coach):
    names = []
    for n in range(5):
        manager = attendee(held, full_name=f"Chef Nummer{n}")
        names.append(manager.full_name)
        Answer.objects.create(session=held, respondent=manager, usefulness=2 + n % 3)
        if n < 4:
            AnswerText.objects.create(
                answer=Answer.objects.get(respondent=manager), will_try=f"{SENTINEL} {n}"
            )
    Answer.objects.filter(respondent__full_name="Chef Nummer4").delete()
    client.force_login(coach)

    four = text(client.get(reverse("evaluations:results", args=[held.pk])))
    assert "4 av 5 som var med har svarat." in four
    assert "Ett svar till behövs innan något visas" in four
    assert SENTINEL not in four
    assert "I genomsnitt" not in four

    Answer.objects.create(
        session=held,
        respondent=held.invitations.get(user__full_name="Chef Nummer4").user,
        usefulness=5,
    )
    five = text(client.get(reverse("evaluations:results", args=[held.pk])))
    assert "5 av 5 som var med har svarat." in five
    assert "I genomsnitt 3,2 av 5." in five  # 2, 3, 4, 2, 5
    assert five.count(SENTINEL) == 4
    # Never a name beside what was written.
    assert not any(name in five for name in names)


def test_the_coach_asks_an_own_question_until_the_first_answer(client, held, coach):
    manager = attendee(held)
    client.force_login(coach)
    client.post(
        reverse("evaluations:question", args=[held.pk]), {"text": "Vad tar du med dig till teamet?"}
    )
    assert Question.objects.get(session=held).text == "Vad tar du med dig till teamet?"

    client.force_login(manager)
    form = text(client.get(reverse("evaluations:evaluate", args=[held.pk])))
    assert "Vad tar du med dig till teamet? (frivilligt)" in form
    client.post(
        reverse("evaluations:evaluate", args=[held.pk]),
        {"usefulness": "5", "question_answer": "Fler frågor, färre svar"},
    )
    assert AnswerText.objects.get().question == "Vad tar du med dig till teamet?"

    client.force_login(coach)
    changed = client.post(
        reverse("evaluations:question", args=[held.pk]), {"text": "En annan fråga"}, follow=True
    )
    assert "Frågan kan inte ändras när någon har svarat på utvärderingen." in text(changed)
    assert Question.objects.get(session=held).text == "Vad tar du med dig till teamet?"


def test_another_coach_hr_and_the_administrator_see_no_evaluation(client, held, admin_user):
    Answer.objects.create(session=held, respondent=attendee(held), usefulness=4)
    for person, status in ((CoachFactory(), 404), (HRFactory(), 403)):
        client.force_login(person)
        assert client.get(reverse("evaluations:results", args=[held.pk])).status_code == status
    client.force_login(HRFactory())
    session_page = text(client.get(reverse("training_sessions:session-detail", args=[held.pk])))
    assert "Utvärdering:" not in session_page


def test_the_overview_per_theme_and_session(client, held, coach):
    for _n in range(5):
        Answer.objects.create(session=held, respondent=attendee(held), usefulness=4)
    attendee(held)  # present, not answered
    client.force_login(coach)

    page = text(client.get(reverse("evaluations:overview")))

    assert held.theme.name in page
    assert "5 av 6" in page
    assert "4,0" in page
    assert "Modigt ledarskap" in page


def test_a_theme_counts_only_sessions_big_enough_so_nothing_can_be_subtracted(client, held, coach):
    """A second session of the same theme with one answer stays out of the theme's figures:
    with it in, theme minus session would be that one person's rating."""
    for _n in range(5):
        Answer.objects.create(session=held, respondent=attendee(held), usefulness=4)
    small = TrainingSessionFactory(
        cohort=held.cohort,
        theme=held.theme,
        starts_at=held.starts_at - timedelta(days=7),
        ends_at=held.ends_at - timedelta(days=7),
    )
    Answer.objects.create(session=small, respondent=attendee(small), usefulness=1)

    [(theme, results)] = selectors.theme_results(coach)

    assert theme == held.theme
    assert (results.answered, results.average) == (5, 4.0)
    client.force_login(coach)
    page = text(client.get(reverse("evaluations:overview")))
    assert "1 av 1" in page  # the small session's count, on its own row
    assert "3,5" not in page  # (5 * 4 + 1) / 6 would give the one answer away


def test_a_coach_with_no_sessions_is_told_what_the_page_will_hold(client):
    client.force_login(CoachFactory())
    page = text(client.get(reverse("evaluations:overview")))
    assert "Du har inte hållit några träffar ännu." in page


def test_the_overview_reads_the_same_number_of_queries_for_more_sessions(client, held, coach):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(coach)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("evaluations:overview")).status_code == 200
        return len(queries)

    attendee(held)
    one = count()
    for n in range(9):
        session = TrainingSessionFactory(
            cohort=held.cohort,
            starts_at=held.starts_at - timedelta(days=n + 1),
            ends_at=held.ends_at - timedelta(days=n + 1),
        )
        attendee(session)
    assert count() == one


def test_waiting_for_lists_the_open_unanswered_sessions(held):
    manager = attendee(held)
    assert list(selectors.waiting_for(manager)) == [held]
    Answer.objects.create(session=held, respondent=manager, usefulness=4)
    assert list(selectors.waiting_for(manager)) == []
    assert list(selectors.waiting_for(ManagerFactory())) == []
