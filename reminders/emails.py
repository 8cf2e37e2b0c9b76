"""The day's reminder email: everything due to one person, in their language, no journal text."""

from datetime import date
from email.utils import parseaddr
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations import selectors as evaluations
from evaluations.models import Answer
from notifications.unsubscribe import unsubscribe_headers, unsubscribe_url
from reflections.models import Prompt
from reminders import network
from reminders.models import Reminder

Kind = Reminder.Kind

# The session's evaluation rides along in the repetition emails of these steps while it is
# open and unanswered: the first email after the session, and once more in the next.
EVALUATION_STEPS = (1, 2)


class _Links:
    """The portal's addresses for a batch of emails, each path reversed once per batch."""

    def __init__(self) -> None:
        self._paths: dict[tuple, str] = {}

    def __call__(self, name: str, *args, query: dict | None = None) -> str:
        path = self._paths.get((name, args))
        if path is None:
            path = self._paths[(name, args)] = reverse(name, args=args)
        url = settings.SITE_URL + path
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


class _Prompts:
    """The coaches' reflection questions for a batch: the newest for each session, and the
    newest for each theme that belongs to no session."""

    def __init__(self, sessions) -> None:
        self.by_session, self.by_theme = {}, {}
        session_ids = {s.pk for s in sessions}
        theme_ids = {s.theme_id for s in sessions if s.theme_id}
        if session_ids:
            for prompt in Prompt.objects.filter(session_id__in=session_ids).order_by(
                "-created_at", "-pk"
            ):
                self.by_session.setdefault(prompt.session_id, prompt)
        if theme_ids:
            for prompt in Prompt.objects.filter(
                theme_id__in=theme_ids, session__isnull=True
            ).order_by("-created_at", "-pk"):
                self.by_theme.setdefault(prompt.theme_id, prompt)

    def question_for(self, reminder: Reminder) -> tuple[str, int | None]:
        """One reflection question: the coach's for the session, else for its theme, else
        ours."""
        session = reminder.session
        prompt = self.by_session.get(session.pk) or self.by_theme.get(session.theme_id)
        if prompt:
            return prompt.question, prompt.pk
        return _default_question(reminder.step), None


def _asks_evaluation(reminder: Reminder, answered: set) -> bool:
    if reminder.kind != Kind.REPETITION or reminder.step not in EVALUATION_STEPS:
        return False
    # The planner reads it with the reminder (reminders.planner._due_by_person).
    already = getattr(reminder, "evaluation_answered", None)
    if already is None:
        already = (reminder.user_id, reminder.session_id) in answered
    return not already and evaluations.is_open(reminder.session)


def _item(
    reminder: Reminder, steps_in_session: dict, prompts: _Prompts, url: _Links, answered: set
) -> dict:
    item = {"kind": reminder.kind, "reminder": reminder, "session": reminder.session}
    if reminder.kind == Kind.SESSION:
        item["session_url"] = url("training_sessions:session-detail", reminder.session_id)
        item["calendar_url"] = url("training_sessions:feed-settings")
    elif reminder.kind in (Kind.REPETITION, Kind.REPROMPT):
        question, prompt_id = prompts.question_for(reminder)
        query = {"traff": reminder.session_id}
        if prompt_id:
            query["fraga"] = prompt_id
        item.update(
            step=reminder.step,
            steps=steps_in_session.get(reminder.session_id, reminder.step),
            question=question,
            repeat_url=url("reflections:repeat", reminder.session_id),
            write_url=url("reflections:entry-create", query=query),
        )
        if _asks_evaluation(reminder, answered):
            item["evaluate_url"] = url("evaluations:evaluate", reminder.session_id)
            item["evaluation_closes"] = evaluations.closes_at(reminder.session)
    elif reminder.kind == Kind.COMMITMENT:
        item["follow_up_url"] = url("reflections:commitment-follow-up", reminder.commitment_id)
    elif reminder.kind == Kind.NUDGE:
        item["write_url"] = url("reflections:entry-create")
    elif reminder.kind == Kind.SURVEY:
        item.update(
            survey=reminder.survey,
            step=reminder.step,
            survey_url=url("evaluations:survey-answer", reminder.survey_id),
        )
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
    if item["kind"] == Kind.NETWORK:
        return _("New in your network group")
    if item["kind"] == Kind.SURVEY:
        return _("What has the training given you? %(title)s") % {"title": item["survey"].title}
    return _("A moment for reflection?")


def reminder_emails(
    recipients: list[tuple[object, list[Reminder]]], *, day: date
) -> list[EmailMultiAlternatives]:
    """One email per (user, reminders due to them on `day`), in that order; what the emails
    need from the database is fetched once for the whole batch."""
    repeated = [
        r
        for _, reminders in recipients
        for r in reminders
        if r.kind in (Kind.REPETITION, Kind.REPROMPT)
    ]
    steps: dict[int, dict[int, int]] = {}
    for user_id, session_id, count in (
        Reminder.objects.filter(
            user_id__in={r.user_id for r in repeated},
            kind=Kind.REPETITION,
            session_id__in={r.session_id for r in repeated},
        )
        .values_list("user_id", "session_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        steps.setdefault(user_id, {})[session_id] = count
    prompts = _Prompts({r.session for r in repeated})
    asked = [
        r
        for r in repeated
        if r.kind == Kind.REPETITION
        and r.step in EVALUATION_STEPS
        and not hasattr(r, "evaluation_answered")
    ]
    answered = (
        set(
            Answer.objects.filter(
                respondent_id__in={r.user_id for r in asked},
                session_id__in={r.session_id for r in asked},
            ).values_list("respondent_id", "session_id")
        )
        if asked
        else set()
    )
    url = _Links()
    network_items = network.email_items(
        [r for _, reminders in recipients for r in reminders if r.kind == Kind.NETWORK],
        timezone.now(),
        url,
    )
    text_template = get_template("reminders/email/reminders.txt")
    html_template = get_template("reminders/email/reminders.html")
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    emails = []
    for user, reminders in recipients:
        unsubscribe = unsubscribe_url(user)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            items = _with_network(
                [_item(r, steps.get(user.pk, {}), prompts, url, answered) for r in reminders],
                network_items,
            )
            context = {
                "user": user,
                "items": items,
                "settings_url": url("reminders:settings"),
                "unsubscribe_url": unsubscribe,
            }
            subject = _subject(items)
            text = text_template.render(context)
            html = html_template.render(context | {"subject": subject})
        headers = unsubscribe_headers(user, url=unsubscribe) | {
            # The same Message-ID on every attempt, so a receiver can recognise a repeat.
            "Message-ID": f"<reminders.{user.pk}.{day.isoformat()}@{domain}>",
            "Auto-Submitted": "auto-generated",
        }
        email = EmailMultiAlternatives(subject=subject, body=text, to=[user.email], headers=headers)
        email.attach_alternative(html, "text/html")
        emails.append(email)
    return emails


def _with_network(items: list[dict], network_items: dict) -> list[dict]:
    """The network group's news as one item of the email, whatever the number of network
    reminders due (two planners may have planned one each)."""
    result, seen = [], False
    for item in items:
        if item["kind"] == Kind.NETWORK:
            if seen:
                continue
            seen = True
            item.update(network_items[item["reminder"].pk])
        result.append(item)
    return result
