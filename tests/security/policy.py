"""Who may reach each URL pattern, and on whose objects: the portal's authorization policy.

Actors: anon (not signed in), manager_a, manager_b, coach_a (coach of A's training group and
programme), coach_b (of B's), hr, admin. For a pattern with an object in its address, the
policy names who may reach side A's object and who side B's. POST-only patterns are tried
with a POST by everyone, each on the same data (a POST is rolled back after its answer):
those allowed must reach it, the others must be refused. "Reached" means any answer but 403,
404, 405, 429 or a redirect to a sign-in page.

Where a rule says who is `hidden` from an object, a signed-in person refused gets 404 if
hidden (the object's existence must not leak to them) and 403 otherwise (they know it
exists, or the page is for another role).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

ALL = frozenset({"anon", "manager_a", "manager_b", "coach_a", "coach_b", "hr", "admin"})
SIGNED_IN = ALL - {"anon"}
MANAGERS = frozenset({"manager_a", "manager_b"})
COACHES = frozenset({"coach_a", "coach_b"})
NOBODY = frozenset()


def side(*roles: str, also: frozenset = NOBODY) -> dict:
    """Per side: `side("manager", "coach")` lets manager_a and coach_a reach A's object, and
    manager_b and coach_b B's; `also` may reach both."""
    return {owner: frozenset(f"{role}_{owner}" for role in roles) | also for owner in ("a", "b")}


def both(actors) -> dict:
    return {"a": frozenset(actors), "b": frozenset(actors)}


def other_side(*roles: str, also: frozenset = NOBODY) -> dict:
    """Per side: `other_side("coach")` is coach_b for A's object and coach_a for B's."""
    other = {"a": "b", "b": "a"}
    return {owner: frozenset(f"{role}_{other[owner]}" for role in roles) | also for owner in other}


@dataclass(frozen=True)
class Rule:
    allow: object  # a set of actors, or {"a": set, "b": set} for an object's sides
    params: Callable | None = None  # (world, side dict) -> URL kwargs
    method: str = "GET"
    # Who gets 404 rather than 403 when refused (as `allow`); None: either will do.
    hidden: object = None

    @property
    def owners(self):
        return ("a", "b") if self.params else (None,)

    def allowed(self, owner) -> frozenset:
        return self.allow[owner] if owner else self.allow

    def refused_with(self, owner, actor: str) -> int | None:
        """The status a refused signed-in actor must get, if the rule says."""
        if self.hidden is None:
            return None
        hidden = self.hidden[owner] if isinstance(self.hidden, dict) else self.hidden
        return 404 if actor in hidden else 403

    def url(self, name: str, world: dict, owner) -> str:
        if owner is None:
            return reverse(name)
        return reverse(name, kwargs=self.params(world, world["sides"][owner]))


def pk(key: str) -> Callable:
    return lambda world, s: {"pk": s[key].pk}


def session_pk(key: str) -> Callable:
    return lambda world, s: {"session_pk": s[key].pk}


def forvaltning_pk(world, s) -> dict:
    """The förvaltning of the side's colleagues (whose units HR's report lists)."""
    membership = (
        s["cohort"]
        .memberships.filter(user__department__parent__isnull=False)
        .select_related("user__department")
        .first()
    )
    return {"pk": membership.user.department.parent_id}


def person_pk(world, s) -> dict:
    """The side's manager (the person whose data it is)."""
    return {"pk": s["membership"].user_id}


POST = "POST"
STAFF_AND_COACHES = COACHES | {"hr", "admin"}
# A training group's things are hidden from managers and the other group's coach.
GROUP_OUTSIDERS = other_side("coach", also=MANAGERS)
# A session is hidden from the other group's manager and coach; its own manager is invited.
SESSION_OUTSIDERS = other_side("coach", "manager")

