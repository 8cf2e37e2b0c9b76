"""The programme app's write path: what the pages do goes through these services, so the
admin, commands and tests share it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from programme import services
from programme.models import (
    DEFAULT_REPETITION_OFFSETS,
    Cohort,
    Module,
    ModuleLink,
    Programme,
    Theme,
)
from tests.factories import CoachFactory, CohortFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_a_new_programme_has_its_coaches_and_the_default_repetition_schedule(coach):
    programme = services.programme_create(
        name="Ledarskapsträning 2029",
        starts_on=date(2029, 1, 8),
        ends_on=date(2029, 12, 14),
        coaches=[coach],
    )

    programme.refresh_from_db()
    assert list(programme.coaches.all()) == [coach]
    assert programme.repetition_offsets == list(DEFAULT_REPETITION_OFFSETS)
    assert programme.inactivity_nudge is False


def test_a_programme_may_have_no_repetition_reminders(coach):
    programme = services.programme_create(
        name="Utan repetition",
        starts_on=date(2029, 1, 8),
        ends_on=date(2029, 12, 14),
        coaches=[coach],
        repetition_offsets=[],
    )

    programme.refresh_from_db()
    assert programme.repetition_offsets == []


def test_a_programme_that_ends_before_it_starts_is_refused_and_not_saved(coach):
    with pytest.raises(ValidationError) as error:
        services.programme_create(
            name="Baklänges",
            starts_on=date(2029, 12, 14),
            ends_on=date(2029, 1, 8),
            coaches=[coach],
        )

    assert "Programmet kan inte sluta innan det börjar." in error.value.messages
    assert not Programme.objects.filter(name="Baklänges").exists()


def test_a_programme_name_is_taken_once(coach):
    taken = ProgrammeFactory()

    with pytest.raises(ValidationError):
        services.programme_create(
            name=taken.name, starts_on=taken.starts_on, ends_on=taken.ends_on, coaches=[coach]
        )

    assert Programme.objects.filter(name=taken.name).count() == 1


def test_updating_a_programme_changes_its_fields_and_coaches(coach):
    programme = ProgrammeFactory(coaches=[coach])
    new_coach = CoachFactory()

    services.programme_update(
        programme=programme,
        name="Nytt namn",
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        description="Om programmet.",
        coaches=[new_coach],
        repetition_offsets=[2, 9],
        inactivity_nudge=True,
    )

    programme.refresh_from_db()
    assert (programme.name, programme.description) == ("Nytt namn", "Om programmet.")
    assert programme.repetition_offsets == [2, 9]
    assert programme.inactivity_nudge is True
    assert list(programme.coaches.all()) == [new_coach]


def test_a_training_group_name_is_taken_once_in_a_programme(coach):
    cohort = CohortFactory(name="Grupp Norr")

    with pytest.raises(ValidationError) as error:
        services.cohort_create(
            programme=cohort.programme,
            name="Grupp Norr",
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            coaches=[coach],
        )

    assert "Programmet har redan en träningsgrupp med det namnet." in error.value.messages
    assert Cohort.objects.filter(name="Grupp Norr").count() == 1


def test_a_new_training_group_has_its_coaches(coach):
    programme = ProgrammeFactory()

    cohort = services.cohort_create(
        programme=programme,
        name="Grupp Söder",
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        coaches=[coach],
    )

    assert cohort.programme == programme
    assert list(cohort.coaches.all()) == [coach]


def test_updating_a_training_group_keeps_its_programme(coach):
    cohort = CohortFactory(coaches=[coach])
    programme = cohort.programme

    services.cohort_update(
        cohort=cohort,
        name="Grupp Väst",
        starts_on=programme.starts_on,
        ends_on=date(2027, 6, 30),
        coaches=[],
    )

    cohort.refresh_from_db()
    assert (cohort.name, cohort.ends_on, cohort.programme) == (
        "Grupp Väst",
        date(2027, 6, 30),
        programme,
    )
    assert not cohort.coaches.exists()


def test_a_module_is_created_and_updated():
    programme = ProgrammeFactory()
    themes = Theme.objects.order_by("order")
    module = services.module_create(programme=programme, theme=themes[0], title="Trygg i sig själv")
    saved_at = Module.objects.get(pk=module.pk).updated_at

    services.module_update(
        module=module,
        theme=themes[1],
        title="Att leda andra",
        theory="Teori.",
        practice="",
        order=2,
    )

    module.refresh_from_db()
    assert (module.programme, module.theme, module.title) == (
        programme,
        themes[1],
        "Att leda andra",
    )
    assert (module.theory, module.order) == ("Teori.", 2)
    assert module.updated_at > saved_at


def test_a_link_is_added_and_removing_it_twice_is_harmless():
    programme = ProgrammeFactory()
    module = services.module_create(
        programme=programme, theme=Theme.objects.first(), title="Material"
    )

    link = services.module_link_add(module=module, title="Läs mer", url="https://kungsor.se/")
    services.module_link_remove(link=link)
    services.module_link_remove(link=link)

    assert not ModuleLink.objects.exists()


def test_a_link_that_is_not_a_web_address_is_refused():
    module = services.module_create(
        programme=ProgrammeFactory(), theme=Theme.objects.first(), title="Material"
    )

    with pytest.raises(ValidationError):
        services.module_link_add(module=module, title="Skript", url="javascript:alert(1)")

    assert not ModuleLink.objects.exists()


def test_a_framework_item_is_renamed_and_keeps_its_short_name():
    theme = Theme.objects.get(slug="leda-andra")

    services.framework_item_update(item=theme, name="Leda andra människor", description="Text.")

    theme.refresh_from_db()
    assert (theme.slug, theme.name, theme.description) == (
        "leda-andra",
        "Leda andra människor",
        "Text.",
    )


def test_a_framework_item_needs_a_description():
    theme = Theme.objects.get(slug="leda-andra")
    before = theme.description

    with pytest.raises(ValidationError):
        services.framework_item_update(item=theme, name="Leda andra", description="")

    assert Theme.objects.get(slug="leda-andra").description == before
