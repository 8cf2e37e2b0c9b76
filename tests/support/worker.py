"""A real Celery worker in its own process, on Redis, against the test database."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]


class CeleryWorkerProcess:
    def __init__(self, *, database_name: str, smtp_port: int) -> None:
        self.database_name = database_name
        self.smtp_port = smtp_port
        self.process: subprocess.Popen | None = None
        self.log: list[str] = []
        self._ready = threading.Event()

    def _database_url(self) -> str:
        db = settings.DATABASES["default"]
        credentials = quote(db.get("USER") or "")
        if db.get("PASSWORD"):
            credentials += ":" + quote(db["PASSWORD"])
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{credentials}@{host}:{port}/{self.database_name}"

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self._database_url(),
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp_port}",
            # The worker must not hold connections open across the tests' table flushes.
            CONN_MAX_AGE="0",
            # Its "ready." line is logged at INFO, through the portal's logging settings.
            LOG_LEVEL="INFO",
        )
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        return env

    def _read_output(self) -> None:
        assert self.process and self.process.stdout
        for line in self.process.stdout:
            self.log.append(line)
            if " ready." in line:
                self._ready.set()

    def start(self, timeout: float = 60) -> None:
        if not settings.CELERY_BROKER_URL.startswith("redis://"):
            raise RuntimeError(
                "Celery tests need Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/15"
            )
        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kungsor_ledarskap",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--pool=prefork",
                "--hostname=test-worker@%h",
            ],
            cwd=BASE_DIR,
            env=self._environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read_output, daemon=True).start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError("Celery worker did not start:\n" + "".join(self.log[-50:]))

    def count(self, *texts: str) -> int:
        """How many log lines contain all of `texts`."""
        return sum(all(text in line for text in texts) for line in list(self.log))

    def wait_for_log(self, *texts: str, count: int = 1, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count(*texts) >= count:
                return
            time.sleep(0.1)
        raise AssertionError(f"worker log never showed {texts!r} {count} time(s)")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
