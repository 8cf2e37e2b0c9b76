"""Asking the network group for help: a member asks, the others answer, the asker marks it
resolved; only the group's current members and the asker see it (the coach when included)."""

import re

import pytest
from django.urls import reverse

from network import services
from network.models import Answer, Question
from privacy.erasure import person_erase
from tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


def _ask(client, world, **data):
    client.force_login(world["asker"])
    return client.post(
        reverse("network:question-create", args=[world["group"].pk]),
        {"title": "Hur har ni hanterat en svår omorganisation?", "body": "", **data},
    )


def _question(world, **fields):
    return services.question_create(
        group=world["group"],
        author=world["asker"],
        title=fields.pop("title", "Hur har ni hanterat sjukfrånvaron?"),
        body=fields.pop("body", "Vi har hög korttidsfrånvaro."),
        **fields,
    )


def test_a_member_asks_the_others_answer_and_the_asker_marks_it_resolved(client, group_world):
    world = group_world
    response = _ask(client, world, body="Vi slår ihop **två enheter**.")
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("network:question-detail", args=[question.pk])

    client.force_login(world["olle"])
    listing = client.get(reverse("network:question-list", args=[world["group"].pk])).content
    text = listing.decode()
    assert "Hur har ni hanterat en svår omorganisation?" in text
    assert "Maja Chef" in text and "Ny</span>" in text and "0 svar" in text
    page = client.get(reverse("network:question-detail", args=[question.pk])).content.decode()
    assert "<strong>två enheter</strong>" in page
    client.post(
        reverse("network:answer-create", args=[question.pk]),
        {"body": "Vi började med gemensamma APT."},
    )
    # Once read, the thread is no longer new to Olle.
    listing = client.get(reverse("network:question-list", args=[world["group"].pk])).content
    assert "Ny</span>" not in listing.decode()

    client.force_login(world["asker"])
    page = client.get(reverse("network:question-detail", args=[question.pk])).content.decode()
    assert "Vi började med gemensamma APT." in page and "Olle Kollega" in page
    assert "1 svar" in page and "Ny</span>" in page  # Olle's answer is new to Maja
    response = client.post(reverse("network:question-resolve", args=[question.pk]), follow=True)
    assert "Frågan är markerad som löst." in response.content.decode()
    question.refresh_from_db()
    assert question.is_resolved
    listing = client.get(reverse("network:question-list", args=[world["group"].pk])).content
    assert "Löst" in listing.decode()


def test_the_coach_is_included_only_when_the_asker_chooses(client, group_world):
    world = group_world
    closed = _question(world, title="Bara för gruppen")
    opened = _question(world, title="Till coachen också", includes_coach=True)
    client.force_login(world["coach"])
    assert client.get(reverse("network:question-detail", args=[closed.pk])).status_code == 404
    page = client.get(reverse("network:question-detail", args=[opened.pk]))
    assert page.status_code == 200
    mine = client.get(reverse("network:coach-questions")).content.decode()
    assert "Till coachen också" in mine and "Bara för gruppen" not in mine
    client.post(reverse("network:answer-create", args=[opened.pk]), {"body": "Prova detta."})
    assert Answer.objects.get().author == world["coach"]
    # The coach cannot open the group's list of all questions.
    list_url = reverse("network:question-list", args=[world["group"].pk])
    assert client.get(list_url).status_code == 404


def _coach_start_badge(client) -> str | None:
    """The count beside "Nätverksfrågor där du är med" on the coach's start page, if any."""
    page = client.get(reverse("start-coach")).content.decode()
    found = re.search(r"Nätverksfrågor där du är med</a>(?: <span[^>]*>([^<]*)</span>)?", page)
    assert found, "the start page links to the network questions"
    return found.group(1)


def test_the_coachs_start_page_counts_the_questions_with_something_new(client, group_world):
    """Two questions include the coach and one does not: "2 nya". Opening one leaves "1 ny";
    an answer by a member since makes it new again; the coach's own answer does not. Another
    group's coach sees no count."""
    world = group_world
    _question(world, title="Bara för gruppen")
    first = _question(world, title="Första till coachen", includes_coach=True)
    _question(world, title="Andra till coachen", includes_coach=True)
    client.force_login(world["coach"])
    assert _coach_start_badge(client) == "2 nya"

    client.get(reverse("network:question-detail", args=[first.pk]))
    assert _coach_start_badge(client) == "1 ny"
    client.post(reverse("network:answer-create", args=[first.pk]), {"body": "Prova detta."})
    assert _coach_start_badge(client) == "1 ny"
    services.answer_create(question=first, author=world["olle"], body="Jag håller med.")
    assert _coach_start_badge(client) == "2 nya"

    client.force_login(CoachFactory(full_name="Annan Tränare"))
    assert _coach_start_badge(client) is None


