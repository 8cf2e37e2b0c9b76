"""Erasing a person: what they wrote and what identifies them is deleted; what the
municipality must keep about its training (attendance, membership, repetitions, the access
log of health figures) stays, pointing at the same user row, which no longer says who it was.

`ACTIONS` says, for every model that can hold a person's data, what erasure does to it; a test
fails for a model that has a relation to people in the registry but no action here.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from privacy.export import person_querysets, person_sessions
from privacy.models import ErasureRecord

DELETE = "delete"  # the rows about the person are deleted
KEEP = "keep"  # kept, pointing at the anonymised user row
SCRUB = "scrub"  # kept, with what identifies the person removed from the row

ACTIONS = {
    "accounts.User": SCRUB,  # the row itself: anonymised
    "accounts.StaffImport": SCRUB,  # their line in the uploaded list is removed
    "sessions.Session": DELETE,
    "admin.LogEntry": SCRUB,  # administrators' history kept; the person's name removed
    "axes.AccessAttempt": DELETE,
    "axes.AccessAttemptExpiration": DELETE,
    "axes.AccessFailureLog": DELETE,
    "axes.AccessLog": DELETE,
    "otp_totp.TOTPDevice": DELETE,
    "otp_static.StaticDevice": DELETE,
    "otp_static.StaticToken": DELETE,
    "notifications.OutboxMessage": DELETE,
    "notifications.Preference": DELETE,
    "notifications.Pause": DELETE,
    "programme.Programme": KEEP,
    "programme.Cohort": KEEP,
    "programme.CohortMembership": KEEP,  # the municipality's record of who took part
    "programme.NetworkRound": KEEP,
    "programme.NetworkGroup": KEEP,
    "programme.ModuleAttachment": KEEP,
    "training_sessions.TrainingSession": KEEP,
    "training_sessions.SessionSeries": KEEP,
    "training_sessions.Invitation": SCRUB,  # attendance kept; their förhinder comment removed
    "training_sessions.CalendarFeed": DELETE,
    "reflections.Entry": DELETE,  # with its feedback
    # A coach's feedback belongs to the manager's journal too: it stays, without their name.
    "reflections.Feedback": KEEP,
    "reflections.Commitment": DELETE,
    "reflections.LedordRating": DELETE,
    "reflections.Prompt": KEEP,
    "reflections.Repetition": KEEP,  # counted in the statistics
    "evaluations.Question": KEEP,
    # The rating stays as a figure, no longer tied to the person; what they wrote is deleted.
    "evaluations.Answer": SCRUB,
    "evaluations.AnswerText": DELETE,
    # The group keeps the thread; the author's name is removed (issue 22).
    "network.Question": SCRUB,
    "network.Answer": SCRUB,
    "network.QuestionRead": DELETE,
    # A copy shared with the network group stays for the group, without the name; detached
    # from the entry, which erasure deletes.
    "network.SharedEntry": SCRUB,
    # Unpublished suggestions are deleted; published ones stay for the programme, nameless.
    "programme.FrameworkSuggestion": SCRUB,
    # The meeting stays for the group without the proposer's name; their answers go.
    "network.Meeting": SCRUB,
    "network.MeetingInvitation": DELETE,
    "network.MeetingTakeaway": DELETE,  # with their journal entry
    "evaluations.ThemeQuestion": KEEP,
    "evaluations.Survey": KEEP,
    # As the session evaluation: the ratings stay as anonymous figures; the text is deleted.
    "evaluations.SurveyResponse": SCRUB,
    "evaluations.SurveyRating": KEEP,
    "evaluations.SurveyText": DELETE,
    "reminders.Reminder": DELETE,
    "reports.SickLeaveImport": KEEP,
    # The log of who saw health figures must be kept (append-only, 5 years).
    "reports.ReportAccess": KEEP,
    "privacy.ErasureRecord": KEEP,
}

ERASED_NAME = "Raderad person"


# Erased people's addresses end with this: never deliverable, never matching a real person.
ERASED_DOMAIN = "@anonymiserad.invalid"


def erased_email(pk: int) -> str:
    return f"raderad-{pk}{ERASED_DOMAIN}"


def is_erased(person) -> bool:
    return person.email == erased_email(person.pk)


@transaction.atomic
def person_erase(*, person, by=None, reason=ErasureRecord.Reason.REQUEST) -> ErasureRecord:
    """Erase one person. Returns the record of it, which holds counts and never a name."""
    User = get_user_model()
    person = User.objects.select_for_update().get(pk=person.pk)
    email = person.email
    counts: dict[str, int] = {}
    querysets = person_querysets(person)

    # Copies shared with a network group: detached from the entries deleted below, and
    # without the name.
    copies = querysets["network.SharedEntry"][0]
    counts["network.SharedEntry"] = copies.model._default_manager.filter(
        pk__in=list(copies.values_list("pk", flat=True))
    ).update(author=None, entry=None)

    suggestions = querysets["programme.FrameworkSuggestion"][0]
    suggestion_ids = list(suggestions.values_list("pk", flat=True))
    kept = suggestions.model._default_manager.filter(pk__in=suggestion_ids)
    _total, per_model = kept.filter(published_at__isnull=True).delete()
    counts["programme.FrameworkSuggestion"] = per_model.get(
        "programme.FrameworkSuggestion", 0
    ) + kept.update(author=None)

    # Reminders before the emails they point at; entries with their feedback.
    for label in (
        "reminders.Reminder",
        "notifications.OutboxMessage",
        "reflections.Commitment",
        "reflections.LedordRating",
        "network.MeetingTakeaway",
        "reflections.Entry",
        "evaluations.AnswerText",
        "network.QuestionRead",
        "network.MeetingInvitation",
        "evaluations.SurveyText",
        "notifications.Preference",
        "notifications.Pause",
        "training_sessions.CalendarFeed",
        "axes.AccessAttemptExpiration",
        "axes.AccessAttempt",
        "axes.AccessFailureLog",
        "axes.AccessLog",
        "otp_static.StaticToken",
        "otp_static.StaticDevice",
        "otp_totp.TOTPDevice",
    ):
        about = querysets[label][0]
        # By id: a distinct queryset cannot be deleted directly.
        ids = list(about.values_list("pk", flat=True))
        _total, per_model = about.model._default_manager.filter(pk__in=ids).delete()
        counts[label] = per_model.get(label, 0)

    sessions = person_sessions(person)
    for session in sessions:
        session.delete()
    counts["sessions.Session"] = len(sessions)

    answers = querysets["evaluations.Answer"][0]
    counts["evaluations.Answer"] = answers.model._default_manager.filter(
        pk__in=list(answers.values_list("pk", flat=True))
    ).update(respondent=None)

    for label in ("network.Question", "network.Answer"):
        posts = querysets[label][0]
        counts[label] = posts.model._default_manager.filter(
            pk__in=list(posts.values_list("pk", flat=True))
        ).update(author=None)
    meetings = querysets["network.Meeting"][0]
    counts["network.Meeting"] = meetings.model._default_manager.filter(
        pk__in=list(meetings.values_list("pk", flat=True))
    ).update(proposed_by=None)
    responses = querysets["evaluations.SurveyResponse"][0]
    counts["evaluations.SurveyResponse"] = responses.model._default_manager.filter(
        pk__in=list(responses.values_list("pk", flat=True))
    ).update(respondent=None)

    invitations = querysets["training_sessions.Invitation"][0]
    counts["training_sessions.Invitation"] = invitations.exclude(excuse_comment="").update(
        excuse_comment=""
    )

    imports = 0
    for staff_import in list(querysets["accounts.StaffImport"][0]):
        staff_import.rows = [
            row for row in staff_import.rows if str(row.get("email", "")).lower() != email.lower()
        ]
        staff_import.missing_emails = [
            item for item in staff_import.missing_emails if item.lower() != email.lower()
        ]
        staff_import.save(update_fields=["rows", "missing_emails"])
        imports += 1
    counts["accounts.StaffImport"] = imports

    about_them = querysets["admin.LogEntry"][1]
    counts["admin.LogEntry"] = LogEntry.objects.filter(
        pk__in=list(about_them.values_list("pk", flat=True))
    ).update(object_repr=ERASED_NAME)

    person.email = erased_email(person.pk)
    person.full_name = ERASED_NAME
    person.title = ""
    person.department = None
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.last_login = None
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    counts["accounts.User"] = 1

    return ErasureRecord.objects.create(
        person_id=person.pk,
        erased_by=by,
        reason=reason,
        counts={label: count for label, count in counts.items() if count},
        created_at=timezone.now(),
    )
