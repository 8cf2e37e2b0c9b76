"""The production files in deploy/: the systemd units, gunicorn's configuration, Redis's,
the example environment, and the JSON log lines they promise."""

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
DEPLOY = BASE_DIR / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
# Where docs/deploy.md installs things, and where they are in this checkout.
LAYOUT = {
    "/srv/ledarskap/app": str(BASE_DIR),
    "/srv/ledarskap/venv": str(Path(sys.executable).parent.parent),
    "/etc/ledarskap/ledarskap.env": str(DEPLOY / "ledarskap.env.example"),
}


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(path)
    return parser


def _here(text: str) -> str:
    for installed, local in LAYOUT.items():
        text = text.replace(installed, local)
    return text


def test_units_start_programs_and_files_that_exist_in_the_layout():
    services = [p for p in UNITS if p.suffix == ".service"]
    assert {p.name for p in services} == {
        "ledarskap-web.service",
        "ledarskap-worker@.service",
        "ledarskap-beat.service",
        "ledarskap-backup.service",
    }
    for path in services:
        service = _unit(path)["Service"]
        program, *arguments = _here(service["ExecStart"]).split()
        assert os.access(program, os.X_OK), f"{path.name}: {program}"
        assert service["WorkingDirectory"] == "/srv/ledarskap/app"
        assert Path(_here(service["EnvironmentFile"])).is_file()
        assert service["User"] == "ledarskap"
        for argument in arguments:
            if argument.startswith("/srv/ledarskap/app"):
                assert Path(_here(argument)).exists(), f"{path.name}: {argument}"
        if path.name != "ledarskap-backup.service":  # started by its timer
            assert _unit(path)["Install"]["WantedBy"] == "ledarskap.target"


def test_beat_is_one_unit_that_starts_only_where_it_is_chosen():
    beat = _unit(DEPLOY / "systemd" / "ledarskap-beat.service")
    assert beat["Unit"]["ConditionPathExists"] == "/etc/ledarskap/beat-runs-here"
    assert " beat " in beat["Service"]["ExecStart"]
    worker = _unit(DEPLOY / "systemd" / "ledarskap-worker@.service")["Service"]["ExecStart"]
    assert " worker " in worker and " -B" not in worker and "--beat" not in worker
    assert "%i" in worker  # each instance its own Celery node name


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_analyze_verifies_the_units(tmp_path):
    """systemd's own check, with the paths moved to this checkout (the programs must exist)."""
    for path in UNITS:
        (tmp_path / path.name).write_text(_here(path.read_text()))
    (tmp_path / "ledarskap-worker@1.service").write_text(
        (tmp_path / "ledarskap-worker@.service").read_text()
    )
    names = [
        "ledarskap.target",
        "ledarskap-web.service",
        "ledarskap-beat.service",
        "ledarskap-worker@1.service",
        "ledarskap-backup.service",
        "ledarskap-backup.timer",
    ]
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    ours = [line for line in result.stderr.splitlines() if "ledarskap" in line]
    assert result.returncode == 0 and not ours, result.stderr


def _gunicorn(code: str, **env: str) -> str:
    """Run `code` in a fresh Python with deploy/gunicorn.conf.py loaded into gunicorn's
    Config as `cfg` (its logging set up on the real standard output)."""
    script = f"""
import sys
from gunicorn.config import Config
from gunicorn.app.base import Application

class App(Application):
    def init(self, parser, opts, args):
        return None
    def load(self):
        return None

sys.argv = ["gunicorn"]
app = App()
app.cfg = Config()
for key, value in app.get_config_from_filename({str(DEPLOY / "gunicorn.conf.py")!r}).items():
    if key in app.cfg.settings and value is not None:
        app.cfg.set(key.lower(), value)
cfg = app.cfg
{code}
"""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    return _python(script, environment | env).stdout


def _python(code: str, environment: dict) -> subprocess.CompletedProcess:
    """`code` run by a fresh Python in the checkout, with this environment."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_gunicorn_configuration_reads_the_environment():
    out = _gunicorn(
        "import json; print(json.dumps({'bind': cfg.bind, 'workers': cfg.workers, "
        "'timeout': cfg.timeout, 'max_requests': cfg.max_requests, "
        "'jitter': cfg.max_requests_jitter, 'forwarded': cfg.forwarded_allow_ips, "
        "'accesslog': cfg.accesslog, 'logger': cfg.logger_class.__name__, "
        "'chdir': cfg.chdir, 'app': cfg.wsgi_app}))",
        GUNICORN_BIND="127.0.0.1:8123",
        WEB_CONCURRENCY="3",
        FORWARDED_ALLOW_IPS="10.0.0.5",
    )
    config = json.loads(out.splitlines()[-1])
    assert config["bind"] == ["127.0.0.1:8123"]
    assert config["workers"] == 3
    assert config["timeout"] == 30
    assert config["max_requests"] >= 100 and config["jitter"] > 0
    assert config["forwarded"] == ["10.0.0.5"]
    assert config["accesslog"] == "-"
    assert config["logger"] == "PortalLogger"
    assert config["chdir"] == str(BASE_DIR)
    assert config["app"] == "kungsor_ledarskap.wsgi"


def test_gunicorn_access_log_is_json_without_query_strings_or_secret_paths():
    out = _gunicorn(
        """
