"""Adding many managers to a training group at once: search and tick, paste email addresses,
or take all managers of a unit. Works without JavaScript: a GET search, a POST of the form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Department
from programme import forms, members, permissions, selectors

MATCHES_PER_PAGE = 50
# With more units than this, the list offers only those matching the search.
UNITS_LISTED = 150


def _departments(search: str):
    """Units (and förvaltningar) with active managers: all of them when few, else those
    matching the search; and whether the list was cut for want of a search."""
    with_managers = Department.objects.filter(is_active=True).filter(
        Q(pk__in=members.managers().values("department"))
        | Q(units__in=Department.objects.filter(pk__in=members.managers().values("department")))
    )
    # Each förvaltning first, then its units.
    units = (
        with_managers.distinct()
        .select_related("parent")
        .order_by(Coalesce("parent__name", "name"), F("parent").asc(nulls_first=True), "name")
    )
    if search:
        units = units.filter(Q(name__icontains=search) | Q(parent__name__icontains=search))
    if len(units.values_list("pk", flat=True)[: UNITS_LISTED + 1]) > UNITS_LISTED:
        return Department.objects.none(), True
    return units, False


def _editable_cohort(request: HttpRequest, pk: int):
    """The group, if the person may see it (else 404) and change it (else 403)."""
    cohort = selectors.cohort_get_visible_to(request.user, pk)
    if cohort is None:
        raise Http404
    if not permissions.can_edit_cohort(request.user, cohort):
        raise PermissionDenied
    return cohort


def _names(users) -> str:
    return ", ".join(user.full_name for user in users)


def _report(result: members.MembersAdded) -> str:
    parts = []
    if result.added:
        parts.append(
            ngettext(
                "%(count)d manager is added to the group: %(names)s.",
                "%(count)d managers are added to the group: %(names)s.",
                len(result.added),
            )
            % {"count": len(result.added), "names": _names(result.added)}
        )
    if result.moved:
        parts.append(
            _("Moved here from their earlier group: %(names)s.") % {"names": _names(result.moved)}
        )
    if result.already:
        parts.append(
            _("Already in the group, unchanged: %(names)s.") % {"names": _names(result.already)}
        )
    return " ".join(parts)


def cohort_members_add(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _editable_cohort(request, pk)
    # A NUL cannot reach PostgreSQL; nobody types one on purpose.
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    page = Paginator(members.member_candidates(cohort, search=search), MATCHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    departments, units_cut = _departments(search)
    form = forms.MembersAddForm(
        request.POST or None, shown=page.object_list, departments=departments
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = members.cohort_add_members(
                cohort=cohort,
                users=form.cleaned_data["people"],
                joined_on=form.cleaned_data["joined_on"],
                move=form.cleaned_data["move"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _report(result))
            return redirect("programme:cohort-detail", pk=cohort.pk)
    return render(
        request,
        "programme/members_add.html",
        {
            "cohort": cohort,
            "form": form,
            "page": page,
            "search": search,
            "units_cut": units_cut,
            "max_at_once": members.MAX_AT_ONCE,
        },
        status=400 if form.is_bound else 200,
    )
