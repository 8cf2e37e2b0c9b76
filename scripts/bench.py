"""`make bench`: the portal at national scale, measured against a floor, on loopback.

1. A database of its own is made, migrated and filled at national scale by
   scripts/bench_seed.py (bulk SQL; the time it took is reported).
2. The portal runs as in production: gunicorn, DEBUG off, collected static files served by
   whitenoise, behind a TLS proxy (the load generator sends X-Forwarded-Proto: https). wrk
   (Debian's package) measures each key page as a signed-in person of the right role, at 1
   and at 8 concurrent clients, and beside each page the floor: /_bench/golv/<bytes>/, a
   page of the same size through the same middleware, for the same person.
3. Reminder fan-out: 50,000 due reminders dispatched and sent by two Celery workers into an
   SMTP sink, beside 50,000 no-op tasks drained by the same two workers.
4. The HR sick-leave aggregation over all five years of figures, in this process.
5. The results go to var/bench/ (JSON and Markdown) and docs/benchmarks.md, and are printed.

Bounded: every step has a deadline (BENCH_TIMEOUT, default 1,700 s for the whole run), and
everything it started is stopped and its database dropped at the end, whatever happened.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
    wait_for_port,
)

STARTED = time.monotonic()
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "1700"))
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "4"))
FANOUT = int(os.environ.get("BENCH_REMINDERS", str(max(int(50_000 * SCALE), 100))))
FANOUT_TIMEOUT = float(os.environ.get("BENCH_FANOUT_TIMEOUT", "420"))
PASSWORD = "bench-lösenord-2027"  # noqa: S105 (the seeded benchmark users' password)

BENCH_DB = "kungsor_ledarskap_bench"
source_db = os.environ.get(
    "DATABASE_URL", "postgres://kungsor_ledarskap:kungsor_ledarskap@127.0.0.1:5432/kl"
)
DATABASE_URL, ADMIN_DATABASE_URL = database_urls(source_db, BENCH_DB)
WEB_PORT = free_port()
REDIS_PORT = free_port()
SMTP_PORT = free_port()

BENCH_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABC",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "BEHIND_TLS_PROXY": "true",
    "DATABASE_URL": DATABASE_URL,
    "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
    "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "SITE_URL": "https://127.0.0.1",
    "LOG_LEVEL": "WARNING",
    "BENCH_FLOOR": "true",
}
os.environ.update(BENCH_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kungsor_ledarskap.settings")
sys.path.insert(0, str(BASE_DIR))


def log(text: str) -> None:
    elapsed = time.monotonic() - STARTED
    print(f"[bench {elapsed:6.0f} s] {text}", flush=True)


def left() -> float:
    return TIMEOUT - (time.monotonic() - STARTED)


def run(args: list[str], *, timeout: float) -> None:
    subprocess.run(args, cwd=BASE_DIR, check=True, timeout=max(timeout, 1))


# The load generator ---------------------------------------------------------------------

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, '
    .. '"socket_errors": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def wrk(path: str, cookie: str, clients: int, seconds: int, script: Path) -> dict:
    output = subprocess.run(
        [
            *("wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s"),
            *("--timeout", "10s", "-s", str(script)),
            *("-H", f"Cookie: {cookie}", "-H", "X-Forwarded-Proto: https"),
            f"http://127.0.0.1:{WEB_PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH-RESULT "))
    result = json.loads(line.removeprefix("BENCH-RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    for key in ("p50", "p95", "p99"):
        result[f"{key}_ms"] = result.pop(f"{key}_us") / 1000
    return result


def fetch(path: str, cookie: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{WEB_PORT}{path}",
        headers={"Cookie": cookie, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  # nosec B310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# Who looks at what ----------------------------------------------------------------------


def signed_in_cookie(email: str) -> str:
    """A session for the person, as signing in makes it (the benchmark measures pages, not
    Argon2: one real sign-in per person is checked separately)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import mfa
    from accounts.models import User
    from accounts.security_log import SIGNED_IN_AT

    user = User.objects.get(email=email)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNED_IN_AT] = int(time.time())
    if mfa.required_for(user):
        # Coaches and HR have given the code from their authenticator app, too.
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def pages() -> list[tuple[str, str, str]]:
    """(label, who, path) of each key page, with the objects a real user of it would have."""
    from django.urls import reverse

    from accounts.models import User
    from programme.models import Cohort
    from reflections.models import Entry
    from sessions.models import TrainingSession

    manager = User.objects.get(email="bench.chef@bench.invalid")
    coach = User.objects.get(email="bench.coach@bench.invalid")
    entry = Entry.objects.filter(author=manager, deleted_at__isnull=True).latest("written_on")
    session = (
        TrainingSession.objects.filter(coaches=coach, starts_at__lte=datetime.now(UTC))
        .order_by("-starts_at")
        .first()
    )
    cohort = Cohort.objects.filter(coaches=coach).order_by("pk").first()
    return [
        ("Manager start page", "chef", reverse("start-manager")),
        ("Mina träffar", "chef", reverse("training_sessions:my-sessions")),
        ("Journal list", "chef", reverse("reflections:journal")),
        ("Journal search", "chef", reverse("reflections:journal") + "?q=ledarskap"),
        ("Journal editor", "chef", reverse("reflections:entry-edit", args=[entry.pk])),
        ("Coach schedule", "coach", reverse("training_sessions:schedule")),
        (
            "Session attendance",
            "coach",
            reverse("training_sessions:session-detail", args=[session.pk]),
        ),
        ("Cohort page", "coach", reverse("programme:cohort-detail", args=[cohort.pk])),
        ("HR dashboard", "hr", reverse("reports:dashboard")),
        (
            "HR export (units, XLSX)",
            "hr",
            reverse("reports:export", kwargs={"table": "enheter", "fmt": "xlsx"}),
        ),
    ]


