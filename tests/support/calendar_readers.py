"""Second readers of our iCalendar output, neither used by the portal's own code: vobject
(Python) and ical.js (the parser behind Thunderbird, on the Node.js the tests already use).

Both read the file as a calendar client would, from its own VTIMEZONE, and give back what
the client would show: each event's start and end as aware UTC datetimes.
"""

import io
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import vobject

NODE_TOOLS = Path(__file__).resolve().parent.parent / "oidc_provider"
ICALJS_SCRIPT = NODE_TOOLS / "ical_read.mjs"


@dataclass
class Occurrence:
    recurrence_id: datetime
    start: datetime
    end: datetime
    status: str | None = None


@dataclass
class ReadEvent:
    uid: str
    summary: str
    description: str | None
    start: datetime
    end: datetime
    recurrence_id: datetime | None = None
    status: str | None = None
    occurrences: list[Occurrence] = field(default_factory=list)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def read_with_icaljs(data: bytes) -> tuple[str | None, list[ReadEvent]]:
    """(METHOD, events) as ical.js reads `data`; a recurring event lists its occurrences
    with its RECURRENCE-ID exceptions applied."""
    if not (NODE_TOOLS / "node_modules" / "ical.js" / "package.json").is_file():
        raise RuntimeError(
            f"ical.js is not installed: run `npm ci --prefix {NODE_TOOLS}` (or `make test`)."
        )
    node = os.environ.get("NODE") or shutil.which("node")
    if not node:
        raise RuntimeError("Node.js (`node`) is needed to read calendars with ical.js.")
    result = subprocess.run(
        [node, str(ICALJS_SCRIPT)], input=data, capture_output=True, check=True, timeout=60
    )
    parsed = json.loads(result.stdout)
    events = [
        ReadEvent(
            uid=e["uid"],
            summary=e["summary"],
            description=e["description"],
            start=_utc(e["start"]),
            end=_utc(e["end"]),
            recurrence_id=_utc(e["recurrenceId"]) if e["recurrenceId"] else None,
            status=e["status"],
            occurrences=[
                Occurrence(_utc(o["recurrenceId"]), _utc(o["start"]), _utc(o["end"]), o["status"])
                for o in e["occurrences"]
            ],
        )
        for e in parsed["events"]
    ]
    return parsed["method"], events


def read_with_vobject(data: bytes) -> tuple[str | None, list[ReadEvent]]:
    """(METHOD, events) as vobject reads `data` (times from the file's own VTIMEZONE)."""
    calendar = vobject.readOne(io.StringIO(data.decode("utf-8")))
    method = calendar.method.value if hasattr(calendar, "method") else None
    events = []
    for vevent in calendar.contents.get("vevent", []):
        recurrence_id = vevent.contents.get("recurrence-id")
        events.append(
            ReadEvent(
                uid=vevent.uid.value,
                summary=vevent.summary.value,
                description=vevent.description.value if "description" in vevent.contents else None,
                start=vevent.dtstart.value.astimezone(UTC),
                end=vevent.dtend.value.astimezone(UTC),
                recurrence_id=recurrence_id[0].value.astimezone(UTC) if recurrence_id else None,
                status=vevent.status.value if "status" in vevent.contents else None,
                occurrences=[
                    Occurrence(start.astimezone(UTC), start.astimezone(UTC), None)
                    for start in (vevent.getrruleset() or [])
                ]
                if "rrule" in vevent.contents
                else [],
            )
        )
    return method, events


READERS = {"vobject": read_with_vobject, "ical.js": read_with_icaljs}
