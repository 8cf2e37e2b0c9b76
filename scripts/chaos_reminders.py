"""`make chaos`: 2,000 due reminders, two Celery workers, a SIGKILL and a Redis restart.

Everything runs on loopback and in its own places: a database of its own (dropped at the
end), a Redis server of its own on a free port (the one that gets restarted), and an SMTP
sink in this process that counts what arrives by Message-ID.

1. Seed 2,000 managers who attended one session; the planner writes one reminder email
   each into the outbox, and the outbox queues a send task each.
2. Two workers drain the queue. When a quarter has arrived, worker 1 is killed with
   SIGKILL (its pool processes die with it) and started again, as systemd would. When half
   has arrived, Redis is stopped, losing every queued task, and started again.
3. The sweeper (what beat runs every minute, here every 2 s) queues again what was lost.

It prints the counts and exits 0 only if exactly 2,000 distinct emails arrived, none twice.
Bounded: it gives up after CHAOS_TIMEOUT seconds (default 300).
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from loopback import (
    BASE_DIR,
    Redis,
    Sink,
    database_urls,
    drop_database,
    free_port,
    one_run_at_a_time,
    recreate_database,
    start_worker,
    stop_process_group,
)

REMINDERS = int(os.environ.get("CHAOS_REMINDERS", "2000"))
TIMEOUT = float(os.environ.get("CHAOS_TIMEOUT", "300"))


def log(text: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}", flush=True)


# Configuration, set before Django starts -------------------------------------------------

source_db = os.environ.get(
    "DATABASE_URL", "postgres://kungsor_ledarskap:kungsor_ledarskap@127.0.0.1:5432/kl"
)
CHAOS_DB = "kungsor_ledarskap_chaos"
DATABASE_URL, ADMIN_DATABASE_URL = database_urls(source_db, CHAOS_DB)
REDIS_PORT = free_port()
BROKER_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
SMTP_PORT = free_port()

CHAOS_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY")
    or "chaos-only-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "localhost,127.0.0.1",
    "DATABASE_URL": DATABASE_URL,
    "CELERY_BROKER_URL": BROKER_URL,
    "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "CONN_MAX_AGE": "0",
    "LOG_LEVEL": "WARNING",
    # Faster recovery than production, so the run is short: a lost task is queued again
    # after 5 s, and a dead worker's claim is released after twice the 8 s hard limit.
    "NOTIFICATIONS_LOST_TASK_SECONDS": "5",
    "CELERY_TASK_SOFT_TIME_LIMIT": "5",
    "CELERY_TASK_TIME_LIMIT": "8",
}
os.environ.update(CHAOS_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kungsor_ledarskap.settings")
sys.path.insert(0, str(BASE_DIR))


def seed(session_day: date) -> None:
    """REMINDERS managers who all attended one session on `session_day`."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from programme.models import Programme
    from sessions.models import Invitation, TrainingSession

    User = get_user_model()
    zone = ZoneInfo("Europe/Stockholm")
    programme = Programme.objects.create(
        name="Kaosprogrammet",
        starts_on=session_day - timedelta(days=30),
        ends_on=session_day + timedelta(days=300),
    )
    session = TrainingSession.objects.create(
        programme=programme,
        capacity=REMINDERS,
        format=TrainingSession.Format.THEORY,
        title="Leda sig själv",
        key_points="Repetera, reflektera.",
        starts_at=datetime.combine(session_day, datetime.min.time(), zone) + timedelta(hours=13),
        ends_at=datetime.combine(session_day, datetime.min.time(), zone) + timedelta(hours=16),
        status=TrainingSession.Status.HELD,
    )
    users = User.objects.bulk_create(
        User(email=f"chef-{n:05d}@kaos.test", full_name=f"Chef {n}", password=make_password(None))
        for n in range(REMINDERS)
    )
    Invitation.objects.bulk_create(
        Invitation(session=session, user=user, attendance=Invitation.Attendance.PRESENT)
        for user in users
    )


