#!/usr/bin/env bash
# Make sure what the tests need is installed and running: Chromium, gettext, PostgreSQL, Redis.
# Installs Debian packages when missing (as root), starts the services when stopped,
# and fails with a clear message when something cannot be had. Never skips silently.
set -euo pipefail
# runuser, pg_ctlcluster and redis-server live in sbin, which a minimal PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

PG_HOST=127.0.0.1
REDIS_PORT=6379
# Matches the Makefile's test DATABASE_URL.
DB_ROLE=kungsor_ledarskap

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
# LibreOffice (headless): the tests convert HR's XLSX exports with it, as a reader would open them.
command -v soffice >/dev/null 2>&1 || apt_install --no-install-recommends libreoffice-calc-nogui

# PostgreSQL: use the one that answers on 127.0.0.1:5432; install or start it otherwise.
pg_up() { command -v pg_isready >/dev/null 2>&1 && pg_isready -h "$PG_HOST" -q; }
if ! pg_up; then
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  say "starting PostgreSQL"
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || die "PostgreSQL does not answer on $PG_HOST:5432"

# The tests' own role (password login works whatever pg_hba.conf trusts) and database.
psql_admin() {
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"
  else
    psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -U postgres "$@"
  fi
}
if ! psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'" | grep -q 1; then
  say "creating PostgreSQL role $DB_ROLE"
  psql_admin -c "CREATE ROLE $DB_ROLE LOGIN CREATEDB PASSWORD '$DB_ROLE'"
fi
if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_ROLE'" | grep -q 1; then
  say "creating database $DB_ROLE"
  psql_admin -c "CREATE DATABASE $DB_ROLE OWNER $DB_ROLE"
fi

# Redis: use the one that answers on 127.0.0.1:6379; install or start it otherwise.
redis_up() { command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; }
if ! redis_up; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no
  for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
fi
redis_up || die "Redis does not answer on 127.0.0.1:$REDIS_PORT"

say "Chromium, PostgreSQL and Redis are ready"
