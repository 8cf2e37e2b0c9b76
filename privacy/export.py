"""One person's data, from every model in the privacy registry: the register extract
(registerutdrag, GDPR article 15) and the portable copy (article 20).

A row *about* the person (its `subject` relation points at them) comes with all its fields; a
row that only *mentions* them comes without other people's personal fields. Fields the
registry marks `never_exported` (credentials, codes, email bodies that can hold a one-time link) are
never exported. For an administrator answering a request, what the person wrote in their
journal is withheld: the journal is the author's alone, and they export it themselves.
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy import readable
from privacy.readable import Shown
from privacy.registry import REGISTRY

# Credentials, codes and what can carry a one-time link: never exported, not even to the
# person. The registry marks them; nothing here names a field.
EXCLUDED = {label: entry.secrets() for label, entry in REGISTRY.items() if entry.never_exported}
# What the person wrote in confidence: withheld when an administrator exports.
PRIVATE = {
    "reflections.Entry": {"title", "body"},
    "reflections.Feedback": {"text"},
    "reflections.Commitment": {"text", "outcome_reflection"},
    "reflections.LedordRating": {"modigt", "tydligt", "engagerande"},
    # Written for the network group's eyes only.
    "network.Question": {"title", "body"},
    "network.Answer": {"body"},
    "network.SharedEntry": {"title", "body"},
    # Between the manager and the programme's coaches (unless a coach published it).
    "programme.FrameworkSuggestion": {"text", "answer"},
    "network.Meeting": {"note"},
    # Evaluations and benefit surveys are confidential: nobody in the portal, administrators
    # included, sees who answered what.
    "evaluations.Answer": {"usefulness"},
    "evaluations.AnswerText": {"will_try", "question", "question_answer"},
    "evaluations.SurveyRating": {"value"},
    "evaluations.SurveyText": {"text"},
}


def _quoted(person) -> str:
    # As the address appears inside a JSON list or object: whole, never part of another.
    return f'"{person.email.lower()}"'


def _extra_subject(label: str, person) -> Q | None:
    """Rows about the person that no relation points at."""
    email = person.email
    match label:
        case "accounts.User":
            return Q(pk=person.pk)
        case "accounts.StaffImport":
            return Q(rows__icontains=_quoted(person)) | Q(missing_emails__icontains=_quoted(person))
        case "notifications.OutboxMessage":
            return Q(to__icontains=_quoted(person))
        case "axes.AccessAttempt" | "axes.AccessFailureLog" | "axes.AccessLog":
            return Q(username__iexact=email)
        case "axes.AccessAttemptExpiration":
            return Q(access_attempt__username__iexact=email)
    return None


def _extra_mention(label: str, person) -> Q | None:
    if label == "admin.LogEntry":
        user_type = ContentType.objects.get_for_model(get_user_model())
        return Q(content_type=user_type, object_id=str(person.pk))
    return None


def _only_theirs(label: str, name: str, value, person):
    """A staff import's rows and missing people: only the person's own."""
    if label == "accounts.StaffImport" and name == "rows":
        return [row for row in value if str(row.get("email", "")).lower() == person.email.lower()]
    if label == "accounts.StaffImport" and name == "missing_emails":
        return [email for email in value if email.lower() == person.email.lower()]
    return value


def _lookup_q(lookups: str, person) -> Q | None:
    query = None
    for lookup in lookups.split():
        part = Q(**{lookup: person})
        query = part if query is None else query | part
    return query


def person_querysets(person) -> dict[str, tuple[models.QuerySet, models.QuerySet | None]]:
    """Per model label: the rows about the person, and the rows that mention them."""
    result = {}
    for label, entry in REGISTRY.items():
        if label == "sessions.Session":
            continue  # matched in Python: the user id is inside the signed session data
        model = apps.get_model(label)
        subject = _combine(_lookup_q(entry.subject, person), _extra_subject(label, person))
        mention = _combine(_lookup_q(entry.mentions, person), _extra_mention(label, person))
        if subject is None and mention is None:
            continue
        about = model._default_manager.filter(subject).distinct() if subject else None
        mentions = model._default_manager.filter(mention).distinct() if mention else None
        if about is not None and mentions is not None:
            mentions = mentions.exclude(pk__in=about.values("pk"))
        result[label] = (about, mentions)
    return result


def _combine(first: Q | None, second: Q | None) -> Q | None:
    if first is None or second is None:
        return first or second
    return first | second


def person_sessions(person) -> list[Session]:
    """The person's signed-in sessions (the user id is inside the session data)."""
    found = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(person.pk):
            found.append(session)
    return found


