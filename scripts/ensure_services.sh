#!/usr/bin/env bash
# Make sure what the tests need is installed and running: Chromium, gettext, PostgreSQL, Redis.
# Installs Debian packages when missing (as root), starts the services when stopped,
# and fails with a clear message when something cannot be had. Never skips silently.
set -euo pipefail

PG_HOST=127.0.0.1
REDIS_PORT=6379

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

apt_updated=0
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian package(s) $*: install them (sudo apt-get install $*) and run again"
  fi
  command -v apt-get >/dev/null || die "missing $*, and no apt-get to install it with"
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    apt-get update -q >/dev/null
    apt_updated=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}

# Chromium, from Debian's package (Playwright's own browser download is not used).
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
/usr/bin/chromium --version >/dev/null 2>&1 || die "/usr/bin/chromium is installed but does not run"

# gettext and rsync: the test that the Swedish catalogue covers every string runs makemessages.
command -v xgettext >/dev/null 2>&1 || apt_install gettext
command -v rsync >/dev/null 2>&1 || apt_install rsync

# PostgreSQL
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt_install postgresql
fi
if ! pg_isready -h "$PG_HOST" -q; then
  say "starting PostgreSQL"
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do pg_isready -h "$PG_HOST" -q && break; sleep 1; done
fi
pg_isready -h "$PG_HOST" -q || die "PostgreSQL does not answer on $PG_HOST:5432"
# The database named in the tests' DATABASE_URL (pytest makes its own test_ copy beside it).
if ! psql -h "$PG_HOST" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'kungsor_ledarskap'" | grep -q 1; then
  say "creating database kungsor_ledarskap"
  createdb -h "$PG_HOST" -U postgres kungsor_ledarskap
fi

# Redis
if ! command -v redis-server >/dev/null 2>&1; then
  apt_install redis-server
fi
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no
  for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 || die "Redis does not answer on 127.0.0.1:$REDIS_PORT"

say "Chromium, PostgreSQL and Redis are ready"
