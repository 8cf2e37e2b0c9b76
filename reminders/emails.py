"""The day's reminder email: everything due to one person, in their language, no journal text."""

from datetime import date
from email.utils import parseaddr
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.unsubscribe import unsubscribe_headers, unsubscribe_url
from reflections.models import Prompt
from reminders.models import Reminder

Kind = Reminder.Kind


def _url(name: str, *args, query: dict | None = None) -> str:
    url = settings.SITE_URL + reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _default_question(step: int) -> str:
    questions = [
        _("What from the session have you already tried in your everyday work?"),
        _("Which situation this week would have gone differently with what you learnt?"),
        _("What do you want to do more of, and what less, after the session?"),
        _("How did your staff notice what you took with you from the session?"),
        _("Looking back: what has stayed with you, and what will you keep practising?"),
    ]
    return questions[(max(step, 1) - 1) % len(questions)]


def _prompt_for(reminder: Reminder) -> tuple[str, int | None]:
    """One reflection question: the coach's for the session, else for its theme, else ours."""
    session = reminder.session
    prompt = (
        Prompt.objects.filter(session=session).order_by("-created_at").first()
        or (
            session.theme_id
            and Prompt.objects.filter(theme_id=session.theme_id, session__isnull=True)
            .order_by("-created_at")
            .first()
        )
        or None
    )
    if prompt:
        return prompt.question, prompt.pk
    return _default_question(reminder.step), None


def _item(reminder: Reminder, steps_in_session: dict) -> dict:
    item = {"kind": reminder.kind, "reminder": reminder, "session": reminder.session}
    if reminder.kind == Kind.SESSION:
        item["session_url"] = _url("training_sessions:session-detail", reminder.session_id)
        item["calendar_url"] = _url("training_sessions:feed-settings")
    elif reminder.kind in (Kind.REPETITION, Kind.REPROMPT):
        question, prompt_id = _prompt_for(reminder)
        query = {"traff": reminder.session_id}
        if prompt_id:
            query["fraga"] = prompt_id
        item.update(
            step=reminder.step,
            steps=steps_in_session.get(reminder.session_id, reminder.step),
            question=question,
            repeat_url=_url("reflections:repeat", reminder.session_id),
            write_url=_url("reflections:entry-create", query=query),
        )
    elif reminder.kind == Kind.COMMITMENT:
        item["follow_up_url"] = _url("reflections:commitment-follow-up", reminder.commitment_id)
    elif reminder.kind == Kind.NUDGE:
        item["write_url"] = _url("reflections:entry-create")
    return item


def _subject(items: list[dict]) -> str:
    if len(items) > 1:
        return ngettext(
            "%(count)d reminder from Ledarskapsportalen",
            "%(count)d reminders from Ledarskapsportalen",
            len(items),
        ) % {"count": len(items)}
    item = items[0]
    if item["kind"] == Kind.SESSION:
        return _("Tomorrow: %(title)s") % {"title": item["session"].title}
    if item["kind"] in (Kind.REPETITION, Kind.REPROMPT):
        return _("Time to repeat: %(title)s") % {"title": item["session"].title}
    if item["kind"] == Kind.COMMITMENT:
        return _("Follow up your commitment today")
    return _("A moment for reflection?")


def reminder_email(user, reminders: list[Reminder], *, day: date) -> EmailMultiAlternatives:
    """One email with every reminder due to `user` on `day`."""
    session_ids = {r.session_id for r in reminders if r.kind in (Kind.REPETITION, Kind.REPROMPT)}
    steps_in_session = dict(
        Reminder.objects.filter(user=user, kind=Kind.REPETITION, session_id__in=session_ids)
        .values_list("session_id")
        .annotate(n=Count("pk"))
    )
    with translation.override(user.language or settings.LANGUAGE_CODE):
        items = [_item(r, steps_in_session) for r in reminders]
        context = {
            "user": user,
            "items": items,
            "settings_url": _url("reminders:settings"),
            "unsubscribe_url": unsubscribe_url(user),
        }
        subject = _subject(items)
        text = render_to_string("reminders/email/reminders.txt", context)
        html = render_to_string("reminders/email/reminders.html", context | {"subject": subject})
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    headers = unsubscribe_headers(user) | {
        # The same Message-ID on every attempt, so a receiver can recognise a repeat.
        "Message-ID": f"<reminders.{user.pk}.{day.isoformat()}@{domain}>",
        "Auto-Submitted": "auto-generated",
    }
    email = EmailMultiAlternatives(subject=subject, body=text, to=[user.email], headers=headers)
    email.attach_alternative(html, "text/html")
    return email
