"""Gallring: the nightly deletion of what has been kept for its period.

Each rule names one model, what in it is overdue, and its period in days (from
`settings.RETENTION_DAYS`, which the environment can set, unless the period is fixed). Every
run of a rule that deletes anything leaves a `DeletionRecord` with the ids and a line in the
log; rows are deleted in batches, each in its own transaction, so a large backlog never
holds long locks.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import StaffImport
from evaluations.models import AnswerText, SurveyText
from network.models import Meeting, Question, SharedEntry
from notifications.models import OutboxMessage, Pause
from privacy import erasure
from privacy.models import DeletionRecord, ErasureRecord, RetentionRun
from programme.models import FrameworkSuggestion
from reflections.models import Entry
from reflections.services import TRASH_DAYS
from reminders.models import Reminder
from reports.models import ReportAccess, SickLeaveFigure, SickLeaveImport

log = logging.getLogger("kungsor_ledarskap.privacy")

BATCH = 2000


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    what: str  # for docs/privacy.md
    overdue: Callable[[datetime], QuerySet]
    setting: str = ""  # the RETENTION_DAYS key; empty when `fixed_days` is set
    fixed_days: int | None = None

    @property
    def days(self) -> int:
        if self.fixed_days is not None:
            return self.fixed_days
        return settings.RETENTION_DAYS[self.setting or self.name]


def _deactivated(cutoff: datetime) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=False, deactivated_at__lt=cutoff)
        .exclude(email__endswith=erasure.ERASED_DOMAIN)
    )


RULES: list[Rule] = [
    Rule(
        "reminders",
        "reminders.Reminder",
        "Reminders sent or left unsent, counted from when they were due or sent.",
        lambda cutoff: Reminder.objects.exclude(status=Reminder.Status.PLANNED).filter(
            Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, due_at__lt=cutoff)
        ),
    ),
    Rule(
        "outbox",
        "notifications.OutboxMessage",
        "Emails, counted from when they were sent (or first written, if they failed).",
        lambda cutoff: OutboxMessage.objects.filter(
            Q(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff)
            | Q(status=OutboxMessage.Status.FAILED, created_at__lt=cutoff)
        ),
    ),
    Rule(
        "pauses",
        "notifications.Pause",
        "Reminder pauses, counted from their last day.",
        lambda cutoff: Pause.objects.filter(ends_on__lt=cutoff.date()),
    ),
    Rule(
        "journal_trash",
        "reflections.Entry",
        "Journal entries in the trash (with their feedback), counted from when they were "
        "put there; fixed, as the journal promises it.",
        lambda cutoff: Entry.objects.filter(deleted_at__lt=cutoff),
        fixed_days=TRASH_DAYS,
    ),
    Rule(
        "evaluation_texts",
        "evaluations.AnswerText",
        "The free texts of session evaluations, counted from when they were written; the "
        "ratings stay as figures.",
        lambda cutoff: AnswerText.objects.filter(written_at__lt=cutoff),
    ),
    Rule(
        "network_questions",
        "network.Question",
        "Network groups' questions with their answers, counted from the thread's latest post "
        "(a deleted question's empty row too).",
        lambda cutoff: Question.objects.filter(last_activity_at__lt=cutoff),
    ),
    Rule(
        "network_shared_entries",
        "network.SharedEntry",
        "Journal entries shared with a network group (the group's copies), counted from when "
        "they were last shared.",
        lambda cutoff: SharedEntry.objects.filter(shared_at__lt=cutoff),
        setting="network_questions",
    ),
    Rule(
        "framework_suggestions",
        "programme.FrameworkSuggestion",
        "Managers' suggestions on the framework with the coaches' answers, counted from when "
        "they were sent or last answered (a withdrawn one's empty row too).",
        lambda cutoff: FrameworkSuggestion.objects.filter(created_at__lt=cutoff).filter(
            Q(answered_at__isnull=True) | Q(answered_at__lt=cutoff)
        ),
    ),
    Rule(
        "network_meetings",
        "network.Meeting",
        "Network groups' meetings with their invitations and answers, counted from the end of "
        "the meeting (the takeaways stay in their authors' journals).",
        lambda cutoff: Meeting.objects.filter(ends_at__lt=cutoff),
    ),
    Rule(
        "survey_texts",
        "evaluations.SurveyText",
        "The answers to benefit surveys' open question, counted from when they were written; "
        "the ratings stay as figures.",
        lambda cutoff: SurveyText.objects.filter(written_at__lt=cutoff),
        setting="evaluation_texts",
    ),
    Rule(
        "staff_imports",
        "accounts.StaffImport",
        "Uploaded staff lists, counted from the upload.",
        lambda cutoff: StaffImport.objects.filter(created_at__lt=cutoff),
    ),
    Rule(
        "sick_leave_imports",
        "reports.SickLeaveImport",
        "Uploaded sick-leave files (the figures themselves are kept as sick_leave says).",
        lambda cutoff: SickLeaveImport.objects.filter(created_at__lt=cutoff),
    ),
    Rule(
        "sick_leave",
        "reports.SickLeaveFigure",
        "Sick-leave figures, counted from the month they describe.",
        lambda cutoff: SickLeaveFigure.objects.filter(month__lt=cutoff.date()),
    ),
    Rule(
        "report_access",
        "reports.ReportAccess",
        "The access log of HR's reports.",
        lambda cutoff: ReportAccess.objects.filter(created_at__lt=cutoff),
    ),
    Rule(
        "admin_log",
        "admin.LogEntry",
        "The administration site's history of changes.",
        lambda cutoff: LogEntry.objects.filter(action_time__lt=cutoff),
    ),
    Rule(
        "signin_log",
        "axes.AccessLog",
        "The log of sign-ins and sign-outs.",
        lambda cutoff: AccessLog.objects.filter(attempt_time__lt=cutoff),
    ),
    Rule(
        "signin_failures",
        "axes.AccessFailureLog",
        "The log of failed sign-ins.",
        lambda cutoff: AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
        setting="signin_log",
    ),
    Rule(
        "lockouts",
        "axes.AccessAttempt",
        "Failed-sign-in counters, counted from the last failure.",
        lambda cutoff: AccessAttempt.objects.filter(attempt_time__lt=cutoff),
    ),
    Rule(
        "sessions",
        "sessions.Session",
        "Sign-in sessions that have expired.",
        lambda cutoff: Session.objects.filter(expire_date__lt=cutoff),
        fixed_days=0,
    ),
    Rule(
        "deactivated_people",
        "accounts.User",
        "People deactivated this long ago are erased as `privacy/erasure.py` describes: "
        "their journal and what identifies them deleted, their attendance kept anonymised.",
        _deactivated,
    ),
    Rule(
        "deletion_records",
        "privacy.DeletionRecord",
        "This log of gallring.",
        lambda cutoff: DeletionRecord.objects.filter(created_at__lt=cutoff),
    ),
    Rule(
        "erasure_records",
        "privacy.ErasureRecord",
        "The log of erasures.",
        lambda cutoff: ErasureRecord.objects.filter(created_at__lt=cutoff),
        setting="deletion_records",
    ),
    Rule(
        "retention_runs",
        "privacy.RetentionRun",
        "The log of when gallring ran.",
        lambda cutoff: RetentionRun.objects.filter(finished_at__lt=cutoff),
        setting="deletion_records",
    ),
]


def _allow_report_access_deletion() -> None:
    # The access log's trigger refuses every change unless gallring says it is running.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL kungsor_ledarskap.gallring = 'on'")


def _record(rule: Rule, cutoff: datetime, ids: list, deleted: int, cascaded: dict) -> None:
    DeletionRecord.objects.create(
        rule=rule.name,
        model=rule.label,
        cutoff=cutoff,
        deleted=deleted,
        object_ids=ids,
        cascaded=cascaded,
    )
    log.info(
        "event=gallring rule=%s model=%s deleted=%s cutoff=%s%s",
        rule.name,
        rule.label,
        deleted,
        cutoff.isoformat(),
        "".join(f" also={label}:{count}" for label, count in sorted(cascaded.items())),
    )


def _apply_batch(rule: Rule, cutoff: datetime) -> int:
    with transaction.atomic():
        queryset = rule.overdue(cutoff)
        if rule.label == "sessions.Session":
            keys = list(queryset.values_list("pk", flat=True)[:BATCH])
            if not keys:
                return 0
            deleted, _ = Session.objects.filter(pk__in=keys).delete()
            _record(rule, cutoff, [], deleted, {})
            return deleted
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return 0
        if rule.name == "deactivated_people":
            for person in get_user_model().objects.filter(pk__in=ids):
                erasure.person_erase(person=person, reason=ErasureRecord.Reason.RETENTION)
            _record(rule, cutoff, ids, len(ids), {})
            return len(ids)
        if rule.label == "reports.ReportAccess":
            _allow_report_access_deletion()
        _total, per_model = queryset.model._default_manager.filter(pk__in=ids).delete()
        deleted = per_model.get(rule.label, 0)
        cascaded = {label: count for label, count in per_model.items() if label != rule.label}
        _record(rule, cutoff, ids, deleted, cascaded)
        return deleted


def retention_apply(now: datetime | None = None) -> dict[str, int]:
    """Run every rule; returns how many rows each deleted."""
    started_at = timezone.now()
    now = now or started_at
    result = {}
    for rule in RULES:
        cutoff = now - timedelta(days=rule.days)
        total = 0
        while True:
            deleted = _apply_batch(rule, cutoff)
            total += deleted
            if deleted < BATCH:
                break
        result[rule.name] = total
    # Every run is recorded, the ones that deleted nothing too: the administrator's start
    # page warns when gallring has not run.
    RetentionRun.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        deleted={name: count for name, count in result.items() if count},
    )
    return result
