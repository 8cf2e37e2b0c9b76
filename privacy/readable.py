"""The register extract written for a person: a heading and a sentence on why and how long for
each kind of data, field names as labels in the reader's language, and values as a person reads
them (local times, Ja/Nej, lists, choices by name, an email by its subject and attachments).

The JSON download is built from the same rows and keeps every field as it is stored; this module
only decides how the page shows them. Purpose and retention come from the registry, translated
through the message catalogue (a registry text changed without a translation shows in English,
and `tests/privacy/test_my_data_page.py` fails).
"""

import base64
import datetime
import email
import re
from dataclasses import dataclass

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from accounts.roles import Role
from notifications.models import ReminderKind
from privacy.registry import REGISTRY

DATETIME = "j F Y H:i"
DATE = "j F Y"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Headings, in the order a person reads them: who they are, what they wrote, their training,
# what they were sent, their sign-ins, then what they did for others.
TITLES = {
    "accounts.User": gettext_lazy("Your account"),
    "reflections.Entry": gettext_lazy("Your journal"),
    "reflections.Commitment": gettext_lazy("Your commitments"),
    "reflections.LedordRating": gettext_lazy("Your ledord ratings"),
    "reflections.Repetition": gettext_lazy("Sessions you repeated"),
    "reflections.Feedback": gettext_lazy("Feedback on journal entries"),
    "training_sessions.Invitation": gettext_lazy("Invitations, förhinder and attendance"),
    "programme.CohortMembership": gettext_lazy("Your training groups"),
    "programme.NetworkGroup": gettext_lazy("Your network groups"),
    "notifications.OutboxMessage": gettext_lazy("Emails to you"),
    "reminders.Reminder": gettext_lazy("Reminders"),
    "notifications.Preference": gettext_lazy("Your reminder settings"),
    "notifications.Pause": gettext_lazy("Breaks from reminders"),
    "training_sessions.CalendarFeed": gettext_lazy("Calendar subscription"),
    "sessions.Session": gettext_lazy("Where you are signed in now"),
    "axes.AccessLog": gettext_lazy("Sign-ins and sign-outs"),
    "axes.AccessFailureLog": gettext_lazy("Failed sign-ins"),
    "axes.AccessAttempt": gettext_lazy("Failed sign-ins counted for the lockout"),
    "axes.AccessAttemptExpiration": gettext_lazy("When a lockout ends"),
    "otp_totp.TOTPDevice": gettext_lazy("Authenticator app"),
    "otp_static.StaticDevice": gettext_lazy("Recovery codes"),
    "otp_static.StaticToken": gettext_lazy("Unused recovery codes"),
    "accounts.StaffImport": gettext_lazy("Staff lists you are in"),
    "admin.LogEntry": gettext_lazy("Changes in the administration"),
    "reports.ReportAccess": gettext_lazy("Reports you looked at"),
    "programme.Programme": gettext_lazy("Programmes you run"),
    "programme.Cohort": gettext_lazy("Training groups you coach"),
    "training_sessions.TrainingSession": gettext_lazy("Sessions you lead"),
    "training_sessions.SessionSeries": gettext_lazy("Series of sessions you made"),
    "reflections.Prompt": gettext_lazy("Reflection questions you wrote"),
    "programme.NetworkRound": gettext_lazy("Network rounds you made"),
    "programme.ModuleAttachment": gettext_lazy("Files you added to the material"),
    "reports.SickLeaveImport": gettext_lazy("Sick-leave imports you made"),
    "privacy.ErasureRecord": gettext_lazy("Erasures you made"),
}