@pytest.mark.parametrize("outsider", ["other_group_member", "no_group", "coach", "hr", "admin"])
def test_outsiders_are_refused_as_if_nothing_existed(client, group_world, outsider):
    world = group_world
    question = _question(world, body="HEMLIG-NÄTVERK-7d2e")
    answer = services.answer_create(question=question, author=world["olle"], body="Svar")
    client.force_login(world[outsider])
    group = world["group"].pk
    for method, url in [
        ("get", reverse("network:question-list", args=[group])),
        ("get", reverse("network:question-create", args=[group])),
        ("post", reverse("network:question-create", args=[group])),
        ("get", reverse("network:question-detail", args=[question.pk])),
        ("get", reverse("network:question-edit", args=[question.pk])),
        ("post", reverse("network:question-delete", args=[question.pk])),
        ("post", reverse("network:question-resolve", args=[question.pk])),
        ("post", reverse("network:answer-create", args=[question.pk])),
        ("get", reverse("network:answer-edit", args=[answer.pk])),
        ("post", reverse("network:answer-delete", args=[answer.pk])),
    ]:
        response = getattr(client, method)(url, {"title": "x", "body": "x"})
        assert response.status_code == 404, (method, url, response.status_code)
        assert b"HEMLIG-N" not in response.content
    assert Question.objects.count() == 1 and Answer.objects.count() == 1
    assert Question.objects.get().deleted_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "   "}, "Skriv din fråga innan du publicerar den."),
        ({"title": "x" * 201}, "Frågan får vara högst 200 tecken."),
        ({"body": "x" * 5001}, "Texten får vara högst 5000 tecken; din har 5001."),
    ],
)
def test_bad_questions_are_refused_in_swedish_and_nothing_is_stored(
    client, group_world, data, message
):
    response = _ask(client, group_world, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_html_and_script_are_shown_as_text_or_cleaned(client, group_world):
    world = group_world
    _ask(
        client,
        world,
        title="<script>alert('rubrik')</script> Hur gör ni?",
        body=(
            "<script>alert('text')</script>\n\n"
            "<img src=x onerror=alert(1)> *kursiv* [länk](javascript:alert(1))"
        ),
    )
    question = Question.objects.get()
    client.force_login(world["olle"])
    page = client.get(reverse("network:question-detail", args=[question.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;rubrik&#x27;)&lt;/script&gt; Hur gör ni?" in page
    assert "alert('text')" not in page and "onerror" not in page
    assert 'href="javascript:' not in page and "<script>alert" not in page
    assert "<em>kursiv</em>" in page


def test_an_empty_answer_is_refused_in_swedish(client, group_world):
    question = _question(group_world)
    client.force_login(group_world["olle"])
    response = client.post(reverse("network:answer-create", args=[question.pk]), {"body": " "})
    assert response.status_code == 400
    assert "Skriv ditt svar innan du publicerar det." in response.content.decode()
    assert not Answer.objects.exists()


def test_answering_a_deleted_question_says_so_and_stores_nothing(client, group_world):
    world = group_world
    question = _question(world)
    services.question_delete(question=question, by=world["asker"])
    client.force_login(world["olle"])
    response = client.post(
        reverse("network:answer-create", args=[question.pk]), {"body": "Mitt svar"}, follow=True
    )
    assert "Frågan har tagits bort, så ditt svar sparades inte." in response.content.decode()
    assert not Answer.objects.exists()


def test_posting_to_a_group_one_has_left_says_so_and_stores_nothing(client, group_world):
    world = group_world
    question = _question(world)
    world["group"].members.remove(world["olle"])
    client.force_login(world["olle"])
    response = client.post(
        reverse("network:question-create", args=[world["group"].pk]),
        {"title": "En ny fråga"},
        follow=True,
    )
    assert "Du är inte längre med i den här nätverksgruppen, så inget publicerades." in (
        response.content.decode()
    )
    assert Question.objects.count() == 1
    # The question is no longer Olle's to see: he is not in the group.
    assert client.get(reverse("network:question-detail", args=[question.pk])).status_code == 404


def test_the_asker_who_left_still_reads_the_thread_but_cannot_answer(client, group_world):
    world = group_world
    question = _question(world)
    services.answer_create(question=question, author=world["olle"], body="Ett svar")
    world["group"].members.remove(world["asker"])
    client.force_login(world["asker"])
    page = client.get(reverse("network:question-detail", args=[question.pk])).content.decode()
    assert "Ett svar" in page
    assert "du kan läsa din fråga, men inte svara i den" in page
    response = client.post(
        reverse("network:answer-create", args=[question.pk]), {"body": "Tack!"}, follow=True
    )
    assert "Du är inte längre med i den här nätverksgruppen" in response.content.decode()
    assert Answer.objects.count() == 1
    # The group still sees the question with her name.
    client.force_login(world["pia"])
    listing = client.get(reverse("network:question-list", args=[world["group"].pk])).content
    assert "Maja Chef" in listing.decode()


def test_authors_edit_and_delete_their_own_posts_only(client, group_world):
    world = group_world
    question = _question(world)
    answer = services.answer_create(question=question, author=world["olle"], body="Första")
    client.force_login(world["pia"])
    assert client.get(reverse("network:question-edit", args=[question.pk])).status_code == 403
    assert client.get(reverse("network:answer-edit", args=[answer.pk])).status_code == 404

    client.force_login(world["olle"])
    client.post(reverse("network:answer-edit", args=[answer.pk]), {"body": "Ändrat svar"})
    answer.refresh_from_db()
    assert answer.body == "Ändrat svar" and answer.edited_at is not None
    client.post(reverse("network:answer-delete", args=[answer.pk]))
    assert not Answer.objects.exists()

    services.answer_create(question=question, author=world["pia"], body="Pias svar")
    client.force_login(world["asker"])
    client.post(
        reverse("network:question-edit", args=[question.pk]),
        {"title": "Ny rubrik", "body": "Ny text"},
    )
    question.refresh_from_db()
    assert question.title == "Ny rubrik" and question.edited_at is not None
    response = client.post(reverse("network:question-delete", args=[question.pk]), follow=True)
    assert "Din fråga och dess svar är borttagna." in response.content.decode()
    question.refresh_from_db()
    assert question.deleted_at and question.title == "" and question.body == ""
    assert not Answer.objects.exists()
    client.force_login(world["pia"])
    assert client.get(reverse("network:question-detail", args=[question.pk])).status_code == 404


def test_erasure_removes_the_name_and_the_post_stays_for_the_group(client, group_world):
    world = group_world
    question = _question(world, title="Hur gör ni med APT?")
    services.answer_create(question=question, author=world["asker"], body="Mitt eget tillägg")
    world["asker"].is_active = False
    world["asker"].save()
    person_erase(person=world["asker"], by=world["admin"])
    client.force_login(world["olle"])
    page = client.get(reverse("network:question-detail", args=[question.pk])).content.decode()
    assert "Hur gör ni med APT?" in page and "Mitt eget tillägg" in page
    assert "Maja Chef" not in page and "namn borttaget" in page


def test_newest_activity_first_paginated_with_an_empty_state(client, group_world):
    world = group_world
    client.force_login(world["olle"])
    url = reverse("network:question-list", args=[world["group"].pk])
    empty = client.get(url).content.decode()
    assert "Ingen har frågat gruppen något än." in empty
    questions = [_question(world, title=f"Fråga nummer {n}") for n in range(25)]
    services.answer_create(question=questions[0], author=world["pia"], body="Sent svar")
    first = client.get(url).content.decode()
    assert "25 frågor" in first
    assert first.index("Fråga nummer 0<") < first.index("Fråga nummer 24<")
    second = client.get(url, {"page": 2}).content.decode()
    assert "Fråga nummer 5<" in second and "Fråga nummer 24<" not in second


def test_my_group_links_to_the_groups_questions(client, group_world):
    client.force_login(group_world["olle"])
    page = client.get(reverse("programme:my-group")).content.decode()
    assert reverse("network:question-list", args=[group_world["group"].pk]) in page
    assert "Frågor i gruppen" in page


def test_query_counts_do_not_grow_with_questions_and_answers(client, group_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = group_world
    client.force_login(world["olle"])
    list_url = reverse("network:question-list", args=[world["group"].pk])

    def grow(count):
        for n in range(count):
            question = _question(world, title=f"Fråga {n}", includes_coach=bool(n % 2))
            for author in (world["pia"], world["olle"]):
                services.answer_create(question=question, author=author, body="Svar")
        return question

    def counted(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    question = grow(2)
    small = counted(list_url), counted(reverse("network:question-detail", args=[question.pk]))
    question = grow(20)
    large = counted(list_url), counted(reverse("network:question-detail", args=[question.pk]))
    assert small == large
