"""Programme, framework, cohort and network-group pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import is_coach, is_hr, is_manager
from programme import forms, permissions, selectors, services, suggestion_selectors
from programme.models import CohortMembership, FocusArea, Keyword, Programme, Theme

FRAMEWORK_KINDS = {"tema": Theme, "fokusomrade": FocusArea, "ledord": Keyword}


def programme_overview(request: HttpRequest) -> HttpResponse:
    """The framework and the programmes, for everyone signed in."""
    can_create = permissions.can_create_programme(request.user)
    programmes = selectors.programme_list()
    editable = programmes if can_create else selectors.programme_list_editable_by(request.user)
    return render(
        request,
        "programme/programme_overview.html",
        {
            **selectors.framework(),
            "programmes": programmes,
            "can_edit_framework": permissions.can_edit_framework(request.user),
            "can_create_programme": can_create,
            "editable_programme_ids": set(editable.values_list("pk", flat=True)),
            **_voice(request.user),
        },
    )


def _voice(user) -> dict:
    """Managers' voice on the framework, as the viewer may see it: a manager may send a
    suggestion; everyone in a programme reads what its coaches published; HR counts only."""
    if is_hr(user):
        return {"suggestion_counts": suggestion_selectors.counts_per_item()}
    return {
        "can_suggest": is_manager(user),
        "published": list(suggestion_selectors.published_for(user)[:50]),
    }


def framework_item_update(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    model = FRAMEWORK_KINDS.get(kind)
    if model is None:
        raise Http404
    if not permissions.can_edit_framework(request.user):
        raise PermissionDenied
    item = get_object_or_404(model, slug=slug)
    form_class = type("Form", (forms.FrameworkItemForm,), {"Meta": _meta_for(model)})
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_item_update(
                item=item,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": item.name})
            return redirect("programme:overview")
    return render(request, "programme/framework_item_form.html", {"form": form, "item": item})


def _meta_for(model):
    return type("Meta", (forms.FrameworkItemForm.Meta,), {"model": model})


def programme_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_programme(request.user):
        raise PermissionDenied
    form = forms.ProgrammeForm(request.POST or None, initial={"coaches": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The programme “%(name)s” is created.") % {"name": programme}
            )
            return redirect("programme:overview")
    return render(request, "programme/programme_form.html", {"form": form, "programme": None})


def programme_update(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    if not permissions.can_change_programme(request.user, programme):
        raise PermissionDenied
    form = forms.ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme “%(name)s” is saved.") % {"name": programme})
            return redirect("programme:overview")
    return render(request, "programme/programme_form.html", {"form": form, "programme": programme})


# Training groups to a page of the list, running and coming ones and ended ones alike.
COHORTS_PER_PAGE = 25


def cohort_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_list_cohorts(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    # Running groups first, then those to come, with today's members; ended ones apart, the
    # latest ended first, with everyone who took part.
    current = (
        selectors.cohort_list_visible_to(request.user)
        .filter(ends_on__gte=today)
        .order_by("starts_on", "name", "pk")
    )
    ended = selectors.with_participant_count(
        selectors.cohorts_visible_to(request.user).filter(ends_on__lt=today)
    ).order_by("-ends_on", "name", "pk")
    return render(
        request,
        "programme/cohort_list.html",
        {
            "current": Paginator(current, COHORTS_PER_PAGE).get_page(request.GET.get("page")),
            "ended": Paginator(ended, COHORTS_PER_PAGE).get_page(request.GET.get("avslutade")),
            "today": today,
            "can_create": selectors.programme_list_editable_by(request.user).exists(),
        },
    )


def cohort_create(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programme_list_editable_by(request.user)
    if not programmes.exists():
        raise PermissionDenied
    form = forms.CohortForm(
        request.POST or None, programmes=programmes, initial={"coaches": [request.user.pk]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The training group “%(name)s” is created.") % {"name": cohort}
            )
            return redirect("programme:cohort-detail", pk=cohort.pk)
    return render(request, "programme/cohort_form.html", {"form": form, "cohort": None})


def _cohort_or_404(request: HttpRequest, pk: int):
    cohort = selectors.cohort_get_visible_to(request.user, pk)
    if cohort is None:
        raise Http404
    return cohort


def _editable_cohort(request: HttpRequest, pk: int):
    cohort = _cohort_or_404(request, pk)
    if not permissions.can_edit_cohort(request.user, cohort):
        raise PermissionDenied
    return cohort


# Members (and former members) listed to a page of a training group's page.
MEMBERS_PER_PAGE = 50


def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(request, pk)
    can_edit = permissions.can_edit_cohort(request.user, cohort)
    members = Paginator(selectors.cohort_members(cohort), MEMBERS_PER_PAGE)
    former = Paginator(selectors.cohort_former_members(cohort), MEMBERS_PER_PAGE)
    context = {
        "cohort": cohort,
        "members": members.get_page(request.GET.get("page")),
        "former_members": former.get_page(request.GET.get("tidigare")),
        "rounds": selectors.cohort_rounds(cohort),
        "can_edit": can_edit,
    }
    if can_edit:
        context["member_form"] = forms.MemberAddForm(
            cohort=cohort, search=request.GET.get("chef", "")
        )
        context["round_form"] = forms.NetworkRoundForm(
            cohorts=selectors.cohorts_visible_to(request.user).filter(programme=cohort.programme),
            initial={"cohorts": [cohort.pk], "name": _default_round_name(cohort)},
        )
    return render(request, "programme/cohort_detail.html", context)


def _default_round_name(cohort) -> str:
    return _("Network groups %(date)s") % {"date": timezone.localdate().isoformat()}


def cohort_update(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _editable_cohort(request, pk)
    form = forms.CohortForm(
        request.POST or None,
        instance=cohort,
        programmes=Programme.objects.filter(pk=cohort.programme_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = dict(form.cleaned_data)
            del changes["programme"]  # a training group keeps its programme
            services.cohort_update(cohort=cohort, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The training group “%(name)s” is saved.") % {"name": cohort}
            )
            return redirect("programme:cohort-detail", pk=cohort.pk)
    return render(request, "programme/cohort_form.html", {"form": form, "cohort": cohort})


@require_POST
def cohort_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _editable_cohort(request, pk)
    form = forms.MemberAddForm(request.POST, cohort=cohort)
    if form.is_valid():
        try:
            services.cohort_add_member(
                cohort=cohort,
                user=form.cleaned_data["user"],
                joined_on=form.cleaned_data["joined_on"],
                move=form.cleaned_data["move"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now in the group.") % {"name": form.cleaned_data["user"]},
            )
            return redirect("programme:cohort-detail", pk=cohort.pk)
    form.limit_choices()
    return render(
        request,
        "programme/member_add_form.html",
        {"form": form, "cohort": cohort},
        status=400,
    )


@require_POST
def cohort_member_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    cohort = _editable_cohort(request, pk)
    membership = get_object_or_404(CohortMembership, pk=membership_pk, cohort=cohort)
    services.cohort_end_membership(membership=membership)
    messages.success(
        request, _("%(name)s has left the group. The history is kept.") % {"name": membership.user}
    )
    return redirect("programme:cohort-detail", pk=cohort.pk)


@require_POST
def network_round_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _editable_cohort(request, pk)
    editable = [
        c.pk
        for c in selectors.cohort_list_visible_to(request.user).filter(programme=cohort.programme)
        if permissions.can_edit_cohort(request.user, c)
    ]
    form = forms.NetworkRoundForm(
        request.POST, cohorts=cohort.programme.cohorts.filter(pk__in=editable)
    )
    if form.is_valid():
        try:
            network_round = services.network_round_generate(
                programme=cohort.programme,
                cohorts=list(form.cleaned_data["cohorts"]),
                name=form.cleaned_data["name"],
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Network groups are generated. Adjust them if needed, then publish them."),
            )
            return redirect("programme:round-detail", pk=network_round.pk)
    return render(
        request, "programme/round_form.html", {"form": form, "cohort": cohort}, status=400
    )


def _round_or_404(request: HttpRequest, pk: int):
    network_round = selectors.round_get_visible_to(request.user, pk)
    if network_round is None:
        raise Http404
    return network_round


def _can_edit_round(request: HttpRequest, network_round) -> bool:
    return all(permissions.can_edit_cohort(request.user, c) for c in network_round.cohorts.all())


def network_round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network_round = _round_or_404(request, pk)
    can_edit = _can_edit_round(request, network_round)

    return render(
        request,
        "programme/round_detail.html",
        {
            "round": network_round,
            "groups": network_round.groups.all(),
            "cost": selectors.round_cost(network_round),
            "can_edit": can_edit,
            "move_form": forms.MoveMemberForm(network_round=network_round) if can_edit else None,
            # The groups' meeting counts are the coaches' (network:round-meetings).
            "shows_meeting_counts": network_round.is_published and is_coach(request.user),
        },
    )


@require_POST
def network_round_move(request: HttpRequest, pk: int) -> HttpResponse:
    network_round = _round_or_404(request, pk)
    if not _can_edit_round(request, network_round):
        raise PermissionDenied
    form = forms.MoveMemberForm(request.POST, network_round=network_round)
    if form.is_valid():
        person, group = form.cleaned_data["user"], form.cleaned_data["group"]
        emails = services.network_round_move_member(
            network_round=network_round, user=person, to_group=group
        )
        moved = {"name": person.full_name, "number": group.number, "count": emails}
        if emails is None:
            messages.info(request, _("%(name)s is already in group %(number)s.") % moved)
        elif emails:
            messages.success(
                request,
                ngettext(
                    "%(name)s is moved to group %(number)s and gets %(count)s email about "
                    "the groups' coming meetings.",
                    "%(name)s is moved to group %(number)s and gets %(count)s emails about "
                    "the groups' coming meetings.",
                    emails,
                )
                % moved,
            )
        else:
            messages.success(request, _("%(name)s is moved to group %(number)s.") % moved)
    else:
        messages.error(request, _("Choose a person and a group to move them to."))
    return redirect("programme:round-detail", pk=network_round.pk)


@require_POST
def network_round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    network_round = _round_or_404(request, pk)
    if not _can_edit_round(request, network_round):
        raise PermissionDenied
    services.network_round_publish(network_round=network_round)
    messages.success(request, _("The network groups are published: members can now see them."))
    return redirect("programme:round-detail", pk=network_round.pk)


def my_group(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied
    return render(
        request,
        "programme/my_group.html",
        {
            "memberships": selectors.active_membership_list(request.user),
            "groups": selectors.published_group_list(request.user),
        },
    )


@require_POST
def network_round_discard(request: HttpRequest, pk: int) -> HttpResponse:
    network_round = _round_or_404(request, pk)
    if not _can_edit_round(request, network_round):
        raise PermissionDenied
    cohort = network_round.cohorts.first()
    if services.network_round_discard(network_round=network_round):
        messages.success(request, _("The draft is discarded."))
    else:
        messages.error(request, _("A published round cannot be discarded."))
        return redirect("programme:round-detail", pk=network_round.pk)
    return redirect("programme:cohort-detail", pk=cohort.pk)