# The same, where an administrator reads about someone else (no "you").
OTHER_TITLES = {
    "accounts.User": gettext_lazy("Account"),
    "reflections.Entry": gettext_lazy("Journal"),
    "reflections.Commitment": gettext_lazy("Commitments"),
    "reflections.LedordRating": gettext_lazy("Ledord ratings"),
    "reflections.Repetition": gettext_lazy("Sessions repeated"),
    "programme.CohortMembership": gettext_lazy("Training groups"),
    "programme.NetworkGroup": gettext_lazy("Network groups"),
    "notifications.OutboxMessage": gettext_lazy("Emails"),
    "notifications.Preference": gettext_lazy("Reminder settings"),
    "sessions.Session": gettext_lazy("Where signed in now"),
    "accounts.StaffImport": gettext_lazy("Staff lists"),
    "reports.ReportAccess": gettext_lazy("Reports looked at"),
    "programme.Programme": gettext_lazy("Programmes run"),
    "programme.Cohort": gettext_lazy("Training groups coached"),
    "training_sessions.TrainingSession": gettext_lazy("Sessions led"),
    "training_sessions.SessionSeries": gettext_lazy("Series of sessions made"),
    "reflections.Prompt": gettext_lazy("Reflection questions written"),
    "programme.NetworkRound": gettext_lazy("Network rounds made"),
    "programme.ModuleAttachment": gettext_lazy("Files added to the material"),
    "reports.SickLeaveImport": gettext_lazy("Sick-leave imports made"),
    "privacy.ErasureRecord": gettext_lazy("Erasures made"),
}

# Bookkeeping the page leaves to the JSON download: numbers and keys that mean nothing to a
# person. Every other field is shown.
HIDDEN = {
    "notifications.OutboxMessage": {
        "idempotency_key",
        "attempts",
        "last_error",
        "next_attempt_at",
        "enqueued_at",
        "claimed_at",
        # The text stands for them all: one line says the content is left out.
        "headers",
        "body_html",
        "alternatives",
    },
    "reminders.Reminder": {"key"},
    "training_sessions.TrainingSession": {"uid", "sequence", "recurrence_id"},
    "network.Meeting": {"uid", "sequence"},
    # The search's index of the words: the title and text are shown.
    "reflections.Entry": {"version", "search_vector"},
    "axes.AccessAttempt": {"http_accept"},
    "axes.AccessFailureLog": {"http_accept"},
    "axes.AccessLog": {"http_accept"},
    "otp_totp.TOTPDevice": {
        "throttling_failure_timestamp",
        "throttling_failure_count",
        "step",
        "t0",
        "digits",
        "tolerance",
        "drift",
        "last_t",
    },
    "otp_static.StaticDevice": {"throttling_failure_timestamp", "throttling_failure_count"},
    "otp_static.StaticToken": {"device"},
}

