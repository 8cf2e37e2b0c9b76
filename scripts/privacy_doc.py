"""Writes docs/privacy.md from the privacy registry (privacy/registry.py).

Run: python scripts/privacy_doc.py  (a test checks the file is up to date)."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
INTRO = """# Privacy: what Ledarskapsportalen stores, why, for how long, who sees it

For Kungsör municipality's data protection impact assessment (konsekvensbedömning). Written
from the registry in `privacy/registry.py` by `scripts/privacy_doc.py`; a test fails
when the registry and this document differ, and when a model or field is missing from the
registry.

Classes: **none** (nothing about a person), **personal** (identifies or concerns a person),
**sensitive** (what a manager wrote in confidence, credentials, or health-related figures).
Fields marked **secret** are never in any export, not even the person's own: passwords,
sign-in sessions, two-step secrets and recovery codes, the calendar address, check-in codes,
and the bodies and headers of emails, which can hold a password-reset, unsubscribe or other
one-time link. The export says which emails were sent (when, to whom, the subject, whether
it went), not what they said.

The journal is the most sensitive part: entries are their author's alone. A coach reads an
entry only while its author shares it. HR sees counts, never text, and figures about
reflections only for groups of at least 5 managers; sick leave only for groups of more than
10 employees. Every view HR makes of a report, and every export, is written to an
append-only access log.

**Small groups over time.** A report about a period counts the managers of that period,
each in the department they were last placed in: someone deactivated during or after the
period (left out of a staff list, or gone) still counts there, in every figure and in the
group of 5; only someone deactivated before the period began does not. So HR cannot read a
report, deactivate one manager, read the same report again and take the difference as that
manager's reflections: the two reads are the same. What the portal cannot hide this way:
a person moved to another department, or no longer a manager in the staff list, takes
their figures with them (it keeps no history of where someone worked when they wrote), and
an erased person's journal leaves the figures with them.

**Gallring.** A Celery task runs every night at 03:15 (`privacy/retention.py`) and deletes
what is past its period, rule by rule, in batches. Each deletion is logged twice: a row in
`privacy.DeletionRecord` (rule, model, cut-off, count, the deleted ids, and what was deleted
with them) and a line `event=gallring rule=… deleted=…` in the application log. The periods
are settings; each can be changed in the environment (`RETENTION_<RULE>_DAYS`). The table
below lists the rules with their default periods.

**Register extract (registerutdrag).** Every signed-in person can see everything the portal
holds about them under *Mina uppgifter*, and download it as JSON. Administrators can do the
same for anyone under *Personuppgifter*, for a request from someone who has left; what the
person wrote in their journal is withheld there, since the journal is theirs alone. Each
export an administrator makes is written to the security log.

**Erasure.** Administrators can erase a person once they are deactivated; gallring does the
same two years after deactivation. The person's journal, commitments, self-ratings,
reminders, emails, preferences, pauses, calendar address, sessions and sign-in records are
deleted; their line in uploaded staff lists is removed; their name is removed from the
administration site's history. Their user row stays, with name, address, title, department,
password and roles removed, so that what the municipality keeps about its training
(attendance without comments, group membership, repetitions, coaches of sessions) and the
access log of HR's reports (kept 5 years, append-only) point at nobody known. Feedback a coach
gave stays in the manager's journal, without the coach's name. A record of the erasure keeps
the counts and the anonymised id, never the name.
"""


def rules_table() -> list[str]:
    from privacy.retention import RULES

    lines = [
        "\n## Gallring rules\n",
        "| rule | model | deleted after (days) | environment variable | what |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        variable = (
            f"`RETENTION_{(rule.setting or rule.name).upper()}_DAYS`"
            if rule.fixed_days is None
            else "fixed"
        )
        lines.append(f"| {rule.name} | `{rule.label}` | {rule.days} | {variable} | {rule.what} |")
    return lines


def render() -> str:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kungsor_ledarskap.settings")
    import django
    from django.apps import apps

    if not apps.ready:  # run as a script; under pytest Django is set up already
        django.setup()
    from privacy.registry import REGISTRY, WHO_SEES

    lines = [INTRO, *rules_table()]
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
        if entry.never_exported:
            secrets = ", ".join(f"`{n}`" for n in sorted(entry.secrets()))
            lines.append(f"- Secret, never exported: {secrets}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (BASE_DIR / "docs" / "privacy.md").write_text(render())
