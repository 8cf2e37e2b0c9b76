"""`make restore-drill`: prove that a backup of the portal's database can be restored and
served, without touching the database it came from.

1. Dump the database in DATABASE_URL (or --database-url) with `pg_dump --format=custom`, as
   the nightly backup does (docs/deploy.md), and count the rows of the main tables in the
   same snapshot the dump reads; or, with --dump FILE, take an existing backup instead.
2. Create a new database with a name of its own (<source>_drill_<time>) on the same server
   (or the one --admin-url names) and `pg_restore` the dump into it.
3. `manage.py migrate --check` against it: the restored schema is the one this code expects.
4. Start gunicorn on it (deploy/gunicorn.conf.py, production settings, loopback, a free
   port) and check that /healthz reports the database and the broker OK and that the
   sign-in page is served.
5. Compare the row counts of the main tables between the source and the restored copy.
6. Drop the restored database, unless --keep.

The restored copy gets a broker of its own (kombu's filesystem transport in a temporary
folder), no cache and no outgoing email, so nothing it does can reach the live portal's
workers or anyone's inbox. Bounded: every step has a deadline (--timeout, default 300 s).
Exit status 0 only if every check passed.
"""

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from loopback import BASE_DIR, free_port, stop_process_group, wait_for_port

# The tables whose row counts must match; others (sessions, axes' log) change with traffic.
MAIN_TABLES = [
    "accounts_user",
    "accounts_department",
    "programme_programme",
    "programme_cohort",
    "programme_cohortmembership",
    "training_sessions_trainingsession",
    "training_sessions_invitation",
    "reflections_entry",
    "reflections_commitment",
    "reminders_reminder",
    "notifications_outboxmessage",
    "reports_sickleavefigure",
    "django_migrations",
]
# Environment variables of the live portal that must not reach the restored copy's server.
ISOLATED = ("CACHE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "GUNICORN_BIND", "PORT")


def say(text: str) -> None:
    print(f"[restore-drill {time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}", flush=True)


class DrillFailed(Exception):
    pass


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self, at_most: float | None = None) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise DrillFailed("out of time (see --timeout)")
        return min(left, at_most) if at_most else left


# PostgreSQL addresses and tools -----------------------------------------------------------


