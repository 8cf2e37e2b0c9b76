"""The nightly backup of Ledarskapsportalen (ledarskap-backup.timer runs it, docs/deploy.md).

1. The database in DATABASE_URL, with `pg_dump --format=custom` (restore with pg_restore;
   `scripts/restore_drill.py --dump FILE` proves a dump restores and serves).
2. The uploaded material files in MEDIA_ROOT, which are not in the database, as a tar file.
3. Backups older than BACKUP_KEEP_DAYS (30) days are deleted, so that what gallring and
   erasure removed from the portal is gone from the backups within that time too.

Files go to BACKUP_DIR (/var/backups/ledarskap), readable by their owner only, each written
under a temporary name and renamed when complete, so a file with a backup's name is whole.
The password goes to pg_dump in PGPASSWORD, never on its command line.
"""

import os
import subprocess
import sys
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from restore_drill import libpq_url, tool_env

PREFIX = "ledarskap-"


def log(message: str, **fields) -> None:
    # One JSON object per line, like every other log of the portal's.
    import json

    record = {"time": datetime.now(UTC).isoformat(), "logger": "ledarskap.backup"}
    sys.stdout.write(json.dumps(record | {"message": message} | fields) + "\n")
    sys.stdout.flush()


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in ("postgres", "postgresql", "pgsql"):
        log("DATABASE_URL is not a PostgreSQL address; nothing backed up", level="ERROR")
        return 1
    destination = Path(os.environ.get("BACKUP_DIR", "/var/backups/ledarskap"))
    keep_days = int(os.environ.get("BACKUP_KEEP_DAYS", "30"))
    media = Path(os.environ.get("MEDIA_ROOT", ""))
    destination.mkdir(parents=True, exist_ok=True)
    os.umask(0o077)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = unquote(urlsplit(database_url).path.lstrip("/"))

    dump = destination / f"{PREFIX}{name}-{stamp}.dump"
    partial = dump.with_suffix(".dump.partial")
    started = time.monotonic()
    subprocess.run(  # noqa: S603 (fixed program, our own arguments)
        ["pg_dump", "--format=custom", f"--file={partial}", f"--dbname={libpq_url(database_url)}"],  # noqa: S607
        env=tool_env(database_url),
        check=True,
        timeout=3600,
    )
    partial.rename(dump)
    log(
        "database backed up",
        file=str(dump),
        bytes=dump.stat().st_size,
        seconds=round(time.monotonic() - started, 1),
    )

    if media.is_dir():
        archive = destination / f"{PREFIX}media-{stamp}.tar"
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(media, arcname="media")
        partial.rename(archive)
        log("media files backed up", file=str(archive), bytes=archive.stat().st_size)
    else:
        log("MEDIA_ROOT is not a folder here; media files not backed up", level="WARNING")

    cutoff = time.time() - keep_days * 86400
    for old in destination.glob(f"{PREFIX}*"):
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink()
            log("old backup deleted", file=str(old), keep_days=keep_days)
    return 0


if __name__ == "__main__":
    sys.exit(main())