# Labels for fields whose models give no translated name (Django's defaults, django-axes,
# django-otp).
LABELS = {
    ("training_sessions.Invitation", "invited_at"): pgettext_lazy("invitation", "Invited"),
    ("training_sessions.Invitation", "attendance_marked_at"): gettext_lazy("Attendance marked"),
    ("training_sessions.CalendarFeed", "created_at"): gettext_lazy("Created"),
    ("training_sessions.CalendarFeed", "token"): gettext_lazy("Calendar address"),
    ("notifications.Pause", "created_at"): gettext_lazy("Created"),
    ("notifications.OutboxMessage", "body_text"): gettext_lazy("Content"),
    ("reminders.Reminder", "session"): pgettext_lazy("training", "Session"),
    ("reminders.Reminder", "commitment"): gettext_lazy("Commitment"),
    ("reminders.Reminder", "message"): gettext_lazy("Email sent"),
    ("axes.AccessAttempt", "user_agent"): gettext_lazy("Web browser"),
    ("axes.AccessAttempt", "ip_address"): gettext_lazy("IP address"),
    ("axes.AccessAttempt", "username"): gettext_lazy("Username"),
    ("axes.AccessAttempt", "path_info"): gettext_lazy("Page"),
    ("axes.AccessAttempt", "get_data"): gettext_lazy("Query"),
    ("axes.AccessAttempt", "post_data"): gettext_lazy("Form data"),
    ("axes.AccessAttempt", "attempt_time"): gettext_lazy("Time"),
    ("axes.AccessAttempt", "failures_since_start"): gettext_lazy("Failed attempts"),
    ("axes.AccessAttemptExpiration", "access_attempt"): gettext_lazy("Failed sign-in"),
    ("axes.AccessAttemptExpiration", "expires_at"): gettext_lazy("Lockout ends"),
    ("axes.AccessFailureLog", "user_agent"): gettext_lazy("Web browser"),
    ("axes.AccessFailureLog", "ip_address"): gettext_lazy("IP address"),
    ("axes.AccessFailureLog", "username"): gettext_lazy("Username"),
    ("axes.AccessFailureLog", "path_info"): gettext_lazy("Page"),
    ("axes.AccessFailureLog", "attempt_time"): gettext_lazy("Time"),
    ("axes.AccessFailureLog", "locked_out"): gettext_lazy("Locked out"),
    ("axes.AccessLog", "user_agent"): gettext_lazy("Web browser"),
    ("axes.AccessLog", "ip_address"): gettext_lazy("IP address"),
    ("axes.AccessLog", "username"): gettext_lazy("Username"),
    ("axes.AccessLog", "path_info"): gettext_lazy("Page"),
    ("axes.AccessLog", "attempt_time"): gettext_lazy("Signed in"),
    ("axes.AccessLog", "logout_time"): gettext_lazy("Signed out"),
    ("axes.AccessLog", "session_hash"): gettext_lazy("Sign-in session"),
    ("otp_totp.TOTPDevice", "user"): gettext_lazy("Person"),
    ("otp_totp.TOTPDevice", "name"): gettext_lazy("Name"),
    ("otp_totp.TOTPDevice", "confirmed"): gettext_lazy("Set up"),
    ("otp_totp.TOTPDevice", "created_at"): gettext_lazy("Created"),
    ("otp_totp.TOTPDevice", "last_used_at"): gettext_lazy("Last used"),
    ("otp_totp.TOTPDevice", "key"): gettext_lazy("Secret key"),
    ("otp_static.StaticDevice", "user"): gettext_lazy("Person"),
    ("otp_static.StaticDevice", "name"): gettext_lazy("Name"),
    ("otp_static.StaticDevice", "confirmed"): gettext_lazy("Set up"),
    ("otp_static.StaticDevice", "created_at"): gettext_lazy("Created"),
    ("otp_static.StaticDevice", "last_used_at"): gettext_lazy("Last used"),
    ("otp_static.StaticToken", "device"): gettext_lazy("Recovery codes"),
    ("otp_static.StaticToken", "token"): gettext_lazy("Code"),
}

# Fields left with Django's default name (no translated verbose_name), by field name.
NAMES = {
    "user": gettext_lazy("Person"),
    "author": gettext_lazy("Author"),
    "coach": gettext_lazy("Coach"),
    "created_at": gettext_lazy("Created"),
    "created_by": gettext_lazy("Created by"),
    "uploaded_by": gettext_lazy("Uploaded by"),
    "entry": gettext_lazy("Journal entry"),
    "session": pgettext_lazy("training", "Session"),
    "series": gettext_lazy("Series"),
    "programme": gettext_lazy("Programme"),
    "cohort": gettext_lazy("Training group"),
    "module": gettext_lazy("Material"),
    "followed_up_at": pgettext_lazy("commitment", "Followed up"),
    "attendance_marked_by": gettext_lazy("Attendance marked by"),
    "skipped_dates": gettext_lazy("Skipped dates"),
}


@dataclass
class Shown:
    """One field as the page shows it: a text, a list, or a long text kept whole."""

    label: str
    text: str = ""
    items: list[str] | None = None
    long: bool = False
    note: bool = False  # a remark about the value (withheld, left out), not the value


def ordered(sections: list) -> list:
    """The sections in reading order (see TITLES), any other after them."""
    order = {label: index for index, label in enumerate(TITLES)}
    return sorted(sections, key=lambda s: (order.get(s.label, len(order)), s.label))


def title(label: str, model, *, own: bool = True) -> str:
    if not own and label in OTHER_TITLES:
        return str(OTHER_TITLES[label])
    if label in TITLES:
        return str(TITLES[label])
    return capfirst(str(model._meta.verbose_name_plural))