def main() -> int:
    one_run_at_a_time(CHAOS_DB)
    started = time.monotonic()
    redis = Redis(REDIS_PORT)
    sink = Sink(SMTP_PORT)
    workers: dict[str, subprocess.Popen] = {}
    try:
        redis.start()
        sink.controller.start()
        recreate_database(ADMIN_DATABASE_URL, CHAOS_DB)
        log(f"database {CHAOS_DB}, Redis on port {REDIS_PORT}, SMTP sink on port {SMTP_PORT}")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, check=True
        )

        import django

        django.setup()
        from notifications.models import OutboxMessage
        from notifications.tasks import sweep_outbox
        from reminders import planner
        from reminders.schedule import add_send_days, send_time

        # A session on a working day; the planner runs at 08:30 the next working day.
        session_day = add_send_days(date.today() - timedelta(days=10), 1)
        moment = send_time(add_send_days(session_day, 1))
        seed(session_day)
        log(f"seeded {REMINDERS} managers who attended a session on {session_day}")

        planned = time.monotonic()
        counts = planner.run(now=moment)
        emails = OutboxMessage.objects.count()
        log(
            f"planner: {counts['sent']} reminders due, written as {emails} outbox emails "
            f"and queued, in {time.monotonic() - planned:.1f} s"
        )
        workers = {name: start_worker(name) for name in ("chaos1", "chaos2")}
        log("two workers drain the queue")

        killed = restarted = False
        last_sweep = 0.0
        deadline = started + TIMEOUT
        while time.monotonic() < deadline:
            received = sink.received
            if not killed and received >= REMINDERS // 4:
                victim = workers["chaos1"]
                os.kill(victim.pid, signal.SIGKILL)
                victim.wait()
                killed = True
                log(f"SIGKILL to worker chaos1 (pid {victim.pid}) at {received} received")
                time.sleep(1)
                workers["chaos1"] = start_worker("chaos1")
                log("worker chaos1 started again")
            elif killed and not restarted and received >= REMINDERS // 2:
                redis.stop()
                log(f"Redis stopped at {received} received: every queued task is gone")
                time.sleep(2)
                redis.start()
                restarted = True
                log("Redis started again, empty")
            if time.monotonic() - last_sweep > 2:
                last_sweep = time.monotonic()
                try:
                    sweep_outbox.apply_async(expires=10)
                except Exception as error:  # the broker may be down right now
                    log(f"sweeper not queued: {type(error).__name__}")
            sent = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count()
            if killed and restarted and sent >= REMINDERS and received >= REMINDERS:
                break
            time.sleep(0.2)
        time.sleep(3)  # anything still in flight, a late duplicate included, arrives now

        statuses = Counter(OutboxMessage.objects.values_list("status", flat=True))
        distinct = len(sink.message_ids)
        print()
        print("| what | count |")
        print("|---|---|")
        print(f"| reminders due | {REMINDERS} |")
        print(f"| outbox emails | {sum(statuses.values())} |")
        print(
            f"| outbox sent / pending / sending / failed | {statuses['sent']} / "
            f"{statuses['pending']} / {statuses['sending']} / {statuses['failed']} |"
        )
        print(f"| emails received by the SMTP sink | {sink.received} |")
        print(f"| distinct emails received | {distinct} |")
        print(f"| received more than once | {sink.duplicates} |")
        print(f"| worker killed with SIGKILL / Redis restarted | {killed} / {restarted} |")
        print(f"| seconds | {time.monotonic() - started:.1f} |")
        ok = killed and restarted and sink.received == distinct == REMINDERS
        print()
        print("OK: every reminder arrived exactly once." if ok else "FAILED")
        return 0 if ok else 1
    finally:
        for process in workers.values():
            stop_process_group(process)
        sink.controller.stop()
        redis.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 (Django may not have started)
            pass
        drop_database(ADMIN_DATABASE_URL, CHAOS_DB)


if __name__ == "__main__":
    sys.exit(main())