@dataclass
class Row:
    values: dict  # field name -> JSON value (the download)
    readable: list[Shown]  # what the page shows
    mentioned_only: bool = False


@dataclass
class Section:
    label: str
    title: str
    rows: list[Row] = field(default_factory=list)
    title_other: str = ""  # the heading where an administrator reads it
    purpose: str = ""
    retention: str = ""


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def _readable_related(obj) -> str:
    label = obj._meta.label
    if label == settings.AUTH_USER_MODEL:
        return str(obj)
    entry = REGISTRY.get(label)
    if entry is not None and entry.sensitive:
        # Never another row's confidential text (a shared entry's title, say): its number.
        return f"#{obj.pk}"
    return readable.related(obj)


def _serialise(label, obj, fields, *, mentioned_only, private_withheld, person) -> Row:
    classified = REGISTRY[label].fields()
    mention_fields = {lookup.split("__")[0] for lookup in REGISTRY[label].mentions.split()}
    values, shown_fields = {}, []
    for model_field in fields:
        name = model_field.name
        show = not readable.is_hidden(label, name)
        verbose = readable.label_of(label, model_field)
        if name in EXCLUDED.get(label, ()):
            if show and not mentioned_only:
                shown = readable.special(label, name, obj)
                if shown is None:
                    shown = Shown(verbose, text=_left_out(), note=True)
                if shown.text or shown.items:
                    shown_fields.append(shown)
            continue
        if mentioned_only and classified[name] != "none" and name not in mention_fields:
            continue
        if private_withheld and name in PRIVATE.get(label, ()):
            values[name] = None
            withheld = _("(withheld: only the person themself exports this)")
            shown_fields.append(Shown(verbose, text=withheld, note=True))
            continue
        if model_field.many_to_many:
            related = list(getattr(obj, name).all())
            values[name] = [item.pk for item in related]
            if show:
                shown_fields.append(Shown(verbose, items=[_readable_related(r) for r in related]))
            continue
        if model_field.is_relation:
            related = getattr(obj, name)
            values[name] = related.pk if related is not None else None
            if show:
                text = _readable_related(related) if related is not None else ""
                shown_fields.append(Shown(verbose, text=text))
            continue
        value = _only_theirs(label, name, getattr(obj, name), person)
        values[name] = _json_value(value)
        if show:
            shown_fields.append(
                readable.special(label, name, obj) or readable.shown(label, model_field, obj, value)
            )
    return Row(values=values, readable=shown_fields, mentioned_only=mentioned_only)


def _left_out() -> str:
    return _("(left out: it can hold a password, a code or a one-time link)")


def _fields(model) -> list:
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def _section(label: str, model) -> Section:
    purpose, retention = readable.about(label)
    return Section(
        label=label,
        title=readable.title(label, model),
        title_other=readable.title(label, model, own=False),
        purpose=purpose,
        retention=retention,
    )


def person_export(person, *, private: bool = True) -> list[Section]:
    """Every row about or mentioning the person, model by model. `private=False` withholds
    what they wrote in their journal (for an administrator's export)."""
    sections = []
    for label, (about, mentions) in person_querysets(person).items():
        model = apps.get_model(label)
        fields = _fields(model)
        forward = [f.name for f in model._meta.concrete_fields if f.is_relation]
        m2m = [f.name for f in model._meta.many_to_many]
        section = _section(label, model)
        for queryset, mentioned_only in ((about, False), (mentions, True)):
            if queryset is None:
                continue
            for obj in queryset.select_related(*forward).prefetch_related(*m2m).order_by("pk"):
                section.rows.append(
                    _serialise(
                        label,
                        obj,
                        fields,
                        mentioned_only=mentioned_only,
                        private_withheld=not private,
                        person=person,
                    )
                )
        if section.rows:
            sections.append(section)
    sessions = person_sessions(person)
    if sessions:
        section = _section("sessions.Session", Session)
        expire = _("Ends at the latest")
        for session in sessions:
            section.rows.append(
                Row(
                    values={"expire_date": _json_value(session.expire_date)},
                    readable=[Shown(expire, text=readable.when(session.expire_date))],
                )
            )
        sections.append(section)
    return sorted(sections, key=lambda s: s.label)


def person_export_json(person, *, private: bool = True) -> dict:
    sections = person_export(person, private=private)
    return {
        "exported_at": timezone.now().isoformat(),
        "person": {"id": person.pk, "email": person.email, "full_name": person.full_name},
        "journal_withheld": not private,
        "data": {
            section.label: [
                {**row.values, **({"mentioned_only": True} if row.mentioned_only else {})}
                for row in section.rows
            ]
            for section in sections
        },
    }