def measure_pages(cookies: dict[str, str]) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "report.lua"
        script.write_text(WRK_SCRIPT)
        for label, who, path in pages():
            if left() < 120:
                log(f"out of time: {label} and what follows not measured")
                break
            try:
                status, body = fetch(path, cookies[who])
            except TimeoutError:
                log(f"{label}: no answer within 60 s; not measured")
                results.append({"page": label, "who": who, "path": path, "timed_out": True})
                continue
            if status != 200:
                raise SystemExit(f"{label}: {path} answered {status}")
            floor = f"/_bench/golv/{len(body)}/"
            row = {"page": label, "who": who, "path": path, "bytes": len(body)}
            wrk(path, cookies[who], 8, 2, script)  # warm every web worker
            for clients in (1, 8):
                row[f"c{clients}"] = wrk(path, cookies[who], clients, DURATION, script)
                row[f"floor_c{clients}"] = wrk(floor, cookies[who], clients, DURATION, script)
                row[f"c{clients}"]["ratio"] = row[f"c{clients}"]["rps"] / max(
                    row[f"floor_c{clients}"]["rps"], 1e-9
                )
            problems = sum(row[k]["non_2xx"] + row[k]["socket_errors"] for k in ("c1", "c8"))
            row["errors"] = problems
            log(
                f"{label}: p95 {row['c1']['p95_ms']:.1f} ms at 1 client, "
                f"{row['c8']['rps']:.0f} req/s at 8 ({row['c8']['ratio']:.2f} of the floor)"
            )
            results.append(row)
    return results


def check_real_sign_in() -> float:
    """One sign-in through the form, as a person does it: it must succeed (a redirect away
    from the sign-in page, with a session cookie). Returns milliseconds."""
    import http.client
    import re
    import urllib.parse

    def request(method: str, body: str | None = None, cookie: str = ""):
        connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=30)
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{WEB_PORT}/konto/logga-in/",
            "Cookie": cookie,
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, "/konto/logga-in/", body=body, headers=headers)
        response = connection.getresponse()
        return response, response.read().decode()

    started = time.monotonic()
    response, page = request("GET")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = "; ".join(
        value.split(";")[0] for name, value in response.getheaders() if name == "Set-Cookie"
    )
    form = {"csrfmiddlewaretoken": token, "username": "bench.chef@bench.invalid"}
    response, _ = request("POST", urllib.parse.urlencode(form | {"password": PASSWORD}), cookie)
    location = response.getheader("Location") or ""
    if response.status != 302 or "logga-in" in location:
        raise SystemExit(f"the benchmark manager could not sign in ({response.status})")
    return (time.monotonic() - started) * 1000