POLICY: dict[str, Rule] = {
    # Public pages.
    "accounts:login": Rule(ALL),
    "accounts:password-reset": Rule(ALL),
    "accounts:password-reset-done": Rule(ALL),
    "accounts:password-reset-complete": Rule(ALL),
    "accounts:password-reset-confirm": Rule(
        both(ALL), params=lambda world, s: {"uidb64": "MQ", "token": "ogiltig"}
    ),
    "accessibility": Rule(ALL),
    "healthz": Rule(ALL),
    "set-language": Rule(ALL, method=POST),
    # Calendar feeds and unsubscribe links: the secret token in the address is the key.
    "training_sessions:feed": Rule(both(ALL), params=lambda world, s: {"token": s["feed"].token}),
    "notifications:unsubscribe": Rule(
        both(ALL), params=lambda world, s: {"token": s["unsubscribe"]}
    ),
    # Every signed-in person.
    "home": Rule(SIGNED_IN),
    "accounts:logout": Rule(SIGNED_IN, method=POST),
    "accounts:password-change": Rule(SIGNED_IN),
    "accounts:password-change-done": Rule(SIGNED_IN),
    # Single sign-on is off in these tests: both send everyone to the sign-in page.
    "accounts:sso-start": Rule(NOBODY),
    "accounts:sso-callback": Rule(NOBODY),
    # Two-step verification: for the roles that need it (a verified session is sent on).
    "accounts:mfa-verify": Rule(STAFF_AND_COACHES),
    "accounts:mfa-setup": Rule(STAFF_AND_COACHES),
    "accounts:mfa-recovery-codes": Rule(STAFF_AND_COACHES),
    "accounts:mfa-new-recovery-codes": Rule(STAFF_AND_COACHES, method=POST),
    "accounts:mfa-overview": Rule(STAFF_AND_COACHES),
    "training_sessions:checkin": Rule(SIGNED_IN),
    # The code in the address is shown in the room; checking in itself needs an invitation.
    "training_sessions:checkin-link": Rule(
        both(SIGNED_IN),
        params=lambda world, s: {"pk": s["coming"].pk, "code": s["coming"].checkin_code},
    ),
    "training_sessions:feed-settings": Rule(SIGNED_IN),
    "training_sessions:feed-regenerate": Rule(SIGNED_IN, method=POST),
    # Start pages per role.
    "start-manager": Rule(MANAGERS),
    "start-coach": Rule(COACHES),
    "start-hr": Rule(frozenset({"hr"})),
    "start-admin": Rule(frozenset({"admin"})),
    # Programme material is for everyone in the training; changing it for its coaches.
    "programme:overview": Rule(SIGNED_IN),
    "programme:programme-detail": Rule(both(SIGNED_IN), params=pk("programme")),
    "programme:attachment-download": Rule(both(SIGNED_IN), params=pk("attachment")),
    # Not any coach: a programme's coaches put managers into its groups (issue #17).
    "programme:programme-create": Rule(frozenset({"hr", "admin"}), hidden=NOBODY),
    "programme:programme-update": Rule(
        side("coach", also=frozenset({"hr", "admin"})), params=pk("programme"), hidden=NOBODY
    ),
    "programme:module-create": Rule(
        side("coach", also={"admin"}), params=pk("programme"), hidden=NOBODY
    ),
    "programme:module-update": Rule(
        side("coach", also={"admin"}), params=pk("module"), hidden=NOBODY
    ),
    "programme:link-add": Rule(
        side("coach", also={"admin"}), params=pk("module"), method=POST, hidden=NOBODY
    ),
    "programme:link-remove": Rule(
        side("coach", also={"admin"}), params=pk("link"), method=POST, hidden=NOBODY
    ),
    "programme:attachment-add": Rule(
        side("coach", also={"admin"}), params=pk("module"), method=POST, hidden=NOBODY
    ),
    "programme:attachment-remove": Rule(
        side("coach", also={"admin"}), params=pk("attachment"), method=POST, hidden=NOBODY
    ),
    "programme:framework-item-update": Rule(
        both(COACHES | {"admin"}),
        params=lambda world, s: {"kind": "tema", "slug": "leda-sig-sjalv"},
        hidden=NOBODY,
    ),
    # Training groups: their coaches and administrators change them; HR may look.
    "programme:cohort-list": Rule(STAFF_AND_COACHES, hidden=NOBODY),
    "programme:cohort-create": Rule(COACHES | {"admin"}, hidden=NOBODY),
    "programme:cohort-detail": Rule(
        side("coach", also={"admin", "hr"}), params=pk("cohort"), hidden=GROUP_OUTSIDERS
    ),
    "programme:cohort-update": Rule(
        side("coach", also={"admin"}), params=pk("cohort"), hidden=GROUP_OUTSIDERS
    ),
    "programme:member-add": Rule(
        side("coach", also={"admin"}), params=pk("cohort"), method=POST, hidden=GROUP_OUTSIDERS
    ),
    "programme:members-add": Rule(
        side("coach", also={"admin"}), params=pk("cohort"), hidden=GROUP_OUTSIDERS
    ),
    "programme:member-end": Rule(
        side("coach", also={"admin"}),
        params=lambda world, s: {"pk": s["cohort"].pk, "membership_pk": s["membership"].pk},
        method=POST,
        hidden=GROUP_OUTSIDERS,
    ),
    "programme:round-create": Rule(
        side("coach", also={"admin"}), params=pk("cohort"), method=POST, hidden=GROUP_OUTSIDERS
    ),
    "programme:round-detail": Rule(
        side("coach", also={"admin", "hr"}), params=pk("round"), hidden=GROUP_OUTSIDERS
    ),
    "programme:round-move": Rule(
        side("coach", also={"admin"}), params=pk("round"), method=POST, hidden=GROUP_OUTSIDERS
    ),
    "programme:round-publish": Rule(
        side("coach", also={"admin"}), params=pk("round"), method=POST, hidden=GROUP_OUTSIDERS
    ),
    "programme:round-discard": Rule(
        side("coach", also={"admin"}), params=pk("round"), method=POST, hidden=GROUP_OUTSIDERS
    ),
    "programme:my-group": Rule(MANAGERS, hidden=NOBODY),
    # Sessions: managers see their own, coaches and administrators run them, HR may look.
    "training_sessions:schedule": Rule(STAFF_AND_COACHES, hidden=NOBODY),
    "training_sessions:session-create": Rule(COACHES | {"admin"}, hidden=NOBODY),
    "training_sessions:series-create": Rule(COACHES | {"admin"}, hidden=NOBODY),
    "training_sessions:session-detail": Rule(
        side("coach", "manager", also={"admin", "hr"}),
        params=pk("held"),
        hidden=SESSION_OUTSIDERS,
    ),
    # The invited manager and HR see the session, so may know it exists: 403.
    "training_sessions:session-update": Rule(
        side("coach", also={"admin"}), params=pk("coming"), hidden=SESSION_OUTSIDERS
    ),
    "training_sessions:session-cancel": Rule(
        side("coach", also={"admin"}), params=pk("coming"), hidden=SESSION_OUTSIDERS
    ),
    "training_sessions:session-cancel-undo": Rule(
        side("coach", also={"admin"}), params=pk("coming"), method=POST, hidden=SESSION_OUTSIDERS
    ),
    "training_sessions:attendance-save": Rule(
        side("coach", also={"admin"}), params=pk("held"), method=POST, hidden=SESSION_OUTSIDERS
    ),
    "training_sessions:checkin-qr": Rule(
        side("coach", also={"admin"}), params=pk("coming"), hidden=SESSION_OUTSIDERS
    ),
    # Managers are refused the page (403); the other group's coach does not see the group.
    "training_sessions:cohort-attendance": Rule(
        side("coach", also={"admin", "hr"}), params=pk("cohort"), hidden=other_side("coach")
    ),
    # A group's progress per member: its coaches only (issue 20); the other group's coach
    # does not see the group, managers, HR and administrators are refused.
    "cohort-progress": Rule(side("coach"), params=pk("cohort"), hidden=other_side("coach")),
    # Only the invited person's own förhinder; for everyone else the session does not exist.
    "training_sessions:excuse-report": Rule(
        side("manager"), params=pk("coming"), method=POST, hidden=both(SIGNED_IN)
    ),
    "training_sessions:excuse-withdraw": Rule(
        side("manager"), params=pk("coming"), method=POST, hidden=both(SIGNED_IN)
    ),
    # Any manager may ask for a place in a session; whether they get one is checked inside.
    "training_sessions:makeup-sign-up": Rule(
        both(MANAGERS), params=pk("coming"), method=POST, hidden=NOBODY
    ),
    "training_sessions:my-sessions": Rule(MANAGERS, hidden=NOBODY),
    # The journal is its author's. A coach reads what is shared with them, nothing else.
    "reflections:journal": Rule(MANAGERS),
    "reflections:entry-create": Rule(MANAGERS),
    "reflections:entry-autosave-new": Rule(MANAGERS, method=POST),
    "reflections:trash": Rule(MANAGERS),
    "reflections:ratings": Rule(MANAGERS),
    "reflections:export": Rule(MANAGERS),
    "reflections:export-json": Rule(MANAGERS),
    "reflections:commitments": Rule(MANAGERS),
    "reflections:commitment-follow-up": Rule(side("manager"), params=pk("commitment")),
    "reflections:entry-edit": Rule(side("manager"), params=pk("private")),
    "reflections:entry-read": Rule(side("manager", "coach"), params=pk("shared")),
    "reflections:entry-autosave": Rule(side("manager"), params=pk("private"), method=POST),
    "reflections:entry-share": Rule(side("manager"), params=pk("private"), method=POST),
    "reflections:entry-unshare": Rule(side("manager"), params=pk("shared"), method=POST),
    "reflections:entry-trash": Rule(side("manager"), params=pk("private"), method=POST),
    "reflections:entry-restore": Rule(side("manager"), params=pk("private"), method=POST),
    "reflections:feedback-give": Rule(side("coach"), params=pk("shared"), method=POST),
    "reflections:repeat": Rule(side("manager"), params=session_pk("held")),
    "reflections:digest": Rule(side("coach"), params=session_pk("coming")),
    "reflections:shared-list": Rule(COACHES),
    "reflections:prompts": Rule(COACHES),
    # Session evaluations: the manager's own answer (a manager of the other side does not
    # know the session: 404; other roles are refused the manager's page: 403); the figures
    # are the coaches' alone, of their own sessions (another coach: 404).
    "evaluations:evaluate": Rule(side("manager"), params=pk("held"), hidden=other_side("manager")),
    "evaluations:results": Rule(side("coach"), params=pk("held"), hidden=other_side("coach")),
    "evaluations:question": Rule(
        side("coach"), params=pk("held"), method=POST, hidden=other_side("coach")
    ),
    "evaluations:overview": Rule(COACHES),
    # The network group's questions: its current members and the asker alone; the other
    # group's manager, the coach (not included), HR and administrators do not know they exist.
    "network:question-list": Rule(
        side("manager"), params=pk("network_group"), hidden=both(SIGNED_IN)
    ),
    "network:question-create": Rule(
        side("manager"), params=pk("network_group"), hidden=both(SIGNED_IN)
    ),
    "network:question-detail": Rule(side("manager"), params=pk("question"), hidden=both(SIGNED_IN)),
    "network:question-edit": Rule(side("manager"), params=pk("question"), hidden=both(SIGNED_IN)),
    "network:question-delete": Rule(
        side("manager"), params=pk("question"), method=POST, hidden=both(SIGNED_IN)
    ),
    "network:question-resolve": Rule(
        side("manager"), params=pk("question"), method=POST, hidden=both(SIGNED_IN)
    ),
    "network:answer-create": Rule(
        side("manager"), params=pk("question"), method=POST, hidden=both(SIGNED_IN)
    ),
    "network:answer-edit": Rule(side("manager"), params=pk("own_answer"), hidden=both(SIGNED_IN)),
    "network:answer-delete": Rule(
        side("manager"), params=pk("own_answer"), method=POST, hidden=both(SIGNED_IN)
    ),
    # Journal entries shared with the network group (a copy): its current members alone
    # read them (the coach is never included); the author shares their own entry and takes
    # their own copy back. Nobody else knows they exist.
    "network:shared-entries": Rule(
        side("manager"), params=pk("network_group"), hidden=both(SIGNED_IN)
    ),
    "network:entry-share": Rule(side("manager"), params=pk("private"), hidden=both(SIGNED_IN)),
    "network:shared-entry-withdraw": Rule(
        side("manager"), params=pk("group_copy"), method=POST, hidden=both(SIGNED_IN)
    ),
    # Managers' voice on the framework: a manager in a programme sends a suggestion to its
    # coaches and follows their own; a coach of the programme answers. Nobody else knows a
    # suggestion exists; HR sees counts only (on the programme page).
    "programme:suggestion-create": Rule(
        both(MANAGERS),
        params=lambda world, s: {"kind": "tema", "slug": s["held"].theme.slug},
        hidden=both(NOBODY),
    ),
    "programme:suggestion-mine": Rule(MANAGERS, hidden=NOBODY),
    "programme:suggestion-withdraw": Rule(
        side("manager"), params=pk("suggestion"), method=POST, hidden=both(SIGNED_IN)
    ),
    "programme:suggestion-list": Rule(COACHES, hidden=NOBODY),
    "programme:suggestion-answer": Rule(
        side("coach"), params=pk("suggestion"), hidden=both(SIGNED_IN)
    ),
    # The network group's meetings: its current members alone (A's text holds the sentinel);
    # only the proposer changes or cancels one, the others get 403 (they know it exists).
    "network:meeting-list": Rule(
        side("manager"), params=pk("network_group"), hidden=both(SIGNED_IN)
    ),
    "network:meeting-create": Rule(
        side("manager"), params=pk("network_group"), hidden=both(SIGNED_IN)
    ),
    "network:meeting-detail": Rule(side("manager"), params=pk("meeting"), hidden=both(SIGNED_IN)),
    "network:meeting-edit": Rule(side("manager"), params=pk("meeting"), hidden=both(SIGNED_IN)),
    "network:meeting-cancel": Rule(
        side("manager"), params=pk("meeting"), method=POST, hidden=both(SIGNED_IN)
    ),
    "network:meeting-respond": Rule(
        side("manager"), params=pk("meeting"), method=POST, hidden=both(SIGNED_IN)
    ),
    "network:meeting-takeaway": Rule(
        side("manager"), params=pk("meeting"), method=POST, hidden=both(SIGNED_IN)
    ),
    # The coach of the round's training group sees counts of meetings; nobody else knows it.
    "network:round-meetings": Rule(side("coach"), params=pk("round"), hidden=both(SIGNED_IN)),
    # A coach's list of the questions that include them (none in the world).
    "network:coach-questions": Rule(COACHES, hidden=NOBODY),
    "evaluations:theme-questions": Rule(COACHES),
    # Benefit surveys: HR and the programme's coach follow a survey (never who answered
    # what); a manager answers the surveys of their own programme.
    "evaluations:survey-list": Rule(COACHES | {"hr"}),
    "evaluations:survey-create": Rule(COACHES | {"hr"}),
    "evaluations:survey-detail": Rule(
        side("coach", also={"hr"}), params=pk("survey"), hidden=other_side("coach")
    ),
    "evaluations:survey-edit": Rule(
        side("coach", also={"hr"}), params=pk("survey"), hidden=other_side("coach")
    ),
    "evaluations:survey-close": Rule(
        side("coach", also={"hr"}), params=pk("survey"), method=POST, hidden=other_side("coach")
    ),
    "evaluations:survey-answer": Rule(
        side("manager"), params=pk("survey"), hidden=other_side("manager")
    ),
    # Reminders: the manager's own settings; the coach's step counts per session.
    "reminders:settings": Rule(MANAGERS),
    "reminders:pause-add": Rule(MANAGERS, method=POST),
    "reminders:pause-end": Rule(side("manager"), params=pk("pause"), method=POST),
    "reminders:resubscribe": Rule(MANAGERS, method=POST),
    "reminders:session-steps": Rule(side("coach", also={"admin"}), params=session_pk("held")),
    # HR: imports and reports (administrators too).
    "accounts:staff-import": Rule(frozenset({"hr", "admin"})),
    "accounts:staff-import-template": Rule(
        both({"hr", "admin"}), params=lambda world, s: {"fmt": "xlsx"}
    ),
    "accounts:staff-import-preview": Rule(
        both({"hr", "admin"}), params=lambda world, s: {"pk": world["staff_import"].pk}
    ),
    "accounts:staff-import-confirm": Rule(
        both({"hr", "admin"}),
        params=lambda world, s: {"pk": world["staff_import"].pk},
        method=POST,
    ),
    "reports:dashboard": Rule(frozenset({"hr", "admin"})),
    "reports:export": Rule(
        both({"hr", "admin"}), params=lambda world, s: {"table": "enheter", "fmt": "csv"}
    ),
    "reports:forvaltning": Rule(both({"hr", "admin"}), params=forvaltning_pk),
    "reports:cohorts": Rule(frozenset({"hr", "admin"})),
    "reports:coverage": Rule(frozenset({"hr", "admin"})),
    "reports:effekt": Rule(frozenset({"hr", "admin"})),
    "reports:effekt-export": Rule(both({"hr", "admin"}), params=lambda world, s: {"fmt": "csv"}),
    # A survey's results as a file: whoever may read them on its page (the world's survey is
    # still open: they are sent back to the page with a message).
    "reports:survey-export": Rule(
        side("coach", also={"hr"}),
        params=lambda world, s: {"pk": s["survey"].pk, "fmt": "csv"},
        hidden=other_side("coach"),
    ),
    "reports:coverage-export": Rule(both({"hr", "admin"}), params=lambda world, s: {"fmt": "csv"}),
    "reports:sick-leave-import": Rule(frozenset({"hr", "admin"})),
    "reports:sick-leave-template": Rule(
        both({"hr", "admin"}), params=lambda world, s: {"fmt": "csv"}
    ),
    "reports:sick-leave-preview": Rule(
        both({"hr", "admin"}), params=lambda world, s: {"pk": world["sick_leave_import"].pk}
    ),
    "reports:sick-leave-confirm": Rule(
        both({"hr", "admin"}),
        params=lambda world, s: {"pk": world["sick_leave_import"].pk},
        method=POST,
    ),
    # Personal data: everyone their own; administrators anyone's (journal text withheld).
    "privacy:my-data": Rule(SIGNED_IN),
    "privacy:my-data-json": Rule(SIGNED_IN),
    "privacy:people": Rule(frozenset({"admin"})),
    "privacy:person-data": Rule(both({"admin"}), params=person_pk),
    "privacy:person-data-json": Rule(both({"admin"}), params=person_pk),
    "privacy:person-erase": Rule(both({"admin"}), params=person_pk),
    # The Django admin: administrators only (its own test below).
    "admin": Rule(frozenset({"admin"})),
}