def libpq_url(url: str) -> str:
    """The address as libpq takes it (postgresql://), without the password, which goes to
    the tools in PGPASSWORD instead of their command line (visible to every user in ps)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise DrillFailed(f"not a PostgreSQL address: {parts.scheme}://…")
    host = parts.hostname or ""
    netloc = (f"{unquote(parts.username)}@" if parts.username else "") + (
        f"[{host}]" if ":" in host else host
    )
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def tool_env(url: str) -> dict[str, str]:
    environment = os.environ.copy()
    password = urlsplit(url).password
    if password:
        environment["PGPASSWORD"] = unquote(password)
    return environment


def pg_tool(name: str) -> str:
    binary = shutil.which(name)
    if not binary:
        raise DrillFailed(f"this needs {name} (Debian package postgresql-client)")
    return binary


def connect(url: str, **kwargs):
    import psycopg

    password = urlsplit(url).password
    return psycopg.connect(
        libpq_url(url), **({"password": unquote(password)} if password else {}), **kwargs
    )


def count_rows(cursor, tables: list[str]) -> dict[str, int | None]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
        [tables],
    )
    present = {row[0] for row in cursor.fetchall()}
    counts: dict[str, int | None] = {}
    for table in tables:
        if table in present:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608  # nosec B608
            counts[table] = cursor.fetchone()[0]
        else:
            counts[table] = None
    return counts


def dump(source_url: str, target: Path, deadline: Deadline) -> dict[str, int | None]:
    """pg_dump the source into `target`; returns the row counts in the snapshot it dumped."""
    # One snapshot for both: the counts are exactly what the dump holds, even while the
    # portal keeps writing.
    with connect(source_url, autocommit=True) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with connection.cursor() as cursor:
            counts = count_rows(cursor, MAIN_TABLES)
        started = time.monotonic()
        subprocess.run(
            [
                pg_tool("pg_dump"),
                *("--format=custom", "--no-owner", f"--snapshot={snapshot}"),
                f"--file={target}",
                f"--dbname={libpq_url(source_url)}",
            ],
            env=tool_env(source_url),
            check=True,
            timeout=deadline.left(),
        )
        connection.execute("ROLLBACK")
    say(
        f"dumped {database_name(source_url)} to {target} "
        f"({target.stat().st_size / 1024:.0f} KiB, {time.monotonic() - started:.1f} s)"
    )
    return counts


def create_database(admin_url: str, name: str) -> None:
    with connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    with connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(dump_file: Path, target_url: str, deadline: Deadline) -> None:
    started = time.monotonic()
    subprocess.run(
        [
            pg_tool("pg_restore"),
            *("--no-owner", "--no-privileges", "--exit-on-error", "--jobs=2"),
            f"--dbname={libpq_url(target_url)}",
            str(dump_file),
        ],
        env=tool_env(target_url),
        check=True,
        timeout=deadline.left(),
    )
    say(f"restored into {database_name(target_url)} in {time.monotonic() - started:.1f} s")


# The portal on the restored copy ----------------------------------------------------------


def portal_env(target_url: str, port: int, folder: Path) -> dict[str, str]:
    """Production settings from this environment, pointed at the restored copy and cut off
    from everything the live portal shares: its broker, cache and email."""
    environment = {k: v for k, v in os.environ.items() if k not in ISOLATED}
    hosts = [h for h in environment.get("ALLOWED_HOSTS", "").split(",") if h]
    environment.update(
        {
            "DEBUG": "false",
            # A key of its own: nothing signed by the live portal is valid here, nor back.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": ",".join([*hosts, "127.0.0.1"]),
            "DATABASE_URL": target_url,
            "CELERY_BROKER_URL": "filesystem://",
            "CELERY_BROKER_FOLDER": str(folder / "broker"),
            "EMAIL_URL": "consolemail://",
            "CACHE_URL": "",
            "BEHIND_TLS_PROXY": "true",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(folder / "celerybeat-schedule"),
        }
    )
    for sub in ("queue", "control"):
        (folder / "broker" / sub).mkdir(parents=True, exist_ok=True)
    return environment


def get(port: int, path: str) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def check_served(port: int) -> None:
    import json

    status, body = get(port, "/healthz")
    try:
        health = json.loads(body)
    except ValueError as error:
        raise DrillFailed(f"/healthz answered {status} without JSON") from error
    # No beat runs against the restored copy, so its heartbeat is the backup's: reported,
    # not required.
    if health.get("database") != "ok" or health.get("broker") != "ok":
        raise DrillFailed(f"/healthz on the restored copy: {body}")
    beat = health.get("beat", {})
    say(
        f"/healthz: database ok, broker ok (beat {beat.get('status')}: no beat runs against "
        f"the copy; last heartbeat in the backup {beat.get('last_heartbeat')})"
    )
    status, body = get(port, "/konto/logga-in/")
    if status != 200 or 'name="csrfmiddlewaretoken"' not in body or 'name="password"' not in body:
        raise DrillFailed(f"the sign-in page on the restored copy answered {status}")
    say("the sign-in page is served")


def run_drill(
    *,
    source_url: str,
    admin_url: str | None = None,
    dump_file: Path | None = None,
    keep: bool = False,
    timeout: float = 300,
    check: Callable[[int], None] | None = None,
) -> dict:
    """The drill, as described at the top. `check(port)` runs more checks against the portal
    on the restored copy (`make prod-check` signs in there). Raises DrillFailed."""
    deadline = Deadline(timeout)
    source = database_name(source_url)
    name = f"{source}_drill_{datetime.now(UTC):%Y%m%d%H%M%S}_{secrets.token_hex(2)}"
    target_url = with_database(admin_url or source_url, name)
    admin_url = admin_url or with_database(source_url, "postgres")
    report: dict = {"database": name}
    web = None
    created = False
    with tempfile.TemporaryDirectory(prefix="restore-drill-") as temporary:
        folder = Path(temporary)
        try:
            if dump_file is None:
                dump_file = folder / f"{source}.dump"
                source_counts = dump(source_url, dump_file, deadline)
            else:
                say(f"restoring the backup {dump_file}")
                source_counts = None
            create_database(admin_url, name)
            created = True
            say(f"created the database {name}")
            restore(dump_file, target_url, deadline)

            environment = portal_env(target_url, free_port(), folder)
            port = int(environment["GUNICORN_BIND"].rpartition(":")[2])
            migrations = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--check", "--noinput"],
                cwd=BASE_DIR,
                env=environment,
                capture_output=True,
                text=True,
                timeout=deadline.left(),
                check=False,
            )
            if migrations.returncode != 0:
                output = (migrations.stdout + migrations.stderr).strip()
                raise DrillFailed(
                    "the restored database is not at this code's migrations (manage.py "
                    "migrate --check failed; --keep keeps the copy to look at with "
                    "showmigrations)" + (f":\n{output}" if output else "")
                )
            say("migrate --check: the restored schema is the one this code expects")

            with connect(target_url) as connection, connection.cursor() as cursor:
                restored_counts = count_rows(cursor, MAIN_TABLES)

            log_file = folder / "gunicorn.log"
            with open(log_file, "wb") as output:
                web = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                    cwd=BASE_DIR,
                    env=environment,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if not wait_for_port(port, deadline.left(60)):
                raise DrillFailed(
                    "gunicorn did not start on the restored copy:\n"
                    + log_file.read_text(errors="replace")[-3000:]
                )
            say(f"gunicorn serves the restored copy on 127.0.0.1:{port}")
            check_served(port)
            if check is not None:
                check(port)

            report["counts"] = {"source": source_counts, "restored": restored_counts}
            print()
            print("| table | source | restored |")
            print("|---|---|---|")
            mismatched = []
            for table in MAIN_TABLES:
                expected = "–" if source_counts is None else source_counts[table]
                got = restored_counts[table]
                print(f"| {table} | {expected} | {got} |")
                if source_counts is not None and expected != got:
                    mismatched.append(table)
            print()
            if mismatched:
                raise DrillFailed(f"row counts differ in {', '.join(mismatched)}")
            if source_counts is not None:
                say("row counts match in every main table")
            report["ok"] = True
            return report
        finally:
            if web is not None:
                stop_process_group(web)
            if created and not keep:
                drop_database(admin_url, name)
                say(f"dropped {name}")
            elif created:
                say(f"kept {name} (--keep): drop it with  dropdb {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="the database to dump (default: DATABASE_URL)",
    )
    parser.add_argument(
        "--dump", type=Path, help="restore this pg_dump --format=custom file instead of dumping"
    )
    parser.add_argument(
        "--admin-url",
        help="a role that may create databases, on the server to restore to "
        "(default: --database-url's role and server, database postgres)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    parser.add_argument("--timeout", type=float, default=300, help="seconds for the whole drill")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("set DATABASE_URL or give --database-url")
    if args.dump is not None and not args.dump.is_file():
        parser.error(f"{args.dump} is not a file")
    sys.path.insert(0, str(BASE_DIR))
    started = time.monotonic()
    try:
        report = run_drill(
            source_url=args.database_url,
            admin_url=args.admin_url,
            dump_file=args.dump,
            keep=args.keep,
            timeout=args.timeout,
        )
    except (DrillFailed, subprocess.SubprocessError, OSError) as error:
        say(f"FAILED: {error}")
        return 1
    except Exception as error:  # psycopg's errors, among others: say what, then fail
        say(f"FAILED: {type(error).__name__}: {error}")
        return 1
    say(f"OK: {report['database']} restored and served in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
