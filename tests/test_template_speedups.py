"""The template helpers written for speed give what the slower ways give: {% pk_url %} what
{% url %} does, {{ session|when }} what training_sessions/_session_when.html does, and
{% memo %} a fragment per set of keys."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation

from sessions.models import TrainingSession

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def _int_views(resolver=None, namespace=""):
    """Every named view whose path takes only integers, with how many."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _int_views(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            if converters and all(type(c).__name__ == "IntConverter" for c in converters.values()):
                yield f"{namespace}{pattern.name}", len(converters)


def test_pk_url_gives_what_url_gives_for_every_view_taking_ids():
    views = list(_int_views())
    assert ("training_sessions:session-detail", 1) in views
    assert ("programme:member-end", 2) in views
    for name, count in views:
        for ids in ([1] * count, list(range(7, 7 + count)), [123456789] * count):
            args = " ".join(str(i) for i in ids)
            ours = _render(f"{{% load portal_urls %}}{{% pk_url '{name}' {args} %}}")
            djangos = _render(f"{{% url '{name}' {args} %}}")
            assert ours == djangos, name


def test_pk_url_with_something_else_than_ids_is_left_to_reverse():
    assert _render("{% load portal_urls %}{% pk_url 'reflections:entry-edit' '12' %}") == (
        _render("{% url 'reflections:entry-edit' '12' %}")
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_when_gives_what_the_include_gives(language):
    starts = [
        datetime(2026, 3, 29, 0, 30, tzinfo=STOCKHOLM),  # the night clocks go forward
        datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("UTC")),  # and back
        datetime(2026, 12, 31, 23, 0, tzinfo=ZoneInfo("UTC")),  # a new year in Sweden
        datetime(2027, 6, 7, 9, 5, tzinfo=STOCKHOLM),
    ]
    with translation.override(language), timezone.override(STOCKHOLM):
        for start in starts:
            session = TrainingSession(starts_at=start, ends_at=start + timedelta(hours=2))
            ours = _render("{% load session_when %}{{ session|when }}", session=session)
            include = _render(
                '{% include "training_sessions/_session_when.html" %}', session=session
            )
            assert ours == include.strip()


def test_memo_keeps_one_fragment_per_set_of_keys_and_language():
    template = engines["django"].from_string(
        "{% load i18n portal_memo %}{% memo role %}{{ role }} {{ name }} "
        "{% translate 'Schedule' %}{% endmemo %}"
    )
    with translation.override("sv"):
        assert template.render({"role": "coach", "name": "Karin"}) == "coach Karin Schema"
        # The same keys: the fragment as first rendered (nothing outside the keys belongs in it).
        assert template.render({"role": "coach", "name": "Maja"}) == "coach Karin Schema"
        assert template.render({"role": "hr", "name": "Hanna"}) == "hr Hanna Schema"
    with translation.override("en"):
        assert template.render({"role": "coach", "name": "Karin"}) == "coach Karin Schedule"


@pytest.mark.django_db
def test_the_kept_menu_follows_role_and_page_and_the_sign_out_button_the_person(client):
    from django.urls import reverse

    from tests.factories import CoachFactory, ManagerFactory

    first, second = ManagerFactory(full_name="Asta Först"), ManagerFactory(full_name="Berit Sist")
    coach = CoachFactory(full_name="Karin Tränare")
    journal, sessions = reverse("reflections:journal"), reverse("training_sessions:my-sessions")
    for person, path, current in ((first, journal, journal), (second, journal, journal)):
        client.force_login(person)
        page = client.get(path).content.decode()
        assert f'<span class="visually-hidden">{person.get_short_name()}</span>' in page
        assert page.count('aria-current="page"') == 1
        assert f'href="{current}" aria-current="page"' in page
    page = client.get(sessions).content.decode()
    assert f'href="{sessions}" aria-current="page"' in page
    assert f'href="{journal}" aria-current' not in page
    client.force_login(coach)
    page = client.get(reverse("training_sessions:schedule")).content.decode()
    assert f'href="{journal}"' not in page
    assert reverse("reflections:shared-list") in page
    assert "Karin" in page and "Berit" not in page
