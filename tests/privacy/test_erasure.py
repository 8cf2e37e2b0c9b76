"""Erasure: afterwards no row in the database identifies the person; what the municipality
keeps (attendance, membership, repetitions, the access log) points at a user row that no
longer says who it was."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from privacy import erasure
from privacy.export import person_querysets
from privacy.models import ErasureRecord
from privacy.registry import REGISTRY
from reflections.models import Entry, Feedback
from sessions.models import Invitation
from tests.privacy.conftest import EMAIL, IP, NAME, TITLE, WROTE


def _text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public'
              AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'inet')
            ORDER BY table_name, column_name
            """
        )
        return cursor.fetchall()


def _find_anywhere(needle: str) -> list[str]:
    """Every table and column, in the whole database, whose value contains `needle`."""
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def _erase_as(client, admin_user, person):
    client.force_login(admin_user)
    return client.post(
        reverse("privacy:person-erase", args=[person.pk]), {"confirm_email": person.email}
    )


def test_after_erasure_no_row_identifies_them(client, everywhere, admin_user):
    person, _colleague, _made = everywhere
    person.is_active = False
    person.save()
    identifying = [EMAIL, NAME, TITLE, IP, *WROTE]
    assert all(_find_anywhere(needle) for needle in identifying)  # the search can find them

    response = _erase_as(client, admin_user, person)

    assert response.status_code == 302
    left = {needle: _find_anywhere(needle) for needle in identifying}
    assert left == {needle: [] for needle in identifying}
    person.refresh_from_db()
    assert person.full_name == "Raderad person"
    assert person.email.endswith("@anonymiserad.invalid")
    assert person.department_id is None and person.title == ""
    assert not person.has_usable_password() and not person.is_active
    assert not person.groups.exists()


def test_what_is_deleted_is_gone_and_what_is_kept_points_at_nobody_known(
    client, everywhere, admin_user
):
    person, colleague, made = everywhere
    person.is_active = False
    person.save()

    _erase_as(client, admin_user, person)

    for label, (about, _mentions) in person_querysets(person).items():
        action = erasure.ACTIONS[label]
        if action == erasure.DELETE:
            assert not about.exists(), label
    # The attendance stays, for the statistics, without the förhinder comment.
    kept = Invitation.objects.get(pk=made["training_sessions.Invitation"][0].pk)
    assert kept.user_id == person.pk and kept.attendance == "franvarande"
    assert kept.excuse_comment == ""
    # The colleague's data is untouched: their journal, the feedback the person gave them,
    # their own förhinder comment.
    assert Entry.objects.filter(author=colleague).count() == 1
    assert Feedback.objects.get(coach=person).text == "Bra tänkt!"
    assert Invitation.objects.get(user=colleague).excuse_comment == "Kollegans eget förhinder"
    record = ErasureRecord.objects.get(person_id=person.pk)
    assert record.erased_by == admin_user and record.reason == "begaran"
    assert record.counts["reflections.Entry"] == 1
    assert record.counts["notifications.OutboxMessage"] == 2


def test_every_model_with_people_has_an_erasure_action(db):
    without = [
        label
        for label, entry in REGISTRY.items()
        if (entry.subject or entry.mentions or "personal" in entry.fields().values())
        and label not in erasure.ACTIONS
        and label != "privacy.DeletionRecord"
    ]
    assert without == []


def test_every_relation_to_a_person_is_a_subject_or_a_mention():
    user_model = get_user_model()
    problems = []
    for model in apps.get_models():
        entry = REGISTRY[model._meta.label]
        declared = {
            lookup.split("__")[0] for lookup in (entry.subject + " " + entry.mentions).split()
        }
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            is_person = field.is_relation and field.related_model is user_model
            if is_person and field.name not in declared:
                problems.append(f"{model._meta.label}.{field.name}")
    assert problems == []


def test_erasure_refuses_active_people_oneself_and_a_wrong_address(client, everywhere, admin_user):
    person, _colleague, _made = everywhere
    client.force_login(admin_user)
    url = reverse("privacy:person-erase", args=[person.pk])

    active = client.post(url, {"confirm_email": person.email})
    assert active.status_code == 400
    assert "Personen är fortfarande aktiv" in active.content.decode()

    person.is_active = False
    person.save()
    wrong = client.post(url, {"confirm_email": "nagon.annan@kungsor.se"})
    assert wrong.status_code == 400
    assert "Det är inte personens e-postadress. Inget raderades." in wrong.content.decode()

    own = client.post(
        reverse("privacy:person-erase", args=[admin_user.pk]), {"confirm_email": admin_user.email}
    )
    assert own.status_code == 400
    assert "Du kan inte radera dig själv" in own.content.decode()

    person.refresh_from_db()
    assert person.email == EMAIL and person.full_name == NAME
    assert Entry.objects.filter(author=person).exists()
    assert not ErasureRecord.objects.filter(person_id=person.pk).exists()


def test_only_administrators_may_erase(client, everywhere, hr_user, coach):
    person, _colleague, _made = everywhere
    person.is_active = False
    person.save()
    for someone in (hr_user, coach):
        client.force_login(someone)
        response = client.post(
            reverse("privacy:person-erase", args=[person.pk]), {"confirm_email": person.email}
        )
        assert response.status_code == 403
    person.refresh_from_db()
    assert person.email == EMAIL


def test_the_confirmation_page_says_what_happens(client, everywhere, admin_user):
    person, _colleague, _made = everywhere
    person.is_active = False
    person.save()
    client.force_login(admin_user)

    html = client.get(reverse("privacy:person-erase", args=[person.pk])).content.decode()

    assert "Raderas" in html and "Behålls anonymiserat" in html
    assert "Skriv personens e-postadress för att bekräfta" in html
