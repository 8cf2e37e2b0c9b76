#!/usr/bin/env bash
# Debian's python3 comes without the venv module (package python3-venv).
set -euo pipefail
python=${1:-python3}
if "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing python3-venv"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null
  "$python" -c 'import venv, ensurepip' && exit 0
fi
echo "ERROR: $python has no venv module. On Debian or Ubuntu: sudo apt-get install python3-venv" >&2
exit 1
