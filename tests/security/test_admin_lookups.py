"""The admin never filters, searches or sorts on what an administrator must not read.

Whether a row appears in a filtered list answers a guess about the filtered field, so a list
that shows no journal text must not take `?body__regex=^A` either. For every ModelAdmin on the
site, third-party ones included, every path to a field the privacy registry calls sensitive
(journal text, commitments, feedback, ratings, passwords, two-step secrets, health figures),
on the model itself and through up to two relations, is refused; and the lists' own filter,
sorting and facet links, which the rule must not break, all answer.
"""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from privacy.registry import REGISTRY, SENSITIVE
from reminders.models import Reminder
from reports.models import SickLeaveFigure
from tests.factories import EnhetFactory
from tests.world import SENTINEL

LOOKUPS = ("", "__exact", "__icontains", "__regex", "__startswith", "__isnull")
HOPS = 2


def _sensitive(model) -> set[str]:
    entry = REGISTRY.get(model._meta.label)
    if entry is None:
        return set()
    return {name for name, level in entry.fields().items() if level == SENSITIVE}


def _relations(model):
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model is not None:
            yield field.name, field.related_model


def _private_paths(model, hops: int = HOPS, prefix: str = "") -> set[str]:
    paths = {prefix + name for name in _sensitive(model)}
    if hops:
        for name, related in _relations(model):
            paths |= _private_paths(related, hops - 1, f"{prefix}{name}__")
    return paths


def _registered():
    return [
        (model, admin.site.get_model_admin(model))
        for model in apps.get_models()
        if admin.site.is_registered(model)
    ]


REGISTERED = _registered()
IDS = [model._meta.label for model, _ in REGISTERED]


def _touches_private(model, path: str) -> bool:
    """Whether an ORM path (fields, then perhaps lookups) passes a sensitive field."""
    for part in path.split("__"):
        if part in _sensitive(model):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


def test_the_private_paths_cover_the_journal_from_every_side():
    """The walk reaches what matters, so the tests below are not vacuous."""
    from accounts.models import User
    from reflections.models import Entry

    assert {"body", "title"} <= _private_paths(Entry)
    assert {"journal_entries__body", "commitments__text", "password"} <= _private_paths(User)
    assert len(REGISTERED) >= 20


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_no_admin_list_accepts_a_lookup_on_a_private_field(model, model_admin, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    accepted = [
        path + lookup
        for path in sorted(_private_paths(model))
        for lookup in LOOKUPS
        if model_admin.lookup_allowed(path + lookup, "x", request)
    ]
    assert accepted == []


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_no_admin_list_declares_a_private_field(model, model_admin, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    named = [model_admin.date_hierarchy or ""]
    named += [f.lstrip("^=@") for f in model_admin.get_search_fields(request)]
    named += [f.lstrip("-") for f in model_admin.get_ordering(request) or ()]
    for item in model_admin.get_list_filter(request):
        if isinstance(item, str | tuple | list):
            named.append(item[0] if isinstance(item, tuple | list) else item)
    for item in model_admin.get_list_display(request):
        if isinstance(item, str):
            attribute = getattr(model_admin, item, None)
            named.append(getattr(attribute, "admin_order_field", None) or item)
    assert [name for name in named if name and _touches_private(model, name)] == []


@pytest.fixture
def world(world):
    """The test world, with a row in each admin list it lacks."""
    people = world["people"]
    now = timezone.now()
    AccessAttempt.objects.create(
        username="chef@example.invalid",
        ip_address="192.0.2.1",
        user_agent="test",
        path_info="/konto/logga-in/",
        failures_since_start=2,
        get_data="",
        post_data="",
        http_accept="text/html",
    )
    OutboxMessage.objects.create(
        idempotency_key="test-admin-lookups",
        to=[people["manager_a"].email],
        subject="Påminnelse",
        body_text="Hej",
        recipient_user=people["manager_a"],
    )
    Reminder.objects.create(
        key="test-admin-lookups",
        user=people["manager_a"],
        kind=Reminder.Kind.REPETITION,
        session=world["sides"]["a"]["held"],
        step=1,
        offset_days=1,
        base_on=date.today() - timedelta(days=1),
        due_at=now,
    )
    unit = EnhetFactory()
    for months in (0, 1):
        SickLeaveFigure.objects.create(
            department=unit,
            month=date(2027, 1 + months, 1),
            employees=12,
            scheduled_hours=1000,
            sick_hours=41,
            source=world["sick_leave_import"],
        )
    return world


def _links(html: str) -> set[str]:
    return {unescape(href) for href in re.findall(r'href="(\?[^"]*)"', html)}


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_every_admin_list_refuses_private_lookups_and_answers_its_own_links(
    client, world, model, model_admin
):
    client.force_login(world["people"]["admin"])
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    page = client.get(url)
    assert page.status_code == 200
    for path in sorted(_private_paths(model)):
        guessed = client.get(url, {f"{path}__regex": "^A"})
        assert guessed.status_code == 400, path
        assert SENTINEL.encode() not in guessed.content

    for query in sorted(_links(page.content.decode()) | {"?_facets=True"}):
        followed = client.get(url + query)
        assert followed.status_code == 200, query
        assert SENTINEL.encode() not in followed.content


def test_a_filter_link_of_the_journal_list_still_narrows_it(client, world):
    """The rule keeps the admin's own filters working, with their effect."""
    client.force_login(world["people"]["admin"])
    url = reverse("admin:reflections_entry_changelist")
    today = date.today()
    tomorrow = today + timedelta(days=1)
    narrowed = client.get(
        url, {"written_on__gte": today.isoformat(), "written_on__lt": tomorrow.isoformat()}
    )
    assert narrowed.status_code == 200
    assert narrowed.context["cl"].result_count == 4
    assert client.get(url, {"body__icontains": "a"}).status_code == 400
    assert client.get(url, {"author__journal_entries__body__regex": "^A"}).status_code == 400


def test_people_list_counts_facets_for_the_forvaltning_filter(client, world):
    """`?_facets=True` counted the förvaltning filter with its ids as numbers, and the
    filter took them for text (500)."""
    client.force_login(world["people"]["admin"])
    url = reverse("admin:accounts_user_changelist")
    response = client.get(url, {"_facets": "True"})
    assert response.status_code == 200
    forvaltning = world["people"]["manager_a"].department.parent
    filtered = client.get(url, {"_facets": "True", "forvaltning": str(forvaltning.pk)})
    assert filtered.status_code == 200
    assert world["people"]["manager_a"].email in filtered.content.decode()
    assert client.get(url, {"forvaltning": "x"}).context["cl"].result_count == 0