from datetime import timedelta
logger = cfg.logger_class(cfg)

class Response:
    status = "200 OK"
    sent = 1234
    headers = []

for path in ("/mina-traffar/", "/kalender/hemlig-token.ics", "/avregistrera/abc.def/",
             "/konto/aterstall/MQ/c4x-123/", "/traffar/7/incheckning/K3J9QX/"):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "RAW_URI": path + "?q=hemligt",
               "QUERY_STRING": "q=hemligt", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7",
               "HTTP_USER_AGENT": "test"}
    logger.access(Response(), [], environ, timedelta(milliseconds=12))
# Straight to gunicorn, not from the proxy: the header is not believed.
environ |= {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
logger.access(Response(), [], environ, timedelta(milliseconds=12))
""",
        LOG_FORMAT="json",
        TRUSTED_PROXIES="127.0.0.1",
    )
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert [line["path"] for line in lines] == [
        "/mina-traffar/",
        "/kalender/….ics",
        "/avregistrera/…/",
        "/konto/aterstall/…/…/",
        "/traffar/7/incheckning/…/",
        "/traffar/7/incheckning/…/",
    ]
    assert [line["client_addr"] for line in lines] == ["198.51.100.7"] * 5 + ["203.0.113.9"]
    assert "forwarded_for" not in lines[0]
    first = lines[0]
    assert first["logger"] == "gunicorn.access"
    assert first["level"] == "INFO"
    assert first["status"] == 200 and first["method"] == "GET" and first["bytes"] == 1234
    assert first["duration_ms"] == 12.0
    assert "hemlig" not in out and "abc.def" not in out and "c4x" not in out


def test_django_logs_one_json_object_per_line_in_production():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('kungsor_ledarskap.security').warning('event=%s', 'sign_in')"
    )
    environment = os.environ | {"LOG_FORMAT": "json", "LOG_LEVEL": "INFO"}
    environment.setdefault("DJANGO_SETTINGS_MODULE", "kungsor_ledarskap.settings")
    result = _python(code, environment)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    record = json.loads(lines[0])
    assert record["message"] == "event=sign_in"
    assert record["level"] == "WARNING"
    assert record["logger"] == "kungsor_ledarskap.security"
    assert record["time"]


def test_example_environment_names_every_variable_the_settings_read():
    source = (BASE_DIR / "kungsor_ledarskap" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= {f"RETENTION_{name.upper()}_DAYS" for name in settings.RETENTION_DAYS}
    names |= {"WEB_CONCURRENCY", "GUNICORN_BIND", "FORWARDED_ALLOW_IPS", "CELERY_CONCURRENCY"}
    example = (DEPLOY / "ledarskap.env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert names - listed == set()
    required = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL"}
    active = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert required | {"CACHE_URL", "EMAIL_URL", "BEHIND_TLS_PROXY"} <= active
    assert re.search(r"^DEBUG=false$", example, flags=re.MULTILINE)


def test_redis_configuration_keeps_every_queued_task():
    conf = {}
    for line in (DEPLOY / "redis.conf").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition(" ")
            conf.setdefault(key, []).append(value.strip())
    assert conf["appendonly"] == ["yes"]
    assert conf["appendfsync"] == ["everysec"]
    assert conf["maxmemory-policy"] == ["noeviction"]
    assert conf["bind"] == ["127.0.0.1 -::1"]


def test_restore_drill_keeps_the_password_off_the_command_line():
    sys.path.insert(0, str(BASE_DIR / "scripts"))
    try:
        import restore_drill
    finally:
        sys.path.remove(str(BASE_DIR / "scripts"))
    url = "postgres://ledarskap:s%40cret@db.kungsor.se:5433/ledarskap"
    assert restore_drill.libpq_url(url) == "postgresql://ledarskap@db.kungsor.se:5433/ledarskap"
    assert restore_drill.tool_env(url)["PGPASSWORD"] == "s@cret"
    assert restore_drill.with_database(url, "x").endswith("@db.kungsor.se:5433/x")


def test_backup_dumps_the_database_and_media_and_deletes_old_backups(db, tmp_path):
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    media = tmp_path / "media"
    (media / "material").mkdir(parents=True)
    (media / "material" / "teori.pdf").write_bytes(b"%PDF-1.4 test")
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "ledarskap-old-20200101-000000.dump"
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    result = subprocess.run(
        [sys.executable, str(DEPLOY / "backup.py")],
        env=os.environ
        | {"DATABASE_URL": url, "BACKUP_DIR": str(backups), "MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    messages = [json.loads(line)["message"] for line in result.stdout.splitlines()]
    assert messages == ["database backed up", "media files backed up", "old backup deleted"]
    assert not old.exists()
    (dump,) = backups.glob("ledarskap-*.dump")
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE public accounts_user" in listing
    (archive,) = backups.glob("ledarskap-media-*.tar")
    import tarfile

    with tarfile.open(archive) as tar:
        assert "media/material/teori.pdf" in tar.getnames()
