"""templates/_partials/_form.html lays a form out as crispy-bootstrap5 does: the same
elements, attributes, labels, help texts and errors, for every form that uses it, blank and
with errors. (Differences allowed: white space; crispy's second CSRF field, which the page
already has; and an option's own class, which crispy writes as a second class attribute
that browsers ignore and the lean template adds to the first.)"""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.template import engines
from django.utils import timezone

from programme.forms import MemberAddForm, NetworkRoundForm
from programme.models import Cohort
from reflections.forms import EntryForm, JournalSearchForm
from sessions import services as session_services
from sessions.forms import AttendanceForm, ExcuseForm
from sessions.models import Invitation
from tests.factories import CohortFactory, ManagerFactory
from tests.training_sessions.conftest import session_data

pytestmark = pytest.mark.django_db


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        merged = {}
        for name, value in attrs:
            if name == "class" and name in merged:
                merged[name] = f"{merged[name]} {value}"
            else:
                merged[name] = value
        if tag == "input" and merged.get("name") == "csrfmiddlewaretoken":
            return
        if "class" in merged:
            merged["class"] = " ".join(sorted((merged["class"] or "").split()))
        self.items.append(("<", tag, sorted(merged.items(), key=lambda kv: kv[0])))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.items.append((">", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", " ".join(data.split())))


def _elements(html: str) -> list:
    parser = _Elements()
    parser.feed(html)
    return parser.items


def _both(form) -> tuple[list, list]:
    template = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")
    context = {"form": form, "csrf_token": "token"}
    assert form.helper.template == "_partials/_form.html"
    lean = template.render(context)
    form.helper.template = None  # crispy-bootstrap5's own templates
    crispy = template.render(context)
    return _elements(lean), _elements(crispy)


def _forms(manager, coach):
    cohort = CohortFactory(coaches=[coach], members=[manager, ManagerFactory()])
    other = CohortFactory(programme=cohort.programme, coaches=[coach])
    start = timezone.now() + timedelta(days=3)
    session = session_services.session_create(
        data=session_data(
            cohort=cohort, coaches=[coach], starts_at=start, ends_at=start + timedelta(hours=2)
        ),
        created_by=coach,
    )
    invitations = list(Invitation.objects.filter(session=session).select_related("user"))
    assert len(invitations) == 2
    invitations[1].excused_at = timezone.now()
    cohorts = Cohort.objects.filter(pk__in=[cohort.pk, other.pk])
    today = timezone.localdate()
    yield EntryForm(user=manager)
    yield EntryForm(
        {"title": "x" * 300, "written_on": "", "rate_modigt": "2", "keywords": ["999"]},
        user=manager,
    )
    yield JournalSearchForm(None, user=manager)
    yield JournalSearchForm({"since": "inte ett datum", "q": "ledarskap"}, user=manager)
    yield AttendanceForm(invitations=invitations)
    yield AttendanceForm({f"user_{invitations[0].user_id}": "fel"}, invitations=invitations)
    yield ExcuseForm()
    yield ExcuseForm({"comment": "x" * 600})
    yield MemberAddForm(cohort=cohort)
    yield MemberAddForm({"joined_on": str(today - timedelta(days=1))}, cohort=other)
    yield NetworkRoundForm(cohorts=cohorts, initial={"cohorts": [cohort.pk], "name": "Runda"})
    yield NetworkRoundForm({"name": ""}, cohorts=cohorts)


def test_the_lean_template_lays_out_every_form_as_crispy_does(manager, coach):
    for form in _forms(manager, coach):
        if form.is_bound:
            assert not form.is_valid()
        lean, crispy = _both(form)
        assert lean == crispy, type(form).__name__
