"""The programme page and its material: modules, links and attached files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programme import forms, permissions, selectors, services
from programme.models import Module, ModuleAttachment, ModuleLink, Programme


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.prefetch_related("coaches"), pk=pk)
    can_edit = permissions.can_edit_programme(request.user, programme)
    return render(
        request,
        "programme/programme_detail.html",
        {
            "programme": programme,
            "modules": selectors.programme_modules(programme),
            "can_edit": can_edit,
        },
    )


def _editable_module(request: HttpRequest, pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("programme"), pk=pk)
    if not permissions.can_edit_programme(request.user, module.programme):
        raise PermissionDenied
    return module


def module_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    if not permissions.can_edit_programme(request.user, programme):
        raise PermissionDenied
    form = forms.ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_create(programme=programme, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The module “%(name)s” is saved.") % {"name": module})
            return redirect("programme:module-update", pk=module.pk)
    return render(
        request,
        "programme/module_form.html",
        {"form": form, "programme": programme, "module": None},
    )


def module_update(request: HttpRequest, pk: int) -> HttpResponse:
    module = _editable_module(request, pk)
    form = forms.ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(module=module, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The module “%(name)s” is saved.") % {"name": module})
            return redirect("programme:programme-detail", pk=module.programme_id)
    return _module_page(request, module, form=form)


def _module_page(request, module, *, form=None, link_form=None, attachment_form=None, status=200):
    """The module's edit page: its text, its links and its files, each with a form."""
    return render(
        request,
        "programme/module_form.html",
        {
            "form": form or forms.ModuleForm(instance=module),
            "programme": module.programme,
            "module": module,
            "links": module.links.all(),
            "attachments": module.attachments.all(),
            "link_form": link_form or forms.ModuleLinkForm(prefix="link"),
            "attachment_form": attachment_form or forms.ModuleAttachmentForm(prefix="file"),
        },
        status=status,
    )


@require_POST
def module_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    module = _editable_module(request, pk)
    form = forms.ModuleLinkForm(request.POST, prefix="link")
    if form.is_valid():
        try:
            services.module_link_add(
                module=module, title=form.cleaned_data["title"], url=form.cleaned_data["url"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The link is added."))
            return redirect("programme:module-update", pk=module.pk)
    return _module_page(request, module, link_form=form, status=400)


@require_POST
def module_link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ModuleLink.objects.select_related("module"), pk=pk)
    module = _editable_module(request, link.module_id)
    services.module_link_remove(link=link)
    messages.success(request, _("The link is removed."))
    return redirect("programme:module-update", pk=module.pk)


@require_POST
def module_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    module = _editable_module(request, pk)
    form = forms.ModuleAttachmentForm(request.POST, request.FILES, prefix="file")
    if form.is_valid():
        services.module_attachment_add(
            module=module,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            content_type=form.cleaned_data["content_type"],
            uploaded_by=request.user,
        )
        messages.success(request, _("The file is attached."))
        return redirect("programme:module-update", pk=module.pk)
    return _module_page(request, module, attachment_form=form, status=400)


@require_POST
def module_attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(ModuleAttachment, pk=pk)
    module = _editable_module(request, attachment.module_id)
    services.module_attachment_remove(attachment=attachment)
    messages.success(request, _("The file is removed."))
    return redirect("programme:module-update", pk=module.pk)


def module_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Any signed-in person may read the material; the file is never served as a page."""
    attachment = get_object_or_404(ModuleAttachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
