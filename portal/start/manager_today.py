"""What the manager's start page shows: today, what is due, what is new and their own
progress, read through the apps' selectors in a fixed number of queries (no per-row reads),
so the page costs the same with one session or a hundred."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from accounts.models import User
from evaluations import selectors as evaluation_selectors
from evaluations import survey_selectors
from network import meeting_selectors
from programme import selectors as programme_selectors
from reflections import selectors as reflection_selectors
from reminders import selectors as reminder_selectors
from sessions import selectors as session_selectors
from sessions.models import Invitation

# How long a published network group counts as news.
NETWORK_GROUP_NEW_DAYS = 30
FEEDBACK_SHOWN = 3
COMMITMENTS_SHOWN = 3


def term_start(today: date) -> date:
    """The first day of the current term: 1 January (vårtermin) or 1 July (hösttermin)."""
    return today.replace(month=1 if today.month < 7 else 7, day=1)


@dataclass
class ManagerToday:
    # Today
    running: Invitation | None = None  # a session going on now (check-in open)
    upcoming: Invitation | None = None  # else the next one
    checked_in: bool = False
    network_meeting: object = None  # the next meeting of their network group, with their answer
    group_names: list[str] = field(default_factory=list)
    coaches: list[User] = field(default_factory=list)
    # Due
    repetition: object = None  # reminders.Reminder, with .session
    repetition_prompt: object = None  # the coach's question for that session
    prompt: object = None  # the coaches' newest unanswered question
    commitments: list = field(default_factory=list)
    makeup: dict | None = None  # {"missed": session, "sessions": [...]}
    evaluation: object = None  # the latest attended session whose evaluation waits for them
    survey: object = None  # an open benefit survey they have not answered
    # New
    feedback: list = field(default_factory=list)
    network_group: object = None
    # Progress
    progress: dict = field(default_factory=dict)
    term_since: date | None = None

    @property
    def has_group(self) -> bool:
        return bool(self.group_names)

    @property
    def has_due(self) -> bool:
        return bool(
            self.repetition
            or self.prompt
            or self.commitments
            or self.makeup
            or self.evaluation
            or self.survey
        )

    @property
    def has_news(self) -> bool:
        return bool(self.feedback or self.network_group)

    @property
    def has_progress(self) -> bool:
        p = self.progress
        return bool(p["held"] or p["sent"] or p["commitments"] or p["entries"])


def manager_today(user: User, *, now: datetime | None = None) -> ManagerToday:
    """Everything the manager's start page shows, for `user` only."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    page = ManagerToday(term_since=term_start(today))

    invitation = session_selectors.next_invitation(user, now=now)
    if invitation is not None:
        if invitation.session.checkin_open(now):
            page.running = invitation
            page.checked_in = invitation.attendance == Invitation.Attendance.PRESENT
        else:
            page.upcoming = invitation
    else:
        # Only the empty state names the groups and whom to ask: the coaches of the person's
        # groups (or of their programmes).
        page.group_names = [
            m.cohort.name
            for m in programme_selectors.active_membership_list(user).prefetch_related(None)
        ]
        if page.group_names:
            page.coaches = list(reflection_selectors.coaches_of(user).order_by("full_name"))

    page.network_meeting = meeting_selectors.next_meeting(user, now=now)

    page.repetition = reminder_selectors.repetition_step_due(user, today=today)
    if page.repetition is not None:
        page.repetition_prompt = (
            reflection_selectors.prompts_for_manager(user)
            .filter(session=page.repetition.session_id)
            .first()
        )
    page.prompt = reflection_selectors.newest_open_prompt(user)
    if page.repetition_prompt is not None and page.prompt == page.repetition_prompt:
        page.prompt = None  # already shown with the repetition step
    page.commitments = list(
        reflection_selectors.commitments_due(user, today=today)[:COMMITMENTS_SHOWN]
    )
    offers = session_selectors.makeup_offers(user)
    page.makeup = offers[0] if offers else None
    page.evaluation = evaluation_selectors.waiting_for(user, at=now).first()
    page.survey = survey_selectors.waiting_for(user, today=timezone.localdate(now)).first()

    page.feedback = list(reflection_selectors.feedback_unseen(user)[:FEEDBACK_SHOWN])
    group = programme_selectors.published_group_list(user).first()
    if group is not None and (now - group.round.published_at).days < NETWORK_GROUP_NEW_DAYS:
        page.network_group = group

    page.progress = {
        **session_selectors.attendance_progress(user),
        **reminder_selectors.repetition_progress(user),
        **reflection_selectors.journal_progress(user, today=today, since=page.term_since),
    }
    return page
