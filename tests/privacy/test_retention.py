"""Gallring: each rule deletes exactly what is past its period, logs each deletion, and takes
its period from the settings."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from accounts.models import StaffImport, User
from evaluations import survey_services
from evaluations.models import Answer, AnswerText, SurveyText
from kungsor_ledarskap.celery import app as celery_app
from network.models import Answer as NetworkAnswer
from network.models import Meeting, MeetingInvitation, SharedEntry
from network.models import Question as NetworkQuestion
from notifications.models import OutboxMessage, Pause
from privacy.models import DeletionRecord, ErasureRecord, RetentionRun
from privacy.retention import RULES, retention_apply
from privacy.tasks import apply_retention
from programme.models import FrameworkSuggestion, NetworkGroup, NetworkRound, Theme
from reflections.models import Entry
from reminders.models import Reminder
from reports.models import ReportAccess, SickLeaveFigure, SickLeaveImport
from tests.factories import EnhetFactory, HRFactory, ManagerFactory, TrainingSessionFactory

HOUR = timedelta(hours=1)


def _days(rule_name: str) -> timedelta:
    return timedelta(days=next(r for r in RULES if r.name == rule_name).days)


def _outbox(**fields) -> OutboxMessage:
    return OutboxMessage.objects.create(
        from_email="portal@kungsor.se", to=["x@kungsor.se"], subject="s", body_text="t", **fields
    )


def _axes(model, when, user_agent="ua", **fields):
    row = model.objects.create(
        username="x@kungsor.se",
        ip_address="10.0.0.1",
        user_agent=user_agent,
        http_accept="*/*",
        path_info="/",
        **fields,
    )
    model.objects.filter(pk=row.pk).update(attempt_time=when)
    return row


def _session(key: str, expires) -> Session:
    return Session.objects.create(session_key=key, session_data="e30", expire_date=expires)


def _pairs(now) -> dict[str, tuple[list, list]]:
    """Per rule: rows just past their period (to go) and rows just inside it (to stay)."""
    hr = HRFactory()
    manager = ManagerFactory()
    department = EnhetFactory()
    theme = Theme.objects.order_by("order").first()

    def reminder(key, **fields):
        return Reminder.objects.create(
            key=key, user=manager, kind="traff", base_on=date.today(), **fields
        )

    def entry(**fields):
        return Entry.objects.create(author=manager, body="b", written_on=date.today(), **fields)

    def log_entry(when):
        row = LogEntry.objects.create(
            user=hr,
            content_type=ContentType.objects.get_for_model(Theme),
            object_id=str(theme.pk),
            object_repr="t",
            action_flag=CHANGE,
        )
        LogEntry.objects.filter(pk=row.pk).update(action_time=when)
        return row

    def figure(month):
        return SickLeaveFigure.objects.create(
            department=department,
            month=month,
            employees=12,
            scheduled_hours=Decimal(100),
            sick_hours=Decimal(5),
        )

    evaluated = TrainingSessionFactory()

    def evaluation_text(written_at):
        answer = Answer.objects.create(session=evaluated, respondent=ManagerFactory(), usefulness=4)
        return AnswerText.objects.create(answer=answer, will_try="Prova", written_at=written_at)

    network_round = NetworkRound.objects.create(
        programme=evaluated.programme, name="Runda G", created_by=HRFactory()
    )
    network_group = NetworkGroup.objects.create(round=network_round, number=1)

    def network_question(last_activity_at):
        question = NetworkQuestion.objects.create(
            group=network_group,
            author=ManagerFactory(),
            title="Hur gör ni?",
            last_activity_at=last_activity_at,
        )
        NetworkAnswer.objects.create(question=question, author=None, body="Så här")
        return question

    def shared_entry(shared_at):
        return SharedEntry.objects.create(
            group=network_group,
            author=ManagerFactory(),
            title="Delad",
            body="Text",
            written_on=shared_at.date(),
            shared_at=shared_at,
        )

    def suggestion(created_at, answered_at=None):
        return FrameworkSuggestion.objects.create(
            programme=evaluated.programme,
            author=ManagerFactory(),
            theme=Theme.objects.order_by("order").first(),
            text="Förslag",
            created_at=created_at,
            answered_at=answered_at,
        )

    def network_meeting(ends_at):
        meeting = Meeting.objects.create(
            group=network_group,
            proposed_by=None,
            starts_at=ends_at - HOUR,
            ends_at=ends_at,
            place="Fikarummet",
        )
        MeetingInvitation.objects.create(meeting=meeting, user=ManagerFactory(), response="ja")
        return meeting

    survey_manager = ManagerFactory()
    survey = survey_services.survey_create(
        by=HRFactory(),
        title="Nyttoenkät",
        programme=None,
        opens_on=now.date(),
        closes_on=now.date() + timedelta(days=1),
        statements=["Jag känner mig tryggare som ledare"],
        open_question="Vad mer?",
    )

    def survey_text(written_at):
        response = survey_services.response_save(
            user=survey_manager,
            survey=survey,
            ratings={survey.statements.get().pk: 4},
            text="Text",
        )
        SurveyText.objects.filter(response=response).update(written_at=written_at)
        # One person answers once: the next text is another person's.
        response.respondent = None
        response.save(update_fields=["respondent"])
        return SurveyText.objects.get(response=response)

    def person(deactivated_at, **fields):
        user = ManagerFactory(is_active=False, **fields)
        User.objects.filter(pk=user.pk).update(deactivated_at=deactivated_at)
        return user

    cut = {rule.name: now - timedelta(days=rule.days) for rule in RULES}
    old_month = (cut["sick_leave"].date() - timedelta(days=40)).replace(day=1)
    return {
        "reminders": (
            [
                reminder(
                    "r1",
                    due_at=cut["reminders"] - HOUR,
                    status="skickad",
                    sent_at=cut["reminders"] - HOUR,
                )
            ],
            [
                reminder(
                    "r2", due_at=cut["reminders"], status="skickad", sent_at=cut["reminders"] + HOUR
                ),
                reminder("r3", due_at=cut["reminders"] - HOUR * 48),  # still planned
            ],
        ),
        "network_questions": (
            [network_question(cut["network_questions"] - HOUR)],
            [network_question(cut["network_questions"] + HOUR)],
        ),
        "network_shared_entries": (
            [shared_entry(cut["network_shared_entries"] - HOUR)],
            [shared_entry(cut["network_shared_entries"] + HOUR)],
        ),
        "framework_suggestions": (
            [suggestion(cut["framework_suggestions"] - HOUR)],
            [
                suggestion(cut["framework_suggestions"] + HOUR),
                # Sent long ago, answered lately: kept from the answer.
                suggestion(
                    cut["framework_suggestions"] - HOUR * 48,
                    answered_at=cut["framework_suggestions"] + HOUR,
                ),
            ],
        ),
        "network_meetings": (
            [network_meeting(cut["network_meetings"] - HOUR)],
            [network_meeting(cut["network_meetings"] + HOUR)],
        ),
        "evaluation_texts": (
            [evaluation_text(cut["evaluation_texts"] - HOUR)],
            [evaluation_text(cut["evaluation_texts"] + HOUR)],
        ),
        "survey_texts": (
            [survey_text(cut["survey_texts"] - HOUR)],
            [survey_text(cut["survey_texts"] + HOUR)],
        ),
        "outbox": (
            [
                _outbox(status="sent", sent_at=cut["outbox"] - HOUR),
                _outbox(status="failed", created_at=cut["outbox"] - HOUR),
            ],
            [
                _outbox(status="sent", sent_at=cut["outbox"] + HOUR),
                _outbox(status="pending", created_at=cut["outbox"] - HOUR * 48),
            ],
        ),
        "pauses": (
            [
                Pause.objects.create(
                    user=manager,
                    starts_on=cut["pauses"].date() - timedelta(9),
                    ends_on=cut["pauses"].date() - timedelta(1),
                )
            ],
            [
                Pause.objects.create(
                    user=manager,
                    starts_on=cut["pauses"].date() - timedelta(9),
                    ends_on=cut["pauses"].date(),
                )
            ],
        ),
        "journal_trash": (
            [entry(deleted_at=cut["journal_trash"] - HOUR)],
            [entry(deleted_at=cut["journal_trash"] + HOUR), entry()],
        ),
        "staff_imports": (
            [
                StaffImport.objects.create(
                    created_by=hr, filename="a", rows=[], created_at=cut["staff_imports"] - HOUR
                )
            ],
            [
                StaffImport.objects.create(
                    created_by=hr, filename="b", rows=[], created_at=cut["staff_imports"] + HOUR
                )
            ],
        ),
        "sick_leave_imports": (
            [
                SickLeaveImport.objects.create(
                    created_by=hr,
                    filename="a",
                    rows=[],
                    created_at=cut["sick_leave_imports"] - HOUR,
                )
            ],
            [
                SickLeaveImport.objects.create(
                    created_by=hr,
                    filename="b",
                    rows=[],
                    created_at=cut["sick_leave_imports"] + HOUR,
                )
            ],
        ),
        "sick_leave": (
            [figure(old_month)],
            [figure((cut["sick_leave"].date() + timedelta(days=40)).replace(day=1))],
        ),
        "report_access": (
            [
                ReportAccess.objects.create(
                    user=hr, action="visning", report="d", created_at=cut["report_access"] - HOUR
                )
            ],
            [
                ReportAccess.objects.create(
                    user=hr, action="visning", report="d", created_at=cut["report_access"] + HOUR
                )
            ],
        ),
        "admin_log": (
            [log_entry(cut["admin_log"] - HOUR)],
            [log_entry(cut["admin_log"] + HOUR)],
        ),
        "signin_log": (
            [_axes(AccessLog, cut["signin_log"] - HOUR)],
            [_axes(AccessLog, cut["signin_log"] + HOUR)],
        ),
        "signin_failures": (
            [_axes(AccessFailureLog, cut["signin_failures"] - HOUR)],
            [_axes(AccessFailureLog, cut["signin_failures"] + HOUR)],
        ),
        "lockouts": (
            [
                _axes(
                    AccessAttempt,
                    cut["lockouts"] - HOUR,
                    get_data="",
                    post_data="",
                    failures_since_start=1,
                )
            ],
            [
                _axes(
                    AccessAttempt,
                    cut["lockouts"] + HOUR,
                    user_agent="ua2",
                    get_data="",
                    post_data="",
                    failures_since_start=1,
                )
            ],
        ),
        "sessions": (
            [_session("gammal" * 5, now - HOUR)],
            [_session("aktuell" * 5, now + HOUR)],
        ),
        "deactivated_people": (
            [person(cut["deactivated_people"] - HOUR)],
            [person(cut["deactivated_people"] + HOUR), ManagerFactory()],
        ),
        "deletion_records": (
            [
                DeletionRecord.objects.create(
                    rule="x",
                    model="x",
                    cutoff=now,
                    deleted=1,
                    created_at=cut["deletion_records"] - HOUR,
                )
            ],
            [
                DeletionRecord.objects.create(
                    rule="x",
                    model="x",
                    cutoff=now,
                    deleted=1,
                    created_at=cut["deletion_records"] + HOUR,
                )
            ],
        ),
        "erasure_records": (
            [
                ErasureRecord.objects.create(
                    person_id=1, reason="begaran", created_at=cut["erasure_records"] - HOUR
                )
            ],
            [
                ErasureRecord.objects.create(
                    person_id=2, reason="begaran", created_at=cut["erasure_records"] + HOUR
                )
            ],
        ),
        "retention_runs": (
            [
                RetentionRun.objects.create(
                    started_at=cut["retention_runs"] - HOUR,
                    finished_at=cut["retention_runs"] - HOUR,
                )
            ],
            [
                RetentionRun.objects.create(
                    started_at=cut["retention_runs"] + HOUR,
                    finished_at=cut["retention_runs"] + HOUR,
                )
            ],
        ),
    }


def _exists(row) -> bool:
    return type(row)._default_manager.filter(pk=row.pk).exists()


def test_every_rule_removes_exactly_what_is_overdue(db, caplog):
    now = timezone.now()
    pairs = _pairs(now)
    assert set(pairs) == {rule.name for rule in RULES}

    with caplog.at_level("INFO", logger="kungsor_ledarskap.privacy"):
        result = retention_apply(now)

    expected = {name: len(gone) for name, (gone, _stay) in pairs.items()}
    assert result == expected
    for name, (gone, stay) in pairs.items():
        if name == "deactivated_people":
            for user in gone:
                user.refresh_from_db()
                assert user.email.endswith("@anonymiserad.invalid")
            for user in stay:
                user.refresh_from_db()
                assert not user.email.endswith("@anonymiserad.invalid")
            continue
        assert [row for row in gone if _exists(row)] == [], name
        assert [row for row in stay if not _exists(row)] == [], name
    # Each deletion is logged: a record with the ids, and a line in the log.
    records = {r.rule: r for r in DeletionRecord.objects.exclude(rule="x")}
    assert set(records) == set(pairs)
    for name, (gone, _stay) in pairs.items():
        if name != "sessions":
            assert sorted(records[name].object_ids) == sorted(row.pk for row in gone), name
        assert records[name].deleted == len(gone)
    lines = [record.getMessage() for record in caplog.records]
    assert sum("event=gallring rule=" in line for line in lines) == len(pairs)
    assert ErasureRecord.objects.filter(reason="gallring").count() == 1


def test_a_second_run_deletes_nothing_more(db):
    now = timezone.now()
    _pairs(now)
    retention_apply(now)
    records = DeletionRecord.objects.count()

    assert set(retention_apply(now).values()) == {0}
    assert DeletionRecord.objects.count() == records


def test_the_periods_come_from_the_settings(db, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "outbox": 10}
    now = timezone.now()
    older = _outbox(status="sent", sent_at=now - timedelta(days=11))
    newer = _outbox(status="sent", sent_at=now - timedelta(days=9))

    retention_apply(now)

    assert not _exists(older) and _exists(newer)


def test_every_period_can_be_set_in_the_environment():
    settings_keys = set(settings.RETENTION_DAYS)
    used = {rule.setting or rule.name for rule in RULES if rule.fixed_days is None}
    assert used == settings_keys


def test_the_access_log_is_still_append_only_outside_gallring(db):
    row = ReportAccess.objects.create(user=HRFactory(), action="visning", report="d")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReportAccess.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL kungsor_ledarskap.gallring = 'on'")
        ReportAccess.objects.filter(pk=row.pk).update(report="ändrad")
    assert ReportAccess.objects.get(pk=row.pk).report == "d"


def test_gallring_runs_every_night():
    schedule = celery_app.conf.beat_schedule["privacy-apply-retention"]
    assert schedule["task"] == "privacy.tasks.apply_retention"
    assert schedule["schedule"].hour == {3}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_runs_in_a_real_worker(celery_worker_process):
    old = _outbox(status="sent", sent_at=timezone.now() - _days("outbox") - HOUR)

    before = celery_worker_process.count("apply_retention[", "succeeded")
    apply_retention.delay()
    celery_worker_process.wait_for_log("apply_retention[", "succeeded", count=before + 1)

    assert not _exists(old)
    assert DeletionRecord.objects.filter(rule="outbox", object_ids=[old.pk]).exists()