# Celery: reminders and the no-op floor ----------------------------------------------------


def fanout(sink: Sink, redis_url: str) -> dict:
    """FANOUT due reminders, sent by two workers; then as many no-op tasks, same workers."""
    import redis as redis_library
    from django.db import connection
    from django.utils import timezone

    from health.tasks import noop
    from notifications.models import OutboxMessage
    from reminders.models import Reminder
    from reminders.schedule import next_send_time
    from reminders.tasks import dispatch_reminders

    moment = next_send_time(timezone.now())
    with connection.cursor() as cursor:
        # Step 1 of the latest session each of the first FANOUT managers attended; past
        # 40,000 people, some get a second step, merged into the same email.
        cursor.execute(
            f"""
            INSERT INTO {Reminder._meta.db_table}
                (key, user_id, kind, session_id, step, offset_days, base_on, due_at,
                 status, skip_reason, response, created_at)
            SELECT 'bench:' || picked.user_id || ':' || picked.session_id || ':' || n,
                   picked.user_id, 'repetition', picked.session_id, n, n,
                   %s::date, %s, 'planerad', '', '', now()
            FROM (
                SELECT DISTINCT ON (user_id) user_id, session_id
                FROM training_sessions_invitation
                WHERE attendance = 'narvarande'
                ORDER BY user_id, session_id DESC
            ) picked
            CROSS JOIN generate_series(1, 2) n
            ORDER BY n, picked.user_id
            LIMIT %s
            """,  # noqa: S608  # nosec B608 (table name from the model)
            [moment.date(), moment - timedelta(minutes=1), FANOUT],
        )
        due = cursor.rowcount
    people = Reminder.objects.filter(status="planerad").values("user_id").distinct().count()
    log(f"fan-out: {due} reminders due to {people} people at {moment:%Y-%m-%d %H:%M} UTC")

    # Only this run's emails are counted: a count over the million seeded ones took half
    # a second each round, half a core of the database beside the workers being measured.
    seeded = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    workers = [start_worker(f"bench{n}") for n in (1, 2)]
    broker = redis_library.Redis.from_url(redis_url)
    result: dict = {"reminders": due, "people": people, "workers": 2}
    try:
        time.sleep(3)  # the workers are up
        started = time.monotonic()
        deadline = started + FANOUT_TIMEOUT
        dispatched_at = None
        last, still = None, 0
        while time.monotonic() < deadline:
            planned = Reminder.objects.filter(status="planerad").count()
            # One dispatcher at a time, as beat runs it: a new one when the last stopped
            # (at its time budget) and nothing has moved for two seconds.
            still = still + 1 if planned == last else 0
            if planned and (last is None or still == 4):
                dispatch_reminders.delay(now=moment.isoformat())
                still = 0
            last = planned
            if planned == 0 and dispatched_at is None:
                dispatched_at = time.monotonic() - started
            sent = OutboxMessage.objects.filter(pk__gt=seeded, status="sent").count()
            if planned == 0 and sent >= people and sink.received >= people:
                break
            time.sleep(0.5)
        seconds = time.monotonic() - started
        finished = sink.received >= people
        result.update(
            seconds=seconds,
            finished=finished,
            dispatched_seconds=dispatched_at,
            emails_received=sink.received,
            reminders_sent=Reminder.objects.filter(status="skickad").count(),
            reminders_per_second=Reminder.objects.filter(status="skickad").count() / seconds,
        )
        log(
            f"fan-out: {result['reminders_sent']} reminders in {sink.received} emails, "
            f"{seconds:.0f} s ({'done' if finished else 'NOT finished: stopped at its limit'})"
        )

        # The floor: as many no-op tasks, each its own task, through the same broker and
        # workers. One loop publishing them one at a time is slower than two workers drain
        # them (it measured the publisher), so they are all published first, to a queue
        # the workers do not consume yet, and the clock runs from when both start
        # consuming it until the last has been run and acknowledged.
        from kungsor_ledarskap.celery import app

        noop_queue = "bench-noop"
        broker.delete("celery", noop_queue)
        started = time.monotonic()
        with app.producer_or_acquire() as producer:
            for _ in range(due):
                noop.apply_async(queue=noop_queue, producer=producer)
        published = time.monotonic() - started
        queued = broker.llen(noop_queue)
        log(f"no-op: {queued} tasks published in {published:.1f} s; two workers drain them")
        started = time.monotonic()
        # limit: back as soon as both have answered (without it, it waits out the timeout).
        replies = app.control.add_consumer(noop_queue, reply=True, timeout=5, limit=2)
        if len(replies) != 2:
            raise SystemExit(f"the no-op queue: {len(replies)} of 2 workers answered")
        while time.monotonic() - started < FANOUT_TIMEOUT and (
            broker.llen(noop_queue) or broker.hlen("unacked")
        ):
            time.sleep(0.02)
        noop_seconds = time.monotonic() - started
        result.update(
            noop_tasks=queued,
            noop_seconds=noop_seconds,
            noop_publish_seconds=published,
            noop_per_second=queued / noop_seconds,
        )
        result["ratio"] = result["reminders_per_second"] / result["noop_per_second"]
        log(f"no-op: {queued} tasks drained in {noop_seconds:.1f} s")
    finally:
        for worker in workers:
            stop_process_group(worker)
    return result


