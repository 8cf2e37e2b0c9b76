"""Parts that `make chaos` and `make bench` run on loopback, each of their own: a Redis
server on a free port, an SMTP sink that counts what arrives by Message-ID, Celery workers
as child processes, and a PostgreSQL database made and dropped for the run."""

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[1]


_LOCKS: list = []


def one_run_at_a_time(name: str) -> None:
    """Stop at once if another run that uses the database `name` is going on this machine:
    both would make, fill and drop the same database under each other. The lock is a file
    lock, so it goes with the process however that ends."""
    handle = open(Path(tempfile.gettempdir()) / f"{name}.lock", "w")  # noqa: SIM115 (held until exit)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"another run using the database {name} is going on this machine; wait for it")
    _LOCKS.append(handle)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def database_urls(source_url: str, name: str) -> tuple[str, str]:
    """(the run's own database, the server's maintenance database), from a loopback
    PostgreSQL URL; anything else stops the run."""
    parts = urlsplit(source_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql") or parts.hostname not in (
        "127.0.0.1",
        "localhost",
        "::1",
    ):
        sys.exit("this needs PostgreSQL on loopback in DATABASE_URL")
    return urlunsplit(parts._replace(path=f"/{name}")), urlunsplit(parts._replace(path="/postgres"))


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Redis:
    """A Redis server of our own, keeping nothing on disk."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if not binary:
            sys.exit("this needs redis-server (Debian package redis-server)")
        self.process = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
        )
        if not wait_for_port(self.port):
            sys.exit("our Redis did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Sink:
    """An SMTP server that accepts everything and counts it by Message-ID."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.message_ids: Counter = Counter()
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope) -> str:
        from email import message_from_bytes

        message_id = message_from_bytes(envelope.original_content)["Message-ID"]
        with self.lock:
            self.message_ids[message_id] += 1
        return "250 OK"

    @property
    def received(self) -> int:
        with self.lock:
            return sum(self.message_ids.values())

    @property
    def duplicates(self) -> int:
        with self.lock:
            return sum(n - 1 for n in self.message_ids.values() if n > 1)


def start_worker(name: str, concurrency: int = 2) -> subprocess.Popen:
    """A Celery worker with the environment of this process."""
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "kungsor_ledarskap", "worker"),
            *("--loglevel=WARNING", f"--concurrency={concurrency}", "--pool=prefork"),
            f"--hostname={name}@%h",
        ],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_process_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
