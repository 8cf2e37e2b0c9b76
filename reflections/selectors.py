"""Reads for the journal. Every query starts from the author, or from what is shared with
the coach; nothing here ever returns someone else's private entry."""

import re
from datetime import date

from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import AnyUser
from accounts.roles import Role
from programme.models import CohortMembership
from reflections.models import Entry


def own_entries(user: AnyUser) -> QuerySet[Entry]:
    """The author's entries that are not in the trash."""
    return Entry.objects.filter(author=user, deleted_at__isnull=True)


# The entries a commitment may come from: the latest ones (the list is a <select>).
LINKABLE_ENTRIES = 30


def linkable_entries(user: AnyUser, *, keep: int | None = None) -> QuerySet[Entry]:
    """The author's latest entries, newest first, to name as a commitment's source, and the
    one in `keep` (the one sent) whatever its age; read without their text."""
    latest = own_entries(user).order_by("-written_on", "-pk").values("pk")[:LINKABLE_ENTRIES]
    chosen = Q(pk__in=latest)
    if keep is not None:
        chosen |= Q(pk=keep)
    return (
        own_entries(user)
        .filter(chosen)
        .only("pk", "title", "written_on")
        .order_by("-written_on", "-pk")
    )


def own_commitments(user: AnyUser):
    from reflections.models import Commitment

    return Commitment.objects.filter(author=user).select_related("entry", "session")


def own_trash(user: AnyUser) -> QuerySet[Entry]:
    return Entry.objects.filter(author=user, deleted_at__isnull=False).order_by("-deleted_at")


def entry_get_own(user: AnyUser, pk: int, *, include_trash: bool = False) -> Entry | None:
    entries = Entry.objects.filter(author=user) if include_trash else own_entries(user)
    return entries.filter(pk=pk).first()


def _coaching(coach) -> Q:
    """Memberships in a cohort this coach runs, as coach of the cohort or of its programme."""
    return Q(cohort__coaches=coach) | Q(cohort__programme__coaches=coach)


def coaches_of(author: AnyUser) -> QuerySet[User]:
    """The active coaches of the author's current training groups (of the group or of its
    programme): whom sharing an entry now lets read it."""
    cohorts = CohortMembership.objects.filter(user=author, left_on__isnull=True).values("cohort")
    # The two ways of coaching as one UNION of ids: an OR across the two many-to-many
    # relations would pair every coach with every group and programme (or read every user).
    # Without the users' default ordering: SQLite allows no ORDER BY inside a UNION's parts.
    of_group = User.objects.filter(coached_cohorts__in=cohorts).order_by().values("pk")
    of_programme = (
        User.objects.filter(coached_programmes__cohorts__in=cohorts).order_by().values("pk")
    )
    return User.objects.filter(
        is_active=True, groups__name=Role.LEDARTRANARE, pk__in=of_group.union(of_programme)
    )


def shared_with(coach: AnyUser) -> QuerySet[Entry]:
    """Entries their authors shared while this coach ran one of their training groups, as
    long as the author is still in a group the coach runs."""
    authors = CohortMembership.objects.filter(_coaching(coach), left_on__isnull=True)
    return Entry.objects.filter(
        shared_at__isnull=False,
        deleted_at__isnull=True,
        readers=coach,
        author__in=authors.values("user"),
    )


def entry_readers(entry: Entry) -> list[User]:
    """Who can read a shared entry now, for its author: those it was shared with who still
    run one of the author's groups (the same rule as `shared_with`)."""
    if not entry.is_shared:
        return []
    readers = coaches_of(entry.author).filter(entries_shared_with_me=entry)
    return list(readers.order_by("full_name"))


def entry_get_readable(user: AnyUser, pk: int) -> Entry | None:
    """The author's own entry, or one shared with this coach; else None (a 404)."""
    return (
        (own_entries(user) | shared_with(user))
        .select_related("author", "session", "theme", "focus_area")
        .prefetch_related("keywords")
        .filter(pk=pk)
        .first()
    )


def search(
    entries: QuerySet[Entry],
    *,
    words: str = "",
    theme_id: int | None = None,
    keyword_id: int | None = None,
    session_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Entry]:
    """Filter by words (Swedish full-text search on PostgreSQL, so "ledarskap" finds
    "ledarskapet"; every word as a substring on SQLite), theme, ledord, session and dates."""
    terms = re.findall(r"\w+", words)
    if terms:
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery

            # Each word stemmed by the Swedish dictionary and matched as a prefix, so
            # "ledarskap" finds "ledarskapet" and "ledarskapsträning" (the stemmer keeps
            # the definite form). Only \w characters reach the raw query. The entry's words
            # are stored (search_vector, kept by a trigger), not worked out per search.
            query = " & ".join(f"{term}:*" for term in terms)
            entries = entries.filter(
                search_vector=SearchQuery(query, config="swedish", search_type="raw")
            )
        else:
            for term in terms:
                entries = entries.filter(Q(title__icontains=term) | Q(body__icontains=term))
    if theme_id:
        entries = entries.filter(theme_id=theme_id)
    if keyword_id:
        entries = entries.filter(keywords__id=keyword_id)
    if session_id:
        entries = entries.filter(session_id=session_id)
    if since:
        entries = entries.filter(written_on__gte=since)
    if until:
        entries = entries.filter(written_on__lte=until)
    # The ledord as a plain list (entry.keyword_list): a list page reads them for each entry.
    return entries.select_related("theme", "session").prefetch_related(
        Prefetch("keywords", to_attr="keyword_list")
    )


