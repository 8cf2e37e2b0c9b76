"""Writes docs/privacy.md from the privacy registry (kungsor_ledarskap/privacy.py).

Run: python scripts/privacy_doc.py  (a test checks the file is up to date)."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
INTRO = """# Privacy: what Ledarskapsportalen stores, why, for how long, who sees it

For Kungsör municipality's data protection impact assessment (konsekvensbedömning). Written
from the registry in `kungsor_ledarskap/privacy.py` by `scripts/privacy_doc.py`; a test fails
when the registry and this document differ, and when a model or field is missing from the
registry.

Classes: **none** (nothing about a person), **personal** (identifies or concerns a person),
**sensitive** (what a manager wrote in confidence, credentials, or health-related figures).

The journal is the most sensitive part: entries are their author's alone. A coach reads an
entry only while its author shares it. HR sees counts, never text, and figures about
reflections only for groups of at least 5 managers; sick leave only for groups of more than
10 employees. Every view HR makes of a report, and every export, is written to an
append-only access log.

**Status of the periods.** "Kept" states the period each kind of data is meant to be kept.
Enforced automatically today: the journal's trash (entries are deleted 30 days after being
put there), sign-in lockouts (15 minutes), and sessions (30 minutes idle, 12 hours at most).
The periodic deletion (gallring) of everything else, and the export and erasure of one
person's data, are not built yet; until they are, the periods are applied by hand.
"""


def render() -> str:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kungsor_ledarskap.settings")
    from kungsor_ledarskap.privacy import REGISTRY, WHO_SEES

    lines = [INTRO]
    current_app = None
    for label in sorted(REGISTRY):
        app = label.split(".")[0]
        entry = REGISTRY[label]
        if app != current_app:
            current_app = app
            lines.append(f"\n## {app}\n\nWho sees it: {WHO_SEES[app]}\n")
        lines.append(f"\n### `{label}`\n")
        lines.append(f"- Purpose: {entry.purpose}")
        lines.append(f"- Kept: {entry.retention}")
        for level in ("sensitive", "personal", "none"):
            names = sorted(getattr(entry, level).split())
            if names:
                lines.append(f"- {level.capitalize()}: " + ", ".join(f"`{n}`" for n in names))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (BASE_DIR / "docs" / "privacy.md").write_text(render())
