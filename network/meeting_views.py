"""Network meetings: a member proposes, the group answers, the proposer changes or cancels;
the coach sees counts per group. Whoever is not a current member gets 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import meeting_forms, meeting_selectors, meeting_services
from network.models import Meeting, MeetingInvitation
from network.views import member_group_or_404


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    meeting = meeting_selectors.meeting_get_visible_to(request.user, pk)
    if meeting is None:
        raise Http404
    return meeting


def _own_meeting_or_403(request: HttpRequest, pk: int) -> Meeting:
    meeting = _meeting_or_404(request, pk)
    if meeting.proposed_by_id != request.user.pk:
        # The members see it and know it exists; only its proposer changes it.
        raise PermissionDenied
    return meeting


def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    group = member_group_or_404(request, pk)
    return render(
        request,
        "network/meeting_list.html",
        {"group": group, **meeting_selectors.meeting_list(group, request.user)},
    )


def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = member_group_or_404(request, pk)
    status = 200
    if request.method == "POST":
        form = meeting_forms.MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = meeting_services.meeting_propose(
                    group=group, by=request.user, data=form.meeting_data()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The meeting is proposed. The members get a calendar invitation by email."),
                )
                return redirect("network:meeting-detail", pk=meeting.pk)
        status = 400
    else:
        form = meeting_forms.MeetingForm()
    return render(
        request, "network/meeting_form.html", {"group": group, "form": form}, status=status
    )


def _detail_context(request: HttpRequest, meeting: Meeting, **forms) -> dict:
    now = timezone.now()
    is_over = meeting.is_over(now)
    started = meeting.starts_at <= now
    takeaway = meeting_selectors.takeaway_of(request.user, meeting)
    can_note = started and not meeting.is_cancelled and takeaway is None
    return {
        "meeting": meeting,
        "group": meeting.group,
        "answers": meeting_selectors.meeting_answers(meeting),
        "is_proposer": meeting.proposed_by_id == request.user.pk,
        "can_answer": not meeting.is_cancelled and not is_over,
        "is_over": is_over,
        "Response": MeetingInvitation.Response,
        "takeaway": takeaway,
        "takeaway_form": forms.get("takeaway_form")
        or (meeting_forms.TakeawayForm() if can_note else None),
    }


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    return render(request, "network/meeting_detail.html", _detail_context(request, meeting))


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _own_meeting_or_403(request, pk)
    status = 200
    label = _("Save and send the change")
    if request.method == "POST":
        form = meeting_forms.MeetingForm(request.POST, submit_label=label)
        if form.is_valid():
            try:
                meeting_services.meeting_update(
                    meeting=meeting, by=request.user, data=form.meeting_data()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The meeting is changed. The members get an updated invitation.")
                )
                return redirect("network:meeting-detail", pk=meeting.pk)
        status = 400
    else:
        form = meeting_forms.MeetingForm(
            initial=meeting_forms.MeetingForm.initial_for(meeting), submit_label=label
        )
    return render(
        request,
        "network/meeting_form.html",
        {"group": meeting.group, "form": form, "meeting": meeting},
        status=status,
    )


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _own_meeting_or_403(request, pk)
    try:
        meeting_services.meeting_cancel(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The meeting is cancelled. The members' calendars are told so.")
        )
    return redirect("network:meeting-detail", pk=meeting.pk)


@require_POST
def meeting_respond(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    answer = request.POST.get("response")
    if answer not in ("ja", "nej"):
        messages.error(request, _("Answer yes or no."))
        return redirect("network:meeting-detail", pk=meeting.pk)
    try:
        meeting_services.meeting_respond(meeting=meeting, user=request.user, coming=answer == "ja")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if answer == "ja":
            messages.success(request, _("You have answered that you are coming."))
        else:
            messages.success(request, _("You have answered that you cannot come."))
    return redirect("network:meeting-detail", pk=meeting.pk)


@require_POST
def meeting_takeaway(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    form = meeting_forms.TakeawayForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.meeting_takeaway_add(
                meeting=meeting, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Your takeaway is in your journal. Only you can read it."))
            return redirect("network:meeting-detail", pk=meeting.pk)
    context = _detail_context(request, meeting, takeaway_form=form)
    return render(request, "network/meeting_detail.html", context, status=400)


def round_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The coach's view of a round: how many meetings each group has held (counts only)."""
    network_round = meeting_selectors.round_get_for_coach(request.user, pk)
    if network_round is None:
        raise Http404
    return render(
        request,
        "network/round_meetings.html",
        {
            "round": network_round,
            "groups": meeting_selectors.round_meeting_counts(network_round),
        },
    )