def own_ratings(user: AnyUser):
    from reflections.models import LedordRating

    return LedordRating.objects.filter(author=user).order_by("rated_on", "created_at")


def entry_rating(entry: Entry):
    """The self-rating given with the entry (the latest, should there be several), or None."""
    from reflections.models import LedordRating

    return LedordRating.objects.filter(entry=entry).order_by("-created_at", "-pk").first()


def journal_export(user: AnyUser) -> dict:
    """Everything the manager has written or received in the journal, and nothing else."""
    from reflections.models import Feedback

    entries = (
        Entry.objects.filter(author=user)
        .select_related("session", "theme", "focus_area")
        .prefetch_related("keywords")
        .order_by("written_on", "created_at")
    )
    feedback = Feedback.objects.filter(entry__author=user).select_related("coach")
    by_entry: dict[int, list] = {}
    for item in feedback:
        by_entry.setdefault(item.entry_id, []).append(
            {
                "coach": item.coach.full_name,
                "written": item.created_at.isoformat(),
                "text": item.text,
            }
        )
    return {
        "author": {"name": user.full_name, "email": user.email},
        "entries": [
            {
                "id": entry.pk,
                "date": entry.written_on.isoformat(),
                "title": entry.title,
                "text": entry.body,
                "session": entry.session.title if entry.session else None,
                "theme": entry.theme.name if entry.theme else None,
                "focus_area": entry.focus_area.name if entry.focus_area else None,
                "ledord": [k.name for k in entry.keywords.all()],
                "shared": entry.is_shared,
                "in_trash": entry.deleted_at is not None,
                "feedback": by_entry.get(entry.pk, []),
            }
            for entry in entries
        ],
        "commitments": [
            {
                "text": c.text,
                "follow_up_on": c.due_on.isoformat(),
                "outcome": c.get_outcome_display() if c.outcome else None,
                "reflection": c.outcome_reflection,
            }
            for c in own_commitments(user).order_by("due_on")
        ],
        "ratings": [
            {
                "date": r.rated_on.isoformat(),
                "modigt": r.modigt,
                "tydligt": r.tydligt,
                "engagerande": r.engagerande,
            }
            for r in own_ratings(user)
        ],
    }


def coach_digest(coach: AnyUser, session_pk: int) -> dict | None:
    """For a session the coach runs: the cohort's entries shared since its previous session,
    with counts per theme and ledord. Only shared entries, never private ones."""
    from django.db.models import Count

    from sessions.models import TrainingSession

    session = (
        TrainingSession.objects.filter(pk=session_pk, cohort__isnull=False)
        .filter(Q(cohort__coaches=coach) | Q(cohort__programme__coaches=coach) | Q(coaches=coach))
        .select_related("cohort")
        .first()
    )
    if session is None:
        return None
    previous = (
        TrainingSession.objects.filter(cohort=session.cohort, starts_at__lt=session.starts_at)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )
    members = session.cohort.memberships.filter(left_on__isnull=True).values("user")
    shared = Entry.objects.filter(
        author__in=members, readers=coach, shared_at__isnull=False, deleted_at__isnull=True
    )
    if previous is not None:
        shared = shared.filter(shared_at__gte=previous.starts_at)
    shared = shared.filter(shared_at__lt=session.ends_at)
    return {
        "session": session,
        "previous": previous,
        "entries": shared.select_related("author", "theme")
        .prefetch_related("keywords")
        .order_by("-shared_at"),
        "per_theme": shared.values("theme__name").annotate(n=Count("pk")).order_by("theme__name"),
        "per_keyword": shared.values("keywords__name")
        .annotate(n=Count("pk"))
        .exclude(keywords__name=None)
        .order_by("keywords__name"),
    }


