"""The programme form as HR fills it in: what a new programme gets unless someone changes it."""

from django.urls import reverse

from programme.models import Programme
from tests.support.forms import form_fields, submit


def _new_programme(client, coach, **changes):
    url = reverse("programme:programme-create")
    page = client.get(url).content.decode()
    response = submit(
        client,
        page,
        url,
        name="Ledarskapsträning 2029",
        starts_on="2029-01-08",
        ends_on="2029-12-18",
        coaches=[str(coach.pk)],
        **changes,
    )
    assert response.status_code == 302, response.content.decode()
    return Programme.objects.get(name="Ledarskapsträning 2029")


def test_a_new_programme_has_the_usual_repetition_steps_unless_changed(client, hr_user, coach):
    client.force_login(hr_user)

    page = client.get(reverse("programme:programme-create")).content.decode()

    assert form_fields(page)["repetition_offsets"] == ["1, 3, 7, 14, 30"]
    programme = _new_programme(client, coach)
    assert programme.repetition_offsets == [1, 3, 7, 14, 30]


def test_the_steps_of_a_new_programme_can_be_changed_or_emptied(client, hr_user, coach):
    client.force_login(hr_user)

    assert _new_programme(client, coach, repetition_offsets="").repetition_offsets == []
    Programme.objects.all().delete()
    assert _new_programme(client, coach, repetition_offsets="2, 9").repetition_offsets == [2, 9]


def test_a_saved_programme_shows_its_own_steps_not_the_defaults(client, hr_user, coach):
    client.force_login(hr_user)
    programme = _new_programme(client, coach, repetition_offsets="4")

    page = client.get(reverse("programme:programme-update", args=[programme.pk])).content.decode()

    assert form_fields(page)["repetition_offsets"] == ["4"]