def sick_leave_aggregation() -> dict:
    """The HR sick-leave figures over five years for the whole country, as the dashboard
    builds them: best and median of five runs, in milliseconds."""
    from django.db import reset_queries
    from django.utils import timezone

    from reports import selectors
    from reports.forms import Filters

    today = timezone.localdate()
    filters = Filters(since=today.replace(year=today.year - 5, day=1), until=today)
    org = selectors.organisation()
    times = []
    for _ in range(5):
        reset_queries()
        started = time.perf_counter()
        selectors.sick_leave(filters, org, None, [])
        times.append((time.perf_counter() - started) * 1000)
    return {"best_ms": min(times), "median_ms": statistics.median(times)}


# Reporting ------------------------------------------------------------------------------


def machine() -> dict:
    import django

    memory = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) // 1024
    postgres = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_mib": memory,
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql_client": postgres,
        "wrk": (wrk_version.stdout or wrk_version.stderr).splitlines()[0:1],
        "platform": platform.platform(),
        "web_workers": WEB_WORKERS,
        "scale": SCALE,
    }


ANALYSIS = "## What limits the goals not met"
GOAL_P95_MS, GOAL_RATIO, GOAL_HR_P95_MS, GOAL_P99_MS = 10, 0.15, 50, 250


def _unanswered(page: str, size: str, seconds: int) -> str:
    return f"| {page} | {size} | no answer within {seconds} s |" + " |" * 10 + " not met |"


