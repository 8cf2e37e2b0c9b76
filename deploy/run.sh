#!/bin/sh
# Run a command in the portal's checkout with the production environment, as the systemd
# units do: the variables of /etc/ledarskap/ledarskap.env (LEDARSKAP_ENV_FILE) and the
# virtualenv's bin first on PATH. Run it as the service user:
#   sudo -u ledarskap /srv/ledarskap/app/deploy/run.sh python manage.py migrate
#   sudo -u ledarskap /srv/ledarskap/app/deploy/run.sh python scripts/restore_drill.py
set -eu
APP_DIR=$(cd "$(dirname "$0")/.." && pwd)
ENV_FILE=${LEDARSKAP_ENV_FILE:-/etc/ledarskap/ledarskap.env}
VENV=${LEDARSKAP_VENV:-/srv/ledarskap/venv}
[ "$#" -gt 0 ] || { echo "usage: $0 command [argument ...]" >&2; exit 2; }
[ -r "$ENV_FILE" ] || { echo "$0: cannot read $ENV_FILE" >&2; exit 1; }
cd "$APP_DIR"
# systemd's EnvironmentFile syntax (KEY=value, values may hold spaces, # starts a comment
# line), read by Python: a shell's `.` would run "<…>" in DEFAULT_FROM_EMAIL as a redirect.
exec "$VENV/bin/python" - "$ENV_FILE" "$VENV/bin" "$@" <<'PY'
import os
import shutil
import sys

env_file, bin_dir, *command = sys.argv[1:]
with open(env_file, encoding="utf-8") as lines:
    for line in lines:
        line = line.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        name, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ[name.strip()] = value
os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
program = shutil.which(command[0]) or command[0]
os.execv(program, command)
PY
