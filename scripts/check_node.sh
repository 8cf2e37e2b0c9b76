#!/usr/bin/env bash
# Stops with a plain message when this machine's Node.js is older than the one the tests'
# Node.js tools need: the "engines" entry of the package.json given (">=X.Y.Z").
set -euo pipefail
package_json="$1"
needed=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["engines"]["node"].removeprefix(">="))' "$package_json")
if ! command -v node >/dev/null; then
    echo "Node.js $needed or newer is needed for the tests ($package_json), and node is not installed." >&2
    exit 1
fi
found=$(node --version | sed 's/^v//')
if ! python3 - "$found" "$needed" <<'PY'
import sys
found, needed = (tuple(int(part) for part in v.split(".")[:3]) for v in sys.argv[1:3])
sys.exit(0 if found >= needed else 1)
PY
then
    echo "Node.js $needed or newer is needed for the tests ($package_json); this machine has $found." >&2
    echo "Install a newer Node.js (e.g. from Debian backports or nodejs.org), then run make test again." >&2
    exit 1
fi