def markdown(report: dict) -> str:
    info = report["machine"]
    lines = [
        "# Benchmarks",
        "",
        "The latest `make bench`, written by `scripts/bench.py`. Goals (2-core machine, one "
        "run): typical pages p95 ≤ 10 ms at 1 client and ≥ 0.15 of the floor's requests per "
        "second; HR dashboard p95 ≤ 50 ms at 1 client; nothing above p99 250 ms at 8 clients; "
        "reminder fan-out at least half the no-op task rate and 50,000 in under 5 minutes; "
        "the sick-leave aggregation under 500 ms.",
        "",
        f"Run {info['date']} on {info['cores']} cores, {info['memory_mib']} MiB, "
        f"{info['platform']}; Python {info['python']}, Django {info['django']}, "
        f"{info['postgresql_client']}; gunicorn with {info['web_workers']} sync workers; "
        f"data scale {info['scale']}.",
        "",
        "## Data",
        "",
        f"Seeding took {report['seed_seconds']:.0f} s.",
        "",
        "| table | rows |",
        "|---|---|",
        *(f"| {table} | {count:,} |" for table, count in report["rows"].items()),
        "",
        "## Pages",
        "",
        "Each page as a signed-in person of the role that uses it; the floor is a page of "
        "the same size through the same middleware. Latencies in ms; rps = requests per "
        "second; ratio = the page's rps / the floor's.",
        "",
        "| page | bytes | p50 @1 | p95 @1 | p99 @1 | rps @1 | ratio @1 | p95 @8 | p99 @8 "
        "| rps @8 | ratio @8 | floor rps @1 / @8 | goals |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["pages"]:
        if row.get("timed_out"):
            lines.append(_unanswered(row["page"], "–", 60))
            continue
        one, eight = row["c1"], row["c8"]
        if not one["requests"] or not eight["requests"]:
            lines.append(_unanswered(row["page"], f"{row['bytes']:,}", 10))
            continue
        limit = GOAL_HR_P95_MS if row["page"] == "HR dashboard" else GOAL_P95_MS
        missed = []
        if one["p95_ms"] > limit:
            missed.append(f"p95 @1 > {limit} ms")
        if row["page"] != "HR dashboard" and one["ratio"] < GOAL_RATIO:
            missed.append(f"ratio < {GOAL_RATIO}")
        if eight["p99_ms"] > GOAL_P99_MS:
            missed.append(f"p99 @8 > {GOAL_P99_MS} ms")
        if row["errors"]:
            missed.append(f"{row['errors']} errors")
        lines.append(
            f"| {row['page']} | {row['bytes']:,} | {one['p50_ms']:.1f} | {one['p95_ms']:.1f} "
            f"| {one['p99_ms']:.1f} | {one['rps']:.0f} | {one['ratio']:.2f} "
            f"| {eight['p95_ms']:.1f} | {eight['p99_ms']:.1f} | {eight['rps']:.0f} "
            f"| {eight['ratio']:.2f} | {row['floor_c1']['rps']:.0f} / "
            f"{row['floor_c8']['rps']:.0f} | {'met' if not missed else '; '.join(missed)} |"
        )
    fan = report.get("fanout") or {}
    sick = report.get("sick_leave") or {}
    lines += ["", "## Reminders and the sick-leave aggregation", ""]
    if fan:
        lines += [
            "| what | value |",
            "|---|---|",
            f"| due reminders / people | {fan['reminders']:,} / {fan['people']:,} |",
            f"| finished within {FANOUT_TIMEOUT:.0f} s | {'yes' if fan['finished'] else 'no'} |",
            f"| reminders sent / emails received | {fan['reminders_sent']:,} / "
            f"{fan['emails_received']:,} |",
            f"| seconds | {fan['seconds']:.1f} |",
            f"| reminders per second | {fan['reminders_per_second']:.1f} |",
            f"| no-op tasks per second (same two workers) | {fan['noop_per_second']:.1f} |",
            f"| ratio (goal ≥ 0.5) | {fan['ratio']:.3f} |",
        ]
    if sick:
        lines += [
            f"| sick-leave aggregation, 5 years, best / median (goal < 500 ms) | "
            f"{sick['best_ms']:.0f} / {sick['median_ms']:.0f} ms |",
        ]
    if report.get("sign_in_ms") is not None:
        lines += [f"| one real sign-in (form, Argon2) | {report['sign_in_ms']:.0f} ms |"]
    if report.get("dashboard_count_seconds") is not None:
        lines += [
            "| HR dashboard's default view counted (beat, every 5 minutes) | "
            f"{report['dashboard_count_seconds']:.1f} s |"
        ]
    lines += ["", f"The whole run took {report['seconds']:.0f} s.", ""]
    if report.get("notes"):
        lines += ["## Notes", "", *report["notes"], ""]
    return "\n".join(lines)


def row_counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "managers and other users": "accounts_user",
        "departments": "accounts_department",
        "cohorts": "programme_cohort",
        "sessions": "training_sessions_trainingsession",
        "invitations (attendance)": "training_sessions_invitation",
        "reflections": "reflections_entry",
        "outbox messages": "notifications_outboxmessage",
        "sick-leave figures": "reports_sickleavefigure",
    }
    counts = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  # nosec B608 (fixed names)
            counts[label] = cursor.fetchone()[0]
    return counts