def about(label: str) -> tuple[str, str]:
    """Why the portal keeps it, and for how long, in the reader's language."""
    entry = REGISTRY[label]
    return _(entry.purpose), _(entry.retention)


def is_hidden(label: str, name: str) -> bool:
    return name == "id" or name in HIDDEN.get(label, ())


def label_of(label: str, model_field) -> str:
    if (label, model_field.name) in LABELS:
        return str(LABELS[(label, model_field.name)])
    if not isinstance(model_field.verbose_name, Promise) and model_field.name in NAMES:
        return str(NAMES[model_field.name])
    return capfirst(str(model_field.verbose_name))


def when(value) -> str:
    """A date, time or date and time as the reader says it, in local time (Europe/Stockholm)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, DATETIME)
    if isinstance(value, datetime.date):
        return formats.date_format(value, DATE)
    if isinstance(value, datetime.time):
        return formats.time_format(value, "H:i")
    return str(value)


def _item(value) -> str:
    if isinstance(value, dict):
        return ", ".join(_item(v) for v in value.values() if v not in (None, "", [], {}))
    if isinstance(value, list | tuple):
        return ", ".join(_item(v) for v in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return when(datetime.date.fromisoformat(value))
    if isinstance(value, datetime.date | datetime.time):
        return when(value)
    if value is None:
        return ""
    return str(value)


def attachment_names(attachments: list) -> list[str]:
    """The file names of an outbox message's attachments (kept as base64 MIME parts)."""
    names = []
    for attachment in attachments or ():
        try:
            part = email.message_from_bytes(base64.b64decode(attachment["mime_b64"]))
        except (KeyError, TypeError, ValueError):
            names.append(_("an attachment"))
            continue
        names.append(part.get_filename() or _("an attachment"))
    return names


def special(label: str, name: str, obj) -> Shown | None:
    """Fields that need more than their type to be read."""
    if label == "notifications.OutboxMessage" and name == "attachments":
        names = attachment_names(obj.attachments)
        return Shown(_("Attachments"), items=names)  # none: not shown
    if label == "admin.LogEntry" and name == "change_message":
        return Shown(pgettext("admin log", "Change"), text=obj.get_change_message())
    if label == "notifications.Preference" and name == "disabled_kinds":
        labels = dict(ReminderKind.choices)
        return Shown(
            _("Reminders turned off"),
            items=[str(labels.get(kind, kind)) for kind in obj.disabled_kinds],
        )
    return None


def shown(label: str, model_field, obj, value) -> Shown:
    """The field `model_field` of `obj`, holding `value` (already narrowed to the person's)."""
    name = model_field.name
    heading = label_of(label, model_field)
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None and value not in (None, ""):
        return Shown(heading, text=str(display()))
    if value is None or value == "" or value == [] or value == {}:
        return Shown(heading)
    if isinstance(value, bool):
        return Shown(heading, text=_("Yes") if value else _("No"))
    if isinstance(value, datetime.date | datetime.time):
        return Shown(heading, text=when(value))
    if isinstance(value, list | tuple):
        return Shown(heading, items=[_item(item) for item in value])
    if isinstance(value, dict):
        return Shown(heading, items=[f"{key}: {_item(item)}" for key, item in value.items()])
    if isinstance(value, FieldFile):
        return Shown(heading, text=value.name.rsplit("/", 1)[-1])
    if isinstance(value, str) and isinstance(model_field, models.TextField):
        return Shown(heading, text=value, long=True)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Shown(heading, text=formats.localize(value))
    return Shown(heading, text=str(value))


def related(obj) -> str:
    """A related row by its name; a session also by its date, an email by its subject."""
    label = obj._meta.label
    if label == "training_sessions.TrainingSession":
        return f"{obj.title} ({when(timezone.localtime(obj.starts_at).date())})"
    if label == "notifications.OutboxMessage":
        return obj.subject
    if label == "axes.AccessAttempt":
        return when(obj.attempt_time)
    if label == "auth.Group" and obj.name in Role.values:
        return str(Role(obj.name).label)
    return str(obj)
