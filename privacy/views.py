"""A person's own data (every signed-in person), and, for administrators, the export and
erasure of anyone's: the register extract and the right to erasure."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import security_log
from accounts.permissions import is_admin
from privacy import erasure, forms, readable
from privacy.export import person_export, person_export_json


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(person) -> str:
    return f"personuppgifter-{person.pk}-{timezone.localdate():%Y-%m-%d}.json"


@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the portal holds about the person signed in."""
    return render(
        request,
        "privacy/person_data.html",
        {
            "person": request.user,
            "sections": readable.ordered(person_export(request.user)),
            "own": True,
        },
    )


@require_safe
def my_data_json(request: HttpRequest) -> HttpResponse:
    return _json_download(person_export_json(request.user), _filename(request.user))


def _admin_only(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied


def people(request: HttpRequest) -> HttpResponse:
    """Administrators find a person to export or erase, the inactive ones too."""
    _admin_only(request)
    form = forms.PeopleSearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        words = form.cleaned_data["q"].strip()
        found = list(
            get_user_model()
            .objects.filter(Q(full_name__icontains=words) | Q(email__icontains=words))
            .exclude(email__endswith=erasure.ERASED_DOMAIN)
            .select_related("department")
            .order_by("full_name", "email")[:50]
        )
    return render(request, "privacy/people.html", {"form": form, "found": found})


def _person(pk: int):
    return get_object_or_404(get_user_model(), pk=pk)


def _log_export(request: HttpRequest, person, outcome: str) -> None:
    """An administrator looked at or downloaded someone's data: the security log says so."""
    security_log.record(
        "personal_data_export",
        request=request,
        user_id=request.user.pk,
        outcome=outcome,
        subject_id=person.pk,
    )


@require_safe
def person_data(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    person = _person(pk)
    _log_export(request, person, "shown")
    return render(
        request,
        "privacy/person_data.html",
        {
            "person": person,
            "sections": readable.ordered(person_export(person, private=False)),
            "own": False,
            "erased": erasure.is_erased(person),
        },
    )


@require_safe
def person_data_json(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    person = _person(pk)
    _log_export(request, person, "downloaded")
    return _json_download(person_export_json(person, private=False), _filename(person))


def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then erase: only people already deactivated, never oneself."""
    _admin_only(request)
    person = _person(pk)
    problem = None
    if erasure.is_erased(person):
        problem = _("This person's data has already been erased.")
    elif person.pk == request.user.pk:
        problem = _("You cannot erase yourself. Ask another administrator.")
    elif person.is_active:
        problem = _(
            "The person is still active. Deactivate them on the administration site first: "
            "erasure is for people who have left."
        )
    form = forms.EraseForm(request.POST or None, person=person)
    if request.method == "POST" and problem is None and form.is_valid():
        record = erasure.person_erase(person=person, by=request.user)
        security_log.record(
            "personal_data_erasure",
            request=request,
            user_id=request.user.pk,
            outcome="erased",
            subject_id=record.person_id,
        )
        messages.success(
            request,
            _("The person's data is erased. Erasure number %(number)s is in the log.")
            % {"number": record.pk},
        )
        return redirect("privacy:people")
    status = 400 if request.method == "POST" else 200
    if problem is not None and request.method == "POST":
        messages.error(request, problem)
    sections = person_export(person, private=False) if problem is None else []
    return render(
        request,
        "privacy/person_erase.html",
        {
            "person": person,
            "form": form,
            "problem": problem,
            "kept": [s for s in sections if erasure.ACTIONS.get(s.label) == erasure.KEEP],
            "deleted": [s for s in sections if erasure.ACTIONS.get(s.label) == erasure.DELETE],
            "scrubbed": [s for s in sections if erasure.ACTIONS.get(s.label) == erasure.SCRUB],
        },
        status=status,
    )
