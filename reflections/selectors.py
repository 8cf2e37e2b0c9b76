"""Reads for the journal. Every query starts from the author, or from what is shared with
the coach; nothing here ever returns someone else's private entry."""

import re
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet

from accounts.permissions import AnyUser
from programme.models import CohortMembership
from reflections.models import Entry


def own_entries(user: AnyUser) -> QuerySet[Entry]:
    """The author's entries that are not in the trash."""
    return Entry.objects.filter(author=user, deleted_at__isnull=True)


def own_commitments(user: AnyUser):
    from reflections.models import Commitment

    return Commitment.objects.filter(author=user).select_related("entry", "session")


def own_trash(user: AnyUser) -> QuerySet[Entry]:
    return Entry.objects.filter(author=user, deleted_at__isnull=False).order_by("-deleted_at")


def entry_get_own(user: AnyUser, pk: int, *, include_trash: bool = False) -> Entry | None:
    entries = Entry.objects.filter(author=user) if include_trash else own_entries(user)
    return entries.filter(pk=pk).first()


def shared_with(coach: AnyUser) -> QuerySet[Entry]:
    """Entries shared by members of the cohorts this coach runs (as coach of the cohort or
    of its programme), while the author is still in such a cohort."""
    authors = CohortMembership.objects.filter(left_on__isnull=True).filter(
        Q(cohort__coaches=coach) | Q(cohort__programme__coaches=coach)
    )
    return Entry.objects.filter(
        shared_at__isnull=False,
        deleted_at__isnull=True,
        author__in=authors.values("user"),
    )


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
            from django.contrib.postgres.search import SearchQuery, SearchVector

            # Each word stemmed by the Swedish dictionary and matched as a prefix, so
            # "ledarskap" finds "ledarskapet" and "ledarskapsträning" (the stemmer keeps
            # the definite form). Only \w characters reach the raw query.
            query = " & ".join(f"{term}:*" for term in terms)
            entries = entries.annotate(
                search=SearchVector("title", "body", config="swedish")
            ).filter(search=SearchQuery(query, config="swedish", search_type="raw"))
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
    return entries.select_related("theme", "session").prefetch_related("keywords")