def main() -> int:
    one_run_at_a_time(BENCH_DB)
    for tool in ("wrk", "redis-server", "psql"):
        if not shutil.which(tool):
            sys.exit(f"make bench needs {tool} (the Makefile installs it)")
    redis = Redis(REDIS_PORT)
    sink = Sink(SMTP_PORT)
    web = None
    report: dict = {"notes": []}
    try:
        redis.start()
        sink.controller.start()
        recreate_database(ADMIN_DATABASE_URL, BENCH_DB)
        log(f"database {BENCH_DB}; migrating")
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], timeout=left())
        started = time.monotonic()
        run([sys.executable, "scripts/bench_seed.py", "--scale", str(SCALE)], timeout=left())
        report["seed_seconds"] = time.monotonic() - started
        log(f"seeded in {report['seed_seconds']:.0f} s")
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], timeout=left())

        import django

        django.setup()
        report["machine"] = machine()
        report["rows"] = row_counts()
        # What beat does every 5 minutes in production: count HR's default view and keep it.
        from reports.tasks import refresh_dashboard

        started = time.monotonic()
        refresh_dashboard()
        report["dashboard_count_seconds"] = time.monotonic() - started
        log(f"HR dashboard counted and kept in {report['dashboard_count_seconds']:.1f} s")
        web = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "kungsor_ledarskap.wsgi"),
                *("--bind", f"127.0.0.1:{WEB_PORT}", "--workers", str(WEB_WORKERS)),
                *("--worker-class", "sync", "--log-level", "warning"),
            ],
            cwd=BASE_DIR,
            env=os.environ.copy(),
            start_new_session=True,
        )
        if not wait_for_port(WEB_PORT, 60):
            raise SystemExit("gunicorn did not start")
        report["sign_in_ms"] = check_real_sign_in()
        cookies = {
            who: signed_in_cookie(f"bench.{who}@bench.invalid") for who in ("chef", "coach", "hr")
        }
        report["pages"] = measure_pages(cookies)
        stop_process_group(web)
        web = None

        report["sick_leave"] = sick_leave_aggregation()
        log(f"sick-leave aggregation: {report['sick_leave']['best_ms']:.0f} ms (best of 5)")
        if left() > 60:
            report["fanout"] = fanout(sink, BENCH_ENV["CELERY_BROKER_URL"])
        else:
            report["notes"].append("- Reminder fan-out not run: the run's time was up.")
    finally:
        if web is not None:
            stop_process_group(web)
        sink.controller.stop()
        redis.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 (Django may not have started)
            pass
        drop_database(ADMIN_DATABASE_URL, BENCH_DB)

    report["seconds"] = time.monotonic() - STARTED
    out = BASE_DIR / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (out / f"bench-{stamp}.json").write_text(json.dumps(report, indent=2, default=str))
    text = markdown(report)
    (out / f"bench-{stamp}.md").write_text(text)
    if SCALE == 1.0 and os.environ.get("BENCH_WRITE_DOCS", "true") == "true":
        docs = BASE_DIR / "docs" / "benchmarks.md"
        # The hand-written analysis below the table stays; the table is replaced.
        kept = docs.read_text().partition(ANALYSIS)[2] if docs.exists() else ""
        docs.write_text(text + ("\n" + ANALYSIS + kept if kept else ""))
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
