"""A training group's progress per member, for its coaches: attendance, repetition steps
answered and commitments followed up. Counts only, never what anyone wrote."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts import permissions
from programme import selectors as programme_selectors
from reflections import selectors as reflection_selectors
from reminders import selectors as reminder_selectors
from sessions import selectors as session_selectors

MEMBERS_PER_PAGE = 25


def cohort_progress_rows(cohort, memberships) -> list[dict]:
    """One row per membership (a page of them): the member and their counts, in three
    queries whatever the page's size."""
    memberships = list(memberships)
    user_ids = [membership.user_id for membership in memberships]
    attendance = session_selectors.member_attendance_counts(cohort, user_ids)
    steps = reminder_selectors.repetition_response_by_member(cohort, user_ids)
    commitments = reflection_selectors.member_commitment_counts(user_ids, since=cohort.starts_on)
    none = {"present": 0, "absent": 0, "excused": 0}
    return [
        {
            "user": membership.user,
            "attendance": attendance.get(membership.user_id, none),
            "steps": steps.get(membership.user_id, {"sent": 0, "answered": 0}),
            "commitments": commitments.get(membership.user_id, {"made": 0, "followed_up": 0}),
        }
        for membership in memberships
    ]


@require_safe
def cohort_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the coaches of the group or of its programme; another coach gets 404."""
    if not permissions.is_coach(request.user):
        raise PermissionDenied
    cohort = programme_selectors.cohorts_visible_to(request.user).filter(pk=pk).first()
    if cohort is None:
        raise Http404
    page = Paginator(
        session_selectors.cohort_active_memberships(cohort), MEMBERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "start/coach_progress.html",
        {
            "cohort": cohort,
            "page": page,
            "rows": cohort_progress_rows(cohort, page.object_list),
            "held": session_selectors.cohort_session_figures([cohort.pk], now=timezone.now())[
                cohort.pk
            ],
        },
    )