def prompts_for_manager(user: AnyUser):
    """Questions for the manager: per theme from the coaches of their programmes, and for
    the sessions they were invited to."""
    from programme.models import Programme
    from reflections.models import Prompt
    from sessions.models import Invitation

    programmes = CohortMembership.objects.filter(user=user, left_on__isnull=True).values(
        "programme"
    )
    # Subqueries rather than joins: no duplicates to remove.
    coaches = Programme.coaches.through.objects.filter(programme__in=programmes).values("user")
    sessions = Invitation.objects.filter(user=user).values("session")
    return (
        Prompt.objects.filter(Q(session__isnull=True, coach__in=coaches) | Q(session__in=sessions))
        .select_related("theme", "session")
        .order_by("-created_at", "-pk")
    )


def prompts_by_coach(coach: AnyUser):
    from reflections.models import Prompt

    return Prompt.objects.filter(coach=coach).select_related("theme", "session")


def repeatable_session(user: AnyUser, session_pk: int):
    """A session the manager was invited to and that has ended, to repeat; else None."""
    from sessions.models import TrainingSession

    return (
        TrainingSession.objects.filter(
            pk=session_pk, invitations__user=user, ends_at__lte=timezone.now()
        )
        .exclude(status=TrainingSession.Status.CANCELLED)
        .select_related("theme")
        .first()
    )


# ----------------------------------------------------------------------------------------------
# The coach's start page and a training group's progress: shared entries to answer, answers to
# the coach's questions, and per member counts (never text).

NEW_ANSWER_DAYS = 14


def shared_waiting_for_feedback(coach: AnyUser) -> QuerySet[Entry]:
    """Entries shared with this coach that no coach has answered yet, oldest shared first,
    with their author; read without their text."""
    from django.db.models import Exists

    from reflections.models import Feedback

    answered = Feedback.objects.filter(entry=OuterRef("pk"))
    return (
        shared_with(coach)
        .filter(~Exists(answered))
        .select_related("author")
        .only("pk", "title", "written_on", "shared_at", "author__full_name")
        .order_by("shared_at", "pk")
    )


def prompt_answers_new(coach: AnyUser, *, since=None) -> QuerySet[Entry]:
    """Shared answers to this coach's questions, shared in the last NEW_ANSWER_DAYS (or since
    `since`), newest first, with the question and the author; read without their text.
    Private answers are never included."""
    from datetime import timedelta

    since = since or timezone.now() - timedelta(days=NEW_ANSWER_DAYS)
    return (
        shared_with(coach)
        .filter(prompt__coach=coach, shared_at__gte=since)
        .select_related("author", "prompt")
        .only(
            "pk",
            "title",
            "written_on",
            "shared_at",
            "author__full_name",
            "prompt__question",
        )
        .order_by("-shared_at", "-pk")
    )


def member_commitment_counts(user_ids, *, since: date) -> dict[int, dict]:
    """User id -> commitments made since `since` and how many of them are followed up."""
    from django.db.models import Count

    from reflections.models import Commitment

    rows = (
        Commitment.objects.filter(author__in=list(user_ids), created_at__date__gte=since)
        .values("author")
        .annotate(made=Count("pk"), followed_up=Count("pk", filter=Q(followed_up_at__isnull=False)))
        .order_by()
    )
    return {row.pop("author"): row for row in rows}


def commitments_due(user: AnyUser, *, today: date) -> QuerySet:
    """The author's commitments whose follow-up day has come and that are not followed up,
    the oldest first."""
    return (
        own_commitments(user)
        .filter(due_on__lte=today, followed_up_at__isnull=True)
        .order_by("due_on", "pk")
    )


def newest_open_prompt(user: AnyUser):
    """The newest question from the coaches (prompts_for_manager) that the manager has not
    answered with an entry yet, or None."""
    answered = Entry.objects.filter(author=user, prompt__isnull=False).values("prompt")
    return prompts_for_manager(user).exclude(pk__in=answered).first()


def feedback_unseen(user: AnyUser) -> QuerySet:
    """Feedback on the author's entries (not in the trash) that they have not seen since it
    was written (Feedback.seen_at), newest first, with the coach and the entry's title."""
    from reflections.models import Feedback

    return (
        Feedback.objects.filter(
            entry__author=user, entry__deleted_at__isnull=True, seen_at__isnull=True
        )
        .select_related("coach", "entry")
        .defer("entry__body", "entry__search_vector")
        .order_by("-created_at", "-pk")
    )


def journal_progress(user: AnyUser, *, today: date, since: date) -> dict:
    """The author's own figures: entries written since `since` (`entries`), commitments whose
    day has come or that are followed up (`commitments`) and of those followed up
    (`followed_up`)."""
    from django.db.models import Count

    from reflections.models import Commitment

    followed_up = Q(followed_up_at__isnull=False)
    figures = Commitment.objects.filter(author=user).aggregate(
        commitments=Count("pk", filter=Q(due_on__lte=today) | followed_up),
        followed_up=Count("pk", filter=followed_up),
    )
    figures["entries"] = Entry.objects.filter(
        author=user, deleted_at__isnull=True, written_on__gte=since
    ).count()
    return figures
