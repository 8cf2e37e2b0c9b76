"""Subjects and plain-text parts are text, not HTML: `& < > " '` arrive as typed.

Read as a mail client reads them: sent to a real SMTP server and parsed with Python's
email parser (policy=default), the calendar attachment with vobject.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.template import engines
from django.template.base import VariableNode
from django.template.defaulttags import AutoEscapeControlNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode

from notifications import services as outbox
from notifications.models import OutboxMessage
from sessions import services
from tests.factories import CoachFactory, CohortFactory, ManagerFactory, ProgrammeFactory
from tests.support.calendar_readers import read_with_vobject
from tests.training_sessions.conftest import at, session_data

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
TITLE = """Mod & tydlighet <del 1> "Modigt" 'engagerande'"""
PROGRAMME = """Chef & ledare <2027> "Kungsör" 'steg 2'"""
ESCAPES = ("&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#39;")


@pytest.fixture
def deliver_to_sink(settings, smtp_sink):
    settings.NOTIFICATIONS_DELIVERY_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    return smtp_sink


def _deliver_all() -> None:
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("pk")
    for pk in pending.values_list("pk", flat=True):
        assert outbox.outbox_deliver(message_id=pk) == OutboxMessage.Status.SENT


def _plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.mark.django_db
def test_invitation_update_and_cancellation_show_titles_as_typed(deliver_to_sink):
    coach = CoachFactory()
    invitee = ManagerFactory(email="tecken@kungsor.test", full_name="Åsa O'Brien & Co")
    cohort = CohortFactory(
        coaches=[coach], members=[invitee], programme=ProgrammeFactory(name=PROGRAMME)
    )
    data = session_data(
        cohort=cohort,
        coaches=[coach],
        starts_at=at(2027, 4, 7, 13),
        ends_at=at(2027, 4, 7, 16),
        title=TITLE,
        place="Rum <A> & B",
    )
    session = services.session_create(data=data, created_by=coach)
    services.session_update(session=session, data=data)
    services.session_cancel(session=session, undo_window=timedelta(0))  # sent at once

    _deliver_all()
    messages = deliver_to_sink.wait_for(invitee.email, count=3)

    # (A long subject is folded after "Subject:"; unfolding leaves a space, which clients drop.)
    assert [m["Subject"].strip() for m in messages] == [
        f"Inbjudan: {TITLE} 7 april",
        f"Ändrad: {TITLE} 7 april",
        f"Inställd: {TITLE} 7 april",
    ]
    for message in messages:
        text = _plain(message).replace("\r\n", "\n")
        assert "Hej Åsa," in text
        assert f"\n{TITLE}\n" in text
        assert f"Program: {PROGRAMME}\n" in text
        assert "Plats: Rum <A> & B" in text
        assert not [escape for escape in ESCAPES if escape in text + str(message["Subject"])]
        # The HTML part escapes, as HTML must.
        html = _html(message)
        assert "Mod &amp; tydlighet &lt;del 1&gt;" in html
        assert "Chef &amp; ledare &lt;2027&gt;" in html
        assert "<del 1>" not in html
        [ics] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        _, [event] = read_with_vobject(ics.get_payload(decode=True))
        assert event.summary == TITLE


@pytest.mark.django_db
def test_an_html_only_email_gets_a_text_part_without_entities(deliver_to_sink):
    message = EmailMessage(
        "Tom & Jerry <3", "<p>Tom &amp; Jerry &lt;3 &quot;ja&quot;</p>", None, ["h@kungsor.test"]
    )
    message.content_subtype = "html"
    message.send()

    _deliver_all()
    [received] = deliver_to_sink.wait_for("h@kungsor.test")

    assert received["Subject"] == "Tom & Jerry <3"
    assert _plain(received).strip() == 'Tom & Jerry <3 "ja"'


def _email_text_templates() -> list[str]:
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(str(p.relative_to(root)) for p in root.glob("*/email/*.txt"))


def _output_nodes(nodelist) -> list:
    return [
        node
        for kind in (VariableNode, TranslateNode, BlockTranslateNode)
        for node in nodelist.get_nodes_by_type(kind)
    ]


@pytest.mark.parametrize("name", _email_text_templates())
def test_every_text_email_template_renders_without_html_escaping(name):
    """Each subject and plain-text template puts everything it outputs inside
    {% autoescape off %}, as Django's own password-reset emails do."""
    nodelist = engines["django"].get_template(name).template.nodelist
    unescaped = {
        id(node)
        for block in nodelist.get_nodes_by_type(AutoEscapeControlNode)
        if not block.setting
        for node in _output_nodes(block.nodelist)
    }

    escaped = [str(node) for node in _output_nodes(nodelist) if id(node) not in unescaped]

    assert escaped == []
