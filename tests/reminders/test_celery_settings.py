"""The Celery settings that exactly-once delivery through the outbox relies on."""

from django.conf import settings

from kungsor_ledarskap.celery import app


def test_delivery_settings_survive_a_lost_worker():
    conf = app.conf
    assert conf.task_acks_late is True  # acknowledged only after the task ran
    assert conf.task_reject_on_worker_lost is True  # a killed worker's task is redelivered
    assert conf.worker_prefetch_multiplier == 1  # a worker holds one task at a time
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.result_serializer == "json"


def test_time_limits_are_well_under_the_visibility_timeout():
    """Redis redelivers an unacknowledged task after the visibility timeout: a task must
    be long dead (hard time limit) before that, or it would run twice at once."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.task_time_limit * 10 <= visibility


def test_planner_runs_every_minute_and_never_waits_in_the_broker():
    entry = app.conf.beat_schedule["reminders-plan"]
    assert entry["task"] == "reminders.tasks.plan_reminders"
    assert entry["schedule"] == 60.0
    assert entry["options"]["expires"] < 60
